//! The keys config.yaml may hold at each level, with the type LiteLLM reads (1.109.1, the release
//! the corpus verdicts come from). The structure rules and the JSON Schema for editors both read
//! these tables, so the two cannot disagree.

use crate::catalog;

/// What a value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// An integer; LiteLLM's pydantic also takes `"10"` and `10.0`.
    Integer,
    Number,
    Flag,
    List,
    /// A list of strings.
    Names,
    Mapping,
    /// Anything (a value LiteLLM passes on without reading it).
    Any,
}

impl Kind {
    pub fn expected(self) -> &'static str {
        match self {
            Kind::Text => "a string",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::Flag => "true or false",
            Kind::List => "a list",
            Kind::Names => "a list of strings",
            Kind::Mapping => "a mapping",
            Kind::Any => "any value",
        }
    }
}

/// A key of a section, the type of its value and what it does (for the schema's descriptions).
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub about: &'static str,
}

const fn field(name: &'static str, kind: Kind, about: &'static str) -> Field {
    Field { name, kind, about }
}

/// Top-level keys the proxy reads.
pub const TOP_LEVEL: &[Field] = &[
    field(
        "model_list",
        Kind::List,
        "the deployments: each a model_name (the group clients ask for) and its litellm_params",
    ),
    field(
        "litellm_settings",
        Kind::Mapping,
        "module settings, each applied as litellm.<key> = value",
    ),
    field(
        "router_settings",
        Kind::Mapping,
        "arguments of LiteLLM's Router: routing, retries, fallbacks, Redis",
    ),
    field(
        "general_settings",
        Kind::Mapping,
        "proxy server settings: master_key, database_url, health checks",
    ),
    field(
        "environment_variables",
        Kind::Mapping,
        "variables exported to the proxy's environment (after os.environ/ references are resolved)",
    ),
    field(
        "include",
        Kind::Names,
        "YAML files merged into this one, relative to the file that names them",
    ),
    field("callback_settings", Kind::Mapping, "per-callback settings"),
    field("guardrails", Kind::List, "guardrail definitions"),
    field("mcp_servers", Kind::Mapping, "MCP servers the proxy serves"),
    field("mcp_tools", Kind::List, "MCP tools"),
    field(
        "credential_list",
        Kind::List,
        "named credentials deployments refer to with litellm_credential_name",
    ),
    field(
        "assistant_settings",
        Kind::Mapping,
        "assistants API settings",
    ),
    field("search_tools", Kind::List, "search tools"),
    field("sandbox_tools", Kind::Any, "sandbox tools"),
    field("finetune_settings", Kind::Any, "fine-tuning settings"),
    field("files_settings", Kind::Any, "files API settings"),
    field(
        "default_vertex_config",
        Kind::Mapping,
        "Vertex AI settings of the /vertex_ai pass-through",
    ),
    field("prompts", Kind::List, "prompt definitions"),
    field("policies", Kind::Any, "policies"),
    field("policy_attachments", Kind::Any, "policy attachments"),
    field("vector_store_registry", Kind::Any, "vector stores"),
    field("worker_registry", Kind::Any, "workers"),
    field("agents", Kind::Any, "agents"),
    field("agent_list", Kind::Any, "agents"),
];

/// Keys of a `model_list` entry. `rpm`/`tpm` here are read by usage-based-routing-v2 only.
pub const ENTRY: &[Field] = &[
    field(
        "model_name",
        Kind::Text,
        "the model group clients ask for; entries sharing it are load-balanced",
    ),
    field(
        "litellm_params",
        Kind::Mapping,
        "how to call the model: model (provider/id), credentials, limits",
    ),
    field(
        "model_info",
        Kind::Mapping,
        "metadata: id, mode, base_model, max_tokens, …",
    ),
    field(
        "rpm",
        Kind::Integer,
        "read only by usage-based-routing-v2; simple-shuffle reads litellm_params.rpm",
    ),
    field(
        "tpm",
        Kind::Integer,
        "read only by usage-based-routing-v2; simple-shuffle reads litellm_params.tpm",
    ),
];

