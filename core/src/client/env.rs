//! The variables Claude Code needs for a setup, in the order a person would read them.

use super::direct;
use super::models::model_vars;
use super::precedence::{self, Fate};
use crate::emit::shell_quote;
use gwscript_plugin::model::{ClientSetup, Endpoint, Provider, ProviderKind, SecretRef, Setup};
use gwscript_plugin::{ClientAuth, Diagnostic, Manifest};
use serde::Serialize;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "value")]
pub enum EnvValue {
    /// Safe to write anywhere, settings.json included.
    Literal(String),
    /// Taken from the named variable at shell time; never written as a value.
    Secret(String),
    /// Built from secrets at shell time, e.g. a proxy URL with credentials.
    Template(Vec<Piece>),
    /// Must be absent: the shell exports unset it.
    Unset,
}

/// A part of a [`EnvValue::Template`]: text as written, or a secret's value at shell time.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Piece {
    Text(String),
    Secret(String),
    /// The secret percent-encoded, for a URL's user or password (`@` or `:` in it would break
    /// the URL); env.sh defines the [`URL_ENCODE`] function that does it.
    UrlEncodedSecret(String),
}

/// The shell function env.sh defines when a template needs it: percent-encodes its argument,
/// byte by byte, keeping RFC 3986's unreserved characters. Runs in a subshell so neither its
/// variables nor its `LC_ALL` leak into the shell that sources env.sh.
pub const URL_ENCODE: &str = r#"gwscript_urlencode() (
  LC_ALL=C
  rest=$1
  while [ -n "$rest" ]; do
    tail=${rest#?}
    char=${rest%"$tail"}
    rest=$tail
    case $char in
      [A-Za-z0-9._~-]) printf '%s' "$char" ;;
      *) printf '%%%02X' "'$char" ;;
    esac
  done
)"#;

impl Piece {
    /// One shell word part: text single-quoted, secrets expanded only as the named variable.
    fn shell(&self) -> String {
        match self {
            Piece::Text(text) => shell_quote(text),
            Piece::Secret(name) => format!("\"${{{name}}}\""),
            Piece::UrlEncodedSecret(name) => format!("\"$(gwscript_urlencode \"${{{name}}}\")\""),
        }
    }

