//! The option schemas the manifest declares. The host validates every recipe's gateway options
//! against them (unknown keys, wrong types, out-of-range numbers) before the plugin is called, so
//! [`crate::options`] can rely on these shapes. Deployments take no options.

use gwscript_plugin::schema::{
    described, integer, list_of, object, one_of_strings, positive_number, string,
};
use serde_json::{Value, json};

/// The map given to `gateway("zuplo", #{ … })`, without `url`.
pub fn gateway_options() -> Value {
    object(
        [
            (
                "product",
                described(
                    one_of_strings(&["api-gateway", "ai-gateway"]),
                    "api-gateway (default): routes.oas.json and policies.json for a Zuplo API \
                     project; ai-gateway: Zuplo's AI Gateway, set up in the Zuplo Portal",
                ),
            ),
            (
                "project",
                described(
                    string(),
                    "api-gateway: the Zuplo project name, for `zuplo deploy --project`",
                ),
            ),
            (
                "upstream",
                described(
                    string(),
                    "api-gateway: the https base URL the route forwards to; defaults to the \
                     Anthropic deployments' api_base, else https://api.anthropic.com",
                ),
            ),
            (
                "api_key_bucket",
                described(
                    string(),
                    "api-gateway: the API key bucket the api-key-inbound policy reads \
                     (bucketName); defaults to the project environment's own bucket",
                ),
            ),
            (
                "rate_limit",
                described(
                    rate_limit(),
                    "api-gateway: a rate-limit-inbound policy on the Claude Code routes",
                ),
            ),
            (
                "usage_limits",
                described(
                    list_of(usage_limit()),
                    "ai-gateway: cost, token or request limits per day or month for the gateway, \
                     its teams and apps; a child's limit may not exceed its parent's",
                ),
            ),
        ],
        &[],
    )
}

fn rate_limit() -> Value {
    object(
        [
            (
                "requests",
                described(integer(1), "requests allowed per window (requestsAllowed)"),
            ),
            (
                "window_minutes",
                described(integer(1), "the window, in minutes (timeWindowMinutes)"),
            ),
            (
                "by",
                described(
                    one_of_strings(&["user", "ip", "all"]),
                    "whose requests share a counter (rateLimitBy): the API key consumer (user, \
                     the default), the client IP, or everyone",
                ),
            ),
        ],
        &["requests", "window_minutes"],
    )
}

/// One limit: where it sits in the gateway → team → app hierarchy, what it counts, per what
/// period, and how much.
fn usage_limit() -> Value {
    let entry = |scope: &'static str, names: Vec<(&'static str, Value)>, required: &[&str]| {
        let mut properties = vec![("scope", json!({ "const": scope }))];
        properties.extend(names);
        properties.extend([
            (
                "kind",
                described(
                    one_of_strings(&["cost", "tokens", "requests"]),
                    "what the limit counts: spend in USD, tokens, or requests",
                ),
            ),
            ("period", one_of_strings(&["daily", "monthly"])),
            ("limit", positive_number()),
            (
                "mode",
                described(
                    one_of_strings(&["enforce", "warn"]),
                    "enforce (default) blocks requests over the limit; warn only notifies",
                ),
            ),
        ]);
        let mut all_required = vec!["scope", "kind", "period", "limit"];
        all_required.extend(required);
        object(properties, &all_required)
    };
    json!({ "oneOf": [
        entry("gateway", vec![], &[]),
        entry(
            "team",
            vec![
                ("name", described(string(), "the team's name in the AI Gateway")),
                (
                    "parent",
                    described(string(), "the parent team; absent for a top-level team"),
                ),
            ],
            &["name"],
        ),
        entry(
            "app",
            vec![
                ("name", described(string(), "the app's name in the AI Gateway")),
                ("team", described(string(), "the team that owns the app")),
            ],
            &["name", "team"],
        ),
    ] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::assert_options_described;

    fn accepts(instance: Value) -> bool {
        jsonschema::validator_for(&gateway_options())
            .expect("the schema compiles")
            .is_valid(&instance)
    }

    #[test]
    fn the_schema_is_valid_json_schema_and_describes_every_option() {
        let schema = gateway_options();
        assert!(jsonschema::meta::is_valid(&schema), "{schema}");
        assert_options_described(&schema);
    }

    #[test]
    fn accepts_what_the_recipes_send() {
        assert!(accepts(json!({
            "product": "api-gateway",
            "project": "claude-code-gateway",
            "upstream": "https://api.anthropic.com",
            "api_key_bucket": "claude-code-keys",
            "rate_limit": { "requests": 120, "window_minutes": 1, "by": "user" },
        })));
        assert!(accepts(json!({
            "product": "ai-gateway",
            "usage_limits": [
                { "scope": "gateway", "kind": "cost", "period": "monthly", "limit": 5000 },
                { "scope": "team", "name": "platform", "kind": "cost", "period": "monthly",
                  "limit": 1000, "mode": "warn" },
                { "scope": "team", "name": "ml", "parent": "platform", "kind": "tokens",
                  "period": "daily", "limit": 2.5e6 },
                { "scope": "app", "name": "claude-code", "team": "ml", "kind": "requests",
                  "period": "daily", "limit": 500 },
            ],
        })));
    }

    #[test]
    fn refuses_wrong_shapes() {
        for refused in [
            json!({ "product": "ai" }),
            json!({ "rate_limit": { "requests": 0, "window_minutes": 1 } }),
            json!({ "rate_limit": { "requests": 10, "window_minutes": 0 } }),
            json!({ "rate_limit": { "requests": 10 } }),
            json!({ "rate_limit": { "requests": 10, "window_minutes": 1, "by": "function" } }),
            json!({ "upstream": { "$secret": "UPSTREAM" } }),
            json!({ "usage_limits": [{ "scope": "team", "kind": "cost", "period": "daily",
                                       "limit": 1 }] }),
            json!({ "usage_limits": [{ "scope": "app", "name": "a", "kind": "cost",
                                       "period": "daily", "limit": 1 }] }),
            json!({ "usage_limits": [{ "scope": "gateway", "name": "x", "kind": "cost",
                                       "period": "daily", "limit": 1 }] }),
            json!({ "usage_limits": [{ "scope": "gateway", "kind": "dollars",
                                       "period": "daily", "limit": 1 }] }),
            json!({ "usage_limits": [{ "scope": "gateway", "kind": "cost",
                                       "period": "weekly", "limit": 1 }] }),
            json!({ "usage_limits": [{ "scope": "gateway", "kind": "cost",
                                       "period": "daily", "limit": 0 }] }),
            json!({ "usage_limits": [{ "scope": "org", "kind": "cost",
                                       "period": "daily", "limit": 1 }] }),
            json!({ "budget": 100 }),
        ] {
            assert!(!accepts(refused.clone()), "accepted {refused}");
        }
    }
}