/// `litellm_params` keys whose type LiteLLM checks when it loads a deployment: a wrong one drops
/// the deployment (an error). `os.environ/…` strings are allowed wherever a scalar is.
pub const TYPED_PARAMS: &[Field] = &[
    field(
        "model",
        Kind::Text,
        "<provider>/<model id>, e.g. anthropic/claude-sonnet-4-5",
    ),
    field(
        "rpm",
        Kind::Integer,
        "requests per minute this deployment may take",
    ),
    field(
        "tpm",
        Kind::Integer,
        "tokens per minute this deployment may take",
    ),
    field("itpm", Kind::Integer, "input tokens per minute"),
    field("otpm", Kind::Integer, "output tokens per minute"),
    field("rpd", Kind::Integer, "requests per day"),
    field("tpd", Kind::Integer, "tokens per day"),
    field(
        "order",
        Kind::Integer,
        "priority tier: 1 serves while healthy, 2 is spill-over",
    ),
    field(
        "max_parallel_requests",
        Kind::Integer,
        "concurrent requests this deployment may take",
    ),
    field(
        "weight",
        Kind::Number,
        "share of the group's traffic under simple-shuffle",
    ),
    field(
        "timeout",
        Kind::Number,
        "seconds, or an os.environ/ reference",
    ),
    field(
        "stream_timeout",
        Kind::Number,
        "seconds, or an os.environ/ reference",
    ),
    field("max_retries", Kind::Integer, "provider-client retries"),
    field("num_retries", Kind::Integer, "retries of this deployment"),
    field(
        "cooldown_time",
        Kind::Number,
        "seconds this deployment cools down after failures",
    ),
    field(
        "daily_reset_time",
        Kind::Text,
        "HH:MM (UTC) when daily limits reset",
    ),
    field("api_key", Kind::Text, "provider key; write os.environ/NAME"),
    field("api_base", Kind::Text, "provider endpoint"),
    field("aws_region_name", Kind::Text, "Bedrock region"),
    field("vertex_project", Kind::Text, "Vertex AI project"),
    field("vertex_location", Kind::Text, "Vertex AI location"),
    field("tags", Kind::Names, "tags for tag-based routing"),
    field(
        "tag_regex",
        Kind::Names,
        "regexes on request headers for tag-based routing",
    ),
    field(
        "drop_params",
        Kind::Flag,
        "drop request parameters the backend does not support",
    ),
    field(
        "use_in_pass_through",
        Kind::Flag,
        "let pass-through routes use this deployment's credentials",
    ),
];

/// `model_info` keys LiteLLM declares (any other is kept, unread).
pub const MODEL_INFO: &[Field] = &[
    field("id", Kind::Text, "the deployment's id; must be unique"),
    field("mode", Kind::Text, "chat, completion, embedding, …"),
    field(
        "base_model",
        Kind::Text,
        "the model whose cost map entry prices this deployment",
    ),
    field("max_tokens", Kind::Integer, "maximum tokens"),
    field(
        "max_input_tokens",
        Kind::Integer,
        "context window; enforced with enable_pre_call_checks",
    ),
    field("max_output_tokens", Kind::Integer, "maximum output tokens"),
    field("tier", Kind::Text, "free or paid"),
    field("team_id", Kind::Text, "team that owns the deployment"),
    field(
        "team_public_model_name",
        Kind::Text,
        "the team's public name for it",
    ),
    field(
        "order",
        Kind::Integer,
        "priority tier, when litellm_params has none",
    ),
    field(
        "disable_background_health_check",
        Kind::Flag,
        "leave it out of background health checks",
    ),
    field(
        "access_windows",
        Kind::List,
        "when the deployment may be used",
    ),
    field("db_model", Kind::Flag, "stored in the database"),
    field(
        "pricing_provider",
        Kind::Text,
        "provider whose prices apply",
    ),
    field("blocked", Kind::Flag, "blocked from routing"),
    field("discoverable", Kind::Flag, "listed on the model hub"),
    field(
        "enforce_supported_endpoints",
        Kind::Flag,
        "refuse endpoints the model does not support",
    ),
    field(
        "enable_tag_filtering",
        Kind::Flag,
        "tag filtering for this deployment",
    ),
    field("allow_fail_open", Kind::Flag, "allow fail-open"),
    field("ptu_count", Kind::Integer, "provisioned throughput units"),
    field("cost_per_ptu_per_hour", Kind::Number, "cost of a PTU"),
];

