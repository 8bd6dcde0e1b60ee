//! Claude Code's settings schema: SchemaStore's (draft-07), of which the repository holds one
//! copy, `tests/data/claude-code-settings.schema.json`, embedded here and compiled once. Each
//! violation is reported at the value it is about (GW5013), naming the key and what the schema
//! wants, never the value.

use super::document::{Document, Step, display};
use crate::client::credentials::is_credential_variable;
use crate::client::precedence::flag_value;
use gwscript_plugin::Diagnostic;
use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use serde_json::Value;
use std::sync::OnceLock;

const SCHEMA: &str = include_str!("../../../../tests/data/claude-code-settings.schema.json");
const SCHEMA_URL: &str = "https://json.schemastore.org/claude-code-settings.json";

/// Violations reported one by one; past this many, one more diagnostic counts the rest.
const MOST_REPORTED: usize = 100;

/// The schema's text, as `gwscript schema claude-settings` prints it.
pub fn text() -> &'static str {
    SCHEMA
}

struct Compiled {
    schema: Value,
    validator: jsonschema::Validator,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        // Embedded at build time and compiled by this module's tests: it cannot fail at run time.
        let schema: Value = serde_json::from_str(SCHEMA).expect("the embedded schema is JSON");
        let validator = jsonschema::validator_for(&schema).expect("the embedded schema compiles");
        Compiled { schema, validator }
    })
}

/// For an `env` variable the schema types as a boolean flag (`enum ["0", "1"]` or
/// `["true", "false"]`): its (on, off) spellings.
pub fn boolean_flag(name: &str) -> Option<(&'static str, &'static str)> {
    let spellings =
        compiled().schema["properties"]["env"]["properties"][name]["enum"].as_array()?;
    let words: Vec<&str> = spellings.iter().filter_map(Value::as_str).collect();
    match words.as_slice() {
        [a, b] if flag_value(a) == Some(true) && flag_value(b) == Some(false) => Some((a, b)),
        [a, b] if flag_value(a) == Some(false) && flag_value(b) == Some(true) => Some((b, a)),
        _ => None,
    }
}

/// GW5013 for each place `document` breaks the schema. A boolean flag written in a form Claude
/// Code reads but the schema rejects (`"true"`) is left to the flag rules, which say more.
pub fn violations(document: &Document<'_>) -> Vec<Diagnostic> {
    let Compiled { schema, validator } = compiled();
    let mut found = Vec::new();
    let mut more = 0usize;
    for error in validator.iter_errors(&document.value) {
        let segments: Vec<LocationSegment<'_>> = error.instance_path().iter().collect();
        let path: Vec<Step<'_>> = segments
            .iter()
            .map(|segment| match segment {
                LocationSegment::Property(key) => Step::Key(key),
                LocationSegment::Index(index) => Step::Index(*index),
            })
            .collect();
        if left_to_flag_rules(&path, error.kind(), error.instance()) {
            continue;
        }
        if found.len() == MOST_REPORTED {
            more += 1;
            continue;
        }
        let shown = match display(&path) {
            shown if shown.is_empty() => "the top level".to_owned(),
            shown => format!("`{shown}`"),
        };
        let (message, at) = match error.kind() {
            // The name is at fault, not the value: point at the key.
            ValidationErrorKind::PropertyNames { error: name } => {
                let key = name.instance().as_str().unwrap_or_default().to_owned();
                let at = document
                    .property(&path, &key)
                    .map(|p| document.span_at(jsonc_parser::common::Ranged::start(&p.name)));
                (
                    format!(
                        "{shown} has a key `{key}` the settings schema does not accept: {}",
                        name.masked_with("the name")
                    ),
                    at,
                )
            }
            _ => (
                format!("{shown}: {}", error.masked()),
                document.span_of(&path),
            ),
        };
        let help = described(schema, error.schema_path().as_str())
            .map(|text| format!("{}: {text}", display(&path)))
            .unwrap_or_else(|| format!("Claude Code's settings schema: {SCHEMA_URL}"));
        let diagnostic = Diagnostic::error("GW5013", message, help).at(at);
        let secret = path
            .iter()
            .any(|step| matches!(step, Step::Key(key) if is_credential_variable(key)));
        found.push(if secret {
            diagnostic.sensitive()
        } else {
            diagnostic
        });
    }
    if more > 0 {
        found.push(Diagnostic::error(
            "GW5013",
            format!("{more} more places break Claude Code's settings schema"),
            format!("fix those above and check again; the schema: {SCHEMA_URL}"),
        ));
    }
    found
}

