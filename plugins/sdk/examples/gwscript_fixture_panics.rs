//! Refusal fixture: a well-formed plugin whose `check` and `context` panic.

mod fixture;

use gwscript_plugin::{Diagnostic, Manifest, Plugin, Setup, declare_plugin};

struct Panicky;

impl Plugin for Panicky {
    fn manifest() -> Manifest {
        fixture::manifest(
            "panicky",
            "panicky",
            "Panicky",
            "panics on every call after the manifest",
        )
    }

    fn check(_: &Setup) -> Vec<Diagnostic> {
        panic!("fixture check exploded")
    }

    fn context(_: &Setup) -> Result<serde_json::Value, String> {
        panic!("fixture context exploded")
    }
}

declare_plugin!(Panicky);
