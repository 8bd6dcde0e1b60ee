//! The domain model a recipe builds and plugins read: pure data, serialised as JSON across the ABI.
//!
//! Secrets are references ([`SecretRef`]): a name of an environment variable or secret-manager
//! entry. No type here can hold a secret's value.

use crate::manifest::PluginRole;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A position in the recipe, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
}

/// Whether `name` can name an environment variable (and so a secret): emitters write it as
/// `os.environ/NAME`, `${NAME}` and `$NAME`, so it must be a plain identifier.
pub fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 128
}

/// A reference to a secret by name; emitters write `os.environ/NAME`, `${NAME}` or `$NAME`.
///
/// In JSON it is `{"$secret": "NAME"}`; recipe map keys cannot start with `$`, so a literal map
/// is never mistaken for a reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretRef {
    #[serde(rename = "$secret")]
    pub secret: String,
}

/// Only the map `{"$secret": "NAME"}` reads as a reference. (serde's derived struct reading also
/// takes a one-item list, which would turn `["prometheus"]` into a secret named `prometheus`.)
impl<'de> Deserialize<'de> for SecretRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(deserializer)?;
        match (map.len(), map.get("$secret")) {
            (1, Some(name)) => Ok(SecretRef {
                secret: name.clone(),
            }),
            _ => Err(serde::de::Error::custom(
                "a secret reference is exactly {\"$secret\": \"NAME\"}",
            )),
        }
    }
}

/// An option value from a recipe: a secret reference, a list, a map or a literal scalar. Secrets
/// may sit anywhere inside lists and maps (`redis: #{ password: secret("REDIS_PASSWORD") }`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Param {
    Secret(SecretRef),
    List(Vec<Param>),
    Map(BTreeMap<String, Param>),
    /// A string, number, boolean or null.
    Literal(serde_json::Value),
}

/// Read from JSON by shape: `{"$secret": "NAME"}` alone is a reference, other maps and arrays
/// are maps and lists, anything else a literal. Read straight, without a JSON tree first: a setup
/// of thousands of deployments holds a param or two in each.
impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ParamVisitor)
    }
}

struct ParamVisitor;

impl<'de> serde::de::Visitor<'de> for ParamVisitor {
    type Value = Param;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an option value")
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Param, E> {
        Ok(Param::Literal(flag.into()))
    }

    fn visit_i64<E>(self, number: i64) -> Result<Param, E> {
        Ok(Param::Literal(number.into()))
    }

    fn visit_u64<E>(self, number: u64) -> Result<Param, E> {
        Ok(Param::Literal(number.into()))
    }

    /// As in a JSON tree: a float JSON cannot hold (never one read from JSON text) is null.
    fn visit_f64<E>(self, number: f64) -> Result<Param, E> {
        Ok(Param::Literal(
            serde_json::Number::from_f64(number).map_or(serde_json::Value::Null, Into::into),
        ))
    }

    fn visit_str<E>(self, text: &str) -> Result<Param, E> {
        Ok(Param::Literal(text.into()))
    }

    fn visit_string<E>(self, text: String) -> Result<Param, E> {
        Ok(Param::Literal(text.into()))
    }

    fn visit_unit<E>(self) -> Result<Param, E> {
        Ok(Param::Literal(serde_json::Value::Null))
    }

    fn visit_none<E>(self) -> Result<Param, E> {
        Ok(Param::Literal(serde_json::Value::Null))
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, inner: D) -> Result<Param, D::Error> {
        Param::deserialize(inner)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Param, A::Error> {
        let mut list = Vec::new();
        while let Some(item) = items.next_element()? {
            list.push(item);
        }
        Ok(Param::List(list))
    }

    /// A later duplicate key replaces the earlier one, as in a JSON tree.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut entries: A) -> Result<Param, A::Error> {
        let mut map = BTreeMap::new();
        while let Some((key, value)) = entries.next_entry::<String, Param>()? {
            map.insert(key, value);
        }
        Ok(match (map.len(), map.get("$secret")) {
            (1, Some(Param::Literal(serde_json::Value::String(name)))) => {
                Param::Secret(SecretRef {
                    secret: name.clone(),
                })
            }
            _ => Param::Map(map),
        })
    }
}