/// Whether LiteLLM reads `model_info.<key>`: the declared keys, `supports_*` capability flags,
/// and pricing.
pub fn is_model_info_key(key: &str) -> bool {
    MODEL_INFO.iter().any(|f| f.name == key)
        || key.starts_with("supports_")
        || key.contains("_cost")
        || key.starts_with("cost_per_")
}

/// `router_settings` keys: the arguments of `Router.__init__` the proxy passes on (1.109.1).
pub const ROUTER_SETTINGS: &[Field] = &[
    field(
        "routing_strategy",
        Kind::Text,
        "simple-shuffle, least-busy, usage-based-routing, usage-based-routing-v2, latency-based-routing, cost-based-routing, provider-budget-routing or lar1",
    ),
    field(
        "routing_strategy_args",
        Kind::Mapping,
        "tuning of the latency- and usage-based strategies",
    ),
    field(
        "num_retries",
        Kind::Integer,
        "retries of a failed call before fallbacks",
    ),
    field(
        "timeout",
        Kind::Number,
        "timeout of a routed call, in seconds",
    ),
    field(
        "stream_timeout",
        Kind::Number,
        "read timeout of a streamed call, in seconds",
    ),
    field(
        "allowed_fails",
        Kind::Integer,
        "failures per minute before a deployment cools down",
    ),
    field(
        "allowed_fails_policy",
        Kind::Mapping,
        "allowed failures per exception type (BadRequestErrorAllowedFails, …)",
    ),
    field(
        "cooldown_time",
        Kind::Number,
        "seconds a failing deployment is left out",
    ),
    field(
        "disable_cooldowns",
        Kind::Flag,
        "never cool deployments down",
    ),
    field(
        "retry_policy",
        Kind::Mapping,
        "retries per exception type (RateLimitErrorRetries, …)",
    ),
    field(
        "model_group_retry_policy",
        Kind::Mapping,
        "retry policies per model group",
    ),
    field(
        "retry_after",
        Kind::Number,
        "minimum seconds before a retry",
    ),
    field(
        "max_fallbacks",
        Kind::Integer,
        "fallback groups one request may try; 0 turns fallbacks off",
    ),
    field(
        "fallbacks",
        Kind::List,
        "[{group: [fallback groups]}], one key per item",
    ),
    field(
        "context_window_fallbacks",
        Kind::List,
        "fallbacks on context-window errors, same shape",
    ),
    field(
        "content_policy_fallbacks",
        Kind::List,
        "fallbacks on content-policy errors, same shape",
    ),
    field(
        "default_fallbacks",
        Kind::Names,
        "groups tried for any group without its own fallbacks",
    ),
    field(
        "enable_pre_call_checks",
        Kind::Flag,
        "skip deployments whose context window or region cannot serve the request",
    ),
    field(
        "optional_pre_call_checks",
        Kind::Names,
        "extra pre-call checks",
    ),
    field("model_group_alias", Kind::Mapping, "{alias: group}"),
    field("redis_host", Kind::Text, "Redis shared by proxy instances"),
    field("redis_port", Kind::Integer, "its port"),
    field(
        "redis_password",
        Kind::Text,
        "its password; write os.environ/REDIS_PASSWORD",
    ),
    field(
        "redis_url",
        Kind::Text,
        "Redis URL instead of host and port",
    ),
    field("redis_db", Kind::Integer, "Redis database number"),
    field("cache_responses", Kind::Flag, "cache responses"),
    field("cache_kwargs", Kind::Mapping, "cache arguments"),
    field("caching_groups", Kind::List, "groups sharing a cache"),
    field(
        "client_ttl",
        Kind::Integer,
        "seconds a provider client is kept",
    ),
    field("polling_interval", Kind::Number, "polling interval"),
    field(
        "default_priority",
        Kind::Integer,
        "default request priority",
    ),
    field(
        "default_litellm_params",
        Kind::Mapping,
        "litellm_params every deployment gets",
    ),
    field(
        "default_max_parallel_requests",
        Kind::Integer,
        "default concurrency cap",
    ),
    field("set_verbose", Kind::Flag, "verbose logs (deprecated)"),
    field("debug_level", Kind::Text, "DEBUG or INFO"),
    field("enable_tag_filtering", Kind::Flag, "route by request tags"),
    field(
        "tag_filtering_match_any",
        Kind::Flag,
        "a deployment matching any tag qualifies",
    ),
    field("tag_routing_prefix", Kind::Text, "prefix of routing tags"),
    field("plugins", Kind::List, "routing plugins"),
    field(
        "fallback_on_unsupported_params",
        Kind::Flag,
        "fall back when a backend rejects a parameter",
    ),
    field("routing_groups", Kind::List, "routing groups"),
    field(
        "provider_budget_config",
        Kind::Mapping,
        "budgets per provider",
    ),
    field("alerting_config", Kind::Mapping, "alerting"),
    field(
        "deployment_affinity_ttl_seconds",
        Kind::Integer,
        "deployment affinity lifetime",
    ),
    field(
        "model_group_affinity_config",
        Kind::Mapping,
        "affinity per model group",
    ),
    field(
        "enable_health_check_routing",
        Kind::Flag,
        "route around unhealthy deployments",
    ),
    field(
        "health_check_staleness_threshold",
        Kind::Number,
        "seconds a health result stays valid",
    ),
    field(
        "health_check_ignore_transient_errors",
        Kind::Flag,
        "ignore transient health-check errors",
    ),
    field(
        "background_health_check_model_groups",
        Kind::Names,
        "groups checked in the background",
    ),
    field(
        "enable_weighted_failover",
        Kind::Flag,
        "re-pick within the group before falling back",
    ),
    field(
        "enable_mid_stream_fallback_continuation",
        Kind::Flag,
        "continue a broken stream on a fallback",
    ),
    field(
        "session_affinity_repin_on_failover",
        Kind::Flag,
        "re-pin sessions on failover",
    ),
    field("guardrail_list", Kind::List, "guardrails"),
];

