//! Claude Code on a provider pass-through route (`/bedrock`, `/vertex_ai`). LiteLLM 1.102.4
//! forwards the request there in that provider's own format, untranslated, so only deployments of
//! that provider can answer it. Which deployments a request can reach
//! (`proxy/pass_through_endpoints/llm_passthrough_endpoints.py` and the router):
//!
//! - `/bedrock/model/{id}/…`: an `{id}` that is a `model_name` goes through the router like a
//!   Messages request: any deployment of the group (every `order` tier, as routing, retries and
//!   cooldowns pick), then the groups of its fallback chain. LiteLLM hands the request to the
//!   picked deployment's provider; for any but Bedrock it fails (`Provider vertex_ai not found`).
//! - `/vertex_ai/…/models/{id}:…`: only the group's deployments marked `use_in_pass_through`
//!   (the context marks its Vertex ones), no fallbacks: another provider's deployment is never
//!   used there.

use super::codes::PASS_THROUGH_MIXES_PROVIDERS;
use super::wildcard_matches;
use crate::params;
use foldhash::{HashMap, HashMapExt, HashSet};
use gwscript_plugin::model::{Deployment, Endpoint, Gateway};
use gwscript_plugin::{Diagnostic, Setup};

/// The catch-all fallback key: LiteLLM applies its chain to every group without one of its own.
const ANY_GROUP: &str = "*";

/// A provider pass-through route of LiteLLM and the one provider it forwards to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassThrough {
    /// The route prefix, as LiteLLM's errors and docs name it.
    route: &'static str,
    /// The provider, as the `litellm_params.model` prefix names it.
    provider: &'static str,
    /// Whether the router's fallbacks apply to requests on the route.
    follows_fallbacks: bool,
}

impl PassThrough {
    /// The pass-through route Claude Code uses on `endpoint`, if it is a provider's.
    pub fn of(endpoint: Endpoint) -> Option<PassThrough> {
        match endpoint {
            Endpoint::Bedrock => Some(PassThrough {
                route: "/bedrock",
                provider: "bedrock",
                follows_fallbacks: true,
            }),
            Endpoint::Vertex => Some(PassThrough {
                route: "/vertex_ai",
                provider: "vertex_ai",
                follows_fallbacks: false,
            }),
            Endpoint::Unified | Endpoint::Anthropic => None,
        }
    }

    /// Whether the route forwards to `deployment`'s provider: the prefix of its
    /// `litellm_params.model` (a raw model without one leaves LiteLLM to guess the provider,
    /// which no pass-through route does).
    pub fn forwards_to(self, deployment: &Deployment) -> bool {
        params::litellm_model(deployment)
            .split_once('/')
            .is_some_and(|(prefix, _)| prefix == self.provider)
    }
}

pub fn check(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    let Some(route) = PassThrough::of(setup.client.endpoint) else {
        return Vec::new();
    };
    let reached = reached_groups(setup, gateway, route);
    gateway
        .deployments
        .iter()
        .filter(|deployment| !route.forwards_to(deployment))
        .filter_map(|deployment| {
            let reach = reached.get(deployment.model_group.as_str())?;
            Some(other_provider(route, deployment, reach))
        })
        .collect()
}

/// How a request on the route gets to a group.
#[derive(Debug, PartialEq)]
enum Reach<'a> {
    /// Claude Code names it, or it holds a deployment of the route's provider.
    Direct,
    /// LiteLLM falls back to it from this group.
    FallbackOf(&'a str),
}