/// Whether the flag rules report this violation: an `env` flag the schema types as `"0"`/`"1"`
/// (or `"true"`/`"false"`) holding another word Claude Code reads as on or off.
fn left_to_flag_rules(path: &[Step<'_>], kind: &ValidationErrorKind, value: &Value) -> bool {
    let [Step::Key("env"), Step::Key(name)] = path else {
        return false;
    };
    matches!(kind, ValidationErrorKind::Enum { .. })
        && boolean_flag(name).is_some()
        && value.as_str().and_then(flag_value).is_some()
}

/// The first sentence of the description of the schema node holding the failed keyword.
fn described<'s>(schema: &'s Value, keyword_at: &str) -> Option<&'s str> {
    let (parent, _) = keyword_at.rsplit_once('/')?;
    let text = schema.pointer(parent)?.get("description")?.as_str()?;
    let first = text
        .split(". ")
        .next()
        .unwrap_or(text)
        .trim_end_matches('.');
    (!first.is_empty()).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::super::document::parse;
    use super::*;

    fn violations_of(text: &str) -> Vec<(String, Option<(u32, u32)>)> {
        violations(&parse(text).expect("parses"))
            .into_iter()
            .map(|d| {
                assert_eq!(d.code, "GW5013");
                assert!(d.is_error());
                (d.message, d.span.map(|s| (s.line, s.column)))
            })
            .collect()
    }

    #[test]
    fn the_embedded_schema_compiles_and_is_the_one_printed() {
        assert!(compiled().schema["properties"]["env"].is_object());
        assert_eq!(
            serde_json::from_str::<Value>(text()).expect("JSON"),
            compiled().schema
        );
    }

    #[test]
    fn gw5013_each_violation_at_its_value_naming_the_key_and_what_the_schema_wants() {
        let found = violations_of(
            "{\n  \"cleanupPeriodDays\": \"soon\",\n  \"env\": {\n    \"API_TIMEOUT_MS\": 600000,\n    \"bad-name\": \"x\"\n  },\n  \"permissions\": { \"defaultMode\": \"sometimes\" }\n}",
        );
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(
            found.contains(&(
                "`cleanupPeriodDays`: value is not of type \"integer\"".into(),
                Some((2, 24))
            )),
            "{found:#?}"
        );
        assert!(
            found.contains(&(
                "`env.API_TIMEOUT_MS`: value is not of type \"string\"".into(),
                Some((4, 23))
            )),
            "{found:#?}"
        );
        let name = found
            .iter()
            .find(|(m, _)| m.contains("bad-name"))
            .expect("the key's finding");
        assert_eq!(
            name.0,
            "`env` has a key `bad-name` the settings schema does not accept: the name does not match \"^[A-Z_][A-Z0-9_]*$\""
        );
        assert_eq!(name.1, Some((5, 5)), "at the key");
        let mode = found
            .iter()
            .find(|(m, _)| m.starts_with("`permissions.defaultMode`: value is not one of"))
            .expect("the enum's finding");
        assert_eq!(mode.1, Some((7, 35)));
        assert!(
            !found
                .iter()
                .any(|(m, _)| m.contains("soon") || m.contains("sometimes"))
        );
    }

    #[test]
    fn gw5013_help_quotes_the_schema_and_secrets_are_masked() {
        let document =
            parse("{\"env\": {\"ANTHROPIC_AUTH_TOKEN\": 12345}, \"cleanupPeriodDays\": -1}")
                .expect("parses");
        let found = violations(&document);
        assert_eq!(found.len(), 2, "{found:#?}");
        let token = found
            .iter()
            .find(|d| d.message.contains("ANTHROPIC_AUTH_TOKEN"))
            .expect("the token's finding");
        assert!(token.sensitive && !token.message.contains("12345"));
        let days = found
            .iter()
            .find(|d| d.message.contains("cleanupPeriodDays"))
            .expect("the days' finding");
        assert!(
            days.help.starts_with("cleanupPeriodDays: ") && days.help.len() > 30,
            "{}",
            days.help
        );
    }

    #[test]
    fn gw5013_unknown_top_level_keys_pass_and_the_count_is_bounded() {
        assert!(
            violations_of("{\"myCompanySetting\": {\"x\": [1]}, \"$schema\": \"x\"}").is_empty()
        );
        assert_eq!(violations_of("[]").len(), 1);
        let many: Vec<String> = (0..500).map(|i| format!("\"V{i}\": {i}")).collect();
        let found = violations_of(&format!("{{\"env\": {{{}}}}}", many.join(",")));
        assert_eq!(found.len(), MOST_REPORTED + 1);
        assert_eq!(
            found.last().map(|(m, _)| m.as_str()),
            Some("400 more places break Claude Code's settings schema")
        );
    }

    #[test]
    fn boolean_flags_are_read_from_the_schema() {
        assert_eq!(boolean_flag("CLAUDE_CODE_USE_BEDROCK"), Some(("1", "0")));
        assert_eq!(
            boolean_flag("CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION"),
            Some(("true", "false"))
        );
        assert_eq!(boolean_flag("ANTHROPIC_BASE_URL"), None);
        assert_eq!(boolean_flag("CLAUDE_CODE_EFFORT_LEVEL"), None);
        // Read as on or off by Claude Code: left to the flag rules. Anything else: a violation.
        assert!(violations_of("{\"env\": {\"CLAUDE_CODE_USE_BEDROCK\": \"true\"}}").is_empty());
        assert_eq!(
            violations_of("{\"env\": {\"CLAUDE_CODE_USE_BEDROCK\": \"enabled\"}}").len(),
            1
        );
    }
}
