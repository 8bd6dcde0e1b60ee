//! What the load-balancing and rate-limiting rules cannot say: a rule routes by weight or by
//! priority, rate limits match the model a request asks for, and fallbacks need groups that exist.

use super::codes::{DEPLOYMENT_LIMIT_NOT_EXPRESSIBLE, UNSERVED_GROUP, WEIGHT_WITH_PRIORITY};
use super::is_served;
use crate::accounts::place;
use crate::routing::{deployments_of, fallback_chain, needs_priority};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::suggest::did_you_mean;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for group in gateway.model_groups() {
        let own = deployments_of(gateway, group);
        let prioritized = needs_priority(&own) || !fallback_chain(gateway, group).is_empty();
        for deployment in &own {
            let span = deployment.span;
            let account = place(deployment).account;
            if prioritized && deployment.option("weight").is_some() {
                diagnostics.push(
                    Diagnostic::error(
                        WEIGHT_WITH_PRIORITY,
                        format!(
                            "the deployment of `{group}` on `{account}` has a weight, but `{group}` \
                             is routed by priority (it has an order or fallbacks): a TrueFoundry \
                             rule routes by weight or by priority, not both"
                        ),
                        format!(
                            "drop `weight`, or drop the orders and fallbacks of `{group}`"
                        ),
                    )
                    .at(span),
                );
            }
            if own.len() > 1 {
                for limit in ["rpm", "tpm"]
                    .into_iter()
                    .filter(|l| deployment.option(l).is_some())
                {
                    diagnostics.push(
                        Diagnostic::error(
                            DEPLOYMENT_LIMIT_NOT_EXPRESSIBLE,
                            format!(
                                "the deployment of `{group}` on `{account}` sets {limit}, but \
                                 TrueFoundry rate limits match the model a request asks for, \
                                 `{group}`, which all {} of its deployments serve",
                                own.len()
                            ),
                            format!(
                                "limit the whole group in the gateway's rate_limits \
                                 (#{{ limit: …, unit: \"{}\", models: [\"{group}\"] }}), or give \
                                 the deployment a model group of its own",
                                if limit == "rpm" {
                                    "requests_per_minute"
                                } else {
                                    "tokens_per_minute"
                                }
                            ),
                        )
                        .at(span),
                    );
                }
            }
        }
    }
    for fallback in &gateway.fallbacks {
        let named = std::iter::once(("from", &fallback.from))
            .chain(fallback.to.iter().map(|to| ("to", to)));
        for (direction, group) in named {
            if !is_served(gateway, group) {
                diagnostics.push(
                    Diagnostic::error(
                        UNSERVED_GROUP,
                        format!(
                            "fallback {direction} model group `{group}`, which no deployment serves"
                        ),
                        format!(
                            "deploy a model as `{group}` or fix the name{}",
                            did_you_mean(group, gateway.model_groups())
                        ),
                    )
                    .at(fallback.span),
                );
            }
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{ordered, tfy_gateway, weighted};
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, fallback, literal, with_option, with_routing,
    };

    const SONNET: &str = "anthropic-main/claude-sonnet-4-6";

    fn second(
        deployment: gwscript_plugin::model::Deployment,
    ) -> gwscript_plugin::model::Deployment {
        with_option(deployment, "account", literal("bedrock-main"))
    }

    #[test]
    fn weights_alone_and_orders_alone_pass() {
        let weights = tfy_gateway(vec![
            weighted(anthropic(SONNET, "m"), 3),
            second(weighted(bedrock(SONNET, "m", Some("us-east-1")), 1)),
        ]);
        assert_eq!(check(&weights), []);
        let orders = tfy_gateway(vec![
            ordered(anthropic(SONNET, "m"), 1),
            second(ordered(bedrock(SONNET, "m", Some("us-east-1")), 2)),
        ]);
        assert_eq!(check(&orders), []);
    }

    #[test]
    fn gw4112_weights_in_a_priority_routed_group() {
        let mut gateway = tfy_gateway(vec![
            weighted(anthropic(SONNET, "m"), 3),
            second(weighted(bedrock(SONNET, "m", Some("us-east-1")), 1)),
            anthropic("anthropic-main/claude-haiku-4-5", "m"),
        ]);
        gateway.fallbacks = vec![fallback(SONNET, &["anthropic-main/claude-haiku-4-5"])];
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4112", "GW4112"]);
        assert!(
            diagnostics[1]
                .message
                .contains("on `bedrock-main` has a weight")
        );
    }

    #[test]
    fn gw4111_per_deployment_limits_in_shared_groups() {
        let alone = tfy_gateway(vec![with_routing(
            anthropic(SONNET, "m"),
            "rpm",
            literal(60),
        )]);
        assert_eq!(check(&alone), []);
        let shared = tfy_gateway(vec![
            with_routing(
                with_routing(anthropic(SONNET, "m"), "rpm", literal(60)),
                "tpm",
                literal(1000),
            ),
            second(bedrock(SONNET, "m", Some("us-east-1"))),
        ]);
        let diagnostics = check(&shared);
        assert_eq!(codes_of(&diagnostics), ["GW4111", "GW4111"]);
        assert!(diagnostics[0].message.contains("sets rpm"));
        assert!(diagnostics[1].help.contains("\"tokens_per_minute\""));
    }

    #[test]
    fn gw4107_fallbacks_from_and_to_unserved_groups() {
        let mut gateway = tfy_gateway(vec![anthropic(SONNET, "m")]);
        gateway.fallbacks = vec![
            fallback("anthropic-main/claude-opus-4-6", &[SONNET]),
            fallback(SONNET, &["anthropic-main/claude-sonnet-4-5"]),
        ];
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4107", "GW4107"]);
        assert!(
            diagnostics[0]
                .message
                .starts_with("fallback from model group")
        );
        assert!(
            diagnostics[1]
                .help
                .contains(&format!("(did you mean `{SONNET}`?)"))
        );
        assert_eq!(diagnostics[1].span, gateway.fallbacks[1].span);
    }
}
