//! Failures raised by the recipe primitives, carried through rhai as a typed runtime error so they
//! keep their diagnostic code.

use gwscript_plugin::model::Span;
use rhai::{Dynamic, EvalAltResult, Position};

/// A recipe mistake found by a primitive, with the code the user looks up.
#[derive(Debug, Clone)]
pub struct Fault {
    pub code: &'static str,
    pub message: String,
    pub help: String,
    /// The recipe text at the error may hold a secret value; it is masked when shown.
    pub sensitive: bool,
    /// The option key the fault is about, so the span can point at it instead of the call.
    pub key: Option<String>,
}

/// The result type of every registered primitive.
pub type Outcome<T> = Result<T, Box<EvalAltResult>>;

impl Fault {
    pub fn new(code: &'static str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Fault {
            code,
            message: message.into(),
            help: help.into(),
            sensitive: false,
            key: None,
        }
    }

    /// The recipe text here may hold a secret value: the snippet is masked when shown.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// The fault concerns option `key`: point at the key rather than the call.
    pub fn about(mut self, key: &str) -> Self {
        self.key = Some(key.to_owned());
        self
    }

    /// Raises the fault as a rhai runtime error at `position`.
    pub fn at(self, position: Position) -> Box<EvalAltResult> {
        EvalAltResult::ErrorRuntime(Dynamic::from(self), position).into()
    }
}

pub fn fault(
    code: &'static str,
    message: impl Into<String>,
    help: impl Into<String>,
    position: Position,
) -> Box<EvalAltResult> {
    Fault::new(code, message, help).at(position)
}

pub fn span(position: Position) -> Option<Span> {
    Some(Span {
        line: u32::try_from(position.line()?).ok()?,
        column: u32::try_from(position.position().unwrap_or(1)).ok()?,
    })
}
