//! What the load-balancing and rate-limiting rules cannot say: a rule routes by weight or by
//! priority, rate limits match the model a request asks for, fallbacks need groups that exist,
//! and a rule flattens its whole fallback chain, so the chain must stay short.

use super::codes::{
    DEPLOYMENT_LIMIT_NOT_EXPRESSIBLE, FALLBACK_CHAIN_TOO_LONG, UNSERVED_GROUP, WEIGHT_WITH_PRIORITY,
};
use super::served_groups;
use crate::accounts::place;
use crate::routing::{Routes, needs_priority};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Deployment, Gateway};
use gwscript_plugin::suggest::did_you_mean;

/// The most targets a group's rule may take from its fallback chain. TrueFoundry documents no
/// limit (unverified); the bound keeps the load-balancing config from growing with the square of
/// a chain, since every group of a chain lists every target after it.
const MAX_FALLBACK_TARGETS: usize = 100;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let routes = Routes::of(gateway);
    let mut diagnostics = Vec::new();
    for (group, own) in routes.groups() {
        let prioritized = needs_priority(own) || routes.fallback_chain(group).next().is_some();
        diagnostics.extend(oversized_chain(&routes, group, own));
        for deployment in own {
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
    let served = served_groups(gateway);
    for fallback in &gateway.fallbacks {
        let named = std::iter::once(("from", &fallback.from))
            .chain(fallback.to.iter().map(|to| ("to", to)));
        for (direction, group) in named {
            if !served.contains(group.as_str()) {
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

/// GW4119 when `group`'s fallback chain brings more than [`MAX_FALLBACK_TARGETS`] targets. The
/// walk stops as soon as the bound is passed, so a long chain costs each group only the bound.
fn oversized_chain(routes: &Routes, group: &str, own: &[&Deployment]) -> Option<Diagnostic> {
    let mut targets = 0;
    for (groups, fallback) in routes.fallback_chain(group).enumerate() {
        // A group without deployments still takes a step of the walk: count it as one target.
        targets += routes.deployments_of(fallback).len().max(1);
        if targets > MAX_FALLBACK_TARGETS {
            return Some(
                Diagnostic::error(
                    FALLBACK_CHAIN_TOO_LONG,
                    format!(
                        "the fallback chain of `{group}` brings more than {MAX_FALLBACK_TARGETS} \
                         targets (within its first {} groups): its TrueFoundry rule lists every \
                         deployment of every group the chain reaches, directly or through their \
                         own fallbacks",
                        groups + 1
                    ),
                    format!(
                        "let `{group}` fall back to a few groups, and break long chains of \
                         gw.fallback(…) calls into short ones"
                    ),
                )
                .at(own.first().and_then(|d| d.span)),
            );
        }
    }
    None
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

    /// `groups` groups of two deployments, each falling back to the next.
    fn chain_of(groups: usize) -> Gateway {
        let names: Vec<String> = (0..groups)
            .map(|i| format!("anthropic-main/claude-team{i}"))
            .collect();
        let mut gateway = tfy_gateway(
            names
                .iter()
                .flat_map(|name| {
                    [
                        ordered(anthropic(name, "m"), 1),
                        second(ordered(bedrock(name, "m", Some("us-east-1")), 2)),
                    ]
                })
                .collect(),
        );
        gateway.fallbacks = names
            .windows(2)
            .map(|pair| fallback(&pair[0], &[pair[1].as_str()]))
            .collect();
        gateway
    }

    #[test]
    fn gw4119_a_fallback_chain_past_the_bound() {
        // 50 fallback groups of 2 deployments: exactly the bound.
        assert_eq!(check(&chain_of(51)), []);
        let gateway = chain_of(52);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4119"]);
        assert!(diagnostics[0].message.starts_with(
            "the fallback chain of `anthropic-main/claude-team0` brings more than 100"
        ));
        assert_eq!(diagnostics[0].span, gateway.deployments[0].span);
        // The walk stops at the bound: a chain of thousands is refused for every group in it
        // without walking it from each (which took minutes).
        let started = std::time::Instant::now();
        assert_eq!(check(&chain_of(5_000)).len(), 5_000 - 51);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
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
