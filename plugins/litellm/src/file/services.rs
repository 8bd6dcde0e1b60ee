//! What the proxy needs around it: a Redis it can reach, a database for the features that keep
//! state, a licence for enterprise settings, and a master key it will start with.

use super::{Config, env_reference, is_env_reference, pair_of};
use crate::catalog::LITELLM_VERSION;
use crate::checks::codes::{MASTER_KEY_REFUSED, MISSING_PREREQUISITE, REDIS_WITHOUT_HOST};
use gwscript_plugin::yaml::{Node, Value};
use gwscript_plugin::{Diagnostic, FileCheck};

/// Keys of a Redis mapping that name a server to connect to.
const REDIS_TARGETS: &[&str] = &[
    "host",
    "url",
    "startup_nodes",
    "sentinel_nodes",
    "redis_startup_nodes",
    "service_name",
];

/// `general_settings` keys that only work with a database.
const DATABASE_FEATURES: &[&str] = &[
    "store_model_in_db",
    "proxy_batch_write_at",
    "database_connection_pool_limit",
    "database_connection_timeout",
    "allow_requests_on_db_unavailable",
    "use_redis_transaction_buffer",
    "maximum_spend_logs_retention_period",
];

/// `general_settings` keys LiteLLM refuses to start with unless it has an enterprise licence.
const ENTERPRISE_FEATURES: &[&str] = &["allowed_ips", "enforced_params"];

pub fn check(config: &Config, file: &FileCheck, findings: &mut Vec<Diagnostic>) {
    router_redis(config, findings);
    coordination_redis(config, file, findings);
    cache_redis(config, file, findings);
    database(config, file, findings);
    licence(config, file, findings);
    master_key(config, file, findings);
}

/// `redis_password` or `redis_port` without `redis_host`/`redis_url`: the router has a Redis
/// half configured and connects to none.
fn router_redis(config: &Config, findings: &mut Vec<Diagnostic>) {
    let Some(router) = config.section("router_settings") else {
        return;
    };
    let has = |key: &str| {
        router
            .get(key)
            .is_some_and(|v| !matches!(v.value, Value::Null))
    };
    if has("redis_host") || has("redis_url") {
        return;
    }
    if let Some((key, _)) = ["redis_password", "redis_port"]
        .iter()
        .find_map(|k| pair_of(router, k))
    {
        findings.push(without_host(key, "router_settings has Redis settings but no `redis_host` (or `redis_url`): the proxy instances share nothing", "add `redis_host: os.environ/REDIS_HOST`"));
    }
}

/// `general_settings.coordination_redis` needs a server: LiteLLM refuses to start without one.
fn coordination_redis(config: &Config, file: &FileCheck, findings: &mut Vec<Diagnostic>) {
    let Some(general) = config.section("general_settings") else {
        return;
    };
    let Some((key, redis)) = pair_of(general, "coordination_redis") else {
        return;
    };
    if redis.as_map().is_none() || has_target(redis, file) {
        return;
    }
    findings.push(without_host(
        key,
        "general_settings.coordination_redis names no server (host, url, startup_nodes or sentinel_nodes, set here): LiteLLM refuses to start",
        "add `host: os.environ/REDIS_HOST` (and set REDIS_HOST where the proxy runs)",
    ));
}

/// `cache: true` reaches Redis through `cache_params` or, without a host there, REDIS_HOST.
/// Only `--env` can tell that REDIS_HOST is unset; then LiteLLM refuses to start.
fn cache_redis(config: &Config, file: &FileCheck, findings: &mut Vec<Diagnostic>) {
    let Some((key, cache)) = config
        .section("litellm_settings")
        .and_then(|s| pair_of(s, "cache"))
    else {
        return;
    };
    if !matches!(cache.value, Value::Bool(true)) {
        return;
    }
    let params = config.setting("litellm_settings", "cache_params");
    let redis = params.is_none_or(|p| {
        p.get("type")
            .and_then(Node::as_str)
            .is_none_or(|t| t.starts_with("redis"))
    });
    let targeted = params.is_some_and(|p| has_target(p, file));
    let env_target = ["REDIS_HOST", "REDIS_URL"]
        .iter()
        .map(|name| file.is_set(name));
    if redis && !targeted && env_target.clone().all(|set| set == Some(false)) {
        findings.push(without_host(
            key,
            "`cache: true` needs a Redis server: cache_params has no host and REDIS_HOST is not set, so LiteLLM refuses to start (\"Either 'host' or 'url' must be specified for redis\")",
            "add `cache_params: {type: redis, host: os.environ/REDIS_HOST, port: os.environ/REDIS_PORT}` and set those variables",
        ));
    }
}

