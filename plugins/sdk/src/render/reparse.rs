//! Parsing rendered output again before it reaches disk. YAML is walked event by event, the way
//! a loader reads it, keeping only the keys of the mappings still open, which must be unique (a
//! later duplicate silently replaces the earlier entry in LiteLLM's loader). No tree is built, so
//! the walk costs no more than the parse on a config of many megabytes, and it can read the
//! output while the template is still writing it ([`super::fill_checked`]).

use crate::yaml::{MAX_DEPTH, Value, YamlError, check_characters, is_plain_word, resolve_plain};
use crate::{Diagnostic, Template, TemplateFormat};
use saphyr_parser::{Event, Input, Parser, ScalarStyle};
use std::borrow::Cow;
use std::collections::HashSet;

/// What gwscript writes must be what the peer reads: `GW3002` when `rendered` does not parse as
/// `template`'s format.
pub fn reparse(template: &Template, rendered: &str) -> Result<(), Diagnostic> {
    let error = match template.format {
        TemplateFormat::Yaml | TemplateFormat::YamlStream => check_characters(rendered)
            .and_then(|()| walk(Parser::new_from_str(rendered), template.format))
            .err()
            .map(|e| e.to_string()),
        TemplateFormat::Json => serde_json::from_str::<serde::de::IgnoredAny>(rendered)
            .err()
            .map(|e| e.to_string()),
        TemplateFormat::Shell | TemplateFormat::Text => None,
    };
    error.map_or(Ok(()), |why| Err(unparsable(template, &why)))
}

/// `GW3002` for `template`'s output, which does not parse because of `why`.
pub(super) fn unparsable(template: &Template, why: &str) -> Diagnostic {
    Diagnostic::error(
        "GW3002",
        format!("{} does not parse after rendering: {why}", template.path),
        "this is a bug in the gateway plugin's template; report it with the recipe",
    )
}

/// Reads every event of a YAML `format` text (one document, or a stream of them), refusing a
/// duplicate key in any mapping and nesting deeper than [`MAX_DEPTH`].
pub(super) fn walk<'input, T: Input>(
    parser: Parser<'input, T>,
    format: TemplateFormat,
) -> Result<(), YamlError> {
    let mut open: Vec<Open> = Vec::new();
    let mut documents = 0;
    for event in parser {
        let (event, at) = event?;
        let refuse = |message: &str| Err(YamlError::at_marker(message, &at.start));
        match &event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 && format == TemplateFormat::Yaml {
                    return refuse("expected one document, found another");
                }
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
                continue;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {
                continue;
            }
            Event::Scalar(..)
            | Event::SequenceStart(..)
            | Event::MappingStart(..)
            | Event::Alias(_) => {}
        }
        let opens = match event {
            Event::SequenceStart(..) => Some(Open::Seq),
            Event::MappingStart(..) => Some(Open::Map {
                keys: Keys::Few(Vec::new()),
                at_key: true,
            }),
            _ => None,
        };
        // A node starts: it is the key or the value of the mapping it is in, if any. Only an
        // untagged scalar in key position is compared, so only that one is read as a key.
        if let Some(Open::Map { keys, at_key }) = open.last_mut() {
            if *at_key
                && let Event::Scalar(text, style, _, None) = event
                && let Some(duplicate) = keys.insert(ScalarKey::of(text, style))
            {
                let message = format!("duplicate mapping key {}", duplicate.shown());
                return refuse(&message);
            }
            *at_key = !*at_key;
        }
        if let Some(opens) = opens {
            if open.len() >= MAX_DEPTH {
                let message = format!("nesting deeper than {MAX_DEPTH} levels");
                return refuse(&message);
            }
            open.push(opens);
        }
    }
    Ok(())
}

/// A list or mapping whose end has not been read yet.
enum Open {
    Seq,
    /// The mapping's keys so far, and whether the next node is a key.
    Map {
        keys: Keys,
        at_key: bool,
    },
}

/// A mapping's keys. Most mappings have a handful, which a list compares faster than a set
/// hashes; a large one moves to a set, so a mapping of many keys stays linear.
enum Keys {
    Few(Vec<ScalarKey>),
    Many(HashSet<ScalarKey>),
}

/// Keys a mapping holds in a list before they move to a set.
const FEW_KEYS: usize = 16;

impl Keys {
    /// Adds `key`; the key it equals, if the mapping already has one.
    fn insert(&mut self, key: ScalarKey) -> Option<ScalarKey> {
        match self {
            Keys::Few(keys) if keys.contains(&key) => Some(key),
            Keys::Few(keys) if keys.len() < FEW_KEYS => {
                keys.push(key);
                None
            }
            Keys::Few(keys) => {
                let mut set: HashSet<ScalarKey> = keys.drain(..).collect();
                set.insert(key);
                *self = Keys::Many(set);
                None
            }
            Keys::Many(keys) => keys.replace(key),
        }
    }
}

