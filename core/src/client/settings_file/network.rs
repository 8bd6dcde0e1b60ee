//! The way to the gateway: a base URL that doubles `/v1` (GW5023), a proxy URL Claude Code cannot
//! use (GW5024), an internal gateway sent through the corporate proxy (GW5025), and a CA bundle
//! set where Node never reads it (GW5026), and header lines Claude Code cannot send as meant
//! (GW5031).

use super::Settings;
use super::layers::Var;
use crate::client::env::{no_proxy_covers, read_at_process_start};
use crate::client::headers;
use crate::client::precedence::ClientProvider;
use gwscript_plugin::Diagnostic;
use std::net::IpAddr;

const PROXIES: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

pub(super) fn check(settings: &Settings<'_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for var in settings.env.in_file() {
        found.extend(doubled_version(var));
        found.extend(unusable_proxy(var));
        found.extend(read_too_late(settings, var));
        if var.name == headers::CUSTOM_HEADERS {
            found.extend(headers::findings(var.value, var.value_span()));
        }
    }
    found.extend(proxied_gateway(settings));
    found
}

/// GW5023: Claude Code appends `/v1/messages` to `ANTHROPIC_BASE_URL`, so a base URL ending in
/// `/v1` asks for `/v1/v1/messages`. (A Vertex base URL does end in `/v1`: it is not checked.)
fn doubled_version(var: &Var<'_>) -> Option<Diagnostic> {
    let path = var.value.split(['?', '#']).next().unwrap_or_default();
    if var.name != "ANTHROPIC_BASE_URL" || !path.trim_end_matches('/').ends_with("/v1") {
        return None;
    }
    Some(
        Diagnostic::error(
            "GW5023",
            "ANTHROPIC_BASE_URL ends in /v1: Claude Code appends /v1/messages itself, so every request goes to …/v1/v1/messages and fails",
            "drop the trailing /v1 from ANTHROPIC_BASE_URL (the gateway's root, e.g. https://llm.corp.example)",
        )
        .at(var.value_span()),
    )
}

/// GW5024: a proxy variable that is not an `http://` or `https://` URL: without a scheme Claude
/// Code does not start, and it speaks to no SOCKS proxy. Only the scheme is shown: the URL may
/// hold credentials.
fn unusable_proxy(var: &Var<'_>) -> Option<Diagnostic> {
    if !PROXIES.contains(&var.name) {
        return None;
    }
    let lower = var.value.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return None;
    }
    let message = match lower.split_once("://") {
        Some((scheme, _))
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            format!(
                "{} is a {scheme}:// URL: Claude Code only uses http:// and https:// proxies",
                var.name
            )
        }
        _ => format!(
            "{} has no http:// or https:// scheme: Claude Code does not start with it",
            var.name
        ),
    };
    Some(
        Diagnostic::error(
            "GW5024",
            message,
            format!(
                "write {} as a full URL, e.g. http://proxy.corp.example:3128 (credentials, if any, as http://user:password@host:port, exported in the shell)",
                var.name
            ),
        )
        .at(var.value_span())
        .sensitive(),
    )
}

/// GW5025: with a corporate proxy set, an internal gateway's host must be in `NO_PROXY`, or
/// Claude Code's requests to it go to the proxy, which cannot reach it.
fn proxied_gateway(settings: &Settings<'_>) -> Option<Diagnostic> {
    let env = &settings.env;
    let proxy = env.first(&PROXIES)?;
    let base_url = env.get(base_url_of(env.provider()))?;
    let host = gwscript_plugin::url::host(base_url.value);
    if host.is_empty() || !is_internal(host) {
        return None;
    }
    let no_proxy = env.first(&["NO_PROXY", "no_proxy"]);
    let entries: Vec<&str> = no_proxy.map_or(Vec::new(), |v| {
        v.value
            .split([',', ' '])
            .filter(|e| !e.is_empty())
            .collect()
    });
    if no_proxy_covers(host, &entries) {
        return None;
    }
    let at = [no_proxy, Some(proxy), Some(base_url)]
        .into_iter()
        .flatten()
        .find(|v| v.in_file())?;
    Some(
        Diagnostic::warning(
            "GW5025",
            format!(
                "{} is set and NO_PROXY does not cover the gateway's host {host}: Claude Code sends its requests to the internal gateway through the corporate proxy",
                proxy.name
            ),
            format!("add {host} to NO_PROXY (a comma-separated list: \"NO_PROXY\": \"localhost,{host}\")"),
        )
        .at(at.name_span()),
    )
}

