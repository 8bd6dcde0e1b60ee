//! Load balancing inside a model group: how LiteLLM picks among the group's deployments.

use super::Input;
use super::codes::{DUPLICATE_DEPLOYMENT, MIXED_ORDERED_AND_UNORDERED, NO_DEPLOYMENTS};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Deployment, Gateway, Param};
use serde_json::json;
use std::collections::BTreeMap;

pub fn check(gateway: &Gateway, input: Input<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    // With no model_list LiteLLM serves nothing, and an otherwise empty config does not start.
    if gateway.deployments.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                NO_DEPLOYMENTS,
                "the gateway has no deployments: LiteLLM would serve no model",
                input.say(
                    "add at least one gw.deploy(\"<model group>\", provider(…)) before emit",
                    "add at least one entry with model_name and litellm_params.model to model_list",
                ),
            )
            .at(gateway.span),
        );
    }
    for (group, members) in by_group(gateway) {
        diagnostics.extend(mixed_order(group, &members));
        diagnostics.extend(duplicates(&members, input));
    }
    diagnostics
}

/// The deployments of each model group, groups in first-declared order, in one pass.
fn by_group(gateway: &Gateway) -> Vec<(&str, Vec<&Deployment>)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<(&str, Vec<&Deployment>)> = Vec::new();
    for deployment in &gateway.deployments {
        let group = deployment.model_group.as_str();
        let at = *index.entry(group).or_insert_with(|| {
            groups.push((group, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(deployment);
    }
    groups
}

/// LiteLLM only considers the lowest `order` among healthy deployments, and deployments without
/// one never, while any ordered deployment is healthy: usually not what a mix intends.
fn mixed_order(group: &str, members: &[&Deployment]) -> Option<Diagnostic> {
    let unordered: Vec<&&Deployment> = members
        .iter()
        .filter(|d| d.option("order").is_none())
        .collect();
    if unordered.is_empty() || unordered.len() == members.len() {
        return None;
    }
    Some(
        Diagnostic::warning(
            MIXED_ORDERED_AND_UNORDERED,
            format!(
                "model group `{group}` mixes deployments with and without `order`: LiteLLM skips the \
                 {} without one while any ordered deployment is healthy",
                unordered.len()
            ),
            "give every deployment of the group an `order` (1 first, 2 as spill-over), or none",
        )
        .at(unordered[0].span),
    )
}

/// Two identical entries double one provider's share of the traffic, usually by accident. Members
/// are compared by hash: first by provider and model, then, only where those repeat, by
/// everything else, so a group of thousands costs one probe per member.
fn duplicates(members: &[&Deployment], input: Input<'_>) -> Vec<Diagnostic> {
    let mut by_model: HashMap<(&str, &str), usize> = HashMap::new();
    for d in members {
        *by_model
            .entry((d.provider.kind.name(), d.provider_model.as_str()))
            .or_default() += 1;
    }
    let mut seen = HashSet::new();
    members
        .iter()
        .filter(|d| by_model[&(d.provider.kind.name(), d.provider_model.as_str())] > 1)
        .filter(|d| !seen.insert(identity(d)))
        .map(|d| {
            Diagnostic::warning(
                DUPLICATE_DEPLOYMENT,
                format!(
                    "model group `{}` has the same {} deployment of `{}` twice",
                    d.model_group,
                    d.provider.kind.name(),
                    d.provider_model
                ),
                input.say(
                    "remove the repeated deploy(…), or use `weight` to change its share of the traffic",
                    "remove the repeated model_list entry, or use `weight` to change its share of the traffic",
                ),
            )
            .at(d.span)
        })
        .collect()
}

/// Everything LiteLLM sees of a deployment, as one comparable string; the recipe positions do
/// not count. Options are sorted maps, so equal deployments give equal strings.
fn identity(deployment: &Deployment) -> String {
    let routing: BTreeMap<&String, &Param> = deployment
        .options
        .iter()
        .map(|(key, option)| (key, &option.value))
        .collect();
    json!([
        deployment.model_group,
        deployment.provider.kind.name(),
        deployment.provider_model,
        deployment.provider.options,
        routing,
    ])
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with, ordered};
    use gwscript_plugin::testing::{anthropic, bedrock, codes_of};

    #[test]
    fn gw4014_flags_a_gateway_without_deployments() {
        let empty = gateway_with(vec![], vec![]);
        let diagnostics = check(&empty, Input::Recipe);
        assert_eq!(codes_of(&diagnostics), ["GW4014"]);
        assert_eq!(diagnostics[0].span, empty.span);
    }

    #[test]
    fn gw4009_flags_a_group_mixing_ordered_and_unordered() {
        let unordered = bedrock(
            "sonnet",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            Some("us-east-1"),
        );
        let gateway = gateway_with(
            vec![
                ordered(anthropic("sonnet", "claude-sonnet-4-5"), 1),
                unordered,
            ],
            vec![],
        );
        let diagnostics = check(&gateway, Input::Recipe);
        assert_eq!(codes_of(&diagnostics), ["GW4009"]);
        assert_eq!(diagnostics[0].span, gateway.deployments[1].span);
        assert!(diagnostics[0].message.contains("skips the 1 without one"));
    }

    #[test]
    fn fully_ordered_or_unordered_groups_pass() {
        let region = Some("us-east-1");
        let ordered_group = gateway_with(
            vec![
                ordered(anthropic("sonnet", "claude-sonnet-4-5"), 1),
                ordered(bedrock("sonnet", "m", region), 2),
            ],
            vec![],
        );
        assert!(check(&ordered_group, Input::Recipe).is_empty());
        let shuffled = gateway_with(
            vec![
                anthropic("sonnet", "claude-sonnet-4-5"),
                bedrock("sonnet", "m", region),
            ],
            vec![],
        );
        assert!(check(&shuffled, Input::Recipe).is_empty());
    }

    #[test]
    fn gw4013_flags_an_identical_second_deployment() {
        let gateway = gateway_with(
            vec![
                anthropic("sonnet", "claude-sonnet-4-5"),
                anthropic("haiku", "claude-haiku-4-5"),
                anthropic("sonnet", "claude-sonnet-4-5"),
            ],
            vec![],
        );
        let diagnostics = check(&gateway, Input::Recipe);
        assert_eq!(codes_of(&diagnostics), ["GW4013"]);
        assert_eq!(diagnostics[0].span, gateway.deployments[2].span);
        let weighted = gateway_with(
            vec![
                anthropic("sonnet", "claude-sonnet-4-5"),
                ordered(anthropic("sonnet", "claude-sonnet-4-5"), 2),
                ordered(anthropic("sonnet", "claude-sonnet-4-5"), 1),
            ],
            vec![],
        );
        assert_eq!(codes_of(&check(&weighted, Input::Recipe)), ["GW4009"]);
        // Routing options count by value, not by where the recipe wrote them.
        let same_order = gateway_with(
            vec![
                ordered(anthropic("sonnet", "claude-sonnet-4-5"), 1),
                ordered(anthropic("sonnet", "claude-sonnet-4-5"), 1),
            ],
            vec![],
        );
        assert_eq!(codes_of(&check(&same_order, Input::Recipe)), ["GW4013"]);
    }

    /// One group of 50,000 deployments: each is checked against the others by hash, not pairwise.
    #[test]
    fn a_huge_group_is_checked_in_one_pass() {
        let mut deployments: Vec<Deployment> = (0..50_000)
            .map(|i| anthropic("sonnet", &format!("claude-sonnet-4-5-{i}")))
            .collect();
        deployments.push(anthropic("sonnet", "claude-sonnet-4-5-7"));
        let diagnostics = check(&gateway_with(deployments, vec![]), Input::Recipe);
        assert_eq!(codes_of(&diagnostics), ["GW4013"]);
        assert!(
            diagnostics[0]
                .message
                .contains("`claude-sonnet-4-5-7` twice")
        );
    }
}