/// A scalar key as the loader compares it: what the scalar means, by PyYAML's rules (`yes` and
/// `true` are the same key, `"1"` and `1` are not). Tagged scalars, collections and aliases are
/// walked but not compared.
#[derive(PartialEq, Eq, Hash)]
enum ScalarKey {
    Text(String),
    Other(String),
}

impl ScalarKey {
    fn of(text: Cow<'_, str>, style: ScalarStyle) -> ScalarKey {
        if style != ScalarStyle::Plain || is_plain_word(&text) {
            return ScalarKey::Text(text.into_owned());
        }
        match resolve_plain(&text) {
            Value::String(text) => ScalarKey::Text(text),
            Value::Null => ScalarKey::Other("null".to_owned()),
            Value::Bool(flag) => ScalarKey::Other(flag.to_string()),
            Value::Int(number) => ScalarKey::Other(number.to_string()),
            Value::Float(number) => ScalarKey::Other(number.to_string()),
            // A plain scalar is never a collection.
            Value::Seq(_) | Value::Map(_) => ScalarKey::Other(text.into_owned()),
        }
    }

    fn shown(&self) -> String {
        match self {
            ScalarKey::Text(text) => format!("{text:?}"),
            ScalarKey::Other(text) => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(source: &str) -> Result<(), Diagnostic> {
        reparse(
            &Template::new("t", TemplateFormat::Yaml, "", "test"),
            source,
        )
    }

    #[test]
    fn well_formed_yaml_passes() {
        let ok = "a: 1\nb: [1, {c: d}]\n\"e\": !tag {f: g}\n? [x, y]\n: z\n1: one\n\"1\": text\n";
        assert!(yaml(ok).is_ok());
    }

    #[test]
    fn a_duplicate_key_at_any_depth_is_refused() {
        for source in [
            "a: 1\na: 2\n",
            "list:\n  - x: 1\n    \"x\": 2\n",
            "outer: !tag {k: 1, k: 2}\n",
            "1: a\n1: b\n",
        ] {
            let found = yaml(source).expect_err(source);
            assert_eq!(found.code, "GW3002", "{source}");
            assert!(found.message.contains("duplicate mapping key"), "{found:?}");
        }
        // Past FEW_KEYS the keys move from a list to a set: a duplicate is found on either side.
        let many: String = (0..2 * FEW_KEYS).map(|n| format!("k{n}: {n}\n")).collect();
        assert!(yaml(&many).is_ok());
        for again in ["k3", "k20"] {
            let found = yaml(&format!("{many}{again}: again\n")).expect_err(again);
            assert!(
                found
                    .message
                    .contains(&format!("duplicate mapping key \"{again}\"")),
                "{found:?}"
            );
        }
    }

    /// Keys are compared as LiteLLM's `yaml.safe_load` reads them (YAML 1.1): `yes` and `true`
    /// are one key, so are `010` and `8`, `~` and `null`; a quoted `"1"` is not the integer 1.
    #[test]
    fn keys_that_pyyaml_reads_alike_are_duplicates() {
        for source in ["yes: a\ntrue: b\n", "010: a\n8: b\n", "~: a\nnull: b\n"] {
            let found = yaml(source).expect_err(source);
            assert!(found.message.contains("duplicate mapping key"), "{found:?}");
        }
        assert!(yaml("\"yes\": a\ntrue: b\n\"8\": c\n8: d\n").is_ok());
    }

    #[test]
    fn one_document_is_expected_of_a_yaml_file() {
        let found = yaml("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert!(found.message.contains("one document"), "{found:?}");
        let stream = Template::new("t", TemplateFormat::YamlStream, "", "test");
        assert!(reparse(&stream, "a: 1\n---\nb: 2\n").is_ok());
    }

    #[test]
    fn nesting_and_characters_yaml_refuses_are_refused() {
        // Block nesting: the parser bounds only flow nesting (`[[[…`) itself.
        let deep: String = (0..=MAX_DEPTH)
            .map(|level| format!("{}a:\n", "  ".repeat(level)))
            .collect();
        let found = yaml(&deep).expect_err("too deep");
        assert!(found.message.contains("nesting deeper than"), "{found:?}");
        let found = yaml("a: \"\u{7f}\"\n").expect_err("DEL");
        assert!(found.message.contains("U+007F"), "{found:?}");
    }

    #[test]
    fn broken_syntax_is_refused() {
        assert_eq!(yaml("a: [\n").expect_err("unclosed").code, "GW3002");
    }
}
