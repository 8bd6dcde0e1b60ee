//! `gateway(kind, #{ … })` and the methods that fill it: `deploy`, `fallback`, `routing`,
//! `retries`, `timeout`.

use crate::catalog;
use crate::script::fault::{Outcome, fault, span};
use crate::script::options::{Options, string_list};
use gwscript_plugin::model::{
    Deployment, Fallback, Gateway, Param, Provider, ProviderKind, Redis, Spanned,
};
use rhai::{Array, Engine, Map, NativeCallContext, Position};

const GATEWAY_OPTIONS: &[&str] = &[
    "url",
    "master_key",
    "database_url",
    "redis",
    "routing_strategy",
    "num_retries",
    "timeout",
    "options",
];
const DEPLOY_OPTIONS: &[&str] = &["order", "weight", "rpm", "tpm"];
const REDIS_OPTIONS: &[&str] = &["host", "port", "password"];

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<Gateway>("Gateway")
        .register_fn("gateway", gateway)
        .register_fn(
            "deploy",
            |c: NativeCallContext, gw: &mut Gateway, group: &str, p: Provider| {
                deploy(c, gw, group, p, Map::new())
            },
        )
        .register_fn("deploy", deploy)
        .register_fn("fallback", fallback)
        .register_fn("routing", routing)
        .register_fn("retries", retries)
        .register_fn("timeout", timeout)
        .register_get("kind", |gw: &mut Gateway| gw.kind.clone())
        .register_get("url", |gw: &mut Gateway| gw.url.clone())
        .register_get("model_groups", |gw: &mut Gateway| -> Array {
            gw.model_groups()
                .into_iter()
                .map(|g| g.to_owned().into())
                .collect()
        });
}

fn gateway(context: NativeCallContext, kind: &str, options: Map) -> Outcome<Gateway> {
    let position = context.call_position();
    let mut options = Options::new(options, "gateway", Some(GATEWAY_OPTIONS), position)?;
    let url = options.required_string("url")?;
    check_url(&url, position)?;
    let spanned = |value| Spanned {
        value,
        span: span(position),
    };
    let redis = options
        .map("redis")?
        .map(|m| redis(m, position))
        .transpose()?;
    let extra = match options.map("options")? {
        Some(map) => plain_params(map, position)?,
        None => Default::default(),
    };
    Ok(Gateway {
        kind: kind.to_owned(),
        url: url.trim_end_matches('/').to_owned(),
        master_key: options.param("master_key")?.map(spanned),
        database_url: options.param("database_url")?.map(spanned),
        redis,
        deployments: Vec::new(),
        fallbacks: Vec::new(),
        routing_strategy: options.string("routing_strategy")?.map(|value| Spanned {
            value,
            span: span(position),
        }),
        num_retries: options
            .int("num_retries")?
            .map(|n| checked_retries(n, position))
            .transpose()?,
        timeout: options
            .number("timeout")?
            .map(|s| checked_timeout(s, position))
            .transpose()?,
        options: extra,
        span: span(position),
    })
}

/// Claude Code appends `/v1/messages` itself and needs a scheme; catch both mistakes here.
fn check_url(url: &str, position: Position) -> Outcome<()> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(fault(
            "GW1009",
            format!(
                "gateway url \"{}\" has no http:// or https:// scheme",
                url.escape_debug()
            ),
            "write the full URL clients use, e.g. \"http://127.0.0.1:4000\"",
            position,
        ));
    }
    if url.trim_end_matches('/').ends_with("/v1") {
        return Err(fault(
            "GW1009",
            format!("gateway url \"{}\" ends in /v1", url.escape_debug()),
            "drop the trailing /v1: Claude Code appends /v1/messages itself",
            position,
        ));
    }
    Ok(())
}

fn redis(map: Map, position: Position) -> Outcome<Redis> {
    let mut options = Options::new(map, "redis", Some(REDIS_OPTIONS), position)?;
    let missing = |key: &str| {
        fault(
            "GW1009",
            format!("redis needs the option `{key}`"),
            "give redis `host` and `port` (a value or secret(\"…\")), and optionally `password`",
            position,
        )
    };
    Ok(Redis {
        host: options.param("host")?.ok_or_else(|| missing("host"))?,
        port: options.param("port")?.ok_or_else(|| missing("port"))?,
        password: options.param("password")?,
    })
}

