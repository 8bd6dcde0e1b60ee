//! Boolean flags as Claude Code reads them and as its schema writes them: a word Claude Code reads
//! but the schema rejects (GW5027), and a flag that any value turns on, set to "off" (GW5028).

use super::Settings;
use super::layers::Var;
use super::schema::boolean_flag;
use crate::client::env::PRESENCE_FLAGS;
use crate::client::precedence::flag_value;
use gwscript_plugin::Diagnostic;

pub(super) fn check(settings: &Settings<'_>) -> Vec<Diagnostic> {
    settings
        .env
        .in_file()
        .filter_map(|var| presence_flag_off(var).or_else(|| schema_form(var)))
        .collect()
}

/// GW5027: `"true"`, `"yes"`, `"on"` (or their opposites) where the schema wants `"1"`/`"0"` (or
/// `"true"`/`"false"`): Claude Code reads them, editors and validators flag them.
fn schema_form(var: &Var<'_>) -> Option<Diagnostic> {
    let (on, off) = boolean_flag(var.name)?;
    let meant = flag_value(var.value)?;
    if var.value == on || var.value == off {
        return None;
    }
    let written = if meant { on } else { off };
    Some(
        Diagnostic::warning(
            "GW5027",
            format!(
                "{} is {:?}, meaning {}: Claude Code's settings schema only accepts {on:?} or {off:?}",
                var.name,
                var.value,
                if meant { "on" } else { "off" }
            ),
            format!("write \"{}\": {written:?}", var.name),
        )
        .at(var.value_span()),
    )
}

/// GW5028: a flag Claude Code turns on for any non-empty value, written as "off" (`"0"`,
/// `"false"`, …): it is on.
fn presence_flag_off(var: &Var<'_>) -> Option<Diagnostic> {
    if !PRESENCE_FLAGS.contains(&var.name) || flag_value(var.value) != Some(false) {
        return None;
    }
    Some(
        Diagnostic::warning(
            "GW5028",
            format!(
                "{} is {:?}, which turns it on: Claude Code only checks that it is set",
                var.name, var.value
            ),
            format!(
                "remove {} to leave it off; write \"1\" if you mean it on",
                var.name
            ),
        )
        .at(var.value_span()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::SettingsScope;
    use super::super::tests_support::{codes, findings};

    #[test]
    fn gw5027_a_flag_word_the_schema_rejects() {
        let text = r#"{"env": {"CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS": "true", "DISABLE_AUTOUPDATER": "OFF",
            "CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION": "1", "CLAUDE_CODE_ENABLE_TELEMETRY": "1"}}"#;
        let found = findings(text, SettingsScope::Project, None);
        let shown: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "GW5027",
                    "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS is \"true\", meaning on: Claude Code's settings schema only accepts \"1\" or \"0\""
                ),
                (
                    "GW5027",
                    "DISABLE_AUTOUPDATER is \"OFF\", meaning off: Claude Code's settings schema only accepts \"1\" or \"0\""
                ),
                (
                    "GW5027",
                    "CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION is \"1\", meaning on: Claude Code's settings schema only accepts \"true\" or \"false\""
                ),
            ]
        );
        assert_eq!(found[1].help, "write \"DISABLE_AUTOUPDATER\": \"0\"");
        assert!(found.iter().all(|d| !d.is_error()));
        // A word Claude Code does not read as on or off is the schema's (an error).
        assert_eq!(
            codes(r#"{"env": {"DISABLE_AUTOUPDATER": "never"}}"#, None),
            ["GW5013"]
        );
    }

    #[test]
    fn gw5028_a_presence_flag_set_to_off_is_on() {
        for value in ["0", "false", "no"] {
            let text = format!(r#"{{"env": {{"DISABLE_TELEMETRY": "{value}"}}}}"#);
            let found = findings(&text, SettingsScope::Project, None);
            assert_eq!(found.len(), 1, "{value}: {found:#?}");
            assert_eq!(found[0].code, "GW5028");
            assert!(!found[0].is_error());
        }
        assert!(
            codes(
                r#"{"env": {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}}"#,
                None
            )
            .is_empty()
        );
        assert!(
            codes(r#"{"env": {"DISABLE_AUTOUPDATER": "0"}}"#, None).is_empty(),
            "a boolean flag"
        );
    }
}
