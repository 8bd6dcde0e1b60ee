//! Zuplo-specific test values on top of the SDK's builders (`gwscript_plugin::testing`).

use gwscript_plugin::model::{Deployment, Gateway, Param};
use gwscript_plugin::testing::{gateway, literal, map};

/// A Zuplo gateway at a zuplo.app URL with the given deployments and no options.
pub fn zuplo_gateway(deployments: Vec<Deployment>) -> Gateway {
    let mut gateway = gateway(crate::GATEWAY_KIND, deployments, vec![]);
    gateway.url = "https://claude-code-main-1a2b3c.zuplo.app".into();
    gateway
}

/// One `usage_limits` entry: string fields, then the limit.
pub fn limit_entry(fields: &[(&'static str, &'static str)], limit: f64) -> Param {
    map(fields
        .iter()
        .map(|(key, value)| (*key, literal(*value)))
        .chain([("limit", literal(limit))]))
}
