//! Refusal fixture: a well-formed plugin whose `check` and `context` panic.

use gwscript_plugin::{Diagnostic, Manifest, Plugin, Setup, declare_plugin, model::Endpoint};

struct Panicky;

impl Plugin for Panicky {
    fn manifest() -> Manifest {
        Manifest {
            name: "panicky".into(),
            version: "0.0.1".into(),
            gateway_kind: "panicky".into(),
            display_name: "Panicky".into(),
            description: "panics on every call after the manifest".into(),
            third_party: true,
            capabilities: vec![],
            endpoints: [(Endpoint::Unified, String::new())].into(),
            liveness_path: None,
            templates: vec![],
        }
    }

    fn check(_: &Setup) -> Vec<Diagnostic> {
        panic!("fixture check exploded")
    }

    fn context(_: &Setup) -> Result<serde_json::Value, String> {
        panic!("fixture context exploded")
    }
}

declare_plugin!(Panicky);
