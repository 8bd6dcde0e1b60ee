//! `emit(setup)`: hands the finished setup to the host. A recipe emits exactly once.

use super::pattern::PendingSetup;
use crate::script::fault::{Outcome, fault, recover};
use gwscript_plugin::model::Setup;
use rhai::{Engine, NativeCallContext, Position};
use std::sync::{Arc, Mutex};

/// What the recipe emitted, shared between the registered `emit` and the host.
#[derive(Debug, Clone, Default)]
pub struct Emitted(Arc<Mutex<Option<(PendingSetup, Position)>>>);

impl Emitted {
    /// The emitted setup; taken after the recipe has run, when its variables are gone, so its
    /// gateways are not copied.
    pub fn take(&self) -> Option<Setup> {
        self.0.lock().ok()?.take().map(|(setup, _)| setup.finish())
    }
}

pub fn register(engine: &mut Engine, emitted: &Emitted) {
    let slot = emitted.clone();
    engine.register_fn(
        "emit",
        move |context: NativeCallContext, setup: PendingSetup| -> Outcome<()> {
            let position = context.call_position();
            let mut slot = slot
                .0
                .lock()
                .map_err(|_| fault("GW1002", "emit failed", "run the recipe again", position))?;
            if let Some((_, first)) = slot.as_ref() {
                // The recipe goes on: a second emit hides no later mistake.
                let again = if *first == position {
                    fault(
                        "GW1011",
                        "this emit runs more than once (it is inside a loop, or in a function called more than once)",
                        "build one setup in the loop and emit it once, after the loop",
                        position,
                    )
                } else {
                    fault(
                        "GW1011",
                        "the recipe emits a second setup",
                        format!(
                            "emit once per recipe; the first emit is at line {}",
                            first.line().unwrap_or(0)
                        ),
                        position,
                    )
                };
                return recover(&context, Err(again));
            }
            *slot = Some((setup, position));
            Ok(())
        },
    );
}
