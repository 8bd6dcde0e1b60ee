//! MintMCP test values on top of the SDK's builders (`gwscript_plugin::testing`).

use crate::options::Monitor;
use gwscript_plugin::Setup;
use gwscript_plugin::model::{Gateway, Param, Scope};
use gwscript_plugin::testing::{
    anthropic, direct_monitored_by, gateway, setup_for, with_gateway_options,
};

/// A MintMCP gateway serving one model group through its LLM proxy, with the given options.
pub fn gateway_with_options<'a>(options: impl IntoIterator<Item = (&'a str, Param)>) -> Gateway {
    let proxied = gateway(
        crate::GATEWAY_KIND,
        vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929")],
        vec![],
    );
    with_gateway_options(proxied, options)
}

/// MintMCP as the gateway, the proxied rollout: pattern `gateway`, managed scope.
pub fn managed_setup(gateway: Gateway) -> Setup {
    let mut setup = setup_for(gateway);
    setup.client.scope = Scope::Managed;
    setup
}

/// MintMCP as a monitor at its own URL, with the given options, beside direct Anthropic traffic:
/// the hooks-only rollout, managed scope.
pub fn monitored_setup<'a>(options: impl IntoIterator<Item = (&'a str, Param)>) -> Setup {
    let mut monitor = gateway(crate::GATEWAY_KIND, vec![], vec![]);
    monitor.url = "https://mintmcp.corp.example".into();
    let mut setup = direct_monitored_by(vec![with_gateway_options(monitor, options)]);
    setup.client.scope = Scope::Managed;
    setup
}

/// The options as MintMCP reads them from `setup`, in whichever role it plays there.
pub fn monitor_of(setup: &Setup) -> Monitor {
    let (role, gateway) = setup
        .gateway_of_kind(crate::GATEWAY_KIND)
        .expect("the setup uses MintMCP");
    Monitor::read(setup, role, gateway).expect("the options read")
}
