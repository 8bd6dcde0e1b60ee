//! Custom-gateway test values on top of the SDK's builders and renderer
//! (`gwscript_plugin::testing`), which apply the host's rules.

use gwscript_plugin::model::{Deployment, Gateway};
use gwscript_plugin::testing::gateway;

/// A custom gateway on loopback port 4000 with no options.
pub fn custom_gateway(deployments: Vec<Deployment>) -> Gateway {
    gateway(crate::GATEWAY_KIND, deployments, vec![])
}
