//! Several proxy instances share rate-limit counters, cooldowns and usage-based routing state
//! only through Redis. Nothing in the config says how many instances run, so this is a note: it
//! matters as soon as there are two (replicas, or `--num_workers`).

use super::Input;
use super::codes::PER_INSTANCE_STATE;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, Param};

/// Routing strategies that pick by traffic each instance counts for itself.
const STATEFUL_STRATEGIES: &[&str] = &[
    "least-busy",
    "usage-based-routing",
    "usage-based-routing-v2",
    "latency-based-routing",
    "provider-budget-routing",
];

/// Hosts that are each machine's own: a Redis there is shared only by instances on one host.
const LOOPBACK_HOSTS: &[&str] = &["127.0.0.1", "localhost", "::1", "[::1]"];

pub fn check(gateway: &Gateway, input: Input<'_>) -> Vec<Diagnostic> {
    if let Some(redis) = gateway.option("redis") {
        return loopback_redis(gateway, redis, input).into_iter().collect();
    }
    let limited = gateway
        .deployments
        .iter()
        .find(|d| d.option("rpm").is_some() || d.option("tpm").is_some());
    let strategy = gateway
        .option("routing_strategy")
        .and_then(|s| s.as_str())
        .filter(|s| STATEFUL_STRATEGIES.contains(s));
    let (what, span) = match (limited, strategy) {
        (Some(deployment), _) => (
            format!(
                "the rpm/tpm limits (first on model group `{}`)",
                deployment.model_group
            ),
            deployment.span,
        ),
        (None, Some(strategy)) => (
            format!("routing strategy `{strategy}`"),
            gateway.option_span("routing_strategy"),
        ),
        (None, None) => return Vec::new(),
    };
    vec![
        Diagnostic::note(
            PER_INSTANCE_STATE,
            format!(
                "with {what}, each LiteLLM instance routes by counters it keeps for itself: with \
                 several instances (replicas or workers) each lets the full limit through"
            ),
            input.say(
                "when you run more than one instance, give them a shared Redis: \
                 `redis: #{ host: \"…\", port: 6379, password: secret(\"REDIS_PASSWORD\") }`",
                "when you run more than one instance, give them a shared Redis: \
                 router_settings.redis_host, redis_port and redis_password",
            ),
        )
        .at(span),
    ]
}

/// A shared Redis on the loopback address is shared by nothing on another host.
fn loopback_redis(gateway: &Gateway, redis: &Param, input: Input<'_>) -> Option<Diagnostic> {
    let host = redis.as_map()?.get("host")?.as_str()?;
    LOOPBACK_HOSTS.contains(&host).then(|| {
        Diagnostic::note(
            PER_INSTANCE_STATE,
            format!(
                "the Redis the proxy instances share is on {host}: instances on other hosts (pods, \
                 machines) each reach their own, so they share no counters or cooldowns"
            ),
            input.say(
                "give the gateway's `redis` a host every instance reaches",
                "set a Redis host every instance reaches",
            ),
        )
        .at(gateway.option_span("redis"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with, routed};
    use gwscript_plugin::testing::{
        anthropic, codes_of, literal, map, with_gateway_option, with_routing,
    };

    #[test]
    fn gw4027_notes_limits_and_stateful_routing_without_redis() {
        let limited = gateway_with(
            vec![with_routing(
                anthropic("s", "claude-sonnet-4-5"),
                "rpm",
                literal(60),
            )],
            vec![],
        );
        let found = check(&limited, Input::Recipe);
        assert_eq!(codes_of(&found), ["GW4027"]);
        assert_eq!(found[0].severity, gwscript_plugin::Severity::Note);
        assert_eq!(found[0].span, limited.deployments[0].span);
        let busy = routed(gateway_with(vec![], vec![]), "least-busy");
        assert_eq!(codes_of(&check(&busy, Input::Recipe)), ["GW4027"]);
        let shuffled = routed(gateway_with(vec![], vec![]), "simple-shuffle");
        assert!(check(&shuffled, Input::Recipe).is_empty());
        let shared = with_gateway_option(
            limited,
            "redis",
            map([("host", literal("redis")), ("port", literal(6379))]),
        );
        assert!(check(&shared, Input::Recipe).is_empty());
        let local = with_gateway_option(
            shared,
            "redis",
            map([("host", literal("127.0.0.1")), ("port", literal(6379))]),
        );
        let found = check(&local, Input::Recipe);
        assert_eq!(codes_of(&found), ["GW4027"]);
        assert!(found[0].message.contains("127.0.0.1"));
    }
}
