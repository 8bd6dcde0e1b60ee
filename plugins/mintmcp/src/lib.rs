//! gwscript's MintMCP plugin. MintMCP's public Claude Code integration is monitoring through hooks:
//! Claude Code posts its `PreToolUse`, `PostToolUse` and `UserPromptSubmit` events to MintMCP. The
//! plugin emits that as a rollout through settings (managed settings, for an organisation): a hook
//! script that posts each event, the `hooks` block that runs it, and the variables it reads, the
//! org key by reference only.
//!
//! The plugin plays either role. As a monitor (`pattern(…, #{ monitors: [gateway("mintmcp", …)] })`)
//! it emits only that rollout and leaves Claude Code's model traffic where the pattern sends it.
//! As the gateway it is MintMCP's LLM proxy, which is not publicly documented: the host writes
//! the base-URL side from the client contract, and every fact about it is marked unverified.
//!
//! Loaded by the host as a `cdylib` through [`gwscript_plugin::declare_plugin!`]; the `rlib` is
//! for tests.

mod assessments;
mod checks;
mod client;
mod context;
#[cfg(test)]
mod hook_tests;
mod hooks;
mod manifest;
mod options;
mod path_template;
mod report;
mod schemas;
#[cfg(test)]
mod test_support;

use gwscript_plugin::model::Gateway;
use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{Diagnostic, Manifest, Plugin, PluginRole, Rendering, Setup, declare_plugin};

/// The gateway kind recipes name in `gateway("mintmcp", …)`.
const GATEWAY_KIND: &str = "mintmcp";

/// The MintMCP plugin.
#[derive(Debug)]
pub struct MintMcp;

impl Plugin for MintMcp {
    fn manifest() -> Manifest {
        manifest::manifest()
    }

    /// A setup that does not use MintMCP has nothing for this plugin to check.
    fn check(setup: &Setup) -> Vec<Diagnostic> {
        match mintmcp(setup) {
            Ok((role, gateway)) => checks::run(setup, role, gateway),
            Err(_) => Vec::new(),
        }
    }

    fn render(setup: &Setup) -> Result<Rendering<impl Serialize>, String> {
        let (role, gateway) = mintmcp(setup)?;
        let monitor = options::Monitor::read(setup, role, gateway)?;
        Ok(Rendering {
            context: context::build(&monitor),
            report: report::build(setup, role, gateway, &monitor),
            omit: Vec::new(),
            client: client::contribution(&monitor),
        })
    }

    fn pages() -> &'static [&'static str] {
        checks::codes::PAGES
    }
}

/// MintMCP's part of the setup, as the gateway or as a monitor.
fn mintmcp(setup: &Setup) -> Result<(PluginRole, &Gateway), String> {
    setup
        .gateway_of_kind(GATEWAY_KIND)
        .ok_or_else(|| "the setup uses MintMCP neither as its gateway nor as a monitor".into())
}

declare_plugin!(MintMcp);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, managed_setup, monitored_setup};
    use gwscript_plugin::ClientValue;
    use gwscript_plugin::model::Scope;
    use gwscript_plugin::testing::{assert_crosses_the_abi, codes_of, literal, rendered};

    #[test]
    fn a_managed_rollout_is_only_told_that_the_proxy_is_unverified() {
        let setup = managed_setup(gateway_with_options([]));
        assert_eq!(codes_of(&MintMcp::check(&setup)), ["GW4303"]);
    }

    #[test]
    fn a_managed_hooks_only_rollout_has_nothing_to_warn_about() {
        assert!(MintMcp::check(&monitored_setup([])).is_empty());
    }

    /// A recipe that gets everything wrong at once, with the org key as a literal: as the gateway
    /// without deployments, and as a monitor, where nothing is said about the proxy.
    #[test]
    fn every_finding_is_reported_and_none_repeats_the_key() {
        const KEY: &str = "mint-org-live-0a1b2c";
        let wrong = || {
            [
                ("org_key", literal(KEY)),
                ("events_path", literal("/h/{org}")),
                ("events_url", literal("http://mintmcp.corp.example")),
                ("hook_path", literal("hooks/mint.sh")),
            ]
        };
        let mut gateway = gateway_with_options(wrong());
        gateway.deployments.clear();
        let mut proxied = managed_setup(gateway);
        let mut monitored = monitored_setup(wrong());
        for (setup, expected) in [
            (
                &mut proxied,
                &["GW4301", "GW4302", "GW4304", "GW4305", "GW4307", "GW4308"][..],
            ),
            (
                &mut monitored,
                &["GW4301", "GW4302", "GW4305", "GW4307", "GW4308"][..],
            ),
        ] {
            setup.client.scope = Scope::Project;
            let diagnostics = MintMcp::check(setup);
            let mut codes = codes_of(&diagnostics);
            codes.sort_unstable();
            assert_eq!(codes, expected);
            for diagnostic in &diagnostics {
                assert!(
                    !diagnostic.message.contains(KEY) && !diagnostic.help.contains(KEY),
                    "{}: {}",
                    diagnostic.code,
                    diagnostic.message
                );
            }
            assert!(
                rendered::<MintMcp>(setup).is_err(),
                "render refuses a literal key"
            );
        }
    }

    #[test]
    fn render_returns_the_context_the_client_side_and_a_typed_report() {
        for (setup, routes) in [
            (monitored_setup([]), 1),
            (managed_setup(gateway_with_options([])), 2),
        ] {
            let rendering = rendered::<MintMcp>(&setup).expect("renders");
            let keys: Vec<&String> = rendering.context.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["hook"]);
            assert!(rendering.omit.is_empty());
            let client = &rendering.client;
            assert!(client.settings.contains_key("hooks"));
            assert!(
                client
                    .env
                    .iter()
                    .any(|var| var.value == ClientValue::Secret("MINTMCP_ORG_KEY".into()))
            );
            let report = rendering.report;
            assert_eq!(report.start, None);
            assert!(
                report
                    .install
                    .as_deref()
                    .unwrap()
                    .starts_with("sudo install -d")
            );
            assert_eq!(
                report.routes.len(),
                routes,
                "the proxy's route only as the gateway"
            );
            assert_eq!(report.verification.len(), 2);
            assert!(!report.limitations.is_empty() && !report.troubleshooting.is_empty());
            // The rendering crosses the ABI as JSON.
            assert_crosses_the_abi(&report);
            assert_crosses_the_abi(client);
        }
    }

    #[test]
    fn refuses_setups_that_do_not_use_it() {
        let mut setup = managed_setup(gateway_with_options([]));
        setup.gateway.as_mut().unwrap().kind = "litellm".into();
        assert!(
            rendered::<MintMcp>(&setup)
                .unwrap_err()
                .contains("neither as its gateway")
        );
        assert!(MintMcp::check(&setup).is_empty());
        setup.gateway = None;
        assert!(rendered::<MintMcp>(&setup).is_err());
        assert!(MintMcp::check(&setup).is_empty());
    }
}
