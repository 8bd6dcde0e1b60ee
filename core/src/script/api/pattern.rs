//! `pattern(kind, #{ … })`: one of the four deployment patterns, with Claude Code's side of it.

use super::gateway::GatewayValue;
use crate::client::direct::{self, Refusal};
use crate::client::models;
use crate::script::fault::{Fault, Outcome, fault, span};
use crate::script::options::{Options, one_of};
use gwscript_plugin::model::{
    ApiKeyHelper, ClientSetup, CorporateProxy, Endpoint, Gateway, Pattern, Provider, ProviderKind,
    Scope, Setup, Spanned,
};
use rhai::{Engine, Map, NativeCallContext, Position};

const PATTERN_OPTIONS: &[&str] = &[
    "gateway",
    "provider",
    "proxy",
    "scope",
    "endpoint",
    "model",
    "background_model",
    "opus_model",
    "sonnet_model",
    "auth_token",
    "api_key_helper",
    "region",
    "vertex_project",
    "disable_nonessential_traffic",
    "env",
    "monitors",
];
const PROXY_OPTIONS: &[&str] = &["url", "username", "password", "no_proxy", "ca_cert"];
const HELPER_OPTIONS: &[&str] = &["ttl_ms", "command"];
/// Claude Code's own default cache life for `apiKeyHelper` output.
const DEFAULT_HELPER_TTL_MS: i64 = 300_000;

/// A setup as recipes hold it: its gateways stay shared with the recipe's variables until the
/// recipe has finished, when [`PendingSetup::finish`] takes them without copying.
#[derive(Debug, Clone)]
pub struct PendingSetup {
    /// Everything but the gateways, which are `None` and empty here.
    rest: Setup,
    gateway: Option<GatewayValue>,
    monitors: Vec<GatewayValue>,
}

impl PendingSetup {
    pub fn finish(self) -> Setup {
        Setup {
            gateway: self.gateway.map(GatewayValue::into_gateway),
            monitors: self
                .monitors
                .into_iter()
                .map(GatewayValue::into_gateway)
                .collect(),
            ..self.rest
        }
    }
}

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<PendingSetup>("Setup")
        .register_fn("pattern", pattern)
        .register_get("pattern", |s: &mut PendingSetup| {
            s.rest.pattern.name().to_owned()
        })
        .register_get("scope", |s: &mut PendingSetup| {
            s.rest.client.scope.name().to_owned()
        });
}

fn pattern(context: NativeCallContext, kind: &str, options: Map) -> Outcome<PendingSetup> {
    let position = context.call_position();
    let pattern = one_of(kind, &Pattern::ALL, Pattern::name, "pattern kind", position)?;
    let mut options = Options::new(options, "pattern", Some(PATTERN_OPTIONS), position)?;
    let gateway = typed::<GatewayValue>(&mut options, "gateway", "a gateway(…)")?;
    let provider = typed::<Provider>(&mut options, "provider", "a provider(…)")?;
    let proxy = options
        .map("proxy")?
        .map(|m| proxy(m, position))
        .transpose()?;
    require(
        pattern.uses_gateway(),
        gateway.is_some(),
        pattern,
        "gateway",
        position,
    )?;
    require(
        !pattern.uses_gateway(),
        provider.is_some(),
        pattern,
        "provider",
        position,
    )?;
    require(
        pattern.uses_proxy(),
        proxy.is_some(),
        pattern,
        "proxy",
        position,
    )?;
    let monitors = monitors(&mut options, gateway.as_ref(), position)?;
    let mut client = client(
        &mut options,
        gateway.as_ref().map(GatewayValue::get),
        position,
    )?;
    // A raw provider cannot be used without a gateway at all (GW5003 says so).
    if let Some(provider) = provider.as_ref().filter(|p| p.kind != ProviderKind::Raw) {
        direct_provider(provider, &mut client, position)?;
    }
    Ok(PendingSetup {
        rest: Setup {
            pattern,
            gateway: None,
            provider,
            client,
            proxy,
            monitors: Vec::new(),
            span: span(position),
        },
        gateway,
        monitors,
    })
}

