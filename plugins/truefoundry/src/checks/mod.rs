//! Capability checks: what TrueFoundry would refuse, what gwscript cannot express in its
//! manifests, and what would leave Claude Code asking for a model TrueFoundry does not serve.
//! One module per concern; each returns its own diagnostics.

mod accounts;
mod client;
pub mod codes;
mod names;
mod policies;
mod providers;
mod routing;
mod secrets;

use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Diagnostic, Setup};
use std::collections::HashSet;

pub fn run(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    if gateway.deployments.is_empty() {
        return vec![
            Diagnostic::error(
                codes::NO_DEPLOYMENTS,
                "the TrueFoundry gateway has no deployments: there is no provider account to write \
                 and no model for Claude Code to use",
                "deploy at least one model: gw.deploy(\"anthropic-main/claude-sonnet-4-6\", \
                 provider(\"anthropic\", #{ model: \"claude-sonnet-4-6\", api_key: secret(\"ANTHROPIC_API_KEY\") }))",
            )
            .at(gateway.span),
        ];
    }
    let mut diagnostics = Vec::new();
    diagnostics.extend(providers::check(gateway));
    diagnostics.extend(names::check(gateway));
    diagnostics.extend(accounts::check(gateway));
    diagnostics.extend(secrets::check(setup, gateway));
    diagnostics.extend(routing::check(gateway));
    diagnostics.extend(policies::check(gateway));
    diagnostics.extend(client::check(setup, gateway));
    diagnostics
}

/// The model groups some deployment serves, for membership tests in one pass.
fn served_groups(gateway: &Gateway) -> HashSet<&str> {
    gateway
        .deployments
        .iter()
        .map(|d| d.model_group.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::suggest::did_you_mean;
    use gwscript_plugin::testing::{anthropic, codes_of, setup_for};

    #[test]
    fn gw4118_a_gateway_without_deployments() {
        let gateway = tfy_gateway(vec![]);
        let diagnostics = run(&setup_for(gateway.clone()), &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4118"]);
        assert_eq!(diagnostics[0].span, gateway.span);
    }

    #[test]
    fn hints_name_the_nearest_group() {
        let gateway = tfy_gateway(vec![anthropic("anthropic-main/claude-sonnet-4-6", "m")]);
        let served = served_groups(&gateway);
        assert!(served.contains("anthropic-main/claude-sonnet-4-6"));
        assert!(!served.contains("anthropic-main/claude-sonnet-4-5"));
        assert_eq!(
            did_you_mean("anthropic-main/claude-sonnet-4-5", gateway.model_groups()),
            " (did you mean `anthropic-main/claude-sonnet-4-6`?)"
        );
        assert_eq!(did_you_mean("gpt", gateway.model_groups()), "");
    }
}
