//! The gateway's options as typed values with their defaults, and the credential references the
//! gateway uses. The host has validated the options against the manifest's schema, so a value of
//! the wrong type cannot reach here; a missing one takes its default.

use gwscript_plugin::Setup;
use gwscript_plugin::model::{Gateway, Param, ProviderKind};

/// Where Claude Code's requests go when the recipe names no upstream.
pub const DEFAULT_UPSTREAM: &str = "https://api.anthropic.com";
/// Claude Code gives up after about 300 s without data; twice that leaves room for long thinking.
pub const DEFAULT_READ_TIMEOUT_S: i64 = 600;
pub const MIN_READ_TIMEOUT_S: i64 = 300;
/// Long conversations and images make bodies of several MiB; nginx's default is 1 MiB.
pub const DEFAULT_MAX_BODY_MB: i64 = 32;
/// A day: far past any answer, and small enough that Kong's milliseconds fit its 32-bit field.
pub const MAX_READ_TIMEOUT_S: i64 = 86_400;
/// 4 GiB: far past any conversation, and small enough that the size in bytes cannot overflow.
pub const MAX_BODY_MB: i64 = 4_096;

/// What the plugin emits for the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// An nginx config and its start script.
    Nginx,
    /// A decK declarative config for Kong Gateway's ai-proxy plugin.
    Kong,
    /// A checklist for a managed gateway (AWS API Gateway, Apigee) configured by hand.
    Checklist,
}

impl Server {
    pub const ALL: [Server; 3] = [Server::Nginx, Server::Kong, Server::Checklist];

    pub fn name(self) -> &'static str {
        match self {
            Server::Nginx => "nginx",
            Server::Kong => "kong",
            Server::Checklist => "checklist",
        }
    }

    /// Whether the server emits a config that holds the credentials (the checklist only
    /// describes them).
    pub fn holds_credentials(self) -> bool {
        self != Server::Checklist
    }
}

/// Typed access to one custom gateway's options.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    gateway: &'a Gateway,
}

impl<'a> Options<'a> {
    pub fn of(gateway: &'a Gateway) -> Self {
        Options { gateway }
    }

    pub fn server(&self) -> Server {
        let name = self.str("server");
        Server::ALL
            .into_iter()
            .find(|server| Some(server.name()) == name)
            .unwrap_or(Server::Nginx)
    }

    pub fn upstream(&self) -> &'a str {
        self.str("upstream").unwrap_or(DEFAULT_UPSTREAM)
    }

    pub fn read_timeout_s(&self) -> i64 {
        self.int("read_timeout").unwrap_or(DEFAULT_READ_TIMEOUT_S)
    }

    pub fn max_body_mb(&self) -> i64 {
        self.int("max_body_size_mb").unwrap_or(DEFAULT_MAX_BODY_MB)
    }

    pub fn tls_certificate(&self) -> Option<&'a str> {
        self.str("tls_certificate")
    }

    pub fn tls_certificate_key(&self) -> Option<&'a str> {
        self.str("tls_certificate_key")
    }

    fn str(&self, key: &str) -> Option<&'a str> {
        self.gateway.option(key).and_then(Param::as_str)
    }

    fn int(&self, key: &str) -> Option<i64> {
        self.gateway.option(key).and_then(Param::as_i64)
    }
}

/// The variable holding the key the gateway sends upstream as `x-api-key`: the gateway's
/// `upstream_api_key`, else the `api_key` its Anthropic deployments name.
pub fn upstream_key(gateway: &Gateway) -> Option<&str> {
    match gateway.option("upstream_api_key") {
        Some(option) => option.secret_name(),
        None => deployment_keys(gateway).next(),
    }
}

/// The `api_key` secret of each Anthropic deployment that names one, in order.
fn deployment_keys(gateway: &Gateway) -> impl Iterator<Item = &str> {
    gateway
        .deployments
        .iter()
        .filter(|d| d.provider.kind == ProviderKind::Anthropic)
        .filter_map(|d| d.provider.option("api_key")?.secret_name())
}

/// The variable holding the token Claude Code must present: the gateway's `gateway_token`, else
/// the token the recipe gives Claude Code (`auth_token`).
pub fn gateway_token<'a>(setup: &'a Setup, gateway: &'a Gateway) -> Option<&'a str> {
    match gateway.option("gateway_token") {
        Some(option) => option.secret_name(),
        None => setup.client.auth_token.as_ref().map(|s| s.secret.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{
        anthropic, deployment, literal, secret, setup_for, with_gateway_option,
        with_gateway_options,
    };

    #[test]
    fn defaults_apply_when_options_are_absent() {
        let gateway = custom_gateway(vec![]);
        let options = Options::of(&gateway);
        assert_eq!(options.server(), Server::Nginx);
        assert_eq!(options.upstream(), "https://api.anthropic.com");
        assert_eq!((options.read_timeout_s(), options.max_body_mb()), (600, 32));
        assert_eq!(options.tls_certificate(), None);
    }

    #[test]
    fn options_are_read_as_given() {
        let gateway = with_gateway_options(
            custom_gateway(vec![]),
            [
                ("server", literal("kong")),
                ("upstream", literal("https://llm.internal")),
                ("read_timeout", literal(900)),
                ("max_body_size_mb", literal(64)),
                ("tls_certificate", literal("/etc/gw.pem")),
            ],
        );
        let options = Options::of(&gateway);
        assert_eq!(options.server(), Server::Kong);
        assert_eq!(options.upstream(), "https://llm.internal");
        assert_eq!((options.read_timeout_s(), options.max_body_mb()), (900, 64));
        assert_eq!(options.tls_certificate(), Some("/etc/gw.pem"));
    }

    #[test]
    fn the_upstream_key_comes_from_the_option_else_the_deployments() {
        let gateway = custom_gateway(vec![
            deployment("s", ProviderKind::Anthropic, "m", &[]),
            anthropic("h", "m"),
        ]);
        assert_eq!(upstream_key(&gateway), Some("ANTHROPIC_API_KEY"));
        let gateway = with_gateway_option(gateway, "upstream_api_key", secret("CORP_KEY"));
        assert_eq!(upstream_key(&gateway), Some("CORP_KEY"));
        let literal_key = with_gateway_option(gateway, "upstream_api_key", literal("sk-x"));
        assert_eq!(upstream_key(&literal_key), None);
        assert_eq!(upstream_key(&custom_gateway(vec![])), None);
    }

    #[test]
    fn the_gateway_token_comes_from_the_option_else_claude_codes_token() {
        let setup = setup_for(custom_gateway(vec![]));
        let gateway = setup.gateway.as_ref().unwrap();
        assert_eq!(gateway_token(&setup, gateway), Some("GATEWAY_KEY"));
        let gateway = with_gateway_option(gateway.clone(), "gateway_token", secret("NGINX_TOKEN"));
        assert_eq!(gateway_token(&setup, &gateway), Some("NGINX_TOKEN"));
    }
}