    /// The secret this piece reads, if any.
    pub fn secret(&self) -> Option<&str> {
        match self {
            Piece::Text(_) => None,
            Piece::Secret(name) | Piece::UrlEncodedSecret(name) => Some(name),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvValue,
    /// Why it is set, shown as a comment in the shell exports.
    pub why: Cow<'static, str>,
}

impl EnvVar {
    /// The variable as one line of POSIX shell: secrets stay references, expanded when sourced.
    pub fn shell_line(&self) -> String {
        let name = &self.name;
        match &self.value {
            EnvValue::Literal(value) => format!("export {name}={}", shell_quote(value)),
            EnvValue::Secret(secret) if secret == name => format!("export {name}"),
            EnvValue::Secret(secret) => format!("export {name}=\"${{{secret}}}\""),
            EnvValue::Template(pieces) => {
                let word: String = pieces.iter().map(Piece::shell).collect();
                format!("export {name}={word}")
            }
            EnvValue::Unset => format!("unset {name}"),
        }
    }
}

fn literal(name: &str, value: impl Into<String>, why: &'static str) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value: EnvValue::Literal(value.into()),
        why: why.into(),
    }
}

/// Flags are `"1"`: the settings schema rejects `"true"`.
fn flag(name: &str, why: &'static str) -> EnvVar {
    literal(name, "1", why)
}

/// Flags Claude Code turns on for any non-empty value, `"0"` included (claude-code.md §3): set
/// them to turn them on, leave them out to keep them off.
pub const PRESENCE_FLAGS: [&str; 3] = [
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    "DISABLE_TELEMETRY",
    "DISABLE_ERROR_REPORTING",
];

/// Variables Node reads when the process starts, before Claude Code applies its settings: only
/// an exported value takes effect, so they go to the shell exports, never to settings.json.
pub fn read_at_process_start(name: &str) -> bool {
    name == "NODE_EXTRA_CA_CERTS"
}

/// `NO_PROXY` matching as curl and Node do it: `*`, an exact host, or a domain suffix
/// (`corp.example`, `.corp.example` and `*.corp.example` all cover `llm.corp.example`).
pub fn no_proxy_covers<S: AsRef<str>>(host: &str, no_proxy: &[S]) -> bool {
    let host = host.to_ascii_lowercase();
    no_proxy.iter().any(|entry| {
        let entry = entry.as_ref().trim().to_ascii_lowercase();
        let domain = entry.trim_start_matches('*').trim_start_matches('.');
        entry == "*"
            || host == domain
            || (!domain.is_empty() && host.ends_with(&format!(".{domain}")))
    })
}

/// The environment for `setup`. `manifest` is the gateway plugin's, when the pattern has a gateway;
/// `plugin_vars` are the variables the setup's plugins add, each beside the plugin's name, which
/// may not replace gwscript's. The recipe's own `env` comes last, less what the setup sets itself
/// and what Claude Code's provider precedence would ignore or turn against the pattern
/// ([`precedence::fate`]; the client checks report each).
pub fn client_env(
    setup: &Setup,
    manifest: Option<&Manifest>,
    plugin_vars: &[(String, EnvVar)],
) -> Result<Vec<EnvVar>, Diagnostic> {
    let mut vars = setup_vars(setup, manifest, plugin_vars)?;
    let kept: Vec<EnvVar> = setup
        .client
        .env
        .iter()
        .filter(|(name, value)| precedence::fate(name, value, &vars) == Fate::Kept)
        .map(|(name, value)| literal(name, value.clone(), "set by the recipe"))
        .collect();
    vars.extend(kept);
    Ok(vars)
}

/// Everything the setup sets for Claude Code before the recipe's `env`: the pattern's variables,
/// the proxy's, the client flags, then the plugins'.
pub(super) fn setup_vars(
    setup: &Setup,
    manifest: Option<&Manifest>,
    plugin_vars: &[(String, EnvVar)],
) -> Result<Vec<EnvVar>, Diagnostic> {
    let mut vars = match (&setup.gateway, manifest) {
        (Some(gateway), Some(manifest)) => {
            let suffix = manifest
                .client
                .endpoints
                .get(&setup.client.endpoint)
                // An endpoint the plugin does not serve is refused by the checks (GW5002).
                .map(String::as_str)
                .unwrap_or_default();
            gateway_env(
                setup,
                &format!("{}{suffix}", gateway.url),
                &manifest.client.auth,
            )
        }
        _ => match &setup.provider {
            Some(provider) => direct_env(setup, provider)?,
            None => Vec::new(),
        },
    };
    if let Some(proxy) = &setup.proxy {
        vars.push(proxy_var(proxy));
        if !proxy.no_proxy.is_empty() {
            vars.push(literal(
                "NO_PROXY",
                proxy.no_proxy.join(","),
                "hosts reached without the proxy",
            ));
        }
        if let Some(ca) = &proxy.ca_cert {
            vars.push(literal(
                "NODE_EXTRA_CA_CERTS",
                ca.clone(),
                "trust the TLS-inspecting proxy's CA (export it in the shell: from settings it is unreliable)",
            ));
        }
    }
    let client = &setup.client;
    if client.disable_nonessential_traffic {
        vars.push(flag(
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
            "no telemetry, error reporting or update checks",
        ));
    }
    if let Some(helper) = &client.api_key_helper {
        vars.push(literal(
            "CLAUDE_CODE_API_KEY_HELPER_TTL_MS",
            helper.ttl_ms.to_string(),
            "how long Claude Code caches the apiKeyHelper's key",
        ));
    }
    if let Some(clash) = super::contribution::clashing(plugin_vars, &vars) {
        return Err(clash);
    }
    vars.extend(plugin_vars.iter().map(|(_, var)| var.clone()));
    Ok(vars)
}

fn gateway_env(setup: &Setup, base_url: &str, auth: &ClientAuth) -> Vec<EnvVar> {
    let client = &setup.client;
    let mut vars = Vec::new();
    match client.endpoint {
        Endpoint::Unified | Endpoint::Anthropic => {
            vars.push(literal(
                "ANTHROPIC_BASE_URL",
                base_url,
                "the gateway's Anthropic Messages endpoint",
            ));
        }
        Endpoint::Bedrock => {
            vars.push(flag(
                "CLAUDE_CODE_USE_BEDROCK",
                "speak Bedrock InvokeModel to the gateway",
            ));
            vars.push(literal(
                "ANTHROPIC_BEDROCK_BASE_URL",
                base_url,
                "the gateway's Bedrock pass-through",
            ));
            vars.push(flag(
                "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
                "the gateway holds the AWS credentials",
            ));
            if let Some(region) = cloud_option(setup, &client.region, ProviderKind::Bedrock, REGION)
            {
                vars.push(literal(
                    "AWS_REGION",
                    region,
                    "the Bedrock region Claude Code names in requests",
                ));
            }
            vars.push(EnvVar {
                name: "AWS_BEARER_TOKEN_BEDROCK".into(),
                value: EnvValue::Unset,
                why: "it would replace the gateway token and get a 403".into(),
            });
        }
        Endpoint::Vertex => {
            vars.push(flag(
                "CLAUDE_CODE_USE_VERTEX",
                "speak Vertex rawPredict to the gateway",
            ));
            vars.push(literal(
                "ANTHROPIC_VERTEX_BASE_URL",
                base_url,
                "the gateway's Vertex pass-through",
            ));
            vars.push(flag(
                "CLAUDE_CODE_SKIP_VERTEX_AUTH",
                "the gateway holds the Google credentials",
            ));
            if let Some(project) =
                cloud_option(setup, &client.vertex_project, ProviderKind::Vertex, PROJECT)
            {
                vars.push(literal(
                    "ANTHROPIC_VERTEX_PROJECT_ID",
                    project,
                    "the Vertex project in request paths",
                ));
            }
            if let Some(region) = gateway_vertex_region(setup) {
                vars.push(literal(
                    "CLOUD_ML_REGION",
                    region,
                    "the Vertex region in request paths",
                ));
            }
        }
    }
    vars.extend(credential_vars(client, auth));
    vars.extend(model_vars(client));
    vars
}

/// The gateway key in the header the gateway reads, and the other credential variables unset so
/// Claude Code sends nothing the gateway would reject. With an `apiKeyHelper` the helper supplies
/// the key (as Bearer and `x-api-key`); the client checks refuse a helper for a custom header.
fn credential_vars(client: &ClientSetup, auth: &ClientAuth) -> Vec<EnvVar> {
    const TOKEN: &str = "ANTHROPIC_AUTH_TOKEN";
    const API_KEY: &str = "ANTHROPIC_API_KEY";
    let unset = |name: &str, why: &'static str| EnvVar {
        name: name.into(),
        value: EnvValue::Unset,
        why: why.into(),
    };
    let secret = |name: &str, secret: &SecretRef, why: &'static str| EnvVar {
        name: name.into(),
        value: EnvValue::Secret(secret.secret.clone()),
        why: why.into(),
    };
    let token = client
        .auth_token
        .as_ref()
        .filter(|_| client.api_key_helper.is_none());
    let mut vars = Vec::new();
    match (auth, token) {
        (ClientAuth::Bearer, Some(token)) => {
            vars.push(secret(
                TOKEN,
                token,
                "the gateway key, sent as Authorization: Bearer",
            ));
        }
        (ClientAuth::XApiKey, Some(token)) => {
            vars.push(secret(API_KEY, token, "the gateway key, sent as x-api-key"));
        }
        (ClientAuth::Header { name, prefix }, Some(token)) => {
            vars.push(EnvVar {
                name: "ANTHROPIC_CUSTOM_HEADERS".into(),
                value: EnvValue::Template(vec![
                    Piece::Text(format!("{name}: {prefix}")),
                    Piece::Secret(token.secret.clone()),
                ]),
                why: "the gateway key, in the header the gateway reads".into(),
            });
            // Claude Code will not start against a base URL without a credential of its own.
            vars.push(secret(
                TOKEN,
                token,
                "lets Claude Code start; the gateway reads the custom header",
            ));
        }
        _ => {}
    }
    if !vars.iter().any(|v| v.name == API_KEY) {
        vars.push(unset(
            API_KEY,
            "it would also be sent, as x-api-key, and some gateways reject the pair",
        ));
    }
    if matches!(auth, ClientAuth::XApiKey) {
        vars.push(unset(
            TOKEN,
            "it would be sent as Authorization: Bearer, which this gateway does not read",
        ));
    }
    vars
}

