//! What this plugin knows about LiteLLM, kept as data so a version bump is an edit here, not a
//! hunt through the checks. Every list is tied to [`LITELLM_VERSION`]: LiteLLM's valid key sets
//! change between releases.

use gwscript_plugin::model::{Gateway, ProviderKind};
use gwscript_plugin::quote::shell_quote;

/// The LiteLLM release the emitted config is written for and the install line pins.
pub const LITELLM_VERSION: &str = "1.102.4";

/// Prisma Client Python, which a proxy with `database_url` needs and `litellm[proxy]` does not
/// bring. LiteLLM 1.102.4 declares `prisma>=0.11.0,<1.0` (in its `extra_proxy` extra, with
/// unrelated cloud SDKs) and its own pip-based image pins 0.11.0, whose Prisma CLI (5.4.2)
/// accepts the release's `schema.prisma`.
pub const PRISMA_VERSION: &str = "0.11.0";

/// google-auth, which every LiteLLM call to Vertex AI imports (the Messages route and the
/// `/vertex_ai` pass-through alike) and `litellm[proxy]` does not bring: without it each Vertex
/// request fails with `No module named 'google'`.
pub const GOOGLE_AUTH_VERSION: &str = "2.40.3";

/// The pinned packages a proxy for `gateway` needs: LiteLLM, plus Prisma Client Python with a
/// database and google-auth with a Vertex AI deployment.
pub fn install_packages(gateway: &Gateway) -> Vec<String> {
    let mut packages = vec![format!("litellm[proxy]=={LITELLM_VERSION}")];
    if gateway.option("database_url").is_some() {
        packages.push(format!("prisma=={PRISMA_VERSION}"));
    }
    if gateway
        .deployments
        .iter()
        .any(|d| d.provider.kind == ProviderKind::Vertex)
    {
        packages.push(format!("google-auth=={GOOGLE_AUTH_VERSION}"));
    }
    packages
}

/// The pinned install line, shown in `start.sh` and the guidance report.
pub fn install_command(gateway: &Gateway) -> String {
    let packages: Vec<String> = install_packages(gateway)
        .iter()
        .map(|p| shell_quote(p))
        .collect();
    format!("pip install {}", packages.join(" "))
}

/// `litellm` flag for a proxy with a database: LiteLLM runs its migrations at every start and by
/// default carries on when they fail, serving with a schema its queries do not match.
pub const ENFORCE_MIGRATIONS_FLAG: &str = "--enforce_prisma_migration_check";

/// `router_settings.routing_strategy` values the pinned release accepts; anything else stops the
/// proxy at startup (`Router._validate_routing_strategy`: `simple-shuffle`, `lar1` and the
/// `RoutingStrategy` enum).
pub const ROUTING_STRATEGIES: &[&str] = &[
    "simple-shuffle",
    "least-busy",
    "usage-based-routing",
    "usage-based-routing-v2",
    "latency-based-routing",
    "cost-based-routing",
    "provider-budget-routing",
    "lar1",
];

/// The first segment of `litellm_params.model` LiteLLM resolves to a provider. One name a line;
/// `#` starts a comment.
const PROVIDER_PREFIXES: &str = include_str!("../data/providers-1.102.4.txt");

pub fn is_known_provider_prefix(prefix: &str) -> bool {
    names(PROVIDER_PREFIXES).any(|known| known == prefix)
}

/// The `litellm_params.model` prefix for each first-class provider; raw models carry their own.
pub fn model_prefix(kind: ProviderKind) -> Option<&'static str> {
    match kind {
        ProviderKind::Anthropic => Some("anthropic/"),
        // `bedrock/` is the InvokeModel route, the one Claude Code's own Bedrock format uses.
        ProviderKind::Bedrock => Some("bedrock/"),
        ProviderKind::Vertex => Some("vertex_ai/"),
        ProviderKind::Raw => None,
    }
}

