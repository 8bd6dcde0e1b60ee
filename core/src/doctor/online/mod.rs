//! `doctor --online`: live checks of what the effective configuration points at, each a
//! diagnostic, every connection bounded by [`connect::TIMEOUT`]:
//!
//! - GW5052: each gateway base URL in effect answers a health route;
//! - GW5053: an https gateway negotiates TLS 1.2 or later, with a certificate Claude Code trusts;
//! - GW5054: the gateway refuses a made-up token; GW5055: it does not refuse the configured one
//!   (`ANTHROPIC_BASE_URL` only, the Messages format's `GET /v1/models`);
//! - GW5056 and GW5057: the corporate proxy is reachable and opens a tunnel.
//!
//! A check that passes is a note under its code, so the report says what was looked at. The
//! configured token is sent, by the header its variable names, to the gateway its settings name,
//! and never shown.

pub(crate) mod connect;
mod http;
pub(crate) mod tls;

use super::{Effective, Layer};
use crate::check::Finding;
use crate::client::no_proxy_covers;
use connect::{Proxy, Route, Tunnel};
use gwscript_plugin::Diagnostic;
use http::{Answer, Http};
use reqwest::Url;
use tls::Handshake;

/// Health routes tried in turn: LiteLLM's unauthenticated liveness route, the common one, the root.
const HEALTH_ROUTES: [&str; 3] = ["/health/liveliness", "/health", "/"];
/// A route of the Messages format that needs a key and costs nothing.
const AUTH_ROUTE: &str = "/v1/models";
/// What is sent as the made-up token.
const MADE_UP_TOKEN: &str = "gwscript-doctor-made-up-token";
/// The proxy variables, in the order the settings rules read them.
const PROXIES: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];
const NO_PROXIES: [&str; 2] = ["NO_PROXY", "no_proxy"];
/// Where Claude Code goes with no gateway: the proxy is checked with a tunnel there.
const ANTHROPIC_API: (&str, u16) = ("api.anthropic.com", 443);
/// The credentials Claude Code sends, highest first, each with the header it goes in.
const TOKENS: [(&str, &str, &str); 2] = [
    ("ANTHROPIC_AUTH_TOKEN", "authorization", "Bearer "),
    ("ANTHROPIC_API_KEY", "x-api-key", ""),
];

/// A gateway base URL in effect.
struct Gateway<'v> {
    variable: &'v Effective,
    url: Url,
    host: String,
    port: u16,
}

/// The findings, each at the variable it is about.
struct Findings<'l> {
    layers: &'l [Layer],
    found: Vec<Finding>,
}

impl Findings<'_> {
    fn at(&mut self, variable: &Effective, diagnostic: Diagnostic) {
        self.found.push(Finding {
            file: self.layers[variable.origin.layer].file().to_owned(),
            diagnostic: diagnostic.at(variable.origin.at.map(|at| at.name)),
        });
    }
}

pub fn check(layers: &[Layer], variables: &[Effective], settings: &[Effective]) -> Vec<Finding> {
    let set = |name: &str| {
        variables
            .iter()
            .find(|v| v.name == name && v.text().is_some())
    };
    let mut findings = Findings {
        layers,
        found: Vec::new(),
    };
    let gateways: Vec<Gateway<'_>> = variables
        .iter()
        .filter(|v| v.name.starts_with("ANTHROPIC_") && v.name.ends_with("BASE_URL"))
        .filter_map(gateway)
        .collect();
    let no_proxy: Vec<&str> = NO_PROXIES
        .iter()
        .find_map(|name| set(name))
        .and_then(Effective::text)
        .map(|list| list.split(',').collect())
        .unwrap_or_default();
    let proxy = PROXIES
        .iter()
        .find_map(|name| set(name))
        .and_then(|variable| proxy_check(variable, &gateways, &no_proxy, &mut findings));
    let extra_ca = set("NODE_EXTRA_CA_CERTS");
    let tls = match tls::client_config(extra_ca.and_then(Effective::text)) {
        Ok((config, problem)) => {
            if let (Some(problem), Some(variable)) = (problem, extra_ca) {
                findings.at(variable, extra_ca_unusable(&problem));
            }
            config
        }
        Err(why) => {
            findings.found.push(Finding {
                file: String::new(),
                diagnostic: Diagnostic::error(
                    "GW5053",
                    format!("doctor cannot set up TLS: {why}"),
                    "report this as a gwscript bug",
                ),
            });
            return findings.found;
        }
    };
    let helper = settings
        .iter()
        .any(|s| s.name == "apiKeyHelper" && s.text().is_some());
    for gateway in &gateways {
        let route = match &proxy {
            Some(proxy) if !no_proxy_covers(&gateway.host, &no_proxy) => Route::Via(proxy),
            _ => Route::Direct,
        };
        for diagnostic in gateway_checks(gateway, &tls, &route, &set, helper) {
            findings.at(gateway.variable, diagnostic);
        }
    }
    findings.found
}

