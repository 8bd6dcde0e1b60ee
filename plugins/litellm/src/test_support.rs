//! Realistic recipe values for the tests, and the host's rendering contract: minijinja with strict
//! undefined, JSON auto-escape for YAML, shell single-quoting for scripts, YAML re-parsed after.

use crate::LiteLlm;
use gwscript_plugin::model::{
    ClientSetup, Deployment, Endpoint, Fallback, Gateway, Param, Pattern, Provider, ProviderKind,
    Scope, SecretRef, Span, Spanned,
};
use gwscript_plugin::{Diagnostic, Plugin, Setup, TemplateFormat};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

/// Every built value gets its own recipe line, so tests can tell spans apart.
fn next_span() -> Option<Span> {
    static LINE: AtomicU32 = AtomicU32::new(100);
    Some(Span {
        line: LINE.fetch_add(1, Ordering::Relaxed),
        column: 1,
    })
}

pub fn literal(value: impl Into<serde_json::Value>) -> Param {
    Param::Literal(value.into())
}

pub fn secret(name: &str) -> Param {
    Param::Secret(SecretRef {
        secret: name.into(),
    })
}

pub fn spanned<T>(value: T, line: u32) -> Spanned<T> {
    Spanned {
        value,
        span: Some(Span { line, column: 5 }),
    }
}

fn deployment(
    group: &str,
    kind: ProviderKind,
    model: &str,
    options: &[(&str, Param)],
) -> Deployment {
    Deployment {
        model_group: group.into(),
        provider: Provider {
            kind,
            options: options
                .iter()
                .map(|(key, value)| ((*key).to_owned(), value.clone()))
                .collect(),
            span: next_span(),
        },
        provider_model: model.into(),
        order: None,
        weight: None,
        rpm: None,
        tpm: None,
        span: next_span(),
    }
}

pub fn anthropic(group: &str, model: &str) -> Deployment {
    deployment(
        group,
        ProviderKind::Anthropic,
        model,
        &[("api_key", secret("ANTHROPIC_API_KEY"))],
    )
}

pub fn bedrock(group: &str, model: &str, region: Option<&str>) -> Deployment {
    let options: Vec<(&str, Param)> = region.map(|r| ("region", literal(r))).into_iter().collect();
    deployment(group, ProviderKind::Bedrock, model, &options)
}

pub fn vertex(
    group: &str,
    model: &str,
    project: Option<&str>,
    location: Option<&str>,
) -> Deployment {
    let options: Vec<(&str, Param)> = [("project", project), ("location", location)]
        .into_iter()
        .filter_map(|(key, value)| Some((key, literal(value?))))
        .collect();
    deployment(group, ProviderKind::Vertex, model, &options)
}

pub fn raw(group: &str, model: &str) -> Deployment {
    deployment(group, ProviderKind::Raw, model, &[])
}

pub fn with_option(mut deployment: Deployment, key: &str, value: Param) -> Deployment {
    deployment.provider.options.insert(key.into(), value);
    deployment
}

pub fn ordered(mut deployment: Deployment, order: i64) -> Deployment {
    deployment.order = Some(order);
    deployment
}

pub fn fallback(from: &str, to: &[&str]) -> Fallback {
    Fallback {
        from: from.into(),
        to: to.iter().map(|t| (*t).to_owned()).collect(),
        span: next_span(),
    }
}

/// A LiteLLM gateway on loopback with a master key reference and the given routing.
pub fn gateway_with(deployments: Vec<Deployment>, fallbacks: Vec<Fallback>) -> Gateway {
    Gateway {
        kind: "litellm".into(),
        url: "http://127.0.0.1:4000".into(),
        master_key: Some(spanned(secret("LITELLM_MASTER_KEY"), 2)),
        database_url: None,
        redis: None,
        deployments,
        fallbacks,
        routing_strategy: None,
        num_retries: None,
        timeout: None,
        options: BTreeMap::new(),
        span: Some(Span {
            line: 1,
            column: 10,
        }),
    }
}

pub fn routed(mut gateway: Gateway, strategy: &str) -> Gateway {
    gateway.routing_strategy = Some(spanned(strategy.to_owned(), 7));
    gateway
}

/// Pattern `gateway`, project scope, Claude Code on the unified route, no models pinned.
pub fn setup_for(gateway: Gateway) -> Setup {
    Setup {
        pattern: Pattern::Gateway,
        gateway: Some(gateway),
        provider: None,
        client: ClientSetup {
            scope: Scope::Project,
            endpoint: Endpoint::Unified,
            model: None,
            background_model: None,
            auth_token: Some(SecretRef {
                secret: "LITELLM_VIRTUAL_KEY".into(),
            }),
            api_key_helper: None,
            region: None,
            vertex_project: None,
            disable_nonessential_traffic: true,
            env: BTreeMap::new(),
        },
        proxy: None,
        span: None,
    }
}

pub fn codes_of(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// The name of the host's shell-quoting escape mode.
const SHELL_ESCAPE: &str = "shell";

/// The template at `path`, rendered with the plugin's context for `setup` as the host does.
pub fn render(setup: &Setup, path: &str) -> String {
    let manifest = LiteLlm::manifest();
    let template = manifest
        .templates
        .iter()
        .find(|t| t.path == path)
        .unwrap_or_else(|| panic!("no template {path}"));
    let context = LiteLlm::context(setup).expect("context");

    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .unwrap(),
    );
    let escape = match template.format {
        TemplateFormat::Yaml | TemplateFormat::Json => minijinja::AutoEscape::Json,
        TemplateFormat::Shell => minijinja::AutoEscape::Custom(SHELL_ESCAPE.into()),
        TemplateFormat::Text => minijinja::AutoEscape::None,
    };
    env.set_auto_escape_callback(move |_| escape.clone());
    env.set_formatter(|out, state, value| match state.auto_escape() {
        minijinja::AutoEscape::Custom(name) if name == SHELL_ESCAPE && !value.is_safe() => {
            let text = value.to_string();
            write!(out, "'{}'", text.replace('\'', r"'\''")).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env.add_template_owned(path.to_owned(), template.source.clone())
        .expect("template parses");
    env.get_template(path)
        .unwrap()
        .render(template_value(&context))
        .unwrap_or_else(|e| panic!("rendering {path}: {e:#}"))
}

/// The rendered config.yaml, re-parsed.
pub fn render_config(setup: &Setup) -> serde_json::Value {
    let yaml = render(setup, crate::manifest::CONFIG_PATH);
    serde_norway::from_str(&yaml)
        .unwrap_or_else(|e| panic!("config.yaml does not parse: {e}\n{yaml}"))
}

fn template_value(json: &serde_json::Value) -> minijinja::Value {
    use serde_json::Value as Json;
    match json {
        Json::Null => minijinja::Value::from(()),
        Json::Bool(b) => minijinja::Value::from(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => minijinja::Value::from(i),
            (None, Some(f)) => minijinja::Value::from(f),
            (None, None) => minijinja::Value::from(n.to_string()),
        },
        Json::String(s) => minijinja::Value::from(s.as_str()),
        Json::Array(items) => items.iter().map(template_value).collect(),
        Json::Object(entries) => minijinja::Value::from(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), template_value(v)))
                .collect::<BTreeMap<String, minijinja::Value>>(),
        ),
    }
}
