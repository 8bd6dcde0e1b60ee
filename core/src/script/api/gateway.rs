//! `gateway(kind, #{ url: …, … })` and the methods that fill it: `deploy`, `fallback`, `set`,
//! and the shorthands `routing`, `retries`, `timeout`.
//!
//! Only the URL is the core's: every other key is an option the gateway's plugin declares, kept
//! as the recipe wrote it and validated against the plugin's schema once the recipe has run.

use crate::catalog::{self, ModelRef};
use crate::client;
use crate::script::fault::{Fault, Outcome, fault, recover, span};
use crate::script::options::{Options, string_list, to_param};
use gwscript_plugin::model::{
    Deployment, Fallback, Gateway, Param, Provider, ProviderKind, Spanned,
};
use rhai::{Array, Dynamic, Engine, Map, NativeCallContext, Position};
use std::sync::Arc;

/// The option each shorthand method sets; the plugin's schema decides whether it exists.
const ROUTING_OPTION: &str = "routing_strategy";
const RETRIES_OPTION: &str = "num_retries";
const TIMEOUT_OPTION: &str = "timeout";

/// The most deployments, and fallback rules, one gateway may declare: twice the largest
/// organisation's setup we have seen, and a bound on the work every check and renderer does
/// after the recipe, outside its sandbox.
const MAX_DECLARED: usize = 20_000;

/// GW1025 when `count` more would pass [`MAX_DECLARED`].
fn within_cap(count: usize, what: &str, position: Position) -> Outcome<()> {
    if count < MAX_DECLARED {
        return Ok(());
    }
    Err(fault(
        "GW1025",
        format!("the gateway already has {MAX_DECLARED} {what}, the most a recipe may declare"),
        "split the setup into several gateways (one recipe each), or use wildcard groups such as claude-* instead of one group per team",
        position,
    ))
}

/// A gateway as recipes hold it. Copies (`#{ gateway: gw }`, `let other = gw`) share one value
/// until one of them is changed, so handing a gateway with thousands of deployments to
/// `pattern(…)` copies none of them.
#[derive(Debug, Clone)]
pub struct GatewayValue(Arc<Gateway>);

impl GatewayValue {
    pub fn get(&self) -> &Gateway {
        &self.0
    }

    fn edit(&mut self) -> &mut Gateway {
        Arc::make_mut(&mut self.0)
    }

    /// The gateway itself: taken as is once the recipe's variables are gone, else copied.
    pub fn into_gateway(self) -> Gateway {
        Arc::unwrap_or_clone(self.0)
    }
}

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<GatewayValue>("Gateway")
        .register_fn("gateway", gateway)
        // Each of these adds one independent piece: a mistake in one is recorded and the
        // recipe goes on, so a run reports every bad deploy, not just the first.
        .register_fn(
            "deploy",
            |c: NativeCallContext, gw: &mut GatewayValue, group: &str, p: Provider| {
                recover(&c, deploy(&c, gw.edit(), group, p, Map::new()))
            },
        )
        .register_fn(
            "deploy",
            |c: NativeCallContext,
             gw: &mut GatewayValue,
             group: &str,
             p: Provider,
             options: Map| { recover(&c, deploy(&c, gw.edit(), group, p, options)) },
        )
        .register_fn(
            "fallback",
            // Any value for the targets, so a lone string gets GW1009 rather than rhai's
            // "function not found".
            |c: NativeCallContext, gw: &mut GatewayValue, from: &str, to: Dynamic| {
                recover(&c, fallback(&c, gw.edit(), from, to))
            },
        )
        .register_fn(
            "set",
            |c: NativeCallContext, gw: &mut GatewayValue, key: &str, value: Dynamic| {
                recover(&c, set(&c, gw.edit(), key, value))
            },
        )
        .register_fn(
            "routing",
            |c: NativeCallContext, gw: &mut GatewayValue, strategy: Dynamic| {
                recover(&c, set(&c, gw.edit(), ROUTING_OPTION, strategy))
            },
        )
        .register_fn(
            "retries",
            |c: NativeCallContext, gw: &mut GatewayValue, count: Dynamic| {
                recover(&c, set(&c, gw.edit(), RETRIES_OPTION, count))
            },
        )
        .register_fn(
            "timeout",
            |c: NativeCallContext, gw: &mut GatewayValue, seconds: Dynamic| {
                recover(&c, set(&c, gw.edit(), TIMEOUT_OPTION, seconds))
            },
        )
        .register_get("kind", |gw: &mut GatewayValue| gw.get().kind.clone())
        .register_get("url", |gw: &mut GatewayValue| gw.get().url.clone())
        .register_get("model_groups", |gw: &mut GatewayValue| -> Array {
            gw.get()
                .model_groups()
                .into_iter()
                .map(|g| g.to_owned().into())
                .collect()
        });
}

