//! TrueFoundry-specific test values on top of the SDK's builders (`gwscript_plugin::testing`).

use gwscript_plugin::model::{Deployment, Gateway};
use gwscript_plugin::testing::{gateway, literal, with_gateway_option, with_routing};

/// A TrueFoundry gateway on loopback with no options and no fallbacks.
pub fn tfy_gateway(deployments: Vec<Deployment>) -> Gateway {
    gateway(crate::GATEWAY_KIND, deployments, vec![])
}

/// Sets `secret_group: "acme:llm-keys"`.
pub fn with_secret_group(gateway: Gateway) -> Gateway {
    with_gateway_option(gateway, "secret_group", literal("acme:llm-keys"))
}

pub fn ordered(deployment: Deployment, order: i64) -> Deployment {
    with_routing(deployment, "order", literal(order))
}

pub fn weighted(deployment: Deployment, weight: i64) -> Deployment {
    with_routing(deployment, "weight", literal(weight))
}
