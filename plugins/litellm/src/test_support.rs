//! LiteLLM-specific test values on top of the SDK's builders and renderer
//! (`gwscript_plugin::testing`), which apply the host's rules.

use crate::LiteLlm;
use gwscript_plugin::Setup;
use gwscript_plugin::model::{Deployment, Fallback, Gateway};
use gwscript_plugin::testing::{
    gateway, literal, render, secret, with_gateway_option, with_routing,
};

/// A LiteLLM gateway on loopback with a master key reference and the given routing.
pub fn gateway_with(deployments: Vec<Deployment>, fallbacks: Vec<Fallback>) -> Gateway {
    with_gateway_option(
        gateway(crate::GATEWAY_KIND, deployments, fallbacks),
        "master_key",
        secret("LITELLM_MASTER_KEY"),
    )
}

pub fn routed(gateway: Gateway, strategy: &str) -> Gateway {
    with_gateway_option(gateway, "routing_strategy", literal(strategy))
}

pub fn ordered(deployment: Deployment, order: i64) -> Deployment {
    with_routing(deployment, "order", literal(order))
}

/// The rendered config.yaml, re-parsed.
pub fn render_config(setup: &Setup) -> serde_json::Value {
    let yaml = render::<LiteLlm>(setup, crate::manifest::CONFIG_PATH);
    serde_norway::from_str(&yaml)
        .unwrap_or_else(|e| panic!("config.yaml does not parse: {e}\n{yaml}"))
}
