//! `router_settings.routing_strategy`: LiteLLM refuses to start on a name it does not know.

use super::codes::UNKNOWN_ROUTING_STRATEGY;
use crate::catalog::{LITELLM_VERSION, ROUTING_STRATEGIES};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::suggest;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    // The host has checked the option is a string; the valid names depend on the LiteLLM release.
    let Some(strategy) = gateway.option("routing_strategy").and_then(|s| s.as_str()) else {
        return Vec::new();
    };
    if ROUTING_STRATEGIES.contains(&strategy) {
        return Vec::new();
    }
    let help = match suggest::nearest(strategy, ROUTING_STRATEGIES.iter().copied()) {
        Some(nearest) => format!("did you mean `{nearest}`?"),
        None => format!("use one of: {}", ROUTING_STRATEGIES.join(", ")),
    };
    vec![
        Diagnostic::error(
            UNKNOWN_ROUTING_STRATEGY,
            format!(
                "LiteLLM {LITELLM_VERSION} does not know the routing strategy `{strategy}` and will not start"
            ),
            help,
        )
        .at(gateway.option_span("routing_strategy")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with, routed};
    use gwscript_plugin::testing::codes_of;

    #[test]
    fn gw4003_suggests_the_nearest_strategy() {
        let gateway = routed(gateway_with(vec![], vec![]), "simple_shuffle");
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4003"]);
        assert!(diagnostics[0].is_error());
        assert_eq!(diagnostics[0].help, "did you mean `simple-shuffle`?");
        assert_eq!(
            diagnostics[0].span,
            gateway.options["routing_strategy"].span
        );
    }

    #[test]
    fn gw4003_lists_the_valid_set_when_nothing_is_close() {
        let diagnostics = check(&routed(gateway_with(vec![], vec![]), "round-robin"));
        assert!(
            diagnostics[0]
                .help
                .starts_with("use one of: simple-shuffle, least-busy")
        );
    }

    #[test]
    fn every_strategy_of_the_pinned_release_passes() {
        for strategy in ROUTING_STRATEGIES {
            assert!(check(&routed(gateway_with(vec![], vec![]), strategy)).is_empty());
        }
    }
}
