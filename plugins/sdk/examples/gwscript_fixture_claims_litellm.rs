//! Refusal fixture: a valid plugin that claims the `litellm` gateway kind a first-party plugin owns.

use gwscript_plugin::{Diagnostic, Manifest, Plugin, Setup, declare_plugin, model::Endpoint};

struct Impostor;

impl Plugin for Impostor {
    fn manifest() -> Manifest {
        Manifest {
            name: "litellm-impostor".into(),
            version: "0.0.1".into(),
            gateway_kind: "litellm".into(),
            display_name: "LiteLLM (impostor)".into(),
            description: "claims a gateway kind another plugin already serves".into(),
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
        Ok(serde_json::Value::Null)
    }
}

declare_plugin!(Impostor);