/// GW5052–GW5055 for one gateway: TLS (https only), health, and, for the Messages format's
/// `ANTHROPIC_BASE_URL` when it answers, the keys.
fn gateway_checks<'v>(
    gateway: &Gateway<'_>,
    tls: &rustls::ClientConfig,
    route: &Route<'_>,
    set: &dyn Fn(&str) -> Option<&'v Effective>,
    helper: bool,
) -> Vec<Diagnostic> {
    let shown = gateway.variable.shown();
    let name = &gateway.variable.name;
    let mut found = Vec::new();
    if gateway.url.scheme() == "https" {
        found.extend(tls_check(tls, gateway, route, &shown));
    }
    let http = match Http::new(tls, route) {
        Ok(http) => http,
        Err(why) => {
            found.push(Diagnostic::error(
                "GW5052",
                format!("doctor cannot make requests to {shown} ({name}): {why}"),
                "check the URL and the proxy settings",
            ));
            return found;
        }
    };
    let (health, reachable) = health_check(&http, gateway, &shown, route);
    found.push(health);
    if reachable && name == "ANTHROPIC_BASE_URL" {
        found.extend(auth_checks(&http, gateway, set, helper));
    }
    found
}

/// The gateway a base URL variable names, when it is an http(s) URL with a host.
fn gateway(variable: &Effective) -> Option<Gateway<'_>> {
    let url = Url::parse(variable.text()?).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_owned();
    let port = url.port_or_known_default()?;
    Some(Gateway {
        variable,
        url,
        host,
        port,
    })
}

/// `base` + `route`, the base's own path kept (`https://gw/litellm` + `/health`).
fn joined(base: &Url, route: &str) -> String {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    format!("{}{route}", url.as_str().trim_end_matches('/'))
}

