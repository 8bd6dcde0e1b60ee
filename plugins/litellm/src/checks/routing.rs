//! `router_settings.routing_strategy`: LiteLLM refuses to start on a name it does not know.

use super::codes::UNKNOWN_ROUTING_STRATEGY;
use crate::catalog::{LITELLM_VERSION, ROUTING_STRATEGIES};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::suggest;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let Some(strategy) = &gateway.routing_strategy else {
        return Vec::new();
    };
    if ROUTING_STRATEGIES.contains(&strategy.value.as_str()) {
        return Vec::new();
    }
    let help = match suggest::nearest(&strategy.value, ROUTING_STRATEGIES.iter().copied()) {
        Some(nearest) => format!("did you mean `{nearest}`?"),
        None => format!("use one of: {}", ROUTING_STRATEGIES.join(", ")),
    };
    vec![
        Diagnostic::error(
            UNKNOWN_ROUTING_STRATEGY,
            format!(
                "LiteLLM {LITELLM_VERSION} does not know the routing strategy `{}` and will not start",
                strategy.value
            ),
            help,
        )
        .at(strategy.span),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{codes_of, gateway_with, routed};

    #[test]
    fn gw4003_suggests_the_nearest_strategy() {
        let gateway = routed(gateway_with(vec![], vec![]), "simple_shuffle");
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4003"]);
        assert!(diagnostics[0].is_error());
        assert_eq!(diagnostics[0].help, "did you mean `simple-shuffle`?");
        assert_eq!(diagnostics[0].span, gateway.routing_strategy.unwrap().span);
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
