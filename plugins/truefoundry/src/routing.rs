//! The load-balancing rules: one per model group that TrueFoundry must route rather than serve
//! directly, matching exactly that group's name (`when.models: [group]`). Rules therefore never
//! overlap, so TrueFoundry's first-match-wins order cannot send a request to the wrong rule.
//!
//! A group whose deployments carry an `order`, or which falls back to other groups, gets a
//! priority-based rule: its own deployments first (order 1 is priority 0), then each fallback
//! group's deployments, one priority level after another, following fallback chains
//! (`a -> b`, `b -> c` gives a: a, b, c) with each group once. Any other group with several
//! deployments gets a weight-based rule, its `weight`s turned into shares of 100.

use crate::accounts::place;
use crate::groups::by_group;
use crate::names::{UniqueIds, slug};
use gwscript_plugin::model::{Deployment, Gateway};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    /// The model group, as Claude Code sends it.
    pub group: String,
    pub routing: Routing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routing {
    /// `weight-based-routing`: (target, share of 100).
    Weighted(Vec<(String, u32)>),
    /// `priority-based-routing`: (target, priority), 0 first.
    Prioritized(Vec<(String, u32)>),
}

impl Routing {
    pub fn type_name(&self) -> &'static str {
        match self {
            Routing::Weighted(_) => "weight-based-routing",
            Routing::Prioritized(_) => "priority-based-routing",
        }
    }
}

/// The gateway's deployments by model group and fallbacks by source group, indexed once so that
/// routing a group costs the size of what it routes, not of the whole gateway.
pub struct Routes<'a> {
    /// Groups in first-deployment order, each with its deployments in recipe order.
    groups: Vec<(&'a str, Vec<&'a Deployment>)>,
    position: HashMap<&'a str, usize>,
    /// The groups each group falls back to directly, in declaration order, each once.
    fallbacks: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Routes<'a> {
    pub fn of(gateway: &'a Gateway) -> Routes<'a> {
        let groups = by_group(&gateway.deployments, |d| d.model_group.as_str());
        let position = groups
            .iter()
            .enumerate()
            .map(|(at, (group, _))| (*group, at))
            .collect();
        let mut fallbacks: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut declared: HashSet<(&str, &str)> = HashSet::new();
        for fallback in &gateway.fallbacks {
            for target in &fallback.to {
                if declared.insert((&fallback.from, target)) {
                    fallbacks.entry(&fallback.from).or_default().push(target);
                }
            }
        }
        Routes {
            groups,
            position,
            fallbacks,
        }
    }

    /// Every model group with its deployments, in first-deployment order.
    pub fn groups(&self) -> impl Iterator<Item = (&'a str, &[&'a Deployment])> {
        self.groups
            .iter()
            .map(|(group, deployments)| (*group, deployments.as_slice()))
    }

    pub fn deployments_of(&self, group: &str) -> &[&'a Deployment] {
        self.position
            .get(group)
            .map_or(&[], |&at| self.groups[at].1.as_slice())
    }

    /// The groups `group` falls back to, directly or through their own fallbacks, in the order
    /// they are tried; `group` itself and repeats left out, so cycles end. Lazy, so a caller
    /// that needs only the start of a long chain pays only for that.
    pub fn fallback_chain(&self, group: &'a str) -> FallbackChain<'_, 'a> {
        FallbackChain {
            fallbacks: &self.fallbacks,
            group,
            found: Vec::new(),
            seen: HashSet::new(),
            expanding: 0,
            edge: 0,
        }
    }
}

/// A breadth-first walk of the fallbacks out of `group` (see [`Routes::fallback_chain`]).
pub struct FallbackChain<'r, 'a> {
    fallbacks: &'r HashMap<&'a str, Vec<&'a str>>,
    group: &'a str,
    /// The chain so far: also the queue of groups whose fallbacks are still to be followed.
    found: Vec<&'a str>,
    seen: HashSet<&'a str>,
    /// Whose fallbacks are being followed: 0 is `group`, n is `found[n - 1]`.
    expanding: usize,
    /// The next of its fallbacks to look at.
    edge: usize,
}

impl<'a> Iterator for FallbackChain<'_, 'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            let current = match self.expanding {
                0 => self.group,
                n => *self.found.get(n - 1)?,
            };
            let targets = self.fallbacks.get(current).map_or(&[][..], Vec::as_slice);
            while let Some(&target) = targets.get(self.edge) {
                self.edge += 1;
                if target != self.group && self.seen.insert(target) {
                    self.found.push(target);
                    return Some(target);
                }
            }
            self.expanding += 1;
            self.edge = 0;
        }
    }
}