/// `router_settings` keys LiteLLM refuses to start with: they belong under `general_settings`.
pub const ROUTER_REFUSED: &[&str] = &["health_check_interval", "health_check_concurrency"];

/// `general_settings` keys whose type matters; the others are only known by name
/// ([`catalog::is_general_setting`]).
pub const GENERAL_SETTINGS: &[Field] = &[
    field(
        "master_key",
        Kind::Text,
        "the proxy's admin key; write os.environ/LITELLM_MASTER_KEY",
    ),
    field(
        "database_url",
        Kind::Text,
        "Postgres URL for virtual keys and spend tracking; write os.environ/DATABASE_URL",
    ),
    field(
        "store_model_in_db",
        Kind::Flag,
        "keep models added through the API or UI in the database",
    ),
    field(
        "database_connection_pool_limit",
        Kind::Integer,
        "connections per worker",
    ),
    field("database_connection_timeout", Kind::Number, "seconds"),
    field(
        "proxy_batch_write_at",
        Kind::Integer,
        "seconds between spend batch writes",
    ),
    field("disable_spend_logs", Kind::Flag, "do not write spend logs"),
    field(
        "background_health_checks",
        Kind::Flag,
        "run health checks in the background",
    ),
    field(
        "health_check_interval",
        Kind::Integer,
        "seconds between background health checks",
    ),
    field(
        "health_check_concurrency",
        Kind::Integer,
        "health checks run at once",
    ),
    field(
        "forward_client_headers_to_llm_api",
        Kind::Flag,
        "forward the client's x-* headers (Claude Code with a Max subscription)",
    ),
    field(
        "pass_through_endpoints",
        Kind::List,
        "custom pass-through routes",
    ),
    field("pass_through_request_timeout", Kind::Number, "seconds"),
    field(
        "coordination_redis",
        Kind::Mapping,
        "Redis for cross-pod rate limits, spend and health: host, port, password, url, startup_nodes or sentinel_nodes",
    ),
    field(
        "dangerously_permit_weak_or_unset_master_key",
        Kind::Flag,
        "start with a weak or no master key (development only)",
    ),
    field(
        "max_parallel_requests",
        Kind::Integer,
        "concurrency cap per key",
    ),
    field(
        "global_max_parallel_requests",
        Kind::Integer,
        "concurrency cap of the proxy",
    ),
    field(
        "allowed_ips",
        Kind::Names,
        "enterprise: client IP allow-list",
    ),
    field(
        "enforced_params",
        Kind::Names,
        "enterprise: parameters every request must carry",
    ),
    field("enable_jwt_auth", Kind::Flag, "JWT authentication"),
    field(
        "litellm_key_header_name",
        Kind::Text,
        "header that carries the LiteLLM key",
    ),
    field("ui_access_mode", Kind::Text, "admin_only or all"),
    field(
        "alerting",
        Kind::Names,
        "alerting integrations, e.g. [slack]",
    ),
];

