//! Criterion 9, the way to the gateway: the corporate proxy (`--proxy`, or `HTTPS_PROXY` /
//! `HTTP_PROXY` with `NO_PROXY` as Claude Code reads them) lets the probe through with the basic
//! auth in its URL, and an https gateway negotiates TLS 1.2 or later with a certificate Claude Code
//! trusts (Mozilla's roots and `NODE_EXTRA_CA_CERTS`). The HTTP client every check uses is built
//! here, with the same proxy and trust.

use super::{Check, Probe, REQUEST_TIMEOUT, Target};
use crate::client::no_proxy_covers;
use crate::doctor::online::connect::{self, Tunnel};
use crate::doctor::online::tls::{self, Handshake};
use reqwest::Url;
use std::time::Duration;

const PROXY: &str = "transport.proxy";
const PROXY_CRITERION: &str = "the corporate proxy lets requests through to the gateway (basic auth from its URL; NO_PROXY honoured)";
const TLS: &str = "transport.tls";
const TLS_CRITERION: &str =
    "an https gateway negotiates TLS 1.2 or later with a certificate Claude Code trusts";

/// The longest wait for a connection: a proxy or gateway that does not answer fails promptly.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The proxy the requests to `url` go through, and where it was configured.
#[derive(Debug, Clone)]
struct ProxyChoice {
    url: String,
    source: &'static str,
}