/// The base URL the provider reads.
fn base_url_of(provider: ClientProvider) -> &'static str {
    match provider {
        ClientProvider::Bedrock => "ANTHROPIC_BEDROCK_BASE_URL",
        ClientProvider::Vertex => "ANTHROPIC_VERTEX_BASE_URL",
        ClientProvider::Foundry => "ANTHROPIC_FOUNDRY_BASE_URL",
        ClientProvider::AnthropicAws => "ANTHROPIC_AWS_BASE_URL",
        ClientProvider::Mantle => "ANTHROPIC_BEDROCK_MANTLE_BASE_URL",
        ClientProvider::FirstParty => "ANTHROPIC_BASE_URL",
    }
}

/// Names a corporate proxy cannot reach: this machine, private and link-local addresses, names
/// without a domain, and the suffixes reserved for internal networks.
fn is_internal(host: &str) -> bool {
    const SUFFIXES: [&str; 8] = [
        ".internal",
        ".local",
        ".localhost",
        ".lan",
        ".corp",
        ".intranet",
        ".private",
        ".home.arpa",
    ];
    if gwscript_plugin::url::is_loopback_host(host) {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_private() || ip.is_link_local(),
        Ok(IpAddr::V6(ip)) => {
            let first = ip.segments()[0];
            // Unique local (fc00::/7) and link-local (fe80::/10).
            (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
        Err(_) => {
            let host = host.to_ascii_lowercase();
            !host.contains('.') || SUFFIXES.iter().any(|s| host.ends_with(s))
        }
    }
}

/// GW5026: Node reads `NODE_EXTRA_CA_CERTS` when the process starts, before settings apply, so
/// from settings it does not reach Claude Code's own TLS (gwscript's exports put it in the shell
/// for the same reason). With `--env`, the shell exporting the same value is fine.
fn read_too_late(settings: &Settings<'_>, var: &Var<'_>) -> Option<Diagnostic> {
    if !read_at_process_start(var.name) {
        return None;
    }
    let exported = settings
        .file
        .environment
        .and_then(|shell| shell.get(var.name))
        .is_some_and(|value| value == var.value);
    if exported {
        return None;
    }
    let shell = if settings.env.with_shell() {
        ", and the environment does not export it"
    } else {
        ""
    };
    Some(
        Diagnostic::warning(
            "GW5026",
            format!(
                "{} is only in the settings{shell}: Node reads it when Claude Code starts, before settings apply, so Claude Code's own connections do not trust that CA",
                var.name
            ),
            format!(
                "export {} in the shell profile that starts claude; keep it in settings only for the tools Claude Code runs",
                var.name
            ),
        )
        .at(var.name_span()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::SettingsScope;
    use super::super::tests_support::{codes, findings, with_env};
    use super::*;

    #[test]
    fn gw5023_a_base_url_ending_in_v1() {
        for url in [
            "https://gw.example/v1",
            "https://gw.example/v1/",
            "http://127.0.0.1:4000/v1?x=1",
        ] {
            let text = format!(r#"{{"env": {{"ANTHROPIC_BASE_URL": "{url}"}}}}"#);
            let found = findings(&text, SettingsScope::Project, None);
            assert_eq!(found.len(), 1, "{url}");
            assert_eq!(found[0].code, "GW5023");
            assert!(found[0].is_error());
            assert_eq!(found[0].span.map(|s| s.column), Some(32), "at the value");
        }
        for url in [
            "https://gw.example",
            "https://gw.example/v1beta",
            "https://gw.example/api/v1x",
        ] {
            let text = format!(r#"{{"env": {{"ANTHROPIC_BASE_URL": "{url}"}}}}"#);
            assert!(codes(&text, None).is_empty(), "{url}");
        }
        let vertex = r#"{"env": {"CLAUDE_CODE_USE_VERTEX": "1", "ANTHROPIC_VERTEX_PROJECT_ID": "p",
            "ANTHROPIC_VERTEX_BASE_URL": "https://gw/vertex_ai/v1"}}"#;
        assert!(codes(vertex, None).is_empty());
    }

    #[test]
    fn gw5024_a_proxy_url_claude_code_cannot_use() {
        for (value, says) in [
            (
                "proxy.corp.example:3128",
                "has no http:// or https:// scheme",
            ),
            (
                "user:pw@proxy.corp.example:3128",
                "has no http:// or https:// scheme",
            ),
            ("socks5://proxy.corp.example:1080", "is a socks5:// URL"),
        ] {
            let text = format!(r#"{{"env": {{"HTTPS_PROXY": "{value}"}}}}"#);
            let found = findings(&text, SettingsScope::Project, None);
            let gw5024 = found.iter().find(|d| d.code == "GW5024").expect(value);
            assert!(
                gw5024.is_error() && gw5024.message.contains(says),
                "{}",
                gw5024.message
            );
            assert!(!gw5024.message.contains("pw@") && !gw5024.message.contains("proxy.corp"));
        }
        assert!(
            codes(
                r#"{"env": {"HTTPS_PROXY": "HTTP://proxy.corp.example:3128"}}"#,
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn gw5025_an_internal_gateway_behind_the_corporate_proxy() {
        let text = |no_proxy: &str| {
            format!(
                r#"{{"env": {{"ANTHROPIC_BASE_URL": "http://llm.corp.internal:4000", "HTTPS_PROXY": "http://proxy.corp.example:3128"{no_proxy}}}}}"#
            )
        };
        let found = findings(&text(""), SettingsScope::Project, None);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "GW5025");
        assert!(!found[0].is_error());
        assert!(found[0].help.contains("llm.corp.internal"));
        let missed = findings(
            &text(r#", "NO_PROXY": "localhost,other.internal""#),
            SettingsScope::Project,
            None,
        );
        assert_eq!(missed.len(), 1);
        assert_eq!(missed[0].span.map(|s| s.column), Some(114), "at NO_PROXY");
        for covering in [".corp.internal", "llm.corp.internal", "*"] {
            let text = text(&format!(r#", "NO_PROXY": "localhost, {covering}""#));
            assert!(codes(&text, None).is_empty(), "{covering}");
        }
        let public = r#"{"env": {"ANTHROPIC_BASE_URL": "https://llm.example.com", "HTTPS_PROXY": "http://proxy:3128"}}"#;
        assert!(
            codes(public, None).is_empty(),
            "a public gateway is reached through the proxy"
        );
        // The shell's proxy counts with --env.
        let no_proxy_in_file =
            r#"{"env": {"ANTHROPIC_BASE_URL": "http://10.1.2.3:4000", "NO_PROXY": "localhost"}}"#;
        assert!(codes(no_proxy_in_file, None).is_empty());
        let shell = with_env(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("ANTHROPIC_AUTH_TOKEN", "t"),
        ]);
        assert_eq!(codes(no_proxy_in_file, Some(&shell)), ["GW5025"]);
    }

    #[test]
    fn internal_hosts() {
        for host in [
            "localhost",
            "127.0.0.1",
            "10.0.0.8",
            "192.168.1.4",
            "172.16.0.1",
            "169.254.1.1",
            "fd00::1",
            "gateway",
            "llm.corp",
            "gw.home.arpa",
        ] {
            assert!(is_internal(host), "{host}");
        }
        for host in ["llm.example.com", "8.8.8.8", "2001:db8::1", "172.32.0.1"] {
            assert!(!is_internal(host), "{host}");
        }
    }

    #[test]
    fn gw5026_a_ca_bundle_only_in_settings() {
        let text = r#"{"env": {"NODE_EXTRA_CA_CERTS": "/etc/ssl/corp.pem"}}"#;
        let found = findings(text, SettingsScope::User, None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "GW5026");
        assert!(!found[0].is_error());
        assert!(
            codes(
                text,
                Some(&with_env(&[("NODE_EXTRA_CA_CERTS", "/etc/ssl/corp.pem")]))
            )
            .is_empty()
        );
        let other = with_env(&[("NODE_EXTRA_CA_CERTS", "/etc/ssl/other.pem")]);
        let found = findings(text, SettingsScope::User, Some(&other));
        assert!(
            found[0]
                .message
                .contains("and the environment does not export it")
        );
    }
}
