//! Where the Zuplo route forwards Claude Code's requests, and the key it adds on the way. A route
//! has one upstream: the `upstream` gateway option, else the Anthropic deployments' `api_base`,
//! else the Anthropic API. The key is the deployments' `api_key` secret, which Zuplo reads from its
//! own environment as `$env(NAME)`. The checks, the context and the report all read this.

use gwscript_plugin::model::{Deployment, Gateway, Param, ProviderKind};

/// Where Claude Code's requests go when the recipe names no other upstream.
pub const ANTHROPIC_API: &str = "https://api.anthropic.com";

/// The gateway option that overrides the deployments' `api_base`.
pub const OPTION: &str = "upstream";

/// The provider options the route uses; any other is ignored (GW4207).
pub const PROVIDER_OPTIONS: [&str; 2] = ["api_key", "api_base"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream<'a> {
    /// The handler's `baseUrl`, without a trailing `/`.
    pub url: &'a str,
    /// The environment variable holding the upstream key, when a deployment names one.
    pub key: Option<&'a str>,
}

pub fn resolve(gateway: &Gateway) -> Upstream<'_> {
    let url = gateway
        .option(OPTION)
        .and_then(Param::as_str)
        .or_else(|| anthropic(gateway).find_map(api_base))
        .unwrap_or(ANTHROPIC_API);
    Upstream {
        url: url.trim_end_matches('/'),
        key: anthropic(gateway).find_map(key_name),
    }
}

/// The deployments the route can forward to.
pub fn anthropic(gateway: &Gateway) -> impl Iterator<Item = &Deployment> {
    gateway
        .deployments
        .iter()
        .filter(|d| d.provider.kind == ProviderKind::Anthropic)
}

pub fn api_base(deployment: &Deployment) -> Option<&str> {
    deployment
        .provider
        .option("api_base")
        .and_then(Param::as_str)
}

pub fn key_name(deployment: &Deployment) -> Option<&str> {
    deployment
        .provider
        .option("api_key")
        .and_then(Param::secret_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::zuplo_gateway;
    use gwscript_plugin::testing::{
        anthropic as anthropic_deployment, bedrock, literal, with_gateway_option, with_option,
    };

    #[test]
    fn defaults_to_the_anthropic_api_with_the_deployments_key() {
        let gateway = zuplo_gateway(vec![anthropic_deployment("claude-sonnet-4-5", "m")]);
        assert_eq!(
            resolve(&gateway),
            Upstream {
                url: ANTHROPIC_API,
                key: Some("ANTHROPIC_API_KEY")
            }
        );
    }

    #[test]
    fn the_option_wins_over_api_base_and_trailing_slashes_go() {
        let deployment = with_option(
            anthropic_deployment("claude-sonnet-4-5", "m"),
            "api_base",
            literal("https://llm.corp.example/anthropic/"),
        );
        let gateway = zuplo_gateway(vec![bedrock("b", "m", None), deployment]);
        assert_eq!(resolve(&gateway).url, "https://llm.corp.example/anthropic");
        let overridden =
            with_gateway_option(gateway, OPTION, literal("https://proxy.corp.example"));
        assert_eq!(resolve(&overridden).url, "https://proxy.corp.example");
    }

    #[test]
    fn a_literal_key_is_no_key() {
        let deployment = with_option(
            anthropic_deployment("claude-sonnet-4-5", "m"),
            "api_key",
            literal("sk-ant-literal"),
        );
        assert_eq!(resolve(&zuplo_gateway(vec![deployment])).key, None);
    }
}
