//! What a plugin declares about itself when it is loaded.

use crate::model::Endpoint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The plugin's own name, e.g. `litellm`.
    pub name: String,
    pub version: String,
    /// The `kind` passed to `gateway(kind, …)` in recipes. One plugin per kind.
    pub gateway_kind: String,
    /// The product name shown to users, e.g. `LiteLLM`.
    pub display_name: String,
    pub description: String,
    /// Set for gateways Anthropic does not develop: the report then carries the third-party notice.
    pub third_party: bool,
    /// Short capability tags shown by `gwscript plugins info`.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// The path, relative to the gateway URL, that Claude Code uses for each wire format it serves.
    pub endpoints: BTreeMap<Endpoint, String>,
    /// A public route that answers when the gateway is up, used in verification steps.
    #[serde(default)]
    pub liveness_path: Option<String>,
    #[serde(default)]
    pub templates: Vec<Template>,
}

/// A minijinja template the host renders with the plugin's context and then re-parses as `format`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Where the artifact goes, relative to the output directory (`litellm/config.yaml`).
    pub path: String,
    pub format: TemplateFormat,
    pub source: String,
    /// Scripts are written 0700 instead of 0600.
    #[serde(default)]
    pub executable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateFormat {
    Yaml,
    Json,
    Shell,
    Text,
}

impl TemplateFormat {
    /// The name used in manifests and shown to users.
    pub fn name(self) -> &'static str {
        match self {
            TemplateFormat::Yaml => "yaml",
            TemplateFormat::Json => "json",
            TemplateFormat::Shell => "shell",
            TemplateFormat::Text => "text",
        }
    }
}