/// The groups a request on the route can reach: those Claude Code's pinned models name (an
/// exact `model_name` wins, as in LiteLLM, else every wildcard group matching it) and those
/// holding a deployment of the route's provider (so meant for the route), then, where the route
/// follows fallbacks, every group of their fallback chains.
fn reached_groups<'a>(
    setup: &'a Setup,
    gateway: &'a Gateway,
    route: PassThrough,
) -> HashMap<&'a str, Reach<'a>> {
    let groups = gateway.model_groups();
    let exact: HashSet<&str> = groups.iter().copied().collect();
    let wildcards: Vec<&str> = groups.iter().copied().filter(|g| g.contains('*')).collect();
    let mut reached = Reached::default();
    for (_, model) in setup.client.pinned_models() {
        let model = model.value.as_str();
        if let Some(&group) = exact.get(model) {
            reached.add(group, Reach::Direct);
        } else {
            for &group in wildcards.iter().filter(|g| wildcard_matches(g, model)) {
                reached.add(group, Reach::Direct);
            }
        }
    }
    for deployment in gateway.deployments.iter().filter(|d| route.forwards_to(d)) {
        reached.add(&deployment.model_group, Reach::Direct);
    }
    if route.follows_fallbacks {
        let mut chains: HashMap<&str, Vec<&str>> = HashMap::new();
        for fallback in &gateway.fallbacks {
            let targets = chains.entry(fallback.from.as_str()).or_default();
            targets.extend(fallback.to.iter().map(String::as_str));
        }
        let catch_all = chains.get(ANY_GROUP).cloned().unwrap_or_default();
        let mut next = 0;
        while let Some(&group) = reached.order.get(next) {
            next += 1;
            let own = chains.get(group).map(Vec::as_slice).unwrap_or_default();
            for &target in own.iter().chain(&catch_all) {
                reached.add(target, Reach::FallbackOf(group));
            }
        }
    }
    reached.how
}

/// Groups with how each was first reached, and the order they were reached in (so a fallback
/// target names the same source group every run).
#[derive(Default)]
struct Reached<'a> {
    how: HashMap<&'a str, Reach<'a>>,
    order: Vec<&'a str>,
}

impl<'a> Reached<'a> {
    fn add(&mut self, group: &'a str, reach: Reach<'a>) {
        if !self.how.contains_key(group) {
            self.how.insert(group, reach);
            self.order.push(group);
        }
    }
}