/// Recipe option names that LiteLLM spells differently. Vertex aliases are rewritten to the
/// canonical `vertex_*` keys because the `/vertex_ai` pass-through reads only those.
const OPTION_RENAMES: &[(ProviderKind, &str, &str)] = &[
    (ProviderKind::Bedrock, "region", "aws_region_name"),
    (ProviderKind::Vertex, "project", "vertex_project"),
    (ProviderKind::Vertex, "location", "vertex_location"),
    (ProviderKind::Vertex, "region", "vertex_location"),
    (ProviderKind::Vertex, "credentials", "vertex_credentials"),
    (ProviderKind::Vertex, "vertex_ai_project", "vertex_project"),
    (
        ProviderKind::Vertex,
        "vertex_ai_location",
        "vertex_location",
    ),
    (
        ProviderKind::Vertex,
        "vertex_ai_credentials",
        "vertex_credentials",
    ),
];

/// The `litellm_params` key a recipe option of a `kind` provider is written as.
pub fn litellm_option_key(kind: ProviderKind, recipe_key: &str) -> &str {
    OPTION_RENAMES
        .iter()
        .find(|(k, from, _)| *k == kind && *from == recipe_key)
        .map_or(recipe_key, |(_, _, to)| to)
}

/// Recipe spellings that have a LiteLLM key for `kind` (candidates for typo suggestions).
pub fn recipe_aliases(kind: ProviderKind) -> impl Iterator<Item = &'static str> {
    OPTION_RENAMES
        .iter()
        .filter(move |(k, _, _)| *k == kind)
        .map(|(_, from, _)| *from)
}

/// `litellm_params` keys LiteLLM declares (its `LiteLLM_Params` fields and the router's
/// `LiteLLMParamsTypedDict`, pricing aside). Anything else is forwarded to the provider as a
/// request kwarg, which is almost always a typo.
pub const LITELLM_PARAMS: &[&str] = &[
    "api_key",
    "api_base",
    "api_version",
    "organization",
    "custom_llm_provider",
    "responses_api_version",
    "azure_ad_token",
    "tenant_id",
    "client_id",
    "client_secret",
    "azure_scope",
    "azure_username",
    "azure_password",
    "aws_region_name",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_profile_name",
    "aws_role_name",
    "aws_session_name",
    "aws_web_identity_token",
    "aws_sts_endpoint",
    "aws_external_id",
    "aws_session_tags",
    "aws_bedrock_runtime_endpoint",
    "aws_bedrock_control_plane_endpoint",
    "aws_bedrock_project_id",
    "aws_batch_role_arn",
    "bedrock_tags",
    "s3_bucket_name",
    "s3_endpoint_url",
    "s3_region_name",
    "s3_access_key_id",
    "s3_secret_access_key",
    "s3_encryption_key_id",
    "s3_bucket_owner",
    "s3_output_bucket_name",
    "gcs_bucket_name",
    "bucket_name",
    "vertex_project",
    "vertex_location",
    "vertex_credentials",
    "region_name",
    "watsonx_region_name",
    "rpm",
    "tpm",
    "itpm",
    "otpm",
    "rpd",
    "tpd",
    "daily_reset_time",
    "weight",
    "order",
    "max_parallel_requests",
    "timeout",
    "stream_timeout",
    "timeout_by_service_tier",
    "stream_timeout_by_service_tier",
    "max_retries",
    "num_retries",
    "cooldown_time",
    "drop_params",
    "configurable_clientside_auth_params",
    "provider_affinity_header",
    "tags",
    "tag_regex",
    "use_in_pass_through",
    "use_litellm_proxy",
    "use_chat_completions_api",
    "litellm_credential_name",
    "max_budget",
    "budget_duration",
    "max_file_size_mb",
    "default_api_key_tpm_limit",
    "default_api_key_rpm_limit",
    "keepalive_seconds",
    "allow_client_keepalive_override",
    "merge_reasoning_content_in_choices",
    "mock_response",
    "model_info",
    "auto_router_config_path",
    "auto_router_config",
    "auto_router_default_model",
    "auto_router_embedding_model",
    "complexity_router_config",
    "complexity_router_default_model",
    "adaptive_router_config",
    "adaptive_router_default_model",
    "quality_router_config",
    "quality_router_default_model",
    "vector_store_id",
    "vector_bucket_name",
    "index_name",
    "embedding_model",
];

