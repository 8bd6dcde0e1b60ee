//! The config as the SDK's [`Gateway`], with the position of every value, so the rules a
//! recipe's gateway gets ([`crate::checks`]) check the file too. Each deployment's model prefix
//! gives its provider kind (`anthropic/`, `bedrock/`, `vertex_ai/`; anything else is a raw model
//! string), its `litellm_params` become provider options under LiteLLM's names, and the routing
//! fields (`order`, `weight`, `rpm`, `tpm`) deployment options, as a recipe has them. Entries
//! LiteLLM cannot load (reported by [`super::structure`]) are left out.

use super::structure::FALLBACK_LISTS;
use super::{Config, env_reference, pair_of};
use crate::catalog;
use crate::checks::fallbacks::check_chains;
use crate::checks::{ParamSpans, Served};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{
    Deployment, Fallback, Gateway, Options, Param, Provider, ProviderKind, SecretRef, Span,
    Spanned, is_env_name,
};
use gwscript_plugin::yaml::{Node, Value};
use std::collections::{BTreeMap, HashMap};

/// The `litellm_params` a recipe sets as deployment options.
const ROUTING_PARAMS: [&str; 4] = ["order", "weight", "rpm", "tpm"];

/// Where the gateway would listen: a config file does not say, and no rule reads it.
const UNKNOWN_URL: &str = "http://127.0.0.1:4000";

pub fn gateway(config: &Config) -> (Gateway, ParamSpans) {
    let mut spans = ParamSpans::default();
    let deployments = config
        .section("model_list")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            let (deployment, keys) = deployment(entry)?;
            spans.0.push(keys);
            Some(deployment)
        })
        .collect();
    let gateway = Gateway {
        kind: crate::GATEWAY_KIND.to_owned(),
        url: UNKNOWN_URL.to_owned(),
        deployments,
        fallbacks: fallbacks(config, "fallbacks"),
        options: options(config),
        span: Some(config.root.span),
    };
    (gateway, spans)
}

/// The checks of the fallback lists a recipe does not have: context-window and content-policy
/// fallbacks, each a graph of its own.
pub fn other_fallbacks(config: &Config, gateway: &Gateway) -> Vec<Diagnostic> {
    let served = Served::by(gateway);
    FALLBACK_LISTS[1..]
        .iter()
        .flat_map(|list| check_chains(&served, &fallbacks(config, list), Some(list)))
        .collect()
}

fn deployment(entry: &Node) -> Option<(Deployment, HashMap<String, Span>)> {
    let group = entry.get("model_name")?.as_str()?;
    let params = entry.get("litellm_params")?;
    let model = params.get("model")?.as_str()?;
    let (kind, provider_model) = provider_of(model);
    let mut provider_options = BTreeMap::new();
    let mut routing = Options::new();
    let mut keys = HashMap::new();
    for (key, value) in params.as_map()? {
        let Some(name) = key.as_str().filter(|name| *name != "model") else {
            continue;
        };
        keys.insert(name.to_owned(), key.span);
        if ROUTING_PARAMS.contains(&name) {
            let spanned = Spanned {
                value: param(value),
                span: Some(key.span),
            };
            routing.insert(name.to_owned(), spanned);
        } else {
            provider_options.insert(name.to_owned(), param(value));
        }
    }
    let deployment = Deployment {
        model_group: group.to_owned(),
        provider: Provider {
            kind,
            options: provider_options,
            span: Some(params.span),
        },
        provider_model: provider_model.to_owned(),
        options: routing,
        span: Some(entry.span),
    };
    Some((deployment, keys))
}

/// The provider kind a model string names, and the model id after its prefix (the whole string
/// for a raw model).
fn provider_of(model: &str) -> (ProviderKind, &str) {
    for kind in [
        ProviderKind::Anthropic,
        ProviderKind::Bedrock,
        ProviderKind::Vertex,
    ] {
        if let Some(id) = catalog::model_prefix(kind).and_then(|prefix| model.strip_prefix(prefix))
        {
            return (kind, id);
        }
    }
    (ProviderKind::Raw, model)
}

