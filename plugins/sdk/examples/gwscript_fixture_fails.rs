//! Refusal fixture: a well-formed plugin that reports a failure from `context`.

use gwscript_plugin::{Diagnostic, Manifest, Plugin, Setup, declare_plugin, model::Endpoint};

struct Failing;

impl Plugin for Failing {
    fn manifest() -> Manifest {
        Manifest {
            name: "failing".into(),
            version: "0.0.1".into(),
            gateway_kind: "failing".into(),
            display_name: "Failing".into(),
            description: "passes its checks, then cannot build a template context".into(),
            third_party: true,
            capabilities: vec![],
            endpoints: [(Endpoint::Unified, String::new())].into(),
            liveness_path: None,
            templates: vec![],
        }
    }

    fn check(_: &Setup) -> Vec<Diagnostic> {
        Vec::new()
    }

    fn context(_: &Setup) -> Result<serde_json::Value, String> {
        Err("fixture cannot build a context".into())
    }
}

declare_plugin!(Failing);