/// Request parameters a deployment may set on purpose: LiteLLM forwards them to every call
/// (`temperature: 0.2`), so they are not typos.
pub const REQUEST_PARAMS: &[&str] = &[
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "stop",
    "seed",
    "n",
    "presence_penalty",
    "frequency_penalty",
    "response_format",
    "reasoning_effort",
    "thinking",
    "extra_body",
    "extra_headers",
    "headers",
    "metadata",
    "user",
];

/// Spellings LiteLLM accepts for a declared key on the Messages and completion routes (not on
/// the `/vertex_ai` pass-through, which reads only the canonical key).
pub const PARAM_ALIASES: &[(&str, &str)] = &[
    ("vertex_ai_project", "vertex_project"),
    ("vertex_ai_location", "vertex_location"),
    ("vertex_ai_credentials", "vertex_credentials"),
];

/// Whether LiteLLM reads `litellm_params.<key>` itself or forwards it on purpose: declared keys,
/// their aliases, request parameters, and custom pricing (`input_cost_per_token`, …, a family
/// of dozens that grows with every release).
pub fn is_litellm_param(key: &str) -> bool {
    LITELLM_PARAMS.contains(&key)
        || REQUEST_PARAMS.contains(&key)
        || PARAM_ALIASES.iter().any(|(alias, _)| *alias == key)
        || key.contains("_cost")
        || key.starts_with("cost_per_")
}

/// `litellm_params` keys whose value is a credential and must be an `os.environ/` reference.
pub const SECRET_PARAMS: &[&str] = &[
    "api_key",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_web_identity_token",
    "vertex_credentials",
    "vertex_ai_credentials",
    "azure_ad_token",
    "client_secret",
    "azure_password",
    "s3_access_key_id",
    "s3_secret_access_key",
];

/// Literal values that stand in for a credential in examples and tutorials (`fake-key`,
/// `postgresql://user:password@…`): they hold no secret, so they are not reported as a leak.
pub fn is_placeholder_secret(value: &str) -> bool {
    const MARKERS: &[&str] = &[
        "fake",
        "dummy",
        "placeholder",
        "example",
        "changeme",
        "change-me",
        "change_me",
        "your-",
        "your_",
        "xxx",
        "<",
        "redacted",
    ];
    const WORDS: &[&str] = &[
        "password", "passwd", "secret", "pass", "test", "none", "null",
    ];
    let lower = value.trim().to_ascii_lowercase();
    lower.is_empty() || WORDS.contains(&lower.as_str()) || MARKERS.iter().any(|m| lower.contains(m))
}

/// The password of a URL with credentials (`postgresql://user:PASSWORD@host/db`), if it has one.
pub fn url_password(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    (!password.is_empty()).then_some(password)
}

/// `general_settings` keys 1.109.1 reads. One name a line; `#` starts a comment.
const GENERAL_SETTINGS: &str = include_str!("../data/general-settings-1.109.1.txt");

/// `litellm_settings` keys 1.109.1 acts on (every other key becomes an attribute of the
/// `litellm` module nothing reads).
const LITELLM_SETTINGS: &str = include_str!("../data/litellm-settings-1.109.1.txt");

fn names(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

pub fn general_settings() -> impl Iterator<Item = &'static str> {
    names(GENERAL_SETTINGS)
}

pub fn is_general_setting(key: &str) -> bool {
    general_settings().any(|known| known == key)
}

pub fn litellm_settings() -> impl Iterator<Item = &'static str> {
    names(LITELLM_SETTINGS)
}

pub fn is_litellm_setting(key: &str) -> bool {
    litellm_settings().any(|known| known == key)
}

/// The publicly known master key of LiteLLM's docs and tutorials; 1.109.1 refuses to start
/// with it.
pub const PUBLIC_MASTER_KEY: &str = "sk-1234";

/// The config.yaml sections a gateway option can land in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Litellm,
    General,
    Router,
}