/// GW5056/GW5057: a tunnel through the proxy to the first gateway it carries (else to the
/// Anthropic API). Returns the proxy, for the gateway checks to go through, when its URL is one
/// doctor can use.
fn proxy_check(
    variable: &Effective,
    gateways: &[Gateway<'_>],
    no_proxy: &[&str],
    findings: &mut Findings<'_>,
) -> Option<Proxy> {
    let proxy = match Proxy::parse(variable.text().unwrap_or_default()) {
        Ok(proxy) => proxy,
        Err(why) => {
            let unusable = Diagnostic::warning(
                "GW5056",
                format!("doctor cannot check the proxy {}: {why}", variable.name),
                "write the proxy as http://host:port; `gwscript check --env` tells whether Claude Code can use it",
            );
            findings.at(variable, unusable);
            return None;
        }
    };
    let (host, port) = gateways
        .iter()
        .find(|g| !no_proxy_covers(&g.host, no_proxy))
        .map_or(ANTHROPIC_API, |g| (g.host.as_str(), g.port));
    let shown = variable.shown();
    let name = &variable.name;
    let diagnostic = match connect::tunnel(&proxy, host, port) {
        Tunnel::Open(_) => Diagnostic::note(
            "GW5056",
            format!("the proxy {shown} ({name}) opens a tunnel to {host}:{port}"),
            "nothing to do: the proxy is reachable and lets Claude Code through",
        ),
        // 407 is the standard answer; some proxies (tinyproxy) answer wrong credentials with 401,
        // which, to a CONNECT, can only be the proxy's own.
        Tunnel::Refused(status @ (401 | 407), reason) if proxy.has_credentials() => {
            Diagnostic::error(
                "GW5057",
                format!(
                    "the proxy {shown} ({name}) refuses the credentials in its URL: {status} {reason}"
                ),
                "check the user name and password (characters such as @ : / in them must be percent-encoded); export the proxy URL in the shell, never in a committed settings file",
            )
        }
        Tunnel::Refused(status @ (401 | 407), reason) => Diagnostic::error(
            "GW5057",
            format!(
                "the proxy {shown} ({name}) asks for credentials ({status} {reason}), and its URL has none"
            ),
            "export the proxy as http://user:password@host:port in the shell; Claude Code speaks only basic auth to a proxy (NTLM or Kerberos need a local relay such as cntlm)",
        ),
        Tunnel::Refused(status, reason) => Diagnostic::error(
            "GW5056",
            format!(
                "the proxy {shown} ({name}) refuses a tunnel to {host}:{port}: {status} {reason}"
            ),
            "the proxy's policy blocks that host or port: have it allowed, or add an internal gateway's host to NO_PROXY",
        ),
        Tunnel::Unreachable(why) => Diagnostic::error(
            "GW5056",
            format!("cannot reach the proxy {shown} ({name}): {why}"),
            "check the proxy's host and port and that it runs; every request Claude Code sends through it fails",
        ),
    };
    findings.at(variable, diagnostic);
    Some(proxy)
}

/// GW5053: the TLS version the gateway negotiates, and whether its certificate is trusted. A
/// gateway that cannot be reached at all is left to the health check.
fn tls_check(
    config: &rustls::ClientConfig,
    gateway: &Gateway<'_>,
    route: &Route<'_>,
    shown: &str,
) -> Option<Diagnostic> {
    let name = &gateway.variable.name;
    Some(
        match tls::handshake(config, &gateway.host, gateway.port, route) {
            Handshake::Negotiated(version) => Diagnostic::note(
                "GW5053",
                format!("{shown} ({name}) negotiates {version} with a trusted certificate"),
                "nothing to do: Claude Code needs TLS 1.2 or later",
            ),
            Handshake::TooOld(why) => Diagnostic::error(
                "GW5053",
                format!(
                    "{shown} ({name}) offers no TLS version Claude Code accepts (1.2 or later): {why}"
                ),
                "enable TLS 1.2 and 1.3 on the gateway, or on the load balancer in front of it",
            ),
            Handshake::Untrusted(version, why) => Diagnostic::error(
                "GW5053",
                format!(
                    "{shown} ({name}) negotiates {}, but its certificate is not trusted: {why}",
                    version.unwrap_or("TLS")
                ),
                "Claude Code trusts Mozilla's roots and the PEM file NODE_EXTRA_CA_CERTS names: export NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the shell (the gateway's CA, or a TLS-inspecting proxy's)",
            ),
            Handshake::Failed(why) => Diagnostic::error(
                "GW5053",
                format!("the TLS handshake with {shown} ({name}) failed: {why}"),
                "check that the gateway serves https on that port (http:// URLs skip TLS)",
            ),
            Handshake::Unreachable => return None,
        },
    )
}

fn extra_ca_unusable(problem: &str) -> Diagnostic {
    Diagnostic::warning(
        "GW5053",
        format!("NODE_EXTRA_CA_CERTS names a file doctor cannot use: {problem}"),
        "point NODE_EXTRA_CA_CERTS at a readable PEM file of CA certificates; Node skips a file it cannot read, and then trusts only its own roots",
    )
}

/// GW5052: the first health route that answers 2xx. Returns the finding, and whether the gateway
/// answered at all.
fn health_check(
    http: &Http,
    gateway: &Gateway<'_>,
    shown: &str,
    route: &Route<'_>,
) -> (Diagnostic, bool) {
    let name = &gateway.variable.name;
    let through = match route {
        Route::Via(_) => " through the proxy",
        Route::Direct => "",
    };
    let mut answers = Vec::new();
    for route in HEALTH_ROUTES {
        match http.get(&joined(&gateway.url, route), None) {
            Ok(status) if (200..300).contains(&status) => {
                let passed = Diagnostic::note(
                    "GW5052",
                    format!("{shown} ({name}) answers GET {route} with {status}"),
                    "nothing to do: the gateway is up and this machine reaches it",
                );
                return (passed, true);
            }
            Ok(status) => answers.push(format!("{route} {status}")),
            Err(why) => {
                let failed = Diagnostic::error(
                    "GW5052",
                    format!("{shown} ({name}) cannot be reached{through}: {why}"),
                    "check that the gateway runs and listens there, and that this machine reaches it (VPN, firewall, HTTPS_PROXY and NO_PROXY)",
                );
                return (failed, false);
            }
        }
    }
    let no_health = Diagnostic::warning(
        "GW5052",
        format!(
            "{shown} ({name}) answers, but no health route with 2xx: {}",
            answers.join(", ")
        ),
        "check that the URL is the gateway's root (LiteLLM answers /health/liveliness without a key); the same status everywhere can be a WAF or a login page in front of it",
    );
    (no_health, true)
}

/// GW5054 and GW5055: `GET /v1/models` with a made-up token and with the configured one, in the
/// header the configured one goes in (Bearer when none is set).
fn auth_checks<'v>(
    http: &Http,
    gateway: &Gateway<'_>,
    set: &dyn Fn(&str) -> Option<&'v Effective>,
    helper: bool,
) -> Vec<Diagnostic> {
    let url = joined(&gateway.url, AUTH_ROUTE);
    let configured = TOKENS
        .iter()
        .find_map(|(name, header, scheme)| Some((set(name)?, *header, *scheme)));
    let (header, scheme) = configured.map_or(("authorization", "Bearer "), |(_, h, s)| (h, s));
    let made_up = http.get(&url, Some((header, &format!("{scheme}{MADE_UP_TOKEN}"))));
    let mut found = vec![made_up_finding(made_up)];
    found.push(match configured {
        None => Diagnostic::note(
            "GW5055",
            format!(
                "no ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY is in effect to try against the gateway{}",
                if helper {
                    ": the key comes from apiKeyHelper, which doctor does not run"
                } else {
                    ""
                }
            ),
            "nothing to try; `gwscript check --env` tells whether Claude Code has a credential at all",
        ),
        Some((variable, header, scheme)) => {
            let value = format!("{scheme}{}", variable.text().unwrap_or_default());
            configured_finding(&variable.name, http.get(&url, Some((header, &value))))
        }
    });
    found
}

