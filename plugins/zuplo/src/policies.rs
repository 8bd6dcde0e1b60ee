//! The inbound policies on Claude Code's routes, in the order Zuplo runs them: authenticate
//! Claude Code's key, count it against the rate limit, drop it so it never travels upstream, then
//! add the upstream's own key from Zuplo's environment. routes.oas.json lists their names and
//! policies.json defines them, both from this one list.

use crate::options::{self, RateLimit};
use gwscript_plugin::model::Gateway;
use serde_json::{Value, json};

pub const API_KEY: &str = "claude-code-api-key";
pub const RATE_LIMIT: &str = "claude-code-rate-limit";
pub const DROP_CLIENT_KEY: &str = "drop-claude-code-key";
pub const UPSTREAM_KEY: &str = "anthropic-upstream-key";

/// The header Anthropic's API reads its key from.
pub const UPSTREAM_KEY_HEADER: &str = "x-api-key";

/// One entry of policies.json: `{name, policyType, handler {export, module, options}}`. The
/// module is always Zuplo's runtime.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: &'static str,
    pub policy_type: &'static str,
    pub export: &'static str,
    pub options: Value,
}

impl Policy {
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "policy_type": self.policy_type,
            "export": self.export,
            "options": self.options,
        })
    }
}

/// The route's inbound chain; `upstream_key` is the environment variable holding the upstream key.
pub fn inbound(gateway: &Gateway, upstream_key: &str) -> Vec<Policy> {
    let mut chain = vec![api_key(gateway)];
    chain.extend(options::rate_limit(gateway).map(rate_limit));
    chain.push(Policy {
        name: DROP_CLIENT_KEY,
        policy_type: "remove-headers-inbound",
        export: "RemoveHeadersInboundPolicy",
        options: json!({ "names": ["authorization"] }),
    });
    chain.push(Policy {
        name: UPSTREAM_KEY,
        policy_type: "set-headers-inbound",
        export: "SetHeadersInboundPolicy",
        // Zuplo substitutes $env(NAME) from the environment's variables when the policy loads.
        options: json!({ "headers": [{
            "name": UPSTREAM_KEY_HEADER,
            "value": format!("$env({upstream_key})"),
            "overwrite": true,
        }] }),
    });
    chain
}

fn api_key(gateway: &Gateway) -> Policy {
    let mut options = json!({ "allowUnauthenticatedRequests": false });
    if let Some(bucket) = gateway
        .option("api_key_bucket")
        .and_then(|bucket| bucket.as_str())
    {
        options["bucketName"] = Value::from(bucket);
    }
    Policy {
        name: API_KEY,
        policy_type: "api-key-inbound",
        export: "ApiKeyInboundPolicy",
        options,
    }
}

fn rate_limit(limit: RateLimit<'_>) -> Policy {
    Policy {
        name: RATE_LIMIT,
        policy_type: "rate-limit-inbound",
        export: "RateLimitInboundPolicy",
        options: json!({
            "rateLimitBy": limit.by,
            "requestsAllowed": limit.requests,
            "timeWindowMinutes": limit.window_minutes,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::zuplo_gateway;
    use gwscript_plugin::testing::{literal, map, with_gateway_options};

    fn names(chain: &[Policy]) -> Vec<&str> {
        chain.iter().map(|p| p.name).collect()
    }

    #[test]
    fn authenticates_then_swaps_the_key() {
        let chain = inbound(&zuplo_gateway(vec![]), "ANTHROPIC_API_KEY");
        assert_eq!(names(&chain), [API_KEY, DROP_CLIENT_KEY, UPSTREAM_KEY]);
        assert_eq!(
            chain[0].options,
            json!({ "allowUnauthenticatedRequests": false })
        );
        assert_eq!(
            chain[2].options["headers"][0],
            json!({ "name": "x-api-key", "value": "$env(ANTHROPIC_API_KEY)", "overwrite": true })
        );
        assert_eq!(chain[1].options, json!({ "names": ["authorization"] }));
    }

    #[test]
    fn the_rate_limit_runs_after_authentication() {
        let gateway = with_gateway_options(
            zuplo_gateway(vec![]),
            [
                (
                    "rate_limit",
                    map([
                        ("requests", literal(60)),
                        ("window_minutes", literal(1)),
                        ("by", literal("ip")),
                    ]),
                ),
                ("api_key_bucket", literal("claude-keys")),
            ],
        );
        let chain = inbound(&gateway, "UPSTREAM_KEY");
        assert_eq!(
            names(&chain),
            [API_KEY, RATE_LIMIT, DROP_CLIENT_KEY, UPSTREAM_KEY]
        );
        assert_eq!(chain[0].options["bucketName"], "claude-keys");
        assert_eq!(
            chain[1].options,
            json!({ "rateLimitBy": "ip", "requestsAllowed": 60, "timeWindowMinutes": 1 })
        );
        assert_eq!(chain[1].to_json()["policy_type"], "rate-limit-inbound");
    }
}