/// `monitors: [gateway(…), …]`: plugins that observe Claude Code without carrying its model
/// traffic, in any pattern. Each gateway kind appears once in a setup, the pattern's gateway
/// included, so a plugin finds its own part of the setup by its kind.
fn monitors(
    options: &mut Options,
    gateway: Option<&GatewayValue>,
    position: Position,
) -> Outcome<Vec<GatewayValue>> {
    let refuse = |message: String| {
        Fault::new(
            "GW1009",
            message,
            "write `monitors: [gateway(\"KIND\", #{ url: \"…\" })]`, with each gateway kind once; `gwscript plugins list` shows the kinds",
        )
        .about("monitors")
        .at(position)
    };
    let Some(value) = options.take("monitors") else {
        return Ok(Vec::new());
    };
    if !value.is_array() {
        return Err(refuse(format!(
            "pattern option `monitors` must be an array of gateway(…) values, not {}",
            crate::script::options::describe(&value)
        )));
    }
    let mut monitors: Vec<GatewayValue> = Vec::new();
    for item in value.cast::<rhai::Array>() {
        let shown = crate::script::options::describe(&item);
        let Some(monitor) = item.try_cast::<GatewayValue>() else {
            return Err(refuse(format!(
                "pattern option `monitors` holds {shown}, not a gateway(…) value"
            )));
        };
        if gateway
            .into_iter()
            .chain(&monitors)
            .any(|g| g.get().kind == monitor.get().kind)
        {
            return Err(refuse(format!(
                "gateway kind \"{}\" is given twice: a plugin is the gateway or one monitor, once",
                monitor.get().kind.escape_debug()
            )));
        }
        monitors.push(monitor);
    }
    Ok(monitors)
}

fn client(
    options: &mut Options,
    gateway: Option<&Gateway>,
    position: Position,
) -> Outcome<ClientSetup> {
    let scope = match options.string("scope")? {
        Some(s) => one_of(&s, &Scope::ALL, Scope::name, "scope", position)?,
        None => Scope::User,
    };
    let endpoint = match options.string("endpoint")? {
        Some(e) => one_of(&e, &Endpoint::ALL, Endpoint::name, "endpoint", position)?,
        None => Endpoint::Unified,
    };
    let spanned = |value| Spanned {
        value,
        span: span(position),
    };
    // With a gateway, Claude Code must ask for a model the gateway serves: default to the first group.
    let model = options
        .string("model")?
        .or_else(|| gateway.and_then(|g| g.model_groups().first().map(|g| g.to_string())))
        .map(spanned);
    let api_key_helper = match options.take("api_key_helper") {
        None => None,
        Some(v) if v.as_bool() == Ok(false) => None,
        Some(v) if v.as_bool() == Ok(true) => Some(ApiKeyHelper {
            ttl_ms: DEFAULT_HELPER_TTL_MS as u64,
            command: None,
        }),
        Some(v) if v.is_map() => Some(helper(v.cast::<Map>(), position)?),
        Some(v) => {
            return Err(options.wrong_type("api_key_helper", "true or #{ ttl_ms, command }", &v));
        }
    };
    let env = match options.map("env")? {
        Some(map) => env_map(map, position)?,
        None => Default::default(),
    };
    Ok(ClientSetup {
        scope,
        endpoint,
        model,
        background_model: options.string("background_model")?.map(spanned),
        opus_model: options.string("opus_model")?.map(spanned),
        sonnet_model: options.string("sonnet_model")?.map(spanned),
        auth_token: options.secret("auth_token")?,
        api_key_helper,
        region: options.string("region")?,
        vertex_project: options.string("vertex_project")?,
        disable_nonessential_traffic: options
            .bool("disable_nonessential_traffic")?
            .unwrap_or(false),
        env,
        // Pinned to the keys once the recipe has run and its text is at hand.
        env_spans: Default::default(),
    })
}

/// Without a gateway Claude Code reads the provider's options from its own variables and sends
/// the model variables verbatim: each option must have a variable, and each model becomes the
/// provider's id. A refusal points at the option's key, in the provider's map or the pattern's.
fn direct_provider(
    provider: &Provider,
    client: &mut ClientSetup,
    position: Position,
) -> Outcome<()> {
    let fault = |refusal: Refusal| {
        Fault::new(refusal.code, refusal.message, refusal.help).about(&refusal.key)
    };
    let provider_at = provider
        .span
        .and_then(|s| {
            Some(Position::new(
                u16::try_from(s.line).ok()?,
                u16::try_from(s.column).ok()?,
            ))
        })
        .unwrap_or(position);
    // A provider's line may hold a credential (a misspelt secret key option, say): masked.
    direct::check_options(provider).map_err(|r| fault(r).sensitive().at(provider_at))?;
    models::resolve_direct(client, provider).map_err(|r| fault(r).at(position))
}