fn made_up_finding(answer: Answer) -> Diagnostic {
    match answer {
        Ok(status @ (401 | 403)) => Diagnostic::note(
            "GW5054",
            format!("the gateway refuses a made-up token: GET {AUTH_ROUTE} answers {status}"),
            "nothing to do: the gateway checks keys",
        ),
        Ok(status) if (200..300).contains(&status) => Diagnostic::warning(
            "GW5054",
            format!(
                "the gateway accepts a made-up token: GET {AUTH_ROUTE} answers {status}, so anyone who reaches it can use it"
            ),
            "turn on the gateway's key check (LiteLLM: a master_key, with virtual keys for teams)",
        ),
        Ok(status) => Diagnostic::note(
            "GW5054",
            format!(
                "cannot tell whether the gateway checks keys: GET {AUTH_ROUTE} answers {status} to a made-up token"
            ),
            "the gateway may not serve that route; try a request with a wrong key by hand",
        ),
        Err(why) => Diagnostic::note(
            "GW5054",
            format!(
                "cannot tell whether the gateway checks keys: GET {AUTH_ROUTE} got no answer ({why})"
            ),
            "the health check above says whether the gateway is reachable",
        ),
    }
}

fn configured_finding(name: &str, answer: Answer) -> Diagnostic {
    match answer {
        Ok(status @ (401 | 403)) => Diagnostic::error(
            "GW5055",
            format!("the gateway refuses the configured {name}: GET {AUTH_ROUTE} answers {status}"),
            "the key is wrong, expired or another gateway's; or the gateway reads another header (ANTHROPIC_AUTH_TOKEN goes as Authorization: Bearer, ANTHROPIC_API_KEY as x-api-key)",
        ),
        Ok(status) => Diagnostic::note(
            "GW5055",
            format!(
                "the gateway does not refuse the configured {name}: GET {AUTH_ROUTE} answers {status}"
            ),
            "nothing to do: the gateway takes the key",
        ),
        Err(why) => Diagnostic::note(
            "GW5055",
            format!(
                "cannot tell whether the gateway takes the configured {name}: GET {AUTH_ROUTE} got no answer ({why})"
            ),
            "the health check above says whether the gateway is reachable",
        ),
    }
}