/// A value as a recipe option: `os.environ/NAME` is a secret reference (a reference whose name
/// is no variable name stays a string, for the reference rule to report).
pub fn param(node: &Node) -> Param {
    match &node.value {
        Value::String(text) => match env_reference(text).filter(|name| is_env_name(name)) {
            Some(name) => Param::Secret(SecretRef {
                secret: name.to_owned(),
            }),
            None => Param::Literal(serde_json::Value::String(text.clone())),
        },
        Value::Seq(items) => Param::List(items.iter().map(param).collect()),
        Value::Map(pairs) => Param::Map(
            pairs
                .iter()
                .filter_map(|(key, value)| Some((key.as_str()?.to_owned(), param(value))))
                .collect(),
        ),
        _ => Param::Literal(node.to_json()),
    }
}

/// A fallback list as LiteLLM reads it: router_settings' when it has any, else
/// litellm_settings'; for `fallbacks`, `default_fallbacks` adds a `*` chain. Only well-formed
/// items count (the shape is [`super::structure`]'s), each by its first key, as LiteLLM does.
fn fallbacks(config: &Config, list: &str) -> Vec<Fallback> {
    let chains = |section: &str| {
        let items = config
            .setting(section, list)
            .and_then(Node::as_seq)
            .unwrap_or_default();
        items
            .iter()
            .filter_map(|item| {
                let (from, to) = item.as_map()?.first()?;
                let targets = to.as_seq()?.iter().filter_map(Node::as_str);
                Some(Fallback {
                    from: from.as_str()?.to_owned(),
                    to: targets.map(str::to_owned).collect(),
                    span: Some(item.span),
                })
            })
            .collect::<Vec<_>>()
    };
    let mut found = chains("router_settings");
    if found.is_empty() {
        found = chains("litellm_settings");
    }
    if list == "fallbacks" {
        let defaults = ["router_settings", "litellm_settings"]
            .iter()
            .find_map(|section| config.setting(section, "default_fallbacks"));
        if let Some(targets) = defaults.and_then(Node::as_seq) {
            found.push(Fallback {
                from: "*".to_owned(),
                to: targets
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_owned)
                    .collect(),
                span: defaults.map(|node| node.span),
            });
        }
    }
    found
}

/// The gateway options a recipe can set, read from the sections the plugin writes them to.
fn options(config: &Config) -> Options {
    let mut options = Options::new();
    let mut take = |name: &str, section: &str, key: &str| {
        let found = config.section(section).and_then(|s| pair_of(s, key));
        if let Some((at, value)) = found.filter(|(_, value)| !matches!(value.value, Value::Null)) {
            let spanned = Spanned {
                value: param(value),
                span: Some(at.span),
            };
            options.insert(name.to_owned(), spanned);
        }
    };
    take("master_key", "general_settings", "master_key");
    take("database_url", "general_settings", "database_url");
    for key in ["routing_strategy", "num_retries", "timeout"] {
        take(key, "router_settings", key);
    }
    for option in catalog::GATEWAY_OPTIONS {
        take(option.name, option.section.key(), option.name);
    }
    if let Some(redis) = redis(config) {
        options.insert("redis".to_owned(), redis);
    }
    options
}

/// The Redis the proxy instances share, as the recipe's `redis` option: router_settings'
/// `redis_*`, else `general_settings.coordination_redis`, else the cache's Redis. Its position
/// is the password's, when there is one, so the literal-secret rules agree on where it is.
fn redis(config: &Config) -> Option<Spanned<Param>> {
    let router = config.section("router_settings");
    let flat: BTreeMap<String, (Span, &Node)> = router
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|(key, value)| {
            let name = key.as_str()?.strip_prefix("redis_")?;
            Some((name.to_owned(), (key.span, value)))
        })
        .collect();
    if !flat.is_empty() {
        let span = flat
            .get("password")
            .or_else(|| flat.values().next())
            .map(|(at, _)| *at);
        let map = flat
            .iter()
            .map(|(name, (_, value))| (name.clone(), param(value)))
            .collect();
        return Some(Spanned {
            value: Param::Map(map),
            span,
        });
    }
    let cache_params = config
        .setting("litellm_settings", "cache_params")
        .filter(|params| {
            params
                .get("type")
                .and_then(Node::as_str)
                .is_none_or(|t| t.starts_with("redis"))
        });
    let nested = config
        .setting("general_settings", "coordination_redis")
        .or(cache_params)?;
    nested.as_map()?;
    let span = pair_of(nested, "password").map_or(nested.span, |(key, _)| key.span);
    Some(Spanned {
        value: param(nested),
        span: Some(span),
    })
}
