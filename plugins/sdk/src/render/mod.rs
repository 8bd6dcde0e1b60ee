//! The host's template rules, shared so a plugin's tests render exactly as `gwscript run` does.
//!
//! Every value a template prints is escaped for the output format, so a recipe string can never
//! inject YAML structure or shell syntax; undefined variables are errors, so a typo in a template
//! cannot silently emit an empty value; and YAML and JSON output is parsed again before it is
//! accepted.

use crate::quote::shell_quote;
use crate::{Diagnostic, Template, TemplateFormat};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::borrow::Cow;

const SHELL_ESCAPE: &str = "shell";

pub mod limits;
mod reparse;

use limits::BoundedOutput;
pub use reparse::reparse;

/// Renders `template` with `context` and, for YAML and JSON, parses the result again.
/// Failures are `GW3001` (the template does not render) and `GW3002` (the output does not parse).
pub fn render_template(
    template: &Template,
    context: &serde_json::Value,
) -> Result<String, Diagnostic> {
    let rendered = fill(template, &Value::from(minijinja::value::Serde(context)))?;
    reparse(template, &rendered)?;
    Ok(rendered)
}

/// Renders `template` with a context already held as template values (so one conversion serves
/// every template of a plugin), without parsing the output again: the caller runs [`reparse`]
/// on it before it is used. Fails with `GW3001`, also when the render passes the bounds in
/// [`limits`].
pub fn fill(template: &Template, context: &Value) -> Result<String, Diagnostic> {
    let env = environment(template.format);
    let failed = |e: minijinja::Error| {
        let why = limits::exceeded(&e).unwrap_or_else(|| format!("{e:#}"));
        Diagnostic::error(
            "GW3001",
            format!("cannot render {}: {why}", template.path),
            "this is a bug in the gateway plugin's template; report it with the recipe",
        )
    };
    let mut output = BoundedOutput::new(limits::MAX_RENDER_BYTES);
    env.template_from_named_str(&template.path, &template.source)
        .map_err(failed)?
        .render_captured_to(context, &mut output)
        .map_err(failed)?;
    // minijinja writes only `str`s, so this never fails; were it to, it is the same GW3001.
    String::from_utf8(output.bytes).map_err(|e| {
        failed(minijinja::Error::new(
            minijinja::ErrorKind::BadSerialization,
            e.to_string(),
        ))
    })
}

fn environment(format: TemplateFormat) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(limits::RENDER_FUEL));
    // Files end with a newline; minijinja drops the last one unless told otherwise.
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
        .expect("the default delimiters are valid");
    env.set_syntax(syntax);
    let escape = match format {
        TemplateFormat::Yaml | TemplateFormat::YamlStream | TemplateFormat::Json => {
            AutoEscape::Json
        }
        TemplateFormat::Shell => AutoEscape::Custom(SHELL_ESCAPE.into()),
        TemplateFormat::Text => AutoEscape::None,
    };
    env.set_auto_escape_callback(move |_| escape.clone());
    let yaml = matches!(format, TemplateFormat::Yaml | TemplateFormat::YamlStream);
    env.set_formatter(move |out, state, value| match state.auto_escape() {
        AutoEscape::Custom(name) if name == SHELL_ESCAPE && !value.is_safe() => {
            out.write_str(&shell_quote(&display(value)))?;
            Ok(())
        }
        AutoEscape::Json if yaml && !value.is_safe() => {
            let json = serde_json::to_string(value).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::BadSerialization, e.to_string())
            })?;
            out.write_str(&yaml_safe(&json))?;
            Ok(())
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env
}

/// JSON text that YAML reads back unchanged: JSON leaves U+0085, U+2028 and U+2029 raw inside
/// strings, but YAML 1.1 parsers (libyaml, PyYAML) treat them as line breaks and fold them away.
/// Borrowed when there are none, as in nearly every value.
fn yaml_safe(json: &str) -> Cow<'_, str> {
    if !json.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        return Cow::Borrowed(json);
    }
    Cow::Owned(
        json.replace('\u{85}', "\\u0085")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029"),
    )
}

