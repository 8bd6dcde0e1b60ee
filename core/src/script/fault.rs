//! Failures raised by the recipe primitives, carried through rhai as a typed runtime error so they
//! keep their diagnostic code.

use gwscript_plugin::model::Span;
use rhai::{Dynamic, EvalAltResult, NativeCallContext, Position};
use std::sync::{Arc, Mutex};

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

/// Distinct mistakes kept from one run; a loop repeating one mistake counts as one.
const MAX_RECOVERED: usize = 50;

/// A mistake a primitive recovered from, and how many times the recipe made it there.
#[derive(Debug, Clone)]
pub struct RecoveredFault {
    pub fault: Fault,
    pub position: Position,
    pub times: usize,
}

/// The mistakes statement-level primitives recovered from, so that one run reports every
/// independent mistake rather than the first. Shared with the primitives through the engine's tag.
#[derive(Debug, Clone, Default)]
pub struct Recovered(Arc<Mutex<Vec<RecoveredFault>>>);

impl Recovered {
    fn record(&self, fault: Fault, position: Position) {
        let Ok(mut faults) = self.0.lock() else {
            return;
        };
        let same = |r: &&mut RecoveredFault| {
            r.position == position && r.fault.code == fault.code && r.fault.message == fault.message
        };
        if let Some(seen) = faults.iter_mut().find(same) {
            seen.times += 1;
        } else if faults.len() < MAX_RECOVERED {
            faults.push(RecoveredFault {
                fault,
                position,
                times: 1,
            });
        }
    }

    pub fn take(&self) -> Vec<RecoveredFault> {
        self.0
            .lock()
            .map(|mut faults| std::mem::take(&mut *faults))
            .unwrap_or_default()
    }
}

/// For primitives whose failure leaves nothing half-built (a `deploy`, a `fallback`, an option
/// set): records the fault and lets the recipe go on, so later independent mistakes are found in
/// the same run. The run still fails at the end. Faults inside an imported module stay fatal:
/// their positions are in the module's text, which only the error chain can name.
pub fn recover(context: &NativeCallContext, result: Outcome<()>) -> Outcome<()> {
    let Err(error) = result else {
        return Ok(());
    };
    let recovered = context
        .tag()
        .and_then(|tag| tag.read_lock::<Recovered>().map(|r| r.clone()));
    let (Some(recovered), None) = (recovered, context.call_source()) else {
        return Err(error);
    };
    if let EvalAltResult::ErrorRuntime(value, position) = &*error
        && let Some(fault) = value.read_lock::<Fault>()
    {
        recovered.record(fault.clone(), *position);
        return Ok(());
    }
    Err(error)
}