/// `litellm_settings` keys whose type matters; the others are only known by name
/// ([`catalog::is_litellm_setting`]).
pub const LITELLM_SETTINGS: &[Field] = &[
    field(
        "drop_params",
        Kind::Flag,
        "drop request parameters the backend does not support (non-Anthropic backends behind Claude Code)",
    ),
    field(
        "modify_params",
        Kind::Flag,
        "let LiteLLM adjust requests a backend would otherwise reject",
    ),
    field(
        "num_retries",
        Kind::Integer,
        "retries, when router_settings has none",
    ),
    field(
        "request_timeout",
        Kind::Number,
        "default timeout of a provider call, in seconds",
    ),
    field(
        "cache",
        Kind::Flag,
        "cache responses; Redis from cache_params or REDIS_HOST",
    ),
    field(
        "cache_params",
        Kind::Mapping,
        "cache settings: type, host, port, password, ttl, …",
    ),
    field(
        "callbacks",
        Kind::Names,
        "logging and metrics integrations, e.g. [prometheus]",
    ),
    field(
        "success_callback",
        Kind::Names,
        "integrations told about successful calls",
    ),
    field(
        "failure_callback",
        Kind::Names,
        "integrations told about failed calls",
    ),
    field(
        "fallbacks",
        Kind::List,
        "fallbacks, when router_settings has none",
    ),
    field(
        "context_window_fallbacks",
        Kind::List,
        "context-window fallbacks, when router_settings has none",
    ),
    field(
        "content_policy_fallbacks",
        Kind::List,
        "content-policy fallbacks, when router_settings has none",
    ),
    field(
        "default_fallbacks",
        Kind::Names,
        "default fallbacks, when router_settings has none",
    ),
    field("set_verbose", Kind::Flag, "verbose logs (deprecated)"),
    field("json_logs", Kind::Flag, "logs as JSON"),
    field(
        "turn_off_message_logging",
        Kind::Flag,
        "keep prompts and replies out of logging callbacks",
    ),
    field(
        "default_team_settings",
        Kind::List,
        "settings per team; each needs team_id",
    ),
];

