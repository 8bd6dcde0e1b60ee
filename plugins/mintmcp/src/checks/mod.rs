//! Capability checks: what would leak the org key, leave developers unmonitored, send the events
//! nowhere, or, with MintMCP as the gateway, point Claude Code's model traffic somewhere the
//! recipe did not mean. One module per concern; each returns its own diagnostics.

pub mod codes;
mod events;
mod proxy;
mod rollout;
mod secrets;

use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Diagnostic, PluginRole, Setup};

/// `gateway` is MintMCP's part of `setup`, playing `role`.
pub fn run(setup: &Setup, role: PluginRole, gateway: &Gateway) -> Vec<Diagnostic> {
    let literal_key = secrets::check(gateway);
    let mut diagnostics = Vec::new();
    diagnostics.extend(events::check(role, gateway));
    diagnostics.extend(rollout::check(setup, gateway));
    // A monitor never carries Claude Code's model traffic.
    if role == PluginRole::Gateway {
        diagnostics.extend(proxy::check(gateway));
    }
    if literal_key.is_empty() {
        return diagnostics;
    }
    // The host masks the source only under a sensitive finding, and the key may share a line
    // with any other (`gateway("mintmcp", #{ …, org_key: "…" })`): none may echo it.
    literal_key
        .into_iter()
        .chain(diagnostics.into_iter().map(Diagnostic::sensitive))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, managed_setup, monitored_setup};
    use gwscript_plugin::testing::{codes_of, literal};

    fn run_on(setup: &Setup) -> Vec<Diagnostic> {
        let (role, gateway) = setup.gateway_of_kind(crate::GATEWAY_KIND).expect("MintMCP");
        run(setup, role, gateway)
    }

    #[test]
    fn with_a_literal_key_in_the_recipe_no_finding_shows_its_source() {
        let setup = managed_setup(gateway_with_options([("org_key", literal("mint-live"))]));
        let diagnostics = run_on(&setup);
        assert_eq!(codes_of(&diagnostics), ["GW4301", "GW4303"]);
        assert!(diagnostics.iter().all(|d| d.sensitive));

        let referenced = managed_setup(gateway_with_options([]));
        let diagnostics = run_on(&referenced);
        assert_eq!(codes_of(&diagnostics), ["GW4303"]);
        assert!(
            !diagnostics[0].sensitive,
            "nothing to hide: show the source"
        );
    }

    #[test]
    fn a_monitor_is_never_told_about_the_proxy() {
        let mut setup = monitored_setup([("org_key", literal("mint-live"))]);
        assert_eq!(codes_of(&run_on(&setup)), ["GW4301"]);
        setup.monitors[0].options.clear();
        assert!(
            run_on(&setup).is_empty(),
            "no deployments is no GW4304 for a monitor"
        );
    }
}
