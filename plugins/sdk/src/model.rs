//! The domain model a recipe builds and plugins read: pure data, serialised as JSON across the ABI.
//!
//! Secrets are references ([`SecretRef`]): a name of an environment variable or secret-manager
//! entry. No type here can hold a secret's value.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A position in the recipe, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
}

/// A reference to a secret by name; emitters write `os.environ/NAME`, `${NAME}` or `$NAME`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRef {
    pub secret: String,
}

/// An option value from a recipe: a secret reference or a literal JSON scalar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Param {
    Secret(SecretRef),
    Literal(serde_json::Value),
}

impl Param {
    pub fn secret_name(&self) -> Option<&str> {
        match self {
            Param::Secret(s) => Some(&s.secret),
            Param::Literal(_) => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Param::Literal(serde_json::Value::String(s)) => Some(s),
            _ => None,
        }
    }
}

/// A value with the recipe position it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    Anthropic,
    Bedrock,
    Vertex,
    /// The gateway's own model string, passed through untouched (escape hatch for other providers).
    Raw,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 4] = [
        ProviderKind::Anthropic,
        ProviderKind::Bedrock,
        ProviderKind::Vertex,
        ProviderKind::Raw,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::Bedrock => "bedrock",
            ProviderKind::Vertex => "vertex",
            ProviderKind::Raw => "raw",
        }
    }
}

/// Where a model is served from, and how to reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    pub kind: ProviderKind,
    /// Options as written in the recipe (`api_key`, `api_base`, `region`, `project`, …).
    #[serde(default)]
    pub options: BTreeMap<String, Param>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Provider {
    pub fn option(&self, key: &str) -> Option<&Param> {
        self.options.get(key)
    }
}

/// One model served by one provider inside a model group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// The name clients send (LiteLLM's `model_name`).
    pub model_group: String,
    pub provider: Provider,
    /// The provider's id for the model, resolved through the model catalog
    /// (e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0` for Bedrock in us-east-1).
    pub provider_model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpm: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpm: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// When `from` fails, try the groups in `to`, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fallback {
    pub from: String,
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redis {
    pub host: Param,
    pub port: Param,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Param>,
}

/// An LLM gateway and everything it routes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gateway {
    /// Selects the plugin, e.g. `litellm`.
    pub kind: String,
    /// How clients reach the gateway, without `/v1` (`http://127.0.0.1:4000`).
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_key: Option<Spanned<Param>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_url: Option<Spanned<Param>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<Redis>,
    #[serde(default)]
    pub deployments: Vec<Deployment>,
    #[serde(default)]
    pub fallbacks: Vec<Fallback>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_strategy: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_retries: Option<i64>,
    /// Per-request timeout in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<f64>,
    /// Gateway-specific options the core does not interpret.
    #[serde(default)]
    pub options: BTreeMap<String, Param>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Gateway {
    /// Model groups in first-declared order, each once.
    pub fn model_groups(&self) -> Vec<&str> {
        let mut groups: Vec<&str> = Vec::new();
        for d in &self.deployments {
            if !groups.contains(&d.model_group.as_str()) {
                groups.push(&d.model_group);
            }
        }
        groups
    }
}

/// The four deployment patterns of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pattern {
    #[serde(rename = "direct")]
    Direct,
    #[serde(rename = "proxy")]
    Proxy,
    #[serde(rename = "gateway")]
    Gateway,
    #[serde(rename = "proxy+gateway")]
    ProxyGateway,
}

impl Pattern {
    pub const ALL: [Pattern; 4] = [
        Pattern::Direct,
        Pattern::Proxy,
        Pattern::Gateway,
        Pattern::ProxyGateway,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pattern::Direct => "direct",
            Pattern::Proxy => "proxy",
            Pattern::Gateway => "gateway",
            Pattern::ProxyGateway => "proxy+gateway",
        }
    }

    pub fn uses_gateway(self) -> bool {
        matches!(self, Pattern::Gateway | Pattern::ProxyGateway)
    }

    pub fn uses_proxy(self) -> bool {
        matches!(self, Pattern::Proxy | Pattern::ProxyGateway)
    }
}

/// The settings.json scope Claude Code's side is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    User,
    Project,
    Local,
    Managed,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::User, Scope::Project, Scope::Local, Scope::Managed];

    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Project => "project",
            Scope::Local => "local",
            Scope::Managed => "managed",
        }
    }
}

/// Which wire format Claude Code speaks to the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    /// Anthropic Messages on the gateway's unified route (`ANTHROPIC_BASE_URL`).
    Unified,
    /// Anthropic Messages on a raw pass-through route.
    Anthropic,
    /// Bedrock InvokeModel pass-through (`CLAUDE_CODE_USE_BEDROCK`).
    Bedrock,
    /// Vertex rawPredict pass-through (`CLAUDE_CODE_USE_VERTEX`).
    Vertex,
}

impl Endpoint {
    pub const ALL: [Endpoint; 4] = [
        Endpoint::Unified,
        Endpoint::Anthropic,
        Endpoint::Bedrock,
        Endpoint::Vertex,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Unified => "unified",
            Endpoint::Anthropic => "anthropic",
            Endpoint::Bedrock => "bedrock",
            Endpoint::Vertex => "vertex",
        }
    }
}

/// Claude Code's `apiKeyHelper`: a script whose stdout is the gateway key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyHelper {
    /// `CLAUDE_CODE_API_KEY_HELPER_TTL_MS`.
    pub ttl_ms: u64,
    /// A command that prints the key; without one the helper prints the client's token reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// Claude Code's side of the setup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientSetup {
    pub scope: Scope,
    pub endpoint: Endpoint,
    /// `ANTHROPIC_MODEL`: the main model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Spanned<String>>,
    /// `ANTHROPIC_DEFAULT_HAIKU_MODEL`: the background model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_model: Option<Spanned<String>>,
    /// The secret Claude Code sends to the gateway (`ANTHROPIC_AUTH_TOKEN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_token: Option<SecretRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_helper: Option<ApiKeyHelper>,
    /// Bedrock `AWS_REGION` or Vertex `CLOUD_ML_REGION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertex_project: Option<String>,
    /// `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`.
    #[serde(default)]
    pub disable_nonessential_traffic: bool,
    /// Extra non-secret variables for the settings `env` block.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// A corporate HTTP(S) proxy in front of Claude Code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorporateProxy {
    /// `http://host:port`, without credentials.
    pub url: String,
    /// Basic-auth user and password, by reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<SecretRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretRef>,
    #[serde(default)]
    pub no_proxy: Vec<String>,
    /// A CA bundle path for TLS-inspecting proxies (`NODE_EXTRA_CA_CERTS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<String>,
}

/// Everything a recipe emits: one organisation's setup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    pub pattern: Pattern,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<Gateway>,
    /// The provider Claude Code talks to without a gateway (patterns `direct` and `proxy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    pub client: ClientSetup,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<CorporateProxy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}
