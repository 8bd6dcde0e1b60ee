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
}

/// The result type of every registered primitive.
pub type Outcome<T> = Result<T, Box<EvalAltResult>>;

pub fn fault(
    code: &'static str,
    message: impl Into<String>,
    help: impl Into<String>,
    position: Position,
) -> Box<EvalAltResult> {
    raise(
        Fault {
            code,
            message: message.into(),
            help: help.into(),
            sensitive: false,
        },
        position,
    )
}

/// A fault about a place where a secret value may have been written: the snippet is masked.
pub fn sensitive_fault(
    code: &'static str,
    message: impl Into<String>,
    help: impl Into<String>,
    position: Position,
) -> Box<EvalAltResult> {
    raise(
        Fault {
            code,
            message: message.into(),
            help: help.into(),
            sensitive: true,
        },
        position,
    )
}

fn raise(fault: Fault, position: Position) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(Dynamic::from(fault), position).into()
}

pub fn span(position: Position) -> Option<Span> {
    Some(Span {
        line: u32::try_from(position.line()?).ok()?,
        column: u32::try_from(position.position().unwrap_or(1)).ok()?,
    })
}
