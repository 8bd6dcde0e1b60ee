//! What a plugin's `render` call returns: the template context, which templates apply, what the
//! plugin adds to Claude Code's side, and its part of the guidance report, as typed values so host
//! and plugin share one definition.

use serde::{Deserialize, Serialize};

/// `C` is how the context is held: a plugin builds JSON or serialises its own types; the host reads
/// the JSON straight into the template engine's own values, skipping a second copy of what can be
/// a very large tree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rendering<C = serde_json::Value> {
    /// What the plugin's templates are rendered with; must be a JSON object (GW2009 otherwise).
    pub context: C,
    #[serde(default)]
    pub report: ReportContribution,
    /// Paths of declared templates that do not apply to this setup; the others are rendered. A
    /// path the manifest does not declare is refused (GW2009).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omit: Vec<String>,
    #[serde(default)]
    pub client: ClientContribution,
}

/// What the plugin adds to Claude Code's side, beyond what the host derives from the manifest's
/// client contract.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientContribution {
    /// Extra environment variables, written to `claude/env.sh` and, when literal, to
    /// settings.json's `env`. Names (and secret names) must be variable names, each once, and not
    /// one the host already sets (GW2009 otherwise). A recipe's own `env` never replaces them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<ClientVar>,
    /// Extra top-level settings.json keys (`hooks`, say). `env`, `apiKeyHelper` and `$schema`
    /// are the host's.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub settings: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientVar {
    pub name: String,
    pub value: ClientValue,
    /// Why it is set, shown as a comment in the shell exports.
    pub why: String,
}

/// A client variable's value: a literal (goes into settings.json too) or a secret's name (only
/// referenced in the shell exports, never written as a value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum ClientValue {
    Literal(String),
    Secret(String),
}

/// The plugin's part of the guidance report. Every field is optional. With a gateway and
/// monitors, the host puts each plugin's part after the gateway's, in recipe order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportContribution {
    /// How to install the gateway or monitor (a shell command, quoted with
    /// [`crate::quote::shell_quote`]), shown as the report's "Install DISPLAY NAME" block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install: Option<String>,
    /// How to start or apply the emitted configuration (a shell command, run from the output
    /// directory), shown as the report's "Start DISPLAY NAME" block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Facts about this setup a person must know.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Steps that prove the gateway side works: listed after the host's liveness step (from
    /// `liveness_path`) and before Claude Code's own checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verification: Vec<Step>,
    /// The routes Claude Code uses on this gateway, and what each serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
    /// What the gateway cannot do for Claude Code, or what is not publicly documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limitations: Vec<String>,
    /// What a failing request looks like on this gateway, and what it means.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub troubleshooting: Vec<String>,
}

/// One verification step: what to run, and what a working setup shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    pub expect: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// The full URL or the path below the gateway URL.
    pub path: String,
    pub serves: String,
}
