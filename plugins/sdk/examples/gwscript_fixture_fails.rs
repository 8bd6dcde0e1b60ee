//! Refusal fixture: a well-formed plugin that reports a failure from `context`.

mod fixture;

use gwscript_plugin::{Diagnostic, Manifest, Plugin, Setup, declare_plugin};

struct Failing;

impl Plugin for Failing {
    fn manifest() -> Manifest {
        fixture::manifest(
            "failing",
            "failing",
            "Failing",
            "passes its checks, then cannot build a template context",
        )
    }

    fn check(_: &Setup) -> Vec<Diagnostic> {
        Vec::new()
    }

    fn context(_: &Setup) -> Result<serde_json::Value, String> {
        Err("fixture cannot build a context".into())
    }
}

declare_plugin!(Failing);