fn display(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(format: TemplateFormat, source: &str) -> Template {
        Template::new("t", format, source, "test")
    }

    #[test]
    fn yaml_values_are_json_escaped_and_cannot_inject_structure() {
        let t = template(TemplateFormat::Yaml, "name: {{ name }}\n");
        let out = render_template(&t, &json!({"name": "a\nevil: true"})).expect("renders");
        assert_eq!(out, "name: \"a\\nevil: true\"\n");
        let parsed: serde_norway::Value = serde_norway::from_str(&out).expect("parses");
        assert_eq!(parsed["name"], serde_norway::Value::from("a\nevil: true"));
    }

    #[test]
    fn undefined_variables_are_errors() {
        let t = template(TemplateFormat::Yaml, "a: {{ missing }}\n");
        assert_eq!(
            render_template(&t, &json!({})).expect_err("strict").code,
            "GW3001"
        );
    }

    #[test]
    fn shell_values_are_single_quoted() {
        let t = template(TemplateFormat::Shell, "echo {{ v }}\n");
        let out = render_template(&t, &json!({"v": "it's $(rm -rf /)"})).expect("renders");
        assert_eq!(out, "echo 'it'\\''s $(rm -rf /)'\n");
    }

    #[test]
    fn unicode_line_breaks_stay_escaped_in_yaml() {
        let t = template(TemplateFormat::Yaml, "name: {{ name }}\n");
        let hostile = "a\u{2028}b\u{85}c\u{2029}";
        let out = render_template(&t, &json!({ "name": hostile })).expect("renders");
        assert_eq!(out, "name: \"a\\u2028b\\u0085c\\u2029\"\n");
        let parsed: serde_norway::Value = serde_norway::from_str(&out).expect("parses");
        assert_eq!(parsed["name"], serde_norway::Value::from(hostile));
    }

    #[test]
    fn every_document_of_a_yaml_stream_is_parsed_again() {
        let good = template(TemplateFormat::YamlStream, "---\na: {{ a }}\n---\nb: 2\n");
        assert!(render_template(&good, &json!({ "a": "x" })).is_ok());
        let bad = template(TemplateFormat::YamlStream, "---\na: 1\n---\nb: [\n");
        assert_eq!(
            render_template(&bad, &json!({}))
                .expect_err("second document")
                .code,
            "GW3002"
        );
    }

    /// Two nested loops of 10,000 turns each (100 million turns) would hold the CPU for
    /// minutes: fuel stops them, though they print nothing, after 20 million instructions.
    #[test]
    fn nested_loops_run_out_of_fuel_quickly() {
        let t = template(
            TemplateFormat::Text,
            "{% for a in range(10000) %}\n{% for b in range(10000) %}{% endfor %}{% endfor %}",
        );
        let started = std::time::Instant::now();
        let refused = render_template(&t, &json!({})).expect_err("out of fuel");
        assert_eq!(refused.code, "GW3001");
        assert!(
            refused
                .message
                .contains("more than 20000000 instructions, stopped at line 2"),
            "{}",
            refused.message
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "took {:?}",
            started.elapsed()
        );
    }

    /// 100,000 copies of a 1 KiB value would be 100 MB: the render stops at the cap, within
    /// the fuel, without holding more than the cap.
    #[test]
    fn output_past_the_cap_is_refused() {
        let t = template(
            TemplateFormat::Text,
            "{% for i in range(100000) %}{{ chunk }}{% endfor %}",
        );
        let refused =
            render_template(&t, &json!({ "chunk": "x".repeat(1024) })).expect_err("too long");
        assert_eq!(refused.code, "GW3001");
        assert!(
            refused.message.contains("the output passed 64 MiB"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn broken_yaml_output_is_caught() {
        let t = template(TemplateFormat::Yaml, "a: [\n");
        assert_eq!(
            render_template(&t, &json!({})).expect_err("reparse").code,
            "GW3002"
        );
    }
}
