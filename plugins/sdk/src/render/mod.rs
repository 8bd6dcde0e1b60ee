//! The host's template rules, shared so a plugin's tests render exactly as `gwscript run` does.
//!
//! Every value a template prints is escaped for the output format, so a recipe string can never
//! inject YAML structure or shell syntax; undefined variables are errors, so a typo in a template
//! cannot silently emit an empty value; and YAML and JSON output is parsed again before it is
//! accepted.

use crate::quote::shell_quote;
use crate::{Diagnostic, Template, TemplateFormat, yaml};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::borrow::Cow;

const SHELL_ESCAPE: &str = "shell";

mod context;
pub mod limits;
mod reparse;
mod stream;

pub use context::read_context;
use limits::BoundedOutput;
pub use reparse::reparse;

/// Renders `template` with `context` and, for YAML and JSON, parses the result again.
/// Failures are `GW3001` (the template does not render) and `GW3002` (the output does not parse).
/// The context is read as the host reads a plugin's ([`read_context`]).
pub fn render_template(
    template: &Template,
    context: &serde_json::Value,
) -> Result<String, Diagnostic> {
    let context = serde_json::to_string(context)
        .and_then(|json| read_context(&json))
        // Only a context nested deeper than the host reads (127 levels) fails here.
        .map_err(|e| unserialisable(template, &e))?;
    fill_checked(template, &context)
}

/// Renders `template` with a context already held as template values (so one conversion serves
/// every template of a plugin) and parses the output again as [`reparse`] does; YAML is parsed on
/// a second thread while the template writes it. Fails with `GW3001` when the template does not
/// render (also when the render passes the bounds in [`limits`]), else `GW3002`.
pub fn fill_checked(template: &Template, context: &Value) -> Result<String, Diagnostic> {
    if !matches!(
        template.format,
        TemplateFormat::Yaml | TemplateFormat::YamlStream
    ) {
        let rendered = fill(template, context)?;
        reparse(template, &rendered)?;
        return Ok(rendered);
    }
    let mut output = BoundedOutput::new(limits::MAX_RENDER_BYTES);
    let (to_reader, from_writer) = std::sync::mpsc::sync_channel(stream::CHUNKS_AHEAD);
    let (filled, walked) = std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("reparse".into())
            .spawn_scoped(scope, move || {
                let input = stream::ChunkInput::new(from_writer);
                reparse::walk(saphyr_parser::Parser::new(input), template.format)
            });
        let Ok(reader) = reader else {
            // No second thread: write the whole text, then read it.
            return (write(template, context, &mut output), None);
        };
        let mut teed = stream::Teed::new(&mut output, to_reader);
        let filled = write(template, context, &mut teed);
        let printable = teed.finish();
        let walked = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (filled, Some((printable, walked)))
    });
    filled?;
    let rendered = into_text(template, output)?;
    match walked {
        None => reparse(template, &rendered)?,
        Some((printable, walked)) => {
            // A character YAML refuses is reported first, where it is, as the reader before the
            // parser would; the writer's check only says whether to look.
            let characters = if printable {
                Ok(())
            } else {
                yaml::check_characters(&rendered)
            };
            characters
                .and(walked)
                .map_err(|e| reparse::unparsable(template, &e.to_string()))?;
        }
    }
    Ok(rendered)
}

/// Renders `template` without parsing the output again. Fails with `GW3001`, also when the render
/// passes the bounds in [`limits`].
fn fill(template: &Template, context: &Value) -> Result<String, Diagnostic> {
    let mut output = BoundedOutput::new(limits::MAX_RENDER_BYTES);
    write(template, context, &mut output)?;
    into_text(template, output)
}

/// `GW3001`: `template` did not render, for `error`'s reason.
fn not_rendered(template: &Template, error: &minijinja::Error) -> Diagnostic {
    let why = limits::exceeded(error).unwrap_or_else(|| format!("{error:#}"));
    Diagnostic::error(
        "GW3001",
        format!("cannot render {}: {why}", template.path),
        "this is a bug in the gateway plugin's template; report it with the recipe",
    )
}

/// `GW3001` for data that does not convert, on its way into or out of `template`.
fn unserialisable(template: &Template, why: &dyn std::fmt::Display) -> Diagnostic {
    let error = minijinja::Error::new(minijinja::ErrorKind::BadSerialization, why.to_string());
    not_rendered(template, &error)
}