/// Whether a Redis mapping names a server: a target key with a value, an `os.environ/`
/// reference counting unless `--env` shows it unset.
fn has_target(redis: &Node, file: &FileCheck) -> bool {
    REDIS_TARGETS
        .iter()
        .filter_map(|key| redis.get(key))
        .any(|value| match &value.value {
            Value::Null => false,
            Value::String(text) => match env_reference(text) {
                Some(name) => file.is_set(name) != Some(false),
                None => !text.trim().is_empty(),
            },
            _ => true,
        })
}

fn without_host(at: &Node, message: &str, help: &str) -> Diagnostic {
    Diagnostic::error(REDIS_WITHOUT_HOST, message, help).at(Some(at.span))
}

/// Virtual keys, spend logs and models kept in the database need `database_url` (or
/// DATABASE_URL): without one LiteLLM starts and answers those requests with 500s.
fn database(config: &Config, file: &FileCheck, findings: &mut Vec<Diagnostic>) {
    let Some(general) = config.section("general_settings") else {
        return;
    };
    let configured = general
        .get("database_url")
        .is_some_and(|url| !matches!(url.value, Value::Null));
    if configured || file.is_set("DATABASE_URL") == Some(true) {
        return;
    }
    let feature = DATABASE_FEATURES.iter().find_map(|name| {
        let (key, value) = pair_of(general, name)?;
        (!matches!(value.value, Value::Bool(false) | Value::Null)).then_some((name, key))
    });
    if let Some((name, key)) = feature {
        findings.push(
            Diagnostic::warning(
                MISSING_PREREQUISITE,
                format!("`{name}` needs a database, and general_settings has no database_url: unless DATABASE_URL is set where the proxy runs, LiteLLM answers the requests that need it with errors"),
                "add `database_url: os.environ/DATABASE_URL` under general_settings",
            )
            .at(Some(key.span)),
        );
    }
}

/// `allowed_ips` and `enforced_params` stop LiteLLM at startup without an enterprise licence.
fn licence(config: &Config, file: &FileCheck, findings: &mut Vec<Diagnostic>) {
    let Some(general) = config.section("general_settings") else {
        return;
    };
    let licensed =
        general.get("litellm_license").is_some() || file.is_set("LITELLM_LICENSE") == Some(true);
    if licensed {
        return;
    }
    for name in ENTERPRISE_FEATURES {
        if let Some((key, _)) = pair_of(general, name) {
            findings.push(
                Diagnostic::warning(
                    MISSING_PREREQUISITE,
                    format!("`{name}` is an enterprise feature: LiteLLM refuses to start unless LITELLM_LICENSE is set where it runs"),
                    format!("set LITELLM_LICENSE in the proxy's environment, or remove `{name}`"),
                )
                .at(Some(key.span)),
            );
        }
    }
}

/// With `--env`: LiteLLM 1.109.1 refuses to start when no master key resolves (neither
/// general_settings.master_key nor LITELLM_MASTER_KEY), unless told to permit it. A literal
/// `sk-1234` or empty key is the shared rule's.
fn master_key(config: &Config, file: &FileCheck, findings: &mut Vec<Diagnostic>) {
    if file.environment.is_none() || file.is_set("LITELLM_MASTER_KEY") == Some(true) {
        return;
    }
    let permitted = config
        .setting(
            "general_settings",
            "dangerously_permit_weak_or_unset_master_key",
        )
        .is_some_and(|flag| matches!(flag.value, Value::Bool(true)))
        || file.is_set("LITELLM_DANGEROUSLY_PERMIT_WEAK_OR_UNSET_MASTER_KEY") == Some(true);
    if permitted {
        return;
    }
    let general = config.section("general_settings");
    let (at, problem) = match general.and_then(|g| pair_of(g, "master_key")) {
        None => (general.map_or(config.root.span, |g| g.span), "no master key is set: general_settings has none and LITELLM_MASTER_KEY is not set here".to_owned()),
        Some((key, value)) if is_env_reference(value) => {
            let name = value.as_str().and_then(env_reference).unwrap_or_default();
            if file.is_set(name) != Some(false) {
                return;
            }
            let also = if name == "LITELLM_MASTER_KEY" { "" } else { ", and LITELLM_MASTER_KEY is not set either" };
            (key.span, format!("the master key refers to {name}, which is not set here{also}"))
        }
        Some(_) => return,
    };
    findings.push(
        Diagnostic::error(
            MASTER_KEY_REFUSED,
            format!("{problem}: LiteLLM refuses to start without one (1.109.1 and later; {LITELLM_VERSION} runs with no authentication at all)"),
            "set LITELLM_MASTER_KEY where the proxy runs to a long random value, e.g. sk- followed by 64 hex characters",
        )
        .at(Some(at)),
    );
}