fn helper(map: Map, position: Position) -> Outcome<ApiKeyHelper> {
    let mut options = Options::new(map, "api_key_helper", Some(HELPER_OPTIONS), position)?;
    let ttl_ms = options.int("ttl_ms")?.unwrap_or(DEFAULT_HELPER_TTL_MS);
    let ttl_ms = u64::try_from(ttl_ms)
        .ok()
        .filter(|t| *t > 0)
        .ok_or_else(|| {
            fault(
                "GW1009",
                format!("api_key_helper ttl_ms must be positive, not {ttl_ms}"),
                "give the key's cache life in milliseconds, e.g. ttl_ms: 3600000",
                position,
            )
        })?;
    Ok(ApiKeyHelper {
        ttl_ms,
        command: options.string("command")?,
    })
}

fn proxy(map: Map, position: Position) -> Outcome<CorporateProxy> {
    let mut options = Options::new(map, "proxy", Some(PROXY_OPTIONS), position)?;
    let url = options.required_string("url")?;
    // Checked first, so no other message echoes a URL that holds credentials.
    if url.contains('@') {
        return Err(Fault::new(
            "GW1009",
            "proxy url carries credentials inline",
            "give `username: secret(\"…\")` and `password: secret(\"…\")` instead; recipes never hold secret values")
            .about("url")
            .sensitive()
            .at(position));
    }
    // Claude Code refuses to launch with a proxy value lacking the scheme, and has no SOCKS support.
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(fault(
            "GW1009",
            format!(
                "proxy url \"{}\" needs an http:// or https:// scheme",
                url.escape_debug()
            ),
            "write e.g. \"http://proxy.corp.example:3128\" (SOCKS proxies are not supported)",
            position,
        ));
    }
    Ok(CorporateProxy {
        url,
        username: options.secret("username")?,
        password: options.secret("password")?,
        no_proxy: options.strings("no_proxy")?.unwrap_or_default(),
        ca_cert: options.string("ca_cert")?,
    })
}

fn env_map(map: Map, position: Position) -> Outcome<std::collections::BTreeMap<String, String>> {
    map.into_iter()
        .map(|(name, value)| {
            if !gwscript_plugin::model::is_env_name(&name) {
                return Err(fault(
                    "GW1009",
                    format!(
                        "`{}` is not an environment variable name",
                        name.escape_debug()
                    ),
                    "settings env names are letters, digits and `_`",
                    position,
                ));
            }
            if !value.is_string() {
                return Err(fault(
                    "GW1009",
                    format!(
                        "env value for {name} must be a string, not {}",
                        crate::script::options::describe(&value)
                    ),
                    "settings env values are JSON strings: write flags as \"1\"",
                    position,
                ));
            }
            Ok((name.to_string(), value.to_string()))
        })
        .collect()
}

fn typed<T: Clone + Send + Sync + 'static>(
    options: &mut Options,
    key: &str,
    expected: &str,
) -> Outcome<Option<T>> {
    match options.take(key) {
        None => Ok(None),
        Some(v) if v.is::<T>() => Ok(v.try_cast::<T>()),
        Some(v) => Err(options.wrong_type(key, expected, &v)),
    }
}

fn require(
    needed: bool,
    present: bool,
    pattern: Pattern,
    key: &str,
    position: Position,
) -> Outcome<()> {
    if needed == present {
        return Ok(());
    }
    let (message, help) = if needed {
        (
            format!("pattern \"{}\" needs `{key}`", pattern.name()),
            format!("add `{key}: …` to the pattern options"),
        )
    } else {
        (
            format!("pattern \"{}\" does not use `{key}`", pattern.name()),
            format!("remove `{key}`, or pick a pattern that uses it"),
        )
    };
    Err(fault("GW1009", message, help, position))
}

#[cfg(test)]
mod tests {
    use crate::script::{Limits, run};
    use gwscript_plugin::Diagnostic;
    use gwscript_plugin::model::Setup;

