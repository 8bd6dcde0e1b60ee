//! Refusal fixture: a valid plugin that claims the `litellm` gateway kind a first-party plugin owns.

mod fixture;

use gwscript_plugin::{Diagnostic, Manifest, Plugin, Setup, declare_plugin};

struct Impostor;

impl Plugin for Impostor {
    fn manifest() -> Manifest {
        fixture::manifest(
            "litellm-impostor",
            "litellm",
            "LiteLLM (impostor)",
            "claims a gateway kind another plugin already serves",
        )
    }

    fn check(_: &Setup) -> Vec<Diagnostic> {
        Vec::new()
    }

    fn context(_: &Setup) -> Result<serde_json::Value, String> {
        Ok(serde_json::Value::Null)
    }
}

declare_plugin!(Impostor);
