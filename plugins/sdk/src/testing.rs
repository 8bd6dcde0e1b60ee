//! Builders for the setups a plugin's tests check and render, and a renderer that applies the
//! host's rules ([`crate::render`]) to a plugin's own templates. Enable with the `testing` feature
//! in `[dev-dependencies]`.

use crate::manifest::{ClientAuth, ClientContract, Codes, ModelNames, PluginRole};
use crate::model::{
    ClientSetup, Deployment, Endpoint, Fallback, Gateway, Param, Pattern, Provider, ProviderKind,
    Scope, SecretRef, Span, Spanned,
};
use crate::{Diagnostic, Manifest, Plugin, Setup};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

/// Every built value gets its own recipe line, so tests can tell spans apart.
pub fn next_span() -> Option<Span> {
    static LINE: AtomicU32 = AtomicU32::new(100);
    Some(Span {
        line: LINE.fetch_add(1, Ordering::Relaxed),
        column: 1,
    })
}

pub fn literal(value: impl Into<serde_json::Value>) -> Param {
    Param::Literal(value.into())
}

pub fn list(items: impl IntoIterator<Item = Param>) -> Param {
    Param::List(items.into_iter().collect())
}

pub fn map<'a>(entries: impl IntoIterator<Item = (&'a str, Param)>) -> Param {
    Param::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
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

/// A deployment of `model` (the provider's id) in `group`, with provider options.
pub fn deployment(
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
        options: BTreeMap::new(),
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

/// Adds a provider option.
pub fn with_option(mut deployment: Deployment, key: &str, value: Param) -> Deployment {
    deployment.provider.options.insert(key.into(), value);
    deployment
}

/// Adds a deployment option (`order`, `weight`, …).
pub fn with_routing(mut deployment: Deployment, key: &str, value: Param) -> Deployment {
    deployment.options.insert(
        key.into(),
        Spanned {
            value,
            span: deployment.span,
        },
    );
    deployment
}

pub fn fallback(from: &str, to: &[&str]) -> Fallback {
    Fallback {
        from: from.into(),
        to: to.iter().map(|t| (*t).to_owned()).collect(),
        span: next_span(),
    }
}

/// A `kind` gateway on loopback port 4000 with no options.
pub fn gateway(kind: &str, deployments: Vec<Deployment>, fallbacks: Vec<Fallback>) -> Gateway {
    Gateway {
        kind: kind.into(),
        url: "http://127.0.0.1:4000".into(),
        deployments,
        fallbacks,
        options: BTreeMap::new(),
        span: Some(Span {
            line: 1,
            column: 10,
        }),
    }
}

/// Sets a gateway option, spanned at its own line.
pub fn with_gateway_option(mut gateway: Gateway, key: &str, value: Param) -> Gateway {
    gateway.options.insert(
        key.into(),
        Spanned {
            value,
            span: next_span(),
        },
    );
    gateway
}

/// Pattern `gateway`, project scope, Claude Code on the unified route, no models pinned.
pub fn setup_for(gateway: Gateway) -> Setup {
    Setup {
        pattern: Pattern::Gateway,
        gateway: Some(gateway),
        provider: None,
        client: project_client(Some(SecretRef {
            secret: "GATEWAY_KEY".into(),
        })),
        proxy: None,
        monitors: Vec::new(),
        span: None,
    }
}

/// Pattern `direct` to the Anthropic API (the key by reference), project scope, observed by
/// `monitors`: Claude Code's model traffic goes nowhere near them.
pub fn direct_monitored_by(monitors: Vec<Gateway>) -> Setup {
    Setup {
        pattern: Pattern::Direct,
        gateway: None,
        provider: Some(Provider {
            kind: ProviderKind::Anthropic,
            options: [("api_key".to_owned(), secret("ANTHROPIC_API_KEY"))].into(),
            span: next_span(),
        }),
        client: project_client(None),
        proxy: None,
        monitors,
        span: None,
    }
}

/// Project scope, the unified route, no models pinned, nonessential traffic off.
fn project_client(auth_token: Option<SecretRef>) -> ClientSetup {
    ClientSetup {
        scope: Scope::Project,
        endpoint: Endpoint::Unified,
        model: None,
        background_model: None,
        auth_token,
        api_key_helper: None,
        region: None,
        vertex_project: None,
        disable_nonessential_traffic: true,
        env: BTreeMap::new(),
    }
}

pub fn codes_of(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// Plugin `P`'s template at `path`, rendered for `setup` exactly as the host renders it (whether
/// or not the rendering omits it). Panics with the GW3001/GW3002 message if the host would refuse
/// the output.
pub fn render<P: Plugin>(setup: &Setup, path: &str) -> String {
    let manifest = P::manifest();
    let template = manifest
        .templates
        .iter()
        .find(|t| t.path == path)
        .unwrap_or_else(|| panic!("no template {path}"));
    let rendering = P::render(setup).unwrap_or_else(|e| panic!("render failed: {e}"));
    crate::render::render_template(template, &rendering.context)
        .unwrap_or_else(|d| panic!("{}: {}", d.code, d.message))
}

/// A manifest every host accepts for gateway kind `kind` (also its name): Bearer auth on the
/// unified route, model groups, no options, templates or codes. Tests change what they need.
pub fn manifest(kind: &str) -> Manifest {
    Manifest {
        name: kind.into(),
        version: "0.0.1".into(),
        gateway_kind: kind.into(),
        display_name: kind.into(),
        description: format!("the {kind} test plugin"),
        third_party: true,
        roles: PluginRole::gateway_only(),
        requires: vec![],
        capabilities: vec![],
        compatibility: vec![],
        features: vec![],
        gateway_options: None,
        deployment_options: None,
        client: ClientContract {
            auth: ClientAuth::Bearer,
            endpoints: [(Endpoint::Unified, String::new())].into(),
            model_names: ModelNames::Groups,
        },
        liveness_path: None,
        templates: vec![],
        diagnostics: Codes::default(),
    }
}

/// The words bash makes of `command`, with a shell function `program` defined to print its
/// arguments: proves a quoted value stays one word and runs nothing.
pub fn shell_words(program: &str, command: &str) -> Vec<String> {
    // `command printf` is the builtin even when `program` is itself named `printf`.
    let script = format!("{program}() {{ command printf '%s\\0' \"$@\"; }}\n{command}");
    let output = std::process::Command::new("bash")
        .args(["-c", &script])
        .env_clear()
        .output()
        .unwrap_or_else(|e| panic!("bash runs: {e}"));
    assert!(output.status.success(), "{command}: {output:?}");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .split_terminator('\0')
        .map(str::to_owned)
        .collect()
}
