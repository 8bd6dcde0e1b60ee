//! Custom-gateway test values on top of the SDK's builders and renderer
//! (`gwscript_plugin::testing`), which apply the host's rules.

use gwscript_plugin::model::{Deployment, Gateway, Param};
use gwscript_plugin::testing::{gateway, with_gateway_option};

/// A custom gateway on loopback port 4000 with no options.
pub fn custom_gateway(deployments: Vec<Deployment>) -> Gateway {
    gateway(crate::GATEWAY_KIND, deployments, vec![])
}

/// Sets several gateway options at once.
pub fn with_options<'a>(
    gateway: Gateway,
    options: impl IntoIterator<Item = (&'a str, Param)>,
) -> Gateway {
    options.into_iter().fold(gateway, |gateway, (key, value)| {
        with_gateway_option(gateway, key, value)
    })
}