/// Without a gateway: the provider's switch, what its options set (in `direct` and `proxy` the
/// recipe's models are already the provider's ids, see [`super::models::resolve_direct`]).
fn direct_env(setup: &Setup, provider: &Provider) -> Result<Vec<EnvVar>, Diagnostic> {
    let mut vars = Vec::new();
    match provider.kind {
        ProviderKind::Anthropic => {}
        ProviderKind::Bedrock => vars.push(flag("CLAUDE_CODE_USE_BEDROCK", "use Amazon Bedrock")),
        ProviderKind::Vertex => vars.push(flag("CLAUDE_CODE_USE_VERTEX", "use Google Vertex AI")),
        ProviderKind::Raw => {
            return Err(Diagnostic::error(
                "GW5003",
                format!("Claude Code cannot talk to a raw provider directly (pattern \"{}\")", setup.pattern.name()),
                "use provider(\"anthropic\"|\"bedrock\"|\"vertex\", …), or put a gateway in front of it",
            )
            .at(provider.span));
        }
    }
    // With an apiKeyHelper, the helper hands Claude Code the key.
    let helper = setup.client.api_key_helper.is_some();
    vars.extend(
        direct::vars(&setup.client, provider)
            .into_iter()
            .filter(|v| !(helper && v.name == "ANTHROPIC_API_KEY")),
    );
    vars.extend(model_vars(&setup.client));
    Ok(vars)
}

