//! The settings file as JSON with positions: jsonc-parser's syntax tree in strict JSON mode (no
//! comments, trailing commas or other JSON5 forms: Claude Code ignores a file that has them), the
//! same value as `serde_json` for the schema validator, and any node's line and column.

use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Span;
use jsonc_parser::ast::{ObjectProp, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::{Map, Number, Value};
use std::collections::HashSet;

/// One step of a path into the document: an object key or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// A parsed settings file.
#[derive(Debug)]
pub struct Document<'t> {
    /// `None` for a file with nothing but white space, which Claude Code reads as no settings.
    root: Option<Node<'t>>,
    /// The whole file as `serde_json` reads it: of a key given twice, the last (as `JSON.parse`).
    pub value: Value,
    positions: Positions<'t>,
    /// Where the tree's byte offsets start in the file: after a byte order mark, if any.
    base: usize,
}

/// Parses `text`, or says where and why it is not JSON (GW5012).
pub fn parse(text: &str) -> Result<Document<'_>, Diagnostic> {
    // Claude Code reads a file that starts with a byte order mark; JSON parsers do not.
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[base..];
    let positions = Positions::new(text);
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let not_json = |problem: String, offset: usize| {
        Diagnostic::error(
            "GW5012",
            format!("the settings file is not valid JSON: {problem}"),
            "Claude Code ignores a settings file it cannot parse, every setting in it; JSON has no comments and no trailing commas",
        )
        .at(Some(positions.span(base + offset)))
    };
    let parsed = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &strict)
        .map_err(|error| not_json(error.kind().to_string(), error.range().start))?;
    if let Some(offset) = parsed
        .value
        .as_ref()
        .and_then(|root| raw_control_character(root, body))
    {
        let problem = "a string holds a control character (a tab, a line break, …) that JSON requires escaped";
        return Err(not_json(problem.to_owned(), offset));
    }
    let value = parsed
        .value
        .as_ref()
        .map_or(Value::Object(Map::new()), to_json);
    Ok(Document {
        root: parsed.value,
        value,
        positions,
        base,
    })
}

/// Where a string (a key or a value) holds a raw character below U+0020, which the parser lets
/// through and `JSON.parse` refuses.
fn raw_control_character(node: &Node<'_>, body: &str) -> Option<usize> {
    let in_text = |start: usize, end: usize| {
        body.as_bytes()[start..end]
            .iter()
            .position(|b| *b < 0x20)
            .map(|at| start + at)
    };
    match node {
        Node::StringLit(text) => in_text(text.start(), text.end()),
        Node::Array(array) => array
            .elements
            .iter()
            .find_map(|element| raw_control_character(element, body)),
        Node::Object(object) => object.properties.iter().find_map(|property| {
            in_text(property.name.start(), property.name.end())
                .or_else(|| raw_control_character(&property.value, body))
        }),
        _ => None,
    }
}

/// The tree as a `serde_json` value. Recursion is bounded: the parser refuses nesting deeper than
/// 512 levels.
fn to_json(node: &Node<'_>) -> Value {
    match node {
        Node::StringLit(text) => Value::String(text.value.to_string()),
        // JSON numbers serde_json cannot hold (1e400) read as JavaScript reads them, or null.
        Node::NumberLit(number) => number
            .value
            .parse::<Number>()
            .ok()
            .or_else(|| Number::from_f64(number.value.parse().ok()?))
            .map_or(Value::Null, Value::Number),
        Node::BooleanLit(boolean) => Value::Bool(boolean.value),
        Node::NullKeyword(_) => Value::Null,
        Node::Array(array) => Value::Array(array.elements.iter().map(to_json).collect()),
        Node::Object(object) => Value::Object(
            object
                .properties
                .iter()
                .map(|p| (p.name.as_str().to_owned(), to_json(&p.value)))
                .collect(),
        ),
    }
}