/// The rules for `gateway`, in the order its groups were first deployed.
pub fn rules(gateway: &Gateway) -> Vec<Rule> {
    let routes = Routes::of(gateway);
    let mut ids = UniqueIds::default();
    routes
        .groups()
        .filter_map(|(group, own)| {
            let routing = routing_of(&routes, group, own)?;
            Some(Rule {
                id: ids.claim(format!("route-{}", slug(group))),
                group: group.to_owned(),
                routing,
            })
        })
        .collect()
}

fn routing_of(routes: &Routes, group: &str, own: &[&Deployment]) -> Option<Routing> {
    let chain: Vec<&str> = routes.fallback_chain(group).collect();
    if needs_priority(own) || !chain.is_empty() {
        let mut targets: Vec<(String, u32)> = Vec::new();
        let mut listed: HashSet<String> = HashSet::new();
        let mut base = 0;
        let fallback_members = chain.iter().map(|g| routes.deployments_of(g));
        for members in std::iter::once(own).chain(fallback_members) {
            let mut next = base;
            for deployment in members {
                let priority = base + order(deployment).saturating_sub(1);
                next = next.max(priority + 1);
                let target = place(deployment).model_id();
                if listed.insert(target.clone()) {
                    targets.push((target, priority));
                }
            }
            base = next;
        }
        return Some(Routing::Prioritized(targets));
    }
    if own.len() < 2 {
        return None;
    }
    let mut targets: Vec<(String, u32)> = Vec::new();
    let mut weights: Vec<u64> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for deployment in own {
        let target = place(deployment).model_id();
        match position.get(&target) {
            // The same model twice: its weights add up.
            Some(&at) => weights[at] += weight(deployment),
            None => {
                position.insert(target.clone(), targets.len());
                targets.push((target, 0));
                weights.push(weight(deployment));
            }
        }
    }
    for ((_, share), value) in targets.iter_mut().zip(shares_of_100(&weights)) {
        *share = value;
    }
    Some(Routing::Weighted(targets))
}

/// Whether a group's own deployments are tried in an order rather than shared by weight.
pub fn needs_priority(deployments: &[&Deployment]) -> bool {
    deployments.iter().any(|d| d.option("order").is_some())
}

/// The deployment's `order`, 1 when unset.
fn order(deployment: &Deployment) -> u32 {
    deployment
        .option("order")
        .and_then(|o| o.as_i64())
        .and_then(|o| u32::try_from(o).ok())
        .unwrap_or(1)
        .max(1)
}

/// The deployment's relative `weight`, 1 when unset.
fn weight(deployment: &Deployment) -> u64 {
    deployment
        .option("weight")
        .and_then(|w| w.as_i64())
        .and_then(|w| u64::try_from(w).ok())
        .unwrap_or(1)
        .max(1)
}