const REGION: &str = "AWS_REGION";
const VERTEX_REGION: &str = "CLOUD_ML_REGION";
const PROJECT: &str = "ANTHROPIC_VERTEX_PROJECT_ID";

/// The Vertex region Claude Code names in request paths behind a gateway's Vertex endpoint.
pub(super) fn gateway_vertex_region(setup: &Setup) -> Option<String> {
    cloud_option(
        setup,
        &setup.client.region,
        ProviderKind::Vertex,
        VERTEX_REGION,
    )
}

/// A cloud setting for Claude Code: the recipe's client value, else the first provider of `kind`
/// that sets the option carried by `variable` (under any of its spellings), e.g. the Bedrock
/// region of a gateway deployment.
fn cloud_option(
    setup: &Setup,
    client_value: &Option<String>,
    kind: ProviderKind,
    variable: &str,
) -> Option<String> {
    let option = direct::options(kind)
        .iter()
        .find(|o| o.variable == variable)?;
    let deployments = setup
        .gateway
        .iter()
        .flat_map(|g| g.deployments.iter().map(|d| &d.provider));
    client_value.clone().or_else(|| {
        setup
            .provider
            .iter()
            .chain(deployments)
            .filter(|p| p.kind == kind)
            .find_map(|p| option.given(p)?.1.as_str().map(str::to_owned))
    })
}