fn write(
    template: &Template,
    context: &Value,
    output: &mut impl std::io::Write,
) -> Result<(), Diagnostic> {
    let env = environment(template.format);
    env.template_from_named_str(&template.path, &template.source)
        .map_err(|e| not_rendered(template, &e))?
        .render_captured_to(context, output)
        .map_err(|e| not_rendered(template, &e))?;
    Ok(())
}

fn into_text(template: &Template, output: BoundedOutput) -> Result<String, Diagnostic> {
    // minijinja writes only `str`s, so this never fails; were it to, it is the same GW3001.
    String::from_utf8(output.bytes).map_err(|e| unserialisable(template, &e))
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

/// JSON text that YAML reads back unchanged. JSON leaves characters raw inside strings that YAML
/// 1.1 parsers (libyaml, PyYAML) do not take as they are: U+0085, U+2028 and U+2029 are line
/// breaks they fold away, and DEL, the C1 controls, U+FFFE and U+FFFF they refuse. Each is written
/// as a `\u` escape, which JSON and YAML both read. Borrowed when there are none, as in nearly
/// every value.
fn yaml_safe(json: &str) -> Cow<'_, str> {
    let raw = |c: char| {
        matches!(
            c,
            '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}'
        )
    };
    if !json.contains(raw) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
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
        let parsed = crate::yaml::parse(&out)
            .expect("parses")
            .expect("a document");
        assert_eq!(
            parsed.get("name").and_then(|n| n.as_str()),
            Some("a\nevil: true")
        );
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

    /// Line breaks YAML would fold (U+2028, U+0085, U+2029) and characters it refuses (DEL, C1
    /// controls, U+FFFE/U+FFFF) print as `\u` escapes, and the value reads back unchanged.
    #[test]
    fn characters_yaml_folds_or_refuses_are_escaped_and_read_back() {
        let t = template(TemplateFormat::Yaml, "name: {{ name }}\n");
        for (hostile, printed) in [
            ("a\u{2028}b\u{85}c\u{2029}", "a\\u2028b\\u0085c\\u2029"),
            (
                "del\u{7f} c1\u{80}\u{9f} nonchar\u{fffe}\u{ffff} ok\u{a0}é",
                "del\\u007f c1\\u0080\\u009f nonchar\\ufffe\\uffff ok\u{a0}é",
            ),
        ] {
            let out = render_template(&t, &json!({ "name": hostile })).expect("renders");
            assert_eq!(out, format!("name: \"{printed}\"\n"));
            let parsed = crate::yaml::parse(&out)
                .expect("parses")
                .expect("a document");
            assert_eq!(parsed.get("name").and_then(|n| n.as_str()), Some(hostile));
        }
    }

    /// Output several chunks long is read again while it is written: what is written is the
    /// whole render, and a duplicate key far past the first chunk is still found.
    #[test]
    fn a_long_yaml_render_is_read_again_as_it_is_written() {
        let rows = 3 * stream::CHUNK_BYTES / 20;
        let t = template(
            TemplateFormat::Yaml,
            "items:\n{% for i in range(rows) %}  - name: {{ name ~ i }}\n{% endfor %}\
             {% if again %}items: again\n{% endif %}{% if bell %}bell: \u{7}\n{% endif %}end: true\n",
        );
        let context = |again: bool, bell: bool| json!({ "rows": rows, "name": "näme-", "again": again, "bell": bell });
        let out = render_template(&t, &context(false, false)).expect("renders");
        let expected: String = std::iter::once("items:\n".to_owned())
            .chain((0..rows).map(|i| format!("  - name: \"näme-{i}\"\n")))
            .chain(std::iter::once("end: true\n".to_owned()))
            .collect();
        assert_eq!(out, expected);
        assert!(out.len() > 2 * stream::CHUNK_BYTES, "{}", out.len());

        let duplicate = render_template(&t, &context(true, false)).expect_err("duplicate");
        assert_eq!(duplicate.code, "GW3002");
        assert!(
            duplicate
                .message
                .contains("duplicate mapping key \"items\""),
            "{}",
            duplicate.message
        );

        // The writer checks the characters; the line of one YAML refuses is still found.
        let bell = render_template(&t, &context(false, true)).expect_err("control character");
        assert_eq!(bell.code, "GW3002");
        let line = rows + 2;
        assert!(
            bell.message.contains(&format!(
                "control character U+0007 here at line {line} column 7"
            )),
            "{}",
            bell.message
        );
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