    fn setup(source: &str) -> Setup {
        run(source, None, Limits::default()).unwrap_or_else(|d| panic!("{d:#?}"))
    }

    fn refused(source: &str) -> Diagnostic {
        let mut found = run(source, None, Limits::default()).expect_err("refused");
        assert_eq!(found.len(), 1, "{found:#?}");
        found.remove(0)
    }

    fn at(d: &Diagnostic) -> (&str, u32, u32) {
        let span = d.span.expect("spanned");
        (d.code.as_str(), span.line, span.column)
    }

    fn models(setup: &Setup) -> Vec<Option<&str>> {
        let c = &setup.client;
        [
            &c.model,
            &c.opus_model,
            &c.sonnet_model,
            &c.background_model,
        ]
        .into_iter()
        .map(|m| m.as_ref().map(|m| m.value.as_str()))
        .collect()
    }

    #[test]
    fn direct_and_proxy_models_become_the_providers_ids() {
        for pattern in [
            r#"pattern("direct", #{"#,
            r#"pattern("proxy", #{ proxy: #{ url: "http://proxy.corp.example:3128" },"#,
        ] {
            let bedrock = setup(&format!(
                r#"emit({pattern} provider: provider("bedrock", #{{ region: "eu-central-1" }}),
                    model: "claude-sonnet-4-5", opus_model: "claude-opus-4-5",
                    sonnet_model: "claude-sonnet-4-6", background_model: "claude-haiku-4-5" }}));"#
            ));
            assert_eq!(
                models(&bedrock),
                [
                    Some("eu.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                    Some("eu.anthropic.claude-opus-4-5-20251101-v1:0"),
                    Some("eu.anthropic.claude-sonnet-4-6"),
                    Some("eu.anthropic.claude-haiku-4-5-20251001-v1:0"),
                ]
            );
        }
        let vertex = setup(
            r#"emit(pattern("direct", #{ provider: provider("vertex", #{ project: "p", region: "us-east5" }),
                model: "claude-opus-4-1", opus_model: "claude-opus-4-1@20250805" }));"#,
        );
        assert_eq!(
            models(&vertex),
            [
                Some("claude-opus-4-1@20250805"),
                Some("claude-opus-4-1@20250805"),
                None,
                None
            ]
        );
    }

    #[test]
    fn behind_a_gateway_the_aliases_stay_group_names() {
        let gateway = setup(
            r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000" });
            gw.deploy("claude-opus-4-1", provider("anthropic", #{ api_key: secret("K") }));
            emit(pattern("gateway", #{ gateway: gw, opus_model: "claude-opus-4-1", sonnet_model: "team-sonnet" }));"#,
        );
        assert_eq!(
            models(&gateway),
            [
                Some("claude-opus-4-1"),
                Some("claude-opus-4-1"),
                Some("team-sonnet"),
                None
            ]
        );
    }

    #[test]
    fn refusals_point_at_the_key() {
        // GW1022 at the provider's key, GW1020/GW1021/GW1010/GW1023 at the pattern's.
        let d = refused(
            "emit(pattern(\"direct\", #{\n  provider: provider(\"bedrock\", #{\n    region: \"us-east-1\",\n    aws_role_name: \"arn:aws:iam::1:role/r\" }),\n}));",
        );
        assert_eq!(at(&d), ("GW1022", 4, 5));
        assert!(d.help.contains("aws_profile_name"), "{}", d.help);
        let cases = [
            (
                "GW1020",
                r#"provider("bedrock", #{ region: "us-east-1" }),"#,
                "claude-sonnet-4-5@20250929",
            ),
            (
                "GW1021",
                r#"provider("vertex", #{ project: "p", location: "global" }),"#,
                "claude-opus-4-1",
            ),
            (
                "GW1010",
                r#"provider("vertex", #{ project: "p" }),"#,
                "sonnet",
            ),
            ("GW1023", r#"provider("bedrock"),"#, "claude-sonnet-4-5"),
        ];
        for (code, provider, model) in cases {
            let d = refused(&format!(
                "emit(pattern(\"direct\", #{{\n  provider: {provider}\n  model: \"{model}\" }}));"
            ));
            assert_eq!(at(&d), (code, 3, 3), "{d:#?}");
        }
    }
}