/// `router_settings.retry_policy` keys (`RetryPolicy`), each an integer.
pub const RETRY_POLICY: &[&str] = &[
    "BadRequestErrorRetries",
    "AuthenticationErrorRetries",
    "TimeoutErrorRetries",
    "RateLimitErrorRetries",
    "ContentPolicyViolationErrorRetries",
    "InternalServerErrorRetries",
    "ServiceUnavailableErrorRetries",
    "NotFoundErrorRetries",
    "DefaultRetries",
];

/// `router_settings.allowed_fails_policy` keys (`AllowedFailsPolicy`), each an integer.
pub const ALLOWED_FAILS_POLICY: &[&str] = &[
    "BadRequestErrorAllowedFails",
    "AuthenticationErrorAllowedFails",
    "TimeoutErrorAllowedFails",
    "RateLimitErrorAllowedFails",
    "ContentPolicyViolationErrorAllowedFails",
    "InternalServerErrorAllowedFails",
    "ServiceUnavailableErrorAllowedFails",
    "BadGatewayErrorAllowedFails",
    "NotFoundErrorAllowedFails",
];

/// A section of the config and how to tell its keys.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// Where it is, as messages name it (`router_settings`).
    pub path: &'static str,
    pub typed: &'static [Field],
    pub knows: fn(&str) -> bool,
    /// The names a "did you mean" picks from.
    pub candidates: fn() -> Vec<&'static str>,
}

impl Section {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.typed.iter().find(|f| f.name == key)
    }
}

fn in_top_level(key: &str) -> bool {
    TOP_LEVEL.iter().any(|f| f.name == key)
}
fn in_entry(key: &str) -> bool {
    ENTRY.iter().any(|f| f.name == key)
}
fn in_router(key: &str) -> bool {
    ROUTER_SETTINGS.iter().any(|f| f.name == key)
}

fn names_of(fields: &'static [Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}

pub const TOP: Section = Section {
    path: "the top level",
    typed: TOP_LEVEL,
    knows: in_top_level,
    candidates: || names_of(TOP_LEVEL),
};
pub const MODEL_ENTRY: Section = Section {
    path: "a model_list entry",
    typed: ENTRY,
    knows: in_entry,
    candidates: || names_of(ENTRY),
};
pub const PARAMS: Section = Section {
    path: "litellm_params",
    typed: TYPED_PARAMS,
    knows: |key| key == "model" || catalog::is_litellm_param(key),
    candidates: || {
        let declared = catalog::LITELLM_PARAMS.iter();
        declared.chain(catalog::REQUEST_PARAMS).copied().collect()
    },
};
pub const INFO: Section = Section {
    path: "model_info",
    typed: MODEL_INFO,
    knows: is_model_info_key,
    candidates: || names_of(MODEL_INFO),
};
pub const ROUTER: Section = Section {
    path: "router_settings",
    typed: ROUTER_SETTINGS,
    knows: in_router,
    candidates: || names_of(ROUTER_SETTINGS),
};
pub const GENERAL: Section = Section {
    path: "general_settings",
    typed: GENERAL_SETTINGS,
    knows: catalog::is_general_setting,
    candidates: || catalog::general_settings().collect(),
};
pub const LITELLM: Section = Section {
    path: "litellm_settings",
    typed: LITELLM_SETTINGS,
    knows: catalog::is_litellm_setting,
    candidates: || catalog::litellm_settings().collect(),
};

/// The three settings sections, where a key written in the wrong one is silently ignored.
pub const SETTINGS: [(&str, Section); 3] = [
    ("router_settings", ROUTER),
    ("general_settings", GENERAL),
    ("litellm_settings", LITELLM),
];
