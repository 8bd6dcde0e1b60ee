//! `pattern(kind, #{ … })`: one of the four deployment patterns, with Claude Code's side of it.

use crate::script::fault::{Fault, Outcome, fault, span};
use crate::script::options::{Options, one_of};
use gwscript_plugin::model::{
    ApiKeyHelper, ClientSetup, CorporateProxy, Endpoint, Gateway, Pattern, Provider, Scope, Setup,
    Spanned,
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

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<Setup>("Setup")
        .register_fn("pattern", pattern)
        .register_get("pattern", |s: &mut Setup| s.pattern.name().to_owned())
        .register_get("scope", |s: &mut Setup| s.client.scope.name().to_owned());
}

fn pattern(context: NativeCallContext, kind: &str, options: Map) -> Outcome<Setup> {
    let position = context.call_position();
    let pattern = one_of(kind, &Pattern::ALL, Pattern::name, "pattern kind", position)?;
    let mut options = Options::new(options, "pattern", Some(PATTERN_OPTIONS), position)?;
    let gateway = typed::<Gateway>(&mut options, "gateway", "a gateway(…)")?;
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
    let client = client(&mut options, gateway.as_ref(), position)?;
    Ok(Setup {
        pattern,
        gateway,
        provider,
        client,
        proxy,
        monitors,
        span: span(position),
    })
}

/// `monitors: [gateway(…), …]`: plugins that observe Claude Code without carrying its model
/// traffic, in any pattern. Each gateway kind appears once in a setup, the pattern's gateway
/// included, so a plugin finds its own part of the setup by its kind.
fn monitors(
    options: &mut Options,
    gateway: Option<&Gateway>,
    position: Position,
) -> Outcome<Vec<Gateway>> {
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
    let mut monitors: Vec<Gateway> = Vec::new();
    for item in value.cast::<rhai::Array>() {
        let shown = crate::script::options::describe(&item);
        let Some(monitor) = item.try_cast::<Gateway>() else {
            return Err(refuse(format!(
                "pattern option `monitors` holds {shown}, not a gateway(…) value"
            )));
        };
        if gateway
            .into_iter()
            .chain(&monitors)
            .any(|g| g.kind == monitor.kind)
        {
            return Err(refuse(format!(
                "gateway kind \"{}\" is given twice: a plugin is the gateway or one monitor, once",
                monitor.kind.escape_debug()
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
        auth_token: options.secret("auth_token")?,
        api_key_helper,
        region: options.string("region")?,
        vertex_project: options.string("vertex_project")?,
        disable_nonessential_traffic: options
            .bool("disable_nonessential_traffic")?
            .unwrap_or(false),
        env,
    })
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
    if url.contains('@') {
        return Err(Fault::new(
            "GW1009",
            "proxy url carries credentials inline",
            "give `username: secret(\"…\")` and `password: secret(\"…\")` instead; recipes never hold secret values").sensitive().at(position));
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
