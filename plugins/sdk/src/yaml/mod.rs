//! A YAML document as a tree whose every node knows its position, for checks that point at the
//! line a finding is about.
//!
//! Scalars mean what PyYAML's `yaml.safe_load` makes of them (YAML 1.1: `yes` is true, `010` is
//! 8), since that is how LiteLLM reads its config. The tree is built from `saphyr-parser`'s
//! events under our own bounds ([`MAX_DEPTH`], [`MAX_NODES`], [`MAX_EXPANDED_BYTES`]), so an
//! alias bomb or a deeply nested file ends in a [`YamlError`] in bounded time and memory. The
//! input size is the caller's bound.

mod build;
mod json;
mod scalar;

// For the renderer's re-parse of what a template wrote.
#[cfg(feature = "render")]
pub(crate) use build::{all_printable, check_characters};
#[cfg(feature = "render")]
pub(crate) use scalar::{is_plain_word, resolve_plain};

use crate::model::Span;

/// Deepest nesting of lists and mappings, counting what aliases expand to. Deeper files are
/// refused rather than risk the stack of every recursive walk over the tree.
pub const MAX_DEPTH: usize = 256;
/// Most nodes in the tree, counting every node each alias copies: a "billion laughs" file stops
/// here instead of filling memory.
pub const MAX_NODES: usize = 2_000_000;
/// Most bytes of scalar text aliases may copy, so one huge anchored string repeated by aliases
/// cannot fill memory while staying under [`MAX_NODES`].
pub const MAX_EXPANDED_BYTES: usize = 64 << 20;

/// A value with the position where it starts (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    /// Pairs in file order; a key written twice keeps both pairs (PyYAML keeps the last), so a
    /// check can point at the duplicate.
    Map(Vec<(Node, Node)>),
}

/// Why the text is not one YAML document that `yaml.safe_load` would read, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub span: Option<Span>,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.span {
            Some(at) => write!(
                f,
                "{} at line {} column {}",
                self.message, at.line, at.column
            ),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for YamlError {}

/// The one document in `text`: `None` when there is none (empty, or only comments).
///
/// # Errors
/// Syntax errors, a second document, characters YAML forbids (NUL and other control
/// characters), a tag `yaml.safe_load` has no constructor for, and files beyond the bounds.
pub fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    build::check_characters(text)?;
    build::Builder::default().run(text)
}

impl Node {
    /// The value of the string key `key` in a mapping, as `yaml.safe_load` reads it: of a key
    /// written twice, the last.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, value)| value)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(pairs) => Some(pairs),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// What the value is, for messages: `expected a list, found a string`.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

#[cfg(test)]
mod tests;