impl Param {
    pub fn secret_name(&self) -> Option<&str> {
        match self {
            Param::Secret(s) => Some(&s.secret),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Param::Literal(serde_json::Value::String(s)) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Param::Literal(value) => value.as_i64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Param::Literal(value) => value.as_f64(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Param::Literal(value) => value.as_bool(),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Param>> {
        match self {
            Param::Map(map) => Some(map),
            _ => None,
        }
    }

    /// The value as JSON, secrets as `{"$secret": "NAME"}`: what option schemas validate.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Every secret name referenced anywhere inside the value, in order.
    /// Every literal string inside, however deep (list items and map values included).
    pub fn strings(&self) -> Vec<&str> {
        fn collect<'a>(param: &'a Param, texts: &mut Vec<&'a str>) {
            match param {
                Param::Literal(serde_json::Value::String(text)) => texts.push(text),
                Param::List(items) => items.iter().for_each(|item| collect(item, texts)),
                Param::Map(entries) => entries.values().for_each(|item| collect(item, texts)),
                Param::Literal(_) | Param::Secret(_) => {}
            }
        }
        let mut texts = Vec::new();
        collect(self, &mut texts);
        texts
    }

    pub fn secret_names(&self) -> Vec<&str> {
        fn collect<'a>(param: &'a Param, names: &mut Vec<&'a str>) {
            match param {
                Param::Secret(s) => names.push(&s.secret),
                Param::List(items) => items.iter().for_each(|item| collect(item, names)),
                Param::Map(entries) => entries.values().for_each(|item| collect(item, names)),
                Param::Literal(_) => {}
            }
        }
        let mut names = Vec::new();
        collect(self, &mut names);
        names
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

/// Options declared by a plugin, as the recipe gave them, each with the position of its key.
pub type Options = BTreeMap<String, Spanned<Param>>;

/// One model served by one provider inside a model group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// The name clients send (LiteLLM's `model_name`).
    pub model_group: String,
    pub provider: Provider,
    /// The provider's id for the model, resolved through the model catalog
    /// (e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0` for Bedrock in us-east-1).
    pub provider_model: String,
    /// Routing options (`order`, `weight`, `rpm`, …), validated against the plugin's
    /// `deployment_options` schema.
    #[serde(default)]
    pub options: Options,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Deployment {
    pub fn option(&self, key: &str) -> Option<&Param> {
        self.options.get(key).map(|o| &o.value)
    }
}

/// When `from` fails, try the groups in `to`, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fallback {
    pub from: String,
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// An LLM gateway and everything it routes. Only what every gateway has is typed here;
/// everything else is an option the gateway's plugin declares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gateway {
    /// Selects the plugin, e.g. `litellm`.
    pub kind: String,
    /// How clients reach the gateway, without `/v1` (`http://127.0.0.1:4000`).
    pub url: String,
    #[serde(default)]
    pub deployments: Vec<Deployment>,
    #[serde(default)]
    pub fallbacks: Vec<Fallback>,
    /// Gateway options, validated against the plugin's `gateway_options` schema.
    #[serde(default)]
    pub options: Options,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Gateway {
    /// Model groups in first-declared order, each once.
    pub fn model_groups(&self) -> Vec<&str> {
        let mut seen = foldhash::HashSet::default();
        self.deployments
            .iter()
            .map(|d| d.model_group.as_str())
            .filter(|group| seen.insert(*group))
            .collect()
    }

    pub fn option(&self, key: &str) -> Option<&Param> {
        self.options.get(key).map(|o| &o.value)
    }

    /// Where the option was set, else where the gateway was declared.
    pub fn option_span(&self, key: &str) -> Option<Span> {
        self.options.get(key).and_then(|o| o.span).or(self.span)
    }

    /// Every option the gateway holds, with where it sits and where it was set (else where its
    /// owner was declared): the gateway's own, then each deployment's provider and deploy options.
    pub fn every_option(
        &self,
    ) -> impl Iterator<Item = (OptionSite<'_>, &str, &Param, Option<Span>)> {
        let own = self.options.iter().map(|(key, option)| {
            let at = option.span.or(self.span);
            (OptionSite::Gateway, key.as_str(), &option.value, at)
        });
        let deployed = self.deployments.iter().flat_map(|d| {
            let provider_at = d.provider.span.or(d.span);
            let provider = d.provider.options.iter().map(move |(key, value)| {
                (OptionSite::Provider(d), key.as_str(), value, provider_at)
            });
            let deploy = d.options.iter().map(move |(key, option)| {
                (
                    OptionSite::Deploy(d),
                    key.as_str(),
                    &option.value,
                    option.span.or(d.span),
                )
            });
            provider.chain(deploy)
        });
        own.chain(deployed)
    }

    /// `path` (empty, or starting with `/`) below the gateway URL, as clients write it: the
    /// URL's trailing `/` does not double.
    pub fn url_for(&self, path: &str) -> String {
        format!("{}{path}", self.url.trim_end_matches('/'))
    }
}

/// Where a [`Gateway::every_option`] value sits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptionSite<'a> {
    /// `gateway(kind, #{ … })` or `gw.set(…)`.
    Gateway,
    /// The deployment's `provider(kind, #{ … })`.
    Provider(&'a Deployment),
    /// The options map of `gw.deploy(group, provider, #{ … })`.
    Deploy(&'a Deployment),
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
    /// `ANTHROPIC_DEFAULT_HAIKU_MODEL`: the background model, and what `/model haiku` asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_model: Option<Spanned<String>>,
    /// `ANTHROPIC_DEFAULT_OPUS_MODEL`: what `/model opus` asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opus_model: Option<Spanned<String>>,
    /// `ANTHROPIC_DEFAULT_SONNET_MODEL`: what `/model sonnet` asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sonnet_model: Option<Spanned<String>>,
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
    /// Where each `env` name is written in the recipe, so a finding about one points at it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env_spans: BTreeMap<String, Span>,
}

impl ClientSetup {
    /// Where the recipe sets `env` variable `name`, when known.
    pub fn env_span(&self, name: &str) -> Option<Span> {
        self.env_spans.get(name).copied()
    }

    /// The models the recipe pins Claude Code to, each named as diagnostics name it: the main
    /// model (`ANTHROPIC_MODEL`), the background model (`ANTHROPIC_DEFAULT_HAIKU_MODEL`), then
    /// the `opus` and `sonnet` aliases (`ANTHROPIC_DEFAULT_OPUS_MODEL`,
    /// `ANTHROPIC_DEFAULT_SONNET_MODEL`), those that are set. A gateway that routes by model
    /// group must serve each.
    pub fn pinned_models(&self) -> impl Iterator<Item = (&'static str, &Spanned<String>)> {
        [
            ("main model (ANTHROPIC_MODEL)", &self.model),
            (
                "background model (ANTHROPIC_DEFAULT_HAIKU_MODEL)",
                &self.background_model,
            ),
            (
                "opus alias (ANTHROPIC_DEFAULT_OPUS_MODEL)",
                &self.opus_model,
            ),
            (
                "sonnet alias (ANTHROPIC_DEFAULT_SONNET_MODEL)",
                &self.sonnet_model,
            ),
        ]
        .into_iter()
        .filter_map(|(role, model)| Some((role, model.as_ref()?)))
    }

    /// The variable holding the key Claude Code sends, when its name is one a shell command can
    /// expand (`$NAME`, see [`is_env_name`]): what a report's verification commands read.
    pub fn auth_token_variable(&self) -> Option<&str> {
        self.auth_token
            .as_ref()
            .map(|token| token.secret.as_str())
            .filter(|name| is_env_name(name))
    }
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
    /// Plugins that observe Claude Code without carrying its model traffic (through hooks, say),
    /// from `pattern(…, #{ monitors: [gateway(KIND, #{ … }), …] })`, in recipe order. Each kind
    /// appears at most once in a setup, gateway included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub monitors: Vec<Gateway>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Setup {
    /// Every plugin's part of the setup with the role it plays: the pattern's gateway first,
    /// then the monitors in recipe order.
    pub fn plugin_gateways(&self) -> impl Iterator<Item = (PluginRole, &Gateway)> {
        let gateway = self.gateway.iter().map(|g| (PluginRole::Gateway, g));
        gateway.chain(self.monitors.iter().map(|g| (PluginRole::Monitor, g)))
    }

    /// The gateway of `kind` and the role it plays, if the setup uses one: how a plugin finds its
    /// own part of the setup, whether it is the gateway or a monitor.
    pub fn gateway_of_kind(&self, kind: &str) -> Option<(PluginRole, &Gateway)> {
        self.plugin_gateways()
            .find(|(_, gateway)| gateway.kind == kind)
    }

    /// The pattern's gateway, which must be of `kind`: how a plugin that can only be a gateway
    /// finds its part of the setup. The host calls such a plugin only for setups whose gateway
    /// it serves, but tests and other hosts may not, so the error says what the setup has
    /// instead, for `render` to return.
    pub fn require_gateway(&self, kind: &str) -> Result<&Gateway, String> {
        match self.gateway_of_kind(kind) {
            Some((PluginRole::Gateway, gateway)) => Ok(gateway),
            _ => Err(match &self.gateway {
                Some(other) => format!("the setup's gateway is `{}`, not `{kind}`", other.kind),
                None => format!("the setup has no gateway, so no `{kind}` gateway to build"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// How a param read through a JSON tree: the reading the direct one must match.
    fn from_tree(value: serde_json::Value) -> Param {
        use serde_json::Value;
        match value {
            Value::Object(map) => match (map.len(), map.get("$secret")) {
                (1, Some(Value::String(name))) => Param::Secret(SecretRef {
                    secret: name.clone(),
                }),
                _ => Param::Map(map.into_iter().map(|(k, v)| (k, from_tree(v))).collect()),
            },
            Value::Array(items) => Param::List(items.into_iter().map(from_tree).collect()),
            scalar => Param::Literal(scalar),
        }
    }

    /// Every JSON shape, secrets that are not quite secrets, and repeated keys read as a JSON
    /// tree reads them, from text and from a tree.
    #[test]
    fn params_read_straight_as_through_a_tree() {
        let texts = [
            r#"{"a": [1, -2, 18446744073709551615, 1.5, -0.0, 1e300, true, false, null, "t\u00e9"]}"#,
            r#"{"$secret": "NAME"}"#,
            r#"{"$secret": "NAME", "other": 1}"#,
            r#"{"$secret": 7}"#,
            r#"{"$secret": {"$secret": "INNER"}}"#,
            r#"{"k": 1, "k": {"$secret": "LATER"}}"#,
            r#"{"$secret": "A", "$secret": "B"}"#,
            r#"[[], {}, [{"$secret": "S"}], "x"]"#,
            r#""text""#,
            "12",
            "null",
        ];
        for text in texts {
            let tree: serde_json::Value = serde_json::from_str(text).expect(text);
            let expected = from_tree(tree.clone());
            let straight: Param = serde_json::from_str(text).expect(text);
            assert_eq!(straight, expected, "{text}");
            let from_value: Param = serde_json::from_value(tree).expect(text);
            assert_eq!(from_value, expected, "{text}");
        }
    }

    #[test]
    fn params_read_back_by_shape() {
        let cases = [
            json!(["prometheus"]),
            json!({ "$secret": "REDIS_PASSWORD" }),
            json!({ "host": "h", "password": { "$secret": "P" } }),
            json!([{ "$secret": "A" }, 1, true, null]),
            json!("text"),
        ];
        for value in cases {
            let param: Param = serde_json::from_value(value.clone()).expect("reads");
            assert_eq!(param.to_json(), value, "{param:?}");
        }
        let list: Param = serde_json::from_value(json!(["prometheus"])).expect("reads");
        assert_eq!(list, Param::List(vec![Param::Literal(json!("prometheus"))]));
    }

    #[test]
    fn a_plugin_finds_its_gateway_and_role_and_old_setups_have_no_monitors() {
        use crate::testing::{direct_monitored_by, gateway, setup_for};
        let mut setup = setup_for(gateway("litellm", vec![], vec![]));
        setup.monitors.push(gateway("mintmcp", vec![], vec![]));
        let kinds: Vec<(PluginRole, &str)> = setup
            .plugin_gateways()
            .map(|(role, g)| (role, g.kind.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (PluginRole::Gateway, "litellm"),
                (PluginRole::Monitor, "mintmcp")
            ]
        );
        assert_eq!(
            setup.gateway_of_kind("mintmcp").map(|(role, _)| role),
            Some(PluginRole::Monitor)
        );
        assert!(setup.gateway_of_kind("kong").is_none());
        let direct = direct_monitored_by(vec![gateway("mintmcp", vec![], vec![])]);
        assert_eq!(
            direct.gateway_of_kind("mintmcp").map(|(role, _)| role),
            Some(PluginRole::Monitor)
        );

        // Monitors cross the ABI only when there are some; an older setup reads without them.
        let mut json = serde_json::to_value(&setup).expect("writes");
        assert_eq!(json["monitors"][0]["kind"], "mintmcp");
        json.as_object_mut().expect("a map").remove("monitors");
        let older: Setup = serde_json::from_value(json).expect("reads");
        assert!(older.monitors.is_empty());
        assert!(
            !serde_json::to_value(&older)
                .expect("writes")
                .as_object()
                .expect("a map")
                .contains_key("monitors")
        );
    }

    #[test]
    fn a_gateway_only_plugin_requires_the_patterns_gateway_of_its_kind() {
        use crate::testing::{direct_monitored_by, gateway, setup_for};
        let setup = setup_for(gateway("litellm", vec![], vec![]));
        assert_eq!(
            setup.require_gateway("litellm").map(|g| g.kind.as_str()),
            Ok("litellm")
        );
        assert_eq!(
            setup.require_gateway("zuplo"),
            Err("the setup's gateway is `litellm`, not `zuplo`".into())
        );
        // A monitor of the kind is not the gateway such a plugin builds.
        let monitored = direct_monitored_by(vec![gateway("zuplo", vec![], vec![])]);
        assert_eq!(
            monitored.require_gateway("zuplo"),
            Err("the setup has no gateway, so no `zuplo` gateway to build".into())
        );
    }

    #[test]
    fn routes_hang_below_the_gateway_url() {
        let gw = crate::testing::gateway("litellm", vec![], vec![]);
        assert_eq!(gw.url_for("/v1/models"), "http://127.0.0.1:4000/v1/models");
        assert_eq!(gw.url_for(""), "http://127.0.0.1:4000");
        let slashed = Gateway {
            url: "https://gw.example/base//".into(),
            ..gw
        };
        assert_eq!(slashed.url_for("/v1"), "https://gw.example/base/v1");
    }

    #[test]
    fn the_client_side_names_its_pinned_models_and_a_plain_key_variable() {
        use crate::testing::{gateway, setup_for};
        let mut setup = setup_for(gateway("litellm", vec![], vec![]));
        assert_eq!(setup.client.pinned_models().count(), 0);
        setup.client.background_model = Some(Spanned {
            value: "claude-haiku-4-5".into(),
            span: None,
        });
        let pinned: Vec<(&str, &str)> = setup
            .client
            .pinned_models()
            .map(|(role, model)| (role, model.value.as_str()))
            .collect();
        assert_eq!(
            pinned,
            [(
                "background model (ANTHROPIC_DEFAULT_HAIKU_MODEL)",
                "claude-haiku-4-5"
            )]
        );
        setup.client.model = Some(Spanned {
            value: "claude-sonnet-4-5".into(),
            span: None,
        });
        setup.client.sonnet_model = Some(Spanned {
            value: "claude-sonnet-4-6".into(),
            span: None,
        });
        setup.client.opus_model = Some(Spanned {
            value: "claude-opus-4-1".into(),
            span: None,
        });
        let roles: Vec<&str> = setup.client.pinned_models().map(|(role, _)| role).collect();
        assert_eq!(
            roles,
            [
                "main model (ANTHROPIC_MODEL)",
                "background model (ANTHROPIC_DEFAULT_HAIKU_MODEL)",
                "opus alias (ANTHROPIC_DEFAULT_OPUS_MODEL)",
                "sonnet alias (ANTHROPIC_DEFAULT_SONNET_MODEL)"
            ]
        );

        assert_eq!(setup.client.auth_token_variable(), Some("GATEWAY_KEY"));
        setup.client.auth_token = Some(SecretRef {
            secret: "team/key".into(),
        });
        assert_eq!(setup.client.auth_token_variable(), None, "not a shell name");
        setup.client.auth_token = None;
        assert_eq!(setup.client.auth_token_variable(), None);
    }

    #[test]
    fn a_client_side_without_alias_pins_reads_as_before() {
        use crate::testing::{gateway, setup_for};
        let setup = setup_for(gateway("litellm", vec![], vec![]));
        let json = serde_json::to_value(&setup.client).expect("writes");
        for key in ["opus_model", "sonnet_model"] {
            assert!(json.get(key).is_none(), "{key} is written only when set");
        }
        let read: ClientSetup = serde_json::from_value(json).expect("reads");
        assert_eq!(read, setup.client);
    }

    #[test]
    fn a_secret_reference_is_only_the_one_key_map() {
        let read = |v| serde_json::from_value::<SecretRef>(v);
        assert_eq!(read(json!({ "$secret": "K" })).expect("reads").secret, "K");
        assert!(read(json!(["K"])).is_err());
        assert!(read(json!({ "$secret": "K", "extra": "x" })).is_err());
        assert!(read(json!({ "secret": "K" })).is_err());
    }
}