/// What decides the way to the gateway.
#[derive(Debug, Clone)]
enum Way {
    Direct,
    /// NO_PROXY covers the gateway's host: the proxy named by `source` is bypassed.
    Exempt(&'static str),
    Proxy(ProxyChoice),
}

fn no_proxy_list() -> Vec<String> {
    ["NO_PROXY", "no_proxy"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .map(|list| list.split(',').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The proxy for `url`: `--proxy`, else the first proxy variable set, in the order Claude Code
/// reads them (it takes `HTTPS_PROXY` for plain-http gateways too), unless NO_PROXY covers the
/// host.
fn way(url: &str, flag: Option<&str>) -> Way {
    let parsed = Url::parse(url).ok();
    let choice = match flag {
        Some(proxy) => Some(ProxyChoice {
            url: proxy.to_owned(),
            source: "--proxy",
        }),
        None => ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]
            .iter()
            .find_map(|name| {
                std::env::var(name)
                    .ok()
                    .filter(|v| !v.is_empty())
                    .map(|proxy| ProxyChoice {
                        url: proxy,
                        source: name,
                    })
            }),
    };
    let Some(choice) = choice else {
        return Way::Direct;
    };
    let host = parsed
        .as_ref()
        .and_then(Url::host_str)
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    if no_proxy_covers(&host, &no_proxy_list()) {
        Way::Exempt(choice.source)
    } else {
        Way::Proxy(choice)
    }
}

/// How a probe run reaches the gateway, decided once: the proxy its way takes, and Claude Code's
/// trust store. The HTTP client and the proxy and TLS checks all go by it.
#[derive(Debug, Clone)]
pub(super) struct Route {
    way: Way,
    tls: rustls::ClientConfig,
}

/// The route of a probe run, and its HTTP client: no redirects followed (Claude Code's discovery
/// treats one as a failure, and a redirected POST loses its body), bounded waits, the route's
/// proxy and trust.
pub(super) fn connect(target: &Target) -> Result<(reqwest::Client, Route), String> {
    // reqwest is built without a TLS provider of its own: install rustls on ring first.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let extra_ca = std::env::var("NODE_EXTRA_CA_CERTS").ok();
    let (tls, problem) = tls::client_config(extra_ca.as_deref())?;
    if let Some(problem) = problem {
        return Err(format!("NODE_EXTRA_CA_CERTS cannot be used: {problem}"));
    }
    let route = Route {
        way: way(&target.url, target.proxy.as_deref()),
        tls,
    };
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(route.tls.clone())
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .no_proxy();
    if let Way::Proxy(choice) = &route.way {
        let no_proxy = reqwest::NoProxy::from_string(&no_proxy_list().join(","));
        let proxy = reqwest::Proxy::all(&choice.url)
            .map_err(|_| format!("the proxy URL from {} is not usable", choice.source))?
            .no_proxy(no_proxy);
        // Proxies may close a connection after each request without saying so (tinyproxy
        // does): a pooled connection would fail the next request.
        builder = builder.proxy(proxy).pool_max_idle_per_host(0);
    }
    let client = builder.build().map_err(|e| super::describe(&e))?;
    Ok((client, route))
}

/// The proxy and TLS checks, and whether the gateway can be reached at all: a proxy that refuses
/// the probe or cannot be reached stops the run here instead of failing every check alike.
pub(super) async fn checks(probe: &Probe) -> (Vec<Check>, bool) {
    let url = probe.target.url.clone();
    let route = probe.route.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let (proxy, reachable, route_proxy) = proxy_check(&url, &route.way);
        let tls = if reachable {
            tls_check(&url, route_proxy.as_ref(), &route.tls)
        } else {
            Check::skip(
                TLS,
                TLS_CRITERION,
                "the proxy did not let the probe through",
            )
        };
        (vec![proxy, tls], reachable)
    })
    .await;
    checked.unwrap_or_else(|e| {
        let failed = Check::fail(PROXY, PROXY_CRITERION, format!("the check stopped: {e}"));
        (vec![failed], false)
    })
}

/// The gateway's host and port.
fn host_port(url: &str) -> Option<(String, u16)> {
    let parsed = Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_owned();
    Some((host, parsed.port_or_known_default()?))
}

fn proxy_check(url: &str, way: &Way) -> (Check, bool, Option<connect::Proxy>) {
    let choice = match way {
        Way::Direct => {
            let none = "no proxy: --proxy not given, and no HTTPS_PROXY or HTTP_PROXY set";
            return (Check::skip(PROXY, PROXY_CRITERION, none), true, None);
        }
        Way::Exempt(source) => {
            let evidence = format!("NO_PROXY covers the gateway's host: {source} is bypassed");
            return (Check::skip(PROXY, PROXY_CRITERION, evidence), true, None);
        }
        Way::Proxy(choice) => choice,
    };
    let proxy = match connect::Proxy::parse(&choice.url) {
        Ok(proxy) => proxy,
        Err(why) => {
            let evidence = format!("the proxy from {} cannot be used: {why}", choice.source);
            let check = Check::fail(PROXY, PROXY_CRITERION, evidence)
                .with_fix("give the proxy as http://user:password@host:port");
            return (check, false, None);
        }
    };
    let shown = format!(
        "{} ({})",
        super::evidence::shown_url(&choice.url),
        choice.source
    );
    let Some((host, port)) = host_port(url) else {
        return (
            Check::fail(PROXY, PROXY_CRITERION, "the gateway URL has no host"),
            false,
            None,
        );
    };
    let credentials = if proxy.has_credentials() {
        "with the basic auth from its URL"
    } else {
        "without credentials"
    };
    let https = url.starts_with("https:");
    // A tunnel tells the proxy's own answer apart from the gateway's: a 401 or 407 to CONNECT
    // can only be the proxy's (tinyproxy answers wrong credentials with 401).
    let check = match connect::tunnel(&proxy, &host, port) {
        Tunnel::Open(_) => Check::pass(
            PROXY,
            PROXY_CRITERION,
            format!("the proxy {shown} opens a tunnel to {host}:{port} {credentials}"),
        ),
        Tunnel::Refused(status @ (401 | 407), reason) => {
            let evidence =
                format!("the proxy {shown} refused the probe {credentials}: {status} {reason}");
            let check = Check::fail(PROXY, PROXY_CRITERION, evidence).with_fix(
                "give the proxy's user and password in its URL, percent-encoded \
                 (http://user:password@host:port); Claude Code speaks only basic auth to a proxy",
            );
            return (check, false, None);
        }
        Tunnel::Refused(status, reason) if https => {
            let evidence =
                format!("the proxy {shown} refuses a tunnel to {host}:{port}: {status} {reason}");
            let check = Check::fail(PROXY, PROXY_CRITERION, evidence).with_fix(
                "have the proxy allow the gateway's host and port, or add the host to NO_PROXY",
            );
            return (check, false, None);
        }
        // Plain-http requests are forwarded, not tunnelled: a proxy may refuse CONNECT to a
        // port that is not 443 and still forward them.
        Tunnel::Refused(status, reason) => Check::warn(
            PROXY,
            PROXY_CRITERION,
            format!(
                "the proxy {shown} refuses CONNECT to {host}:{port} ({status} {reason}); \
                 plain-http requests are forwarded instead"
            ),
        )
        .with_fix("serve the gateway over https: a proxy tunnels it unread"),
        Tunnel::Unreachable(why) => {
            let evidence = format!("cannot reach the proxy {shown}: {why}");
            let check = Check::fail(PROXY, PROXY_CRITERION, evidence)
                .with_fix("check the proxy's host and port and that it runs");
            return (check, false, None);
        }
    };
    (check, true, Some(proxy))
}

fn tls_check(url: &str, proxy: Option<&connect::Proxy>, config: &rustls::ClientConfig) -> Check {
    if !url.starts_with("https:") {
        return Check::skip(TLS, TLS_CRITERION, "plain http: no TLS to check");
    }
    let Some((host, port)) = host_port(url) else {
        return Check::fail(TLS, TLS_CRITERION, "the gateway URL has no host");
    };
    let tunnel = proxy.map_or(connect::Route::Direct, connect::Route::Via);
    match tls::handshake(config, &host, port, &tunnel) {
        Handshake::Negotiated(version) => Check::pass(
            TLS,
            TLS_CRITERION,
            format!("{host}:{port} negotiated {version} with a trusted certificate"),
        ),
        Handshake::TooOld(why) => Check::fail(
            TLS,
            TLS_CRITERION,
            format!("{host}:{port} offers no TLS 1.2 or 1.3: {why}"),
        )
        .with_fix("enable TLS 1.2 and 1.3 on the gateway (nginx: ssl_protocols TLSv1.2 TLSv1.3)"),
        Handshake::Untrusted(version, why) => Check::fail(
            TLS,
            TLS_CRITERION,
            format!(
                "{host}:{port} ({}) has a certificate Claude Code does not trust: {why}",
                version.unwrap_or("no version")
            ),
        )
        .with_fix(
            "serve a certificate from a public CA, or give Claude Code the private CA with \
             NODE_EXTRA_CA_CERTS (the probe reads it too)",
        ),
        Handshake::Unreachable => Check::fail(
            TLS,
            TLS_CRITERION,
            format!("cannot connect to {host}:{port}"),
        ),
        Handshake::Failed(why) => Check::fail(
            TLS,
            TLS_CRITERION,
            format!("the handshake with {host}:{port} failed: {why}"),
        ),
    }
}