/// `weights` as whole shares summing to 100 (largest remainder first), none below 1 as long as
/// there are at most 100 of them: TrueFoundry's docs ask for weights that add up to 100.
fn shares_of_100(weights: &[u64]) -> Vec<u32> {
    let total: u64 = weights.iter().sum::<u64>().max(1);
    let mut shares: Vec<u64> = weights.iter().map(|w| w * 100 / total).collect();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder.sort_by_key(|&i| std::cmp::Reverse(weights[i] * 100 % total));
    // Each share lost less than 1 to rounding down, so fewer points than shares are left over.
    let left = 100 - shares.iter().sum::<u64>();
    for &i in by_remainder.iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[i] += 1;
    }
    // Nobody at 0: take a point from the largest share for each.
    for i in 0..shares.len() {
        if shares[i] == 0 {
            let largest = (0..shares.len()).max_by_key(|&j| shares[j]).unwrap_or(i);
            if shares[largest] > 1 {
                shares[largest] -= 1;
                shares[i] = 1;
            }
        }
    }
    shares
        .into_iter()
        .map(|s| u32::try_from(s).unwrap_or(u32::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{ordered, tfy_gateway, weighted};
    use gwscript_plugin::testing::{anthropic, bedrock, fallback, literal, with_option};

    const SONNET: &str = "anthropic-main/claude-sonnet-4-6";
    const HAIKU: &str = "anthropic-main/claude-haiku-4-5";
    const OPUS: &str = "anthropic-main/claude-opus-4-6";

    fn on_bedrock(group: &str, model: &str) -> gwscript_plugin::model::Deployment {
        with_option(
            bedrock(group, model, Some("us-east-1")),
            "account",
            literal("bedrock-main"),
        )
    }

    #[test]
    fn a_single_deployment_needs_no_rule() {
        let gateway = tfy_gateway(vec![anthropic(SONNET, "claude-sonnet-4-6")]);
        assert_eq!(rules(&gateway), []);
    }

    #[test]
    fn several_deployments_share_by_weight() {
        let gateway = tfy_gateway(vec![
            weighted(anthropic(SONNET, "claude-sonnet-4-6"), 3),
            on_bedrock(SONNET, "us.anthropic.claude-sonnet-4-6"),
        ]);
        assert_eq!(
            rules(&gateway),
            [Rule {
                id: "route-anthropic-main-claude-sonnet-4-6".into(),
                group: SONNET.into(),
                routing: Routing::Weighted(vec![
                    (SONNET.into(), 75),
                    ("bedrock-main/claude-sonnet-4-6".into(), 25),
                ]),
            }]
        );
    }

    #[test]
    fn orders_and_fallback_chains_become_priorities() {
        let mut gateway = tfy_gateway(vec![
            ordered(anthropic(SONNET, "claude-sonnet-4-6"), 1),
            ordered(on_bedrock(SONNET, "us.anthropic.claude-sonnet-4-6"), 2),
            anthropic(OPUS, "claude-opus-4-6"),
            anthropic(HAIKU, "claude-haiku-4-5"),
        ]);
        gateway.fallbacks = vec![fallback(OPUS, &[SONNET]), fallback(SONNET, &[HAIKU, OPUS])];
        let rules = rules(&gateway);
        let priorities: Vec<(&str, &Routing)> = rules
            .iter()
            .map(|r| (r.group.as_str(), &r.routing))
            .collect();
        assert_eq!(
            priorities,
            [
                (
                    SONNET,
                    &Routing::Prioritized(vec![
                        (SONNET.into(), 0),
                        ("bedrock-main/claude-sonnet-4-6".into(), 1),
                        (HAIKU.into(), 2),
                        (OPUS.into(), 3),
                    ])
                ),
                (
                    OPUS,
                    &Routing::Prioritized(vec![
                        (OPUS.into(), 0),
                        (SONNET.into(), 1),
                        ("bedrock-main/claude-sonnet-4-6".into(), 2),
                        (HAIKU.into(), 3),
                    ])
                ),
            ]
        );
        assert_eq!(rules[0].routing.type_name(), "priority-based-routing");
    }

    #[test]
    fn chains_end_at_cycles_and_self_fallbacks() {
        let mut gateway = tfy_gateway(vec![]);
        gateway.fallbacks = vec![
            fallback("a/x", &["a/x", "b/y"]),
            fallback("b/y", &["a/x", "c/z"]),
        ];
        let routes = Routes::of(&gateway);
        let chain = |group| routes.fallback_chain(group).collect::<Vec<_>>();
        assert_eq!(chain("a/x"), ["b/y", "c/z"]);
        assert_eq!(chain("b/y"), ["a/x", "c/z"]);
        assert!(chain("c/z").is_empty());
    }

    #[test]
    fn weights_become_shares_of_100() {
        assert_eq!(shares_of_100(&[1, 1, 1]), [34, 33, 33]);
        assert_eq!(shares_of_100(&[1, 1000]), [1, 99]);
        assert_eq!(shares_of_100(&[2, 1, 1]), [50, 25, 25]);
        assert_eq!(shares_of_100(&[7]), [100]);
        for weights in [vec![3, 7, 11, 13], vec![1; 7], vec![1, 1, 998]] {
            let shares = shares_of_100(&weights);
            assert_eq!(shares.iter().sum::<u32>(), 100, "{weights:?}");
            assert!(shares.iter().all(|s| *s >= 1), "{weights:?}: {shares:?}");
        }
    }

    #[test]
    fn rule_ids_stay_unique() {
        let gateway = tfy_gateway(vec![
            ordered(anthropic("a-b/c", "m"), 1),
            ordered(anthropic("a/b-c", "m"), 1),
        ]);
        let ids: Vec<String> = rules(&gateway).into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["route-a-b-c", "route-a-b-c-2"]);
    }
}