fn proxy_var(proxy: &gwscript_plugin::model::CorporateProxy) -> EnvVar {
    let why = "the corporate proxy every request goes through";
    match (&proxy.username, &proxy.password) {
        (None, None) => literal("HTTPS_PROXY", proxy.url.clone(), why),
        (user, password) => {
            let (scheme, rest) = proxy.url.split_once("://").unwrap_or(("http", &proxy.url));
            let mut pieces = vec![Piece::Text(format!("{scheme}://"))];
            if let Some(user) = user {
                pieces.push(Piece::UrlEncodedSecret(user.secret.clone()));
            }
            if let Some(password) = password {
                pieces.push(Piece::Text(":".into()));
                pieces.push(Piece::UrlEncodedSecret(password.secret.clone()));
            }
            pieces.push(Piece::Text(format!("@{rest}")));
            EnvVar {
                name: "HTTPS_PROXY".into(),
                value: EnvValue::Template(pieces),
                why: why.into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Limits, run};

    fn env_of(source: &str) -> Vec<(String, EnvValue)> {
        let setup = run(source, None, Limits::default()).unwrap_or_else(|d| panic!("{d:#?}"));
        let manifest = gwscript_plugin::testing::manifest("litellm");
        let manifest = setup.gateway.as_ref().map(|_| &manifest);
        client_env(&setup, manifest, &[])
            .expect("builds")
            .into_iter()
            .map(|v| (v.name, v.value))
            .collect()
    }

    fn lit(value: &str) -> EnvValue {
        EnvValue::Literal(value.into())
    }

    #[test]
    fn every_direct_bedrock_option_reaches_claude_code() {
        let env = env_of(
            r#"emit(pattern("direct", #{
                provider: provider("bedrock", #{ region: "eu-central-1", aws_profile_name: "dev",
                    api_base: "https://bedrock-runtime.vpce.example", aws_access_key_id: secret("AWS_ACCESS_KEY_ID"),
                    aws_secret_access_key: secret("TEAM_AWS_SECRET") }),
                model: "claude-sonnet-4-5",
                env: #{ ANTHROPIC_BASE_URL: "https://ignored.example", ANTHROPIC_MODEL: "x", DISABLE_AUTOUPDATER: "1" },
            }));"#,
        );
        assert_eq!(
            env,
            [
                ("CLAUDE_CODE_USE_BEDROCK".into(), lit("1")),
                ("AWS_REGION".into(), lit("eu-central-1")),
                ("AWS_PROFILE".into(), lit("dev")),
                (
                    "ANTHROPIC_BEDROCK_BASE_URL".into(),
                    lit("https://bedrock-runtime.vpce.example")
                ),
                (
                    "AWS_ACCESS_KEY_ID".into(),
                    EnvValue::Secret("AWS_ACCESS_KEY_ID".into())
                ),
                (
                    "AWS_SECRET_ACCESS_KEY".into(),
                    EnvValue::Secret("TEAM_AWS_SECRET".into())
                ),
                (
                    "ANTHROPIC_MODEL".into(),
                    lit("eu.anthropic.claude-sonnet-4-5-20250929-v1:0")
                ),
                // The recipe's base URL is ignored under Bedrock and its model replaced.
                ("DISABLE_AUTOUPDATER".into(), lit("1")),
            ]
        );
    }

    #[test]
    fn anthropic_and_vertex_options_reach_claude_code() {
        let anthropic = env_of(
            r#"emit(pattern("direct", #{ provider: provider("anthropic", #{
                api_key: secret("ANTHROPIC_API_KEY"), api_base: "https://llm.corp.example" }) }));"#,
        );
        assert_eq!(
            anthropic,
            [
                (
                    "ANTHROPIC_API_KEY".into(),
                    EnvValue::Secret("ANTHROPIC_API_KEY".into())
                ),
                ("ANTHROPIC_BASE_URL".into(), lit("https://llm.corp.example")),
            ]
        );
        let vertex = env_of(
            r#"emit(pattern("direct", #{ provider: provider("vertex", #{ project: "p",
                region: "europe-west1", credentials: "/etc/gcp/claude.json" }), opus_model: "claude-opus-4-1" }));"#,
        );
        assert_eq!(
            vertex,
            [
                ("CLAUDE_CODE_USE_VERTEX".into(), lit("1")),
                ("ANTHROPIC_VERTEX_PROJECT_ID".into(), lit("p")),
                ("CLOUD_ML_REGION".into(), lit("europe-west1")),
                (
                    "GOOGLE_APPLICATION_CREDENTIALS".into(),
                    lit("/etc/gcp/claude.json")
                ),
                (
                    "ANTHROPIC_DEFAULT_OPUS_MODEL".into(),
                    lit("claude-opus-4-1@20250805")
                ),
            ]
        );
    }

    #[test]
    fn no_proxy_matches_hosts_as_clients_do() {
        assert!(no_proxy_covers("llm.corp.example", &["corp.example"]));
        assert!(no_proxy_covers("LLM.corp.example", &[".corp.example"]));
        assert!(no_proxy_covers("llm.corp.example", &["*.corp.example"]));
        assert!(no_proxy_covers("127.0.0.1", &["localhost", "127.0.0.1"]));
        assert!(no_proxy_covers("anything", &["*"]));
        assert!(!no_proxy_covers("evilcorp.example", &["corp.example"]));
        assert!(!no_proxy_covers("llm.corp.example", &[""]));
        assert!(!no_proxy_covers("llm.corp.example", &["*."]));
    }

    #[test]
    fn a_gateways_vertex_region_is_found_under_any_spelling() {
        let env = env_of(
            r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000" });
            gw.deploy("claude-sonnet-4-5", provider("vertex", #{ project: "p", region: "europe-west1" }));
            emit(pattern("gateway", #{ gateway: gw, endpoint: "vertex", auth_token: secret("K"),
                sonnet_model: "claude-sonnet-4-5" }));"#,
        );
        assert!(
            env.contains(&("CLOUD_ML_REGION".into(), lit("europe-west1"))),
            "{env:?}"
        );
        assert!(
            env.contains(&(
                "ANTHROPIC_DEFAULT_SONNET_MODEL".into(),
                lit("claude-sonnet-4-5")
            )),
            "group names stay group names: {env:?}"
        );
    }
}