fn plain_params(
    map: Map,
    position: Position,
) -> Outcome<std::collections::BTreeMap<String, Param>> {
    let mut options = Options::new(map, "gateway options", None, position)?;
    let mut params = std::collections::BTreeMap::new();
    for key in options.keys() {
        if let Some(value) = options.param(&key)? {
            params.insert(key, value);
        }
    }
    Ok(params)
}

fn deploy(
    context: NativeCallContext,
    gateway: &mut Gateway,
    group: &str,
    mut provider: Provider,
    options: Map,
) -> Outcome<()> {
    let position = context.call_position();
    let mut options = Options::new(options, "deploy", Some(DEPLOY_OPTIONS), position)?;
    let provider_model = resolve_model(group, &mut provider, position)?;
    gateway.deployments.push(Deployment {
        model_group: group.to_owned(),
        provider,
        provider_model,
        order: options.int("order")?,
        weight: options.number("weight")?,
        rpm: options.int("rpm")?,
        tpm: options.int("tpm")?,
        span: span(position),
    });
    Ok(())
}

/// An explicit `model:` option wins; otherwise the group name is looked up in the catalog.
fn resolve_model(group: &str, provider: &mut Provider, position: Position) -> Outcome<String> {
    if let Some(model) = provider.options.remove("model") {
        return model.as_str().map(str::to_owned).ok_or_else(|| {
            fault(
                "GW1009",
                "provider option `model` must be a plain string",
                "give the provider's model id, e.g. model: \"claude-sonnet-4-5-20250929\"",
                position,
            )
        });
    }
    let unknown = || {
        let known: Vec<&str> = catalog::names().collect();
        fault(
            "GW1010",
            format!(
                "no catalog entry for model \"{}\" on provider {}",
                group.escape_debug(),
                provider.kind.name()
            ),
            format!(
                "name the group after a catalog model ({}) or give the provider `model: \"<provider id>\"`",
                known.join(", ")
            ),
            position,
        )
    };
    if provider.kind == ProviderKind::Raw {
        return Err(unknown());
    }
    let model = catalog::lookup(group).ok_or_else(unknown)?;
    let region = provider.option("region").and_then(Param::as_str);
    catalog::provider_id(model, provider.kind, region).ok_or_else(unknown)
}

fn fallback(
    context: NativeCallContext,
    gateway: &mut Gateway,
    from: &str,
    to: Array,
) -> Outcome<()> {
    let position = context.call_position();
    let to = string_list(&to.into()).ok_or_else(|| {
        fault(
            "GW1009",
            "fallback targets must be an array of model group names",
            format!(
                "write gw.fallback(\"{}\", [\"other-group\"])",
                from.escape_debug()
            ),
            position,
        )
    })?;
    gateway.fallbacks.push(Fallback {
        from: from.to_owned(),
        to,
        span: span(position),
    });
    Ok(())
}

fn routing(context: NativeCallContext, gateway: &mut Gateway, strategy: &str) {
    gateway.routing_strategy = Some(Spanned {
        value: strategy.to_owned(),
        span: span(context.call_position()),
    });
}

fn retries(context: NativeCallContext, gateway: &mut Gateway, count: i64) -> Outcome<()> {
    gateway.num_retries = Some(checked_retries(count, context.call_position())?);
    Ok(())
}

fn timeout(
    context: NativeCallContext,
    gateway: &mut Gateway,
    seconds: rhai::Dynamic,
) -> Outcome<()> {
    let seconds = crate::script::options::number(&seconds).unwrap_or(f64::NAN);
    gateway.timeout = Some(checked_timeout(seconds, context.call_position())?);
    Ok(())
}

/// Shared by `gw.retries(n)` and the `num_retries:` option, so both refuse the same values.
fn checked_retries(count: i64, position: Position) -> Outcome<i64> {
    if count < 0 {
        return Err(fault(
            "GW1009",
            format!("retries must be zero or more, not {count}"),
            "give the number of retries per request, e.g. gw.retries(2)",
            position,
        ));
    }
    Ok(count)
}

/// Shared by `gw.timeout(s)` and the `timeout:` option.
fn checked_timeout(seconds: f64, position: Position) -> Outcome<f64> {
    if seconds.is_finite() && seconds > 0.0 {
        return Ok(seconds);
    }
    Err(fault(
        "GW1009",
        "timeout must be a positive number of seconds",
        "Claude Code streams for minutes: give at least 300, e.g. gw.timeout(600)",
        position,
    ))
}