fn other_provider(route: PassThrough, deployment: &Deployment, reach: &Reach) -> Diagnostic {
    let group = &deployment.model_group;
    let kind = deployment.provider.kind.name();
    let model = params::litellm_model(deployment);
    let reached = match reach {
        Reach::Direct => format!(
            "model group `{group}` (Claude Code reaches it through LiteLLM's {} pass-through)",
            route.route
        ),
        Reach::FallbackOf(from) => format!(
            "model group `{group}` (a fallback of `{from}` on LiteLLM's {} pass-through)",
            route.route
        ),
    };
    let consequence = if route.follows_fallbacks {
        format!(
            "the route forwards to {} only, so a request LiteLLM routes to it fails \
             (`Provider … not found`) instead of falling back",
            route.provider
        )
    } else {
        format!(
            "LiteLLM never uses it there: the route sends the group's requests to its {} \
             deployments only, with no fallback to another provider",
            route.provider
        )
    };
    Diagnostic::error(
        PASS_THROUGH_MIXES_PROVIDERS,
        format!("{reached} has a deployment of provider `{kind}` ({model}): {consequence}"),
        format!(
            "put the `{kind}` deployment in a model group of its own, or let Claude Code use the \
             Messages route (endpoint: \"unified\"), where LiteLLM routes and falls back across \
             providers"
        ),
    )
    .at(deployment.span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with, ordered};
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, fallback, raw, setup_for, spanned, vertex,
    };

    const SONNET_BEDROCK: &str = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    fn on(endpoint: Endpoint, gateway: &Gateway) -> Vec<Diagnostic> {
        let mut setup = setup_for(gateway.clone());
        setup.client.endpoint = endpoint;
        check(&setup, gateway)
    }

    #[test]
    fn gw4015_a_vertex_spill_over_in_a_group_on_the_bedrock_route() {
        let spill = ordered(
            vertex("sonnet", "claude-sonnet-4-5@20250929", Some("p"), Some("l")),
            2,
        );
        let gateway = gateway_with(
            vec![
                ordered(bedrock("sonnet", SONNET_BEDROCK, Some("us-east-1")), 1),
                spill.clone(),
            ],
            vec![],
        );
        let diagnostics = on(Endpoint::Bedrock, &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4015"]);
        let diagnostic = &diagnostics[0];
        assert_eq!(
            diagnostic.span, spill.span,
            "points at the vertex deployment"
        );
        assert_eq!(
            diagnostic.message,
            "model group `sonnet` (Claude Code reaches it through LiteLLM's /bedrock \
             pass-through) has a deployment of provider `vertex` (vertex_ai/claude-sonnet-4-5@20250929): the \
             route forwards to bedrock only, so a request LiteLLM routes to it fails (`Provider … \
             not found`) instead of falling back"
        );
        assert!(diagnostic.help.contains("a model group of its own"));
        assert!(diagnostic.help.contains("endpoint: \"unified\""));
        // The Messages route translates for each provider: the same group is fine there.
        assert!(on(Endpoint::Unified, &gateway).is_empty());
        assert!(on(Endpoint::Anthropic, &gateway).is_empty());
    }

    #[test]
    fn the_bedrock_route_follows_fallback_chains_and_the_catch_all() {
        let gateway = gateway_with(
            vec![
                bedrock("sonnet", SONNET_BEDROCK, Some("us-east-1")),
                anthropic("first-party", "claude-sonnet-4-5"),
                vertex(
                    "last-resort",
                    "claude-haiku-4-5@20251001",
                    Some("p"),
                    Some("l"),
                ),
                anthropic("unrelated", "claude-opus-4-5"),
            ],
            vec![
                fallback("sonnet", &["first-party"]),
                fallback("*", &["last-resort"]),
            ],
        );
        let diagnostics = on(Endpoint::Bedrock, &gateway);
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(messages[0].starts_with(
            "model group `first-party` (a fallback of `sonnet` on LiteLLM's /bedrock pass-through) \
             has a deployment of provider `anthropic`"
        ));
        assert!(messages[1].starts_with("model group `last-resort` (a fallback of `sonnet`"));
        // No fallback is followed on /vertex_ai.
        let on_vertex = gateway_with(
            vec![
                vertex("sonnet", "claude-sonnet-4-5@20250929", Some("p"), Some("l")),
                bedrock("spare", SONNET_BEDROCK, Some("us-east-1")),
            ],
            vec![fallback("sonnet", &["spare"])],
        );
        assert!(on(Endpoint::Vertex, &on_vertex).is_empty());
    }

    #[test]
    fn on_the_vertex_route_another_provider_is_never_used() {
        let gateway = gateway_with(
            vec![
                vertex("sonnet", "claude-sonnet-4-5@20250929", Some("p"), Some("l")),
                ordered(bedrock("sonnet", SONNET_BEDROCK, Some("us-east-1")), 2),
            ],
            vec![],
        );
        let diagnostics = on(Endpoint::Vertex, &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4015"]);
        assert!(
            diagnostics[0].message.ends_with(
                "LiteLLM never uses it there: the route sends the group's requests to \
                            its vertex_ai deployments only, with no fallback to another provider"
            ),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn groups_claude_code_names_count_even_without_the_routes_provider() {
        let gateway = gateway_with(
            vec![
                anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
                raw("gpt-*", "openai/gpt-*"),
                bedrock(
                    "claude-haiku-4-5",
                    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                    None,
                ),
            ],
            vec![],
        );
        let mut setup = setup_for(gateway.clone());
        setup.client.endpoint = Endpoint::Bedrock;
        assert!(check(&setup, &gateway).is_empty(), "nothing names them");
        setup.client.model = Some(spanned("claude-sonnet-4-5".into(), 3));
        setup.client.background_model = Some(spanned("gpt-4o".into(), 4));
        let messages: Vec<String> = check(&setup, &gateway)
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(messages[0].starts_with("model group `claude-sonnet-4-5` (Claude Code reaches"));
        assert!(messages[1].starts_with("model group `gpt-*` (Claude Code reaches"));
    }

    #[test]
    fn the_route_provider_is_the_model_prefix() {
        let route = PassThrough::of(Endpoint::Bedrock).unwrap();
        assert!(route.forwards_to(&bedrock("g", SONNET_BEDROCK, None)));
        assert!(route.forwards_to(&raw("g", "bedrock/converse/m")));
        assert!(!route.forwards_to(&raw("g", SONNET_BEDROCK)), "no prefix");
        assert!(!route.forwards_to(&vertex("g", "m", None, None)));
        let vertex_route = PassThrough::of(Endpoint::Vertex).unwrap();
        assert!(vertex_route.forwards_to(&vertex("g", "m", None, None)));
        assert!(vertex_route.forwards_to(&raw("g", "vertex_ai/m")));
        assert_eq!(PassThrough::of(Endpoint::Unified), None);
    }
}