impl Section {
    pub fn key(self) -> &'static str {
        match self {
            Section::Litellm => "litellm_settings",
            Section::General => "general_settings",
            Section::Router => "router_settings",
        }
    }
}

/// What a placed gateway option holds; the manifest turns it into the option's JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionType {
    Flag,
    /// Seconds, greater than zero.
    Seconds,
    /// Seconds, zero included (no cooldown).
    SecondsOrZero,
    /// A count, zero included.
    Count,
    /// Callback names (`prometheus`, `langfuse`, `otel`, or `module.attr`). Plain strings: LiteLLM
    /// does not resolve `os.environ/` inside lists.
    Names,
}

/// A gateway option the plugin places in config.yaml.
#[derive(Debug)]
pub struct GatewayOption {
    pub name: &'static str,
    pub section: Section,
    pub kind: OptionType,
    pub description: &'static str,
}

const fn option(
    name: &'static str,
    section: Section,
    kind: OptionType,
    description: &'static str,
) -> GatewayOption {
    GatewayOption {
        name,
        section,
        kind,
        description,
    }
}

/// `gateway(…, #{ … })` options this plugin places in config.yaml, and where. Each is a setting
/// of the pinned release that matters for Claude Code traffic; the host refuses any other key,
/// because LiteLLM ignores misplaced keys silently.
pub const GATEWAY_OPTIONS: &[GatewayOption] = &[
    // Claude Code sends Anthropic-only parameters; non-Anthropic backends need them dropped.
    option(
        "drop_params",
        Section::Litellm,
        OptionType::Flag,
        "drop request parameters the backend does not support",
    ),
    option(
        "modify_params",
        Section::Litellm,
        OptionType::Flag,
        "let LiteLLM adjust requests a backend would otherwise reject",
    ),
    option(
        "request_timeout",
        Section::Litellm,
        OptionType::Seconds,
        "default timeout of a provider call, in seconds (LiteLLM's default is 6000)",
    ),
    option(
        "turn_off_message_logging",
        Section::Litellm,
        OptionType::Flag,
        "keep prompts and replies out of logging callbacks",
    ),
    option(
        "json_logs",
        Section::Litellm,
        OptionType::Flag,
        "write the proxy's logs as JSON",
    ),
    option(
        "callbacks",
        Section::Litellm,
        OptionType::Names,
        "logging and metrics integrations, e.g. [\"prometheus\"]",
    ),
    option(
        "success_callback",
        Section::Litellm,
        OptionType::Names,
        "integrations told about successful calls",
    ),
    option(
        "failure_callback",
        Section::Litellm,
        OptionType::Names,
        "integrations told about failed calls",
    ),
    // Needed for Claude Code with a Max subscription (BYOK).
    option(
        "forward_client_headers_to_llm_api",
        Section::General,
        OptionType::Flag,
        "forward the client's x-* headers to the provider (Claude Code with a Max subscription)",
    ),
    option(
        "background_health_checks",
        Section::General,
        OptionType::Flag,
        "run /health checks in the background instead of on each call to /health",
    ),
    // LiteLLM refuses this key under router_settings.
    option(
        "health_check_interval",
        Section::General,
        OptionType::Seconds,
        "seconds between background health checks",
    ),
    option(
        "allowed_fails",
        Section::Router,
        OptionType::Count,
        "failures per minute before a deployment cools down",
    ),
    option(
        "cooldown_time",
        Section::Router,
        OptionType::SecondsOrZero,
        "seconds a failing deployment is left out of routing",
    ),
    option(
        "max_fallbacks",
        Section::Router,
        OptionType::Count,
        "how many fallback groups one request may try; 0 turns fallbacks off",
    ),
    option(
        "stream_timeout",
        Section::Router,
        OptionType::Seconds,
        "read timeout of a streamed provider call, in seconds",
    ),
    option(
        "enable_pre_call_checks",
        Section::Router,
        OptionType::Flag,
        "skip deployments whose context window or region cannot serve the request",
    ),
];

pub fn gateway_option_section(key: &str) -> Option<Section> {
    GATEWAY_OPTIONS
        .iter()
        .find(|option| option.name == key)
        .map(|option| option.section)
}