impl<'t> Document<'t> {
    /// The line and column of the node at `path`, else of its nearest ancestor in the file.
    pub fn span_of(&self, path: &[Step<'_>]) -> Option<Span> {
        let mut node = self.root.as_ref()?;
        for step in path {
            match child(node, *step) {
                Some(next) => node = next,
                None => break,
            }
        }
        Some(self.span_at(node.start()))
    }

    /// The property `key` of the object at `path`: of a key given twice, the last, the one
    /// Claude Code keeps.
    pub fn property(&self, path: &[Step<'_>], key: &str) -> Option<&ObjectProp<'t>> {
        self.node_at(path)?
            .as_object()?
            .properties
            .iter()
            .rev()
            .find(|p| p.name.as_str() == key)
    }

    /// The properties of the object at `path`, in file order, less those a later one of the same
    /// name replaces.
    pub fn properties(&self, path: &[Step<'_>]) -> Vec<&ObjectProp<'t>> {
        let Some(object) = self.node_at(path).and_then(Node::as_object) else {
            return Vec::new();
        };
        let last: std::collections::HashMap<&str, usize> = object
            .properties
            .iter()
            .enumerate()
            .map(|(at, p)| (p.name.as_str(), at))
            .collect();
        object
            .properties
            .iter()
            .enumerate()
            .filter(|(at, p)| last.get(p.name.as_str()) == Some(at))
            .map(|(_, p)| p)
            .collect()
    }

    fn node_at(&self, path: &[Step<'_>]) -> Option<&Node<'t>> {
        path.iter()
            .try_fold(self.root.as_ref()?, |node, step| child(node, *step))
    }

    /// Where a node the tree holds starts, as a line and column of the file.
    pub fn span_at(&self, offset: usize) -> Span {
        self.positions.span(self.base + offset)
    }

    /// GW5014 for every key given twice in one object: Claude Code keeps the last, silently.
    pub fn duplicate_keys(&self) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if let Some(root) = &self.root {
            self.find_duplicates(root, &mut String::new(), &mut found);
        }
        found
    }

    fn find_duplicates(&self, node: &Node<'_>, path: &mut String, found: &mut Vec<Diagnostic>) {
        let length = path.len();
        match node {
            Node::Object(object) => {
                let mut later = HashSet::new();
                // From the end: every occurrence but the last of a name is the one ignored.
                let mut ignored: Vec<&ObjectProp<'_>> = object
                    .properties
                    .iter()
                    .rev()
                    .filter(|p| !later.insert(p.name.as_str()))
                    .collect();
                ignored.reverse();
                for property in ignored {
                    let key = property.name.as_str();
                    found.push(
                        Diagnostic::warning(
                            "GW5014",
                            format!(
                                "`{}` is given again later in the same object: Claude Code keeps only the last, and ignores this one",
                                joined(path, key)
                            ),
                            "merge the two into one key: settings are not combined, the last one wins",
                        )
                        .at(Some(self.span_at(property.name.start()))),
                    );
                }
                for property in &object.properties {
                    if length > 0 {
                        path.push('.');
                    }
                    path.push_str(property.name.as_str());
                    self.find_duplicates(&property.value, path, found);
                    path.truncate(length);
                }
            }
            Node::Array(array) => {
                for (index, element) in array.elements.iter().enumerate() {
                    path.push_str(&format!("[{index}]"));
                    self.find_duplicates(element, path, found);
                    path.truncate(length);
                }
            }
            _ => {}
        }
    }
}

/// `path` as people read it: `env.API_TIMEOUT_MS`, `permissions.allow[2]`.
pub fn display(path: &[Step<'_>]) -> String {
    path.iter().fold(String::new(), |shown, step| match step {
        Step::Key(key) => joined(&shown, key),
        Step::Index(index) => format!("{shown}[{index}]"),
    })
}

fn joined(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn child<'n, 't>(node: &'n Node<'t>, step: Step<'_>) -> Option<&'n Node<'t>> {
    match (node, step) {
        (Node::Object(object), Step::Key(key)) => object
            .properties
            .iter()
            .rev()
            .find(|p| p.name.as_str() == key)
            .map(|p| &p.value),
        (Node::Array(array), Step::Index(index)) => array.elements.get(index),
        _ => None,
    }
}

/// Byte offsets to 1-based lines and columns, columns counted in characters as the diagnostic
/// renderer counts them. Lines end at `\n`.
#[derive(Debug)]
struct Positions<'t> {
    text: &'t str,
    /// Where each line starts, and whether it is all ASCII (its columns are then byte counts).
    lines: Vec<(usize, bool)>,
}

impl<'t> Positions<'t> {
    fn new(text: &'t str) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            lines.push((start, line.is_ascii()));
            start += line.len();
        }
        if lines.is_empty() {
            lines.push((0, true));
        }
        Positions { text, lines }
    }

    fn span(&self, offset: usize) -> Span {
        let offset = offset.min(self.text.len());
        let index = self
            .lines
            .partition_point(|(start, _)| *start <= offset)
            .saturating_sub(1);
        let (start, ascii) = self.lines[index];
        let column = if ascii {
            offset - start
        } else {
            self.text
                .get(start..offset)
                .map_or(offset - start, |before| before.chars().count())
        };
        Span {
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(diagnostic: &Diagnostic) -> (u32, u32) {
        let span = diagnostic.span.expect("a span");
        (span.line, span.column)
    }

    #[test]
    fn gw5012_a_syntax_error_at_its_line_and_column() {
        for (text, line, column) in [
            // Where the comma is missing.
            (
                "{\n  \"env\": {\n    \"A\": \"1\"\n    \"B\": \"2\"\n  }\n}",
                3,
                13,
            ),
            ("{\n  // a comment\n  \"env\": {}\n}", 2, 3),
            ("{ \"env\": {}, }", 1, 12),
            ("{ \"é\": 'x' }", 1, 8),
            ("{ \"a\": 1 } { }", 1, 12),
            ("[\u{0}]", 1, 2),
        ] {
            let error = parse(text).expect_err(text);
            assert_eq!(error.code, "GW5012", "{text}");
            assert!(error.is_error());
            assert_eq!(at(&error), (line, column), "{text}: {}", error.message);
        }
    }

    #[test]
    fn gw5012_hostile_input_is_refused_quickly_and_without_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let error = parse(&deep).expect_err("too deep");
        assert!(error.message.contains("nesting"), "{}", error.message);
        let objects = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
        assert_eq!(parse(&objects).expect_err("too deep").code, "GW5012");
        for binary in [
            "\u{7f}ELF\u{2}\u{1}",
            "\u{0}\u{0}\u{0}",
            "{\"a\":\"\u{1}\"}",
        ] {
            assert_eq!(parse(binary).expect_err(binary).code, "GW5012");
        }
        // A raw tab in a key or value: JSON.parse refuses it, so Claude Code drops the file.
        for (text, column) in [("{\"a\": \"x\ty\"}", 9), ("{\"a\tb\": 1}", 4)] {
            let error = parse(text).expect_err(text);
            assert!(
                error.message.contains("control character"),
                "{}",
                error.message
            );
            assert_eq!(at(&error), (1, column), "{text}");
        }
        assert!(
            parse("{\"a\": \"x\\ty\"}").is_ok(),
            "an escaped tab is fine"
        );
        // Just under the parser's limit: parsed, converted and dropped without exhausting the
        // stack of a test thread.
        let nested = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert!(parse(&nested).is_ok());
    }

    #[test]
    fn a_byte_order_mark_and_an_empty_file_are_read_as_claude_code_reads_them() {
        let document = parse("\u{feff}{\n  \"model\": 1\n}").expect("parses");
        assert_eq!(document.value["model"], 1);
        assert_eq!(
            document.span_of(&[Step::Key("model")]),
            Some(Span {
                line: 2,
                column: 12
            })
        );
        let empty = parse(" \n").expect("parses");
        assert_eq!(empty.value, Value::Object(Map::new()));
        assert_eq!(empty.span_of(&[Step::Key("env")]), None);
    }

    #[test]
    fn paths_resolve_to_the_value_claude_code_keeps() {
        let text = "{\"env\": {\"A\": \"first\"},\n \"env\": {\"A\": \"x\",\n   \"A\": \"é\", \"B\": [1, {\"c\": 2}]}}";
        let document = parse(text).expect("parses");
        assert_eq!(document.value["env"]["A"], "é");
        let span = |path: &[Step<'_>]| document.span_of(path).map(|s| (s.line, s.column));
        assert_eq!(span(&[Step::Key("env"), Step::Key("A")]), Some((3, 9)));
        assert_eq!(
            span(&[
                Step::Key("env"),
                Step::Key("B"),
                Step::Index(1),
                Step::Key("c")
            ]),
            Some((3, 29))
        );
        // A path that leaves the tree stops at the nearest node the file has.
        assert_eq!(span(&[Step::Key("env"), Step::Key("Z")]), Some((2, 9)));
        let names: Vec<&str> = document
            .properties(&[Step::Key("env")])
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["A", "B"]);
        assert_eq!(
            display(&[Step::Key("permissions"), Step::Key("allow"), Step::Index(2)]),
            "permissions.allow[2]"
        );
    }

    #[test]
    fn gw5014_every_key_given_twice_at_the_one_claude_code_ignores() {
        let text = "{\"env\": {\"A\": \"1\"},\n \"env\": {\"A\": \"2\", \"A\": \"3\"},\n \"x\": [{\"k\": 1, \"k\": 2}]}";
        let found = parse(text).expect("parses").duplicate_keys();
        let shown: Vec<(String, (u32, u32))> =
            found.iter().map(|d| (d.message.clone(), at(d))).collect();
        let ignored = ": Claude Code keeps only the last, and ignores this one";
        assert_eq!(
            shown,
            [
                (
                    format!("`env` is given again later in the same object{ignored}"),
                    (1, 2)
                ),
                (
                    format!("`env.A` is given again later in the same object{ignored}"),
                    (2, 10)
                ),
                (
                    format!("`x[0].k` is given again later in the same object{ignored}"),
                    (3, 9)
                ),
            ]
        );
        assert!(found.iter().all(|d| d.code == "GW5014" && !d.is_error()));
        assert!(
            parse("{\"a\": {\"a\": 1}}")
                .expect("parses")
                .duplicate_keys()
                .is_empty()
        );
    }
}