fn gateway(context: NativeCallContext, kind: &str, options: Map) -> Outcome<GatewayValue> {
    let position = context.call_position();
    let mut options = Options::new(options, "gateway", None, position)?;
    let url = options.required_string("url")?;
    check_url(&url, position)?;
    Ok(GatewayValue(Arc::new(Gateway {
        kind: kind.to_owned(),
        url: url.trim_end_matches('/').to_owned(),
        deployments: Vec::new(),
        fallbacks: Vec::new(),
        options: options.rest(span(position))?,
        span: span(position),
    })))
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
    within_cap(gateway.deployments.len(), "deployments", position)?;
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

/// An explicit `model:` option wins: a catalog name is resolved for the provider and region, a
/// provider id kept, another platform's id refused (GW1020); an id the catalog does not know is
/// kept as given (a gateway may serve other vendors' models). Otherwise the group name (or its
/// last `/` segment) is looked up in the catalog. A Vertex region that does not serve the model is
/// refused (GW1021).
fn resolve_model(group: &str, provider: &mut Provider, position: Position) -> Outcome<String> {
    let region = client::direct::region(provider).map(str::to_owned);
    let (model, id) = match provider.options.remove("model") {
        Some(model) => explicit_model(&model, provider.kind, region.as_deref(), position)?,
        None => {
            let model = catalog_model(group, provider.kind, position)?;
            let id = catalog::provider_id(model, provider.kind, region.as_deref())
                .unwrap_or_else(|| group.to_owned());
            (Some(model), id)
        }
    };
    if provider.kind == ProviderKind::Vertex
        && let Some(model) = model
        && let Some((key, region)) = client::direct::region_option(provider)
        && let Some(region) = region.as_str()
        && let Err((message, help)) = client::models::check_vertex_region(model, region)
    {
        return Err(Fault::new("GW1021", message, help).about(key).at(position));
    }
    Ok(id)
}

fn explicit_model(
    model: &Param,
    kind: ProviderKind,
    region: Option<&str>,
    position: Position,
) -> Outcome<(Option<&'static catalog::Model>, String)> {
    let given = model.as_str().ok_or_else(|| {
        fault(
            "GW1009",
            "provider option `model` must be a plain string",
            "give the provider's model id, e.g. model: \"claude-sonnet-4-5-20250929\"",
            position,
        )
    })?;
    Ok(match catalog::resolve(given, kind, region) {
        ModelRef::Named { model, id } => (Some(model), id),
        ModelRef::Own { model, id } => (model, id),
        ModelRef::Foreign { expected } => {
            let (message, help) = client::models::foreign_id(given, kind, expected);
            return Err(Fault::new("GW1020", message, help)
                .about("model")
                .at(position));
        }
        ModelRef::Unknown => (None, given.to_owned()),
    })
}

/// The catalog model a group is named after.
fn catalog_model(
    group: &str,
    kind: ProviderKind,
    position: Position,
) -> Outcome<&'static catalog::Model> {
    let unknown = || {
        let known: Vec<&str> = catalog::names().collect();
        fault(
            "GW1010",
            format!(
                "no catalog entry for model \"{}\" on provider {}",
                group.escape_debug(),
                kind.name()
            ),
            format!(
                "name the group after a catalog model ({}) or give the provider `model: \"<provider id>\"`",
                known.join(", ")
            ),
            position,
        )
    };
    if kind == ProviderKind::Raw {
        return Err(unknown());
    }
    // Some gateways name groups `<account>/<model>`: the model is the part after the last `/`.
    catalog::lookup(group)
        .or_else(|| {
            group
                .rsplit_once('/')
                .and_then(|(_, model)| catalog::lookup(model))
        })
        .ok_or_else(unknown)
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
    within_cap(gateway.fallbacks.len(), "fallback rules", position)?;
    gateway.fallbacks.push(Fallback {
        from: from.to_owned(),
        to,
        span: span(position),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::script::{Limits, run};
    use gwscript_plugin::Diagnostic;

    const GATEWAY: &str = r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000" });"#;

    fn deployed(deploys: &str) -> Result<Vec<String>, Vec<Diagnostic>> {
        let source =
            format!("{GATEWAY}\n{deploys}\nemit(pattern(\"gateway\", #{{ gateway: gw }}));");
        let setup = run(&source, None, Limits::default())?;
        Ok(setup
            .gateway
            .expect("a gateway")
            .deployments
            .into_iter()
            .map(|d| d.provider_model)
            .collect())
    }

    #[test]
    fn an_explicit_model_is_resolved_per_provider_and_region() {
        let ids = deployed(
            r#"gw.deploy("a", provider("bedrock", #{ region: "eu-west-1", model: "claude-sonnet-4-5" }));
            gw.deploy("b", provider("bedrock", #{ aws_region_name: "us-east-1", model: "claude-haiku-4-5" }));
            gw.deploy("c", provider("vertex", #{ project: "p", region: "global", model: "claude-sonnet-4-5" }));
            gw.deploy("d", provider("bedrock", #{ model: "anthropic.claude-sonnet-4-5-20250929-v1:0" }));
            gw.deploy("e", provider("bedrock", #{ region: "us-east-1", model: "meta.llama3-70b-instruct-v1:0" }));"#,
        )
        .expect("runs");
        assert_eq!(
            ids,
            [
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                "claude-sonnet-4-5@20250929",
                // Kept (GW5008 warns about the missing profile); another vendor's model too.
                "anthropic.claude-sonnet-4-5-20250929-v1:0",
                "meta.llama3-70b-instruct-v1:0",
            ]
        );
    }

    #[test]
    fn gw1020_gw1021_ids_and_regions_the_provider_cannot_have() {
        let found = deployed(
            "gw.deploy(\"a\", provider(\"bedrock\", #{ region: \"us-east-1\",\n  model: \"claude-sonnet-4-5@20250929\" }));\n\
             gw.deploy(\"b\", provider(\"vertex\", #{ project: \"p\", model: \"claude-opus-4-1-20250805\" }));\n\
             gw.deploy(\"claude-opus-4-1\", provider(\"vertex\", #{ project: \"p\",\n  location: \"global\" }));\n\
             gw.deploy(\"c\", provider(\"vertex\", #{ region: \"global\", model: \"claude-opus-4-1@20250805\" }));",
        )
        .expect_err("refused");
        let at: Vec<(&str, u32, u32)> = found
            .iter()
            .map(|d| {
                let span = d.span.expect("spanned");
                (d.code.as_str(), span.line, span.column)
            })
            .collect();
        assert_eq!(
            at,
            [
                ("GW1020", 3, 3),
                ("GW1020", 4, 52),
                ("GW1021", 6, 3),
                ("GW1021", 7, 38),
            ]
        );
        assert!(
            found[0]
                .help
                .contains("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            "{}",
            found[0].help
        );
    }
}
