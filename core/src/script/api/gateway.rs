//! `gateway(kind, #{ url: …, … })` and the methods that fill it: `deploy`, `fallback`, `set`,
//! and the shorthands `routing`, `retries`, `timeout`.
//!
//! Only the URL is the core's: every other key is an option the gateway's plugin declares, kept
//! as the recipe wrote it and validated against the plugin's schema once the recipe has run.

use crate::catalog;
use crate::script::fault::{Outcome, fault, recover, span};
use crate::script::options::{Options, string_list, to_param};
use gwscript_plugin::model::{
    Deployment, Fallback, Gateway, Param, Provider, ProviderKind, Spanned,
};
use rhai::{Array, Dynamic, Engine, Map, NativeCallContext, Position};

/// The option each shorthand method sets; the plugin's schema decides whether it exists.
const ROUTING_OPTION: &str = "routing_strategy";
const RETRIES_OPTION: &str = "num_retries";
const TIMEOUT_OPTION: &str = "timeout";

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<Gateway>("Gateway")
        .register_fn("gateway", gateway)
        // Each of these adds one independent piece: a mistake in one is recorded and the
        // recipe goes on, so a run reports every bad deploy, not just the first.
        .register_fn(
            "deploy",
            |c: NativeCallContext, gw: &mut Gateway, group: &str, p: Provider| {
                recover(&c, deploy(&c, gw, group, p, Map::new()))
            },
        )
        .register_fn(
            "deploy",
            |c: NativeCallContext, gw: &mut Gateway, group: &str, p: Provider, options: Map| {
                recover(&c, deploy(&c, gw, group, p, options))
            },
        )
        .register_fn(
            "fallback",
            // Any value for the targets, so a lone string gets GW1009 rather than rhai's
            // "function not found".
            |c: NativeCallContext, gw: &mut Gateway, from: &str, to: Dynamic| {
                recover(&c, fallback(&c, gw, from, to))
            },
        )
        .register_fn(
            "set",
            |c: NativeCallContext, gw: &mut Gateway, key: &str, value: Dynamic| {
                recover(&c, set(&c, gw, key, value))
            },
        )
        .register_fn(
            "routing",
            |c: NativeCallContext, gw: &mut Gateway, strategy: Dynamic| {
                recover(&c, set(&c, gw, ROUTING_OPTION, strategy))
            },
        )
        .register_fn(
            "retries",
            |c: NativeCallContext, gw: &mut Gateway, count: Dynamic| {
                recover(&c, set(&c, gw, RETRIES_OPTION, count))
            },
        )
        .register_fn(
            "timeout",
            |c: NativeCallContext, gw: &mut Gateway, seconds: Dynamic| {
                recover(&c, set(&c, gw, TIMEOUT_OPTION, seconds))
            },
        )
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
    let mut options = Options::new(options, "gateway", None, position)?;
    let url = options.required_string("url")?;
    check_url(&url, position)?;
    Ok(Gateway {
        kind: kind.to_owned(),
        url: url.trim_end_matches('/').to_owned(),
        deployments: Vec::new(),
        fallbacks: Vec::new(),
        options: options.rest(span(position))?,
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

/// `gw.set("key", value)`: sets one gateway option after `gateway(…)`, replacing an earlier value.
fn set(
    context: &NativeCallContext,
    gateway: &mut Gateway,
    key: &str,
    value: Dynamic,
) -> Outcome<()> {
    let position = context.call_position();
    let value = to_param(&value).ok_or_else(|| {
        fault(
            "GW1009",
            format!(
                "gateway option `{}` must be a string, number, boolean, secret(…), or an array or map of those, not {}",
                key.escape_debug(),
                crate::script::options::describe(&value)
            ),
            format!("`gwscript plugins info {}` shows what each option takes", gateway.kind),
            position,
        )
    })?;
    gateway.options.insert(
        key.to_owned(),
        Spanned {
            value,
            span: span(position),
        },
    );
    Ok(())
}

fn deploy(
    context: &NativeCallContext,
    gateway: &mut Gateway,
    group: &str,
    mut provider: Provider,
    options: Map,
) -> Outcome<()> {
    let position = context.call_position();
    let options = Options::new(options, "deploy", None, position)?;
    let provider_model = resolve_model(group, &mut provider, position)?;
    gateway.deployments.push(Deployment {
        model_group: group.to_owned(),
        provider,
        provider_model,
        options: options.rest(span(position))?,
        span: span(position),
    });
    Ok(())
}

/// An explicit `model:` option wins; otherwise the group name (or its last `/` segment) is looked
/// up in the catalog.
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
    // Some gateways name groups `<account>/<model>`: the model is the part after the last `/`.
    let model = catalog::lookup(group)
        .or_else(|| {
            group
                .rsplit_once('/')
                .and_then(|(_, model)| catalog::lookup(model))
        })
        .ok_or_else(unknown)?;
    let region = provider.option("region").and_then(Param::as_str);
    catalog::provider_id(model, provider.kind, region).ok_or_else(unknown)
}

fn fallback(
    context: &NativeCallContext,
    gateway: &mut Gateway,
    from: &str,
    to: Dynamic,
) -> Outcome<()> {
    let position = context.call_position();
    let to = string_list(&to).ok_or_else(|| {
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
