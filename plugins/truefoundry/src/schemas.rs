//! The option schemas the manifest declares. The host validates recipes against them before the
//! plugin runs, so the checks, policies and context can rely on these shapes.

use gwscript_plugin::schema::{
    boolean, described, integer, list_of, object, one_of_strings, positive_number, string,
    string_matching,
};
use serde_json::{Value, json};

/// TrueFoundry's rate-limit units (truefoundry-sdk 0.6.0 `RateLimitUnit`).
pub const RATE_LIMIT_UNITS: &[&str] = &[
    "requests_per_minute",
    "requests_per_hour",
    "requests_per_day",
    "tokens_per_minute",
    "tokens_per_hour",
    "tokens_per_day",
];

/// The periods of TrueFoundry's cost budgets (`BudgetLimitUnit` `cost_per_<period>`).
pub const BUDGET_PERIODS: &[&str] = &["day", "week", "month", "quarter"];

/// The map given to `gateway("truefoundry", #{ … })`, without `url`.
pub fn gateway_options() -> Value {
    object(
        [
            (
                "secret_group",
                described(
                    string_matching(r"^[^\s:/]+:[^\s:/]+$"),
                    "TrueFoundry secret group holding provider credentials, as tenant:group; \
                     secret(\"NAME\") becomes tfy-secret://tenant:group:NAME",
                ),
            ),
            (
                "model_access",
                described(
                    list_of(subject()),
                    "users, teams or virtual accounts given access to the emitted provider \
                     accounts' models (user:…, team:…, virtualaccount:…)",
                ),
            ),
            (
                "rate_limits",
                described(
                    list_of(rate_limit()),
                    "rate-limiting rules: #{ limit, unit, subjects, models, metadata, per }",
                ),
            ),
            (
                "budgets",
                described(
                    list_of(budget()),
                    "cost budgets in US dollars, first match decides: #{ limit_usd, period, \
                     subjects, models, metadata, per, audit }",
                ),
            ),
        ],
        &[],
    )
}

/// The map given to `gw.deploy(group, provider, #{ … })`.
pub fn deployment_options() -> Value {
    object(
        [
            (
                "weight",
                described(
                    integer(1),
                    "relative share of the group's traffic; shares are scaled to add up to 100",
                ),
            ),
            (
                "order",
                described(
                    integer(1),
                    "priority within the group: order 1 serves first, 2 when 1 fails",
                ),
            ),
            (
                "rpm",
                described(
                    integer(1),
                    "requests per minute for the group, when this is its only deployment",
                ),
            ),
            (
                "tpm",
                described(
                    integer(1),
                    "tokens per minute for the group, when this is its only deployment",
                ),
            ),
        ],
        &[],
    )
}

fn subject() -> Value {
    string_matching("^(user|team|virtualaccount):.+$")
}

/// What a rule applies to, shared by rate limits and budgets.
fn conditions() -> [(&'static str, Value); 4] {
    [
        (
            "subjects",
            described(
                list_of(subject()),
                "who the rule applies to; any when empty",
            ),
        ),
        (
            "models",
            described(
                list_of(string()),
                "model groups the rule applies to; any when empty",
            ),
        ),
        (
            "metadata",
            described(
                json!({ "type": "object", "additionalProperties": { "type": "string" } }),
                "X-TFY-METADATA values the request must carry",
            ),
        ),
        (
            "per",
            described(
                list_of(string_matching(
                    r"^(user|virtualaccount|model|metadata\..+)$",
                )),
                "a separate limit for each user, virtualaccount, model or metadata.<key>",
            ),
        ),
    ]
}

fn rate_limit() -> Value {
    let mut properties = vec![
        ("limit", integer(1)),
        ("unit", one_of_strings(RATE_LIMIT_UNITS)),
    ];
    properties.extend(conditions());
    object(properties, &["limit", "unit"])
}

fn budget() -> Value {
    let mut properties = vec![
        ("limit_usd", positive_number()),
        ("period", one_of_strings(BUDGET_PERIODS)),
        (
            "audit",
            described(boolean(), "track spending without blocking requests"),
        ),
    ];
    properties.extend(conditions());
    object(properties, &["limit_usd", "period"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::assert_options_described;

    fn accepts(schema: &Value, instance: Value) -> bool {
        jsonschema::validator_for(schema)
            .expect("the schema compiles")
            .is_valid(&instance)
    }

    #[test]
    fn schemas_are_valid_json_schema() {
        for schema in [gateway_options(), deployment_options()] {
            assert!(jsonschema::meta::is_valid(&schema), "{schema}");
        }
    }

    #[test]
    fn every_option_is_described() {
        assert_options_described(&gateway_options());
        assert_options_described(&deployment_options());
    }

    #[test]
    fn gateway_schema_accepts_the_recipe_shapes() {
        assert!(accepts(
            &gateway_options(),
            json!({
                "secret_group": "acme:llm-keys",
                "model_access": ["team:everyone", "user:ana@acme.example"],
                "rate_limits": [
                    { "limit": 600, "unit": "requests_per_minute", "per": ["user"] },
                    { "limit": 5, "unit": "tokens_per_day", "subjects": ["virtualaccount:ci"],
                      "models": ["a/b"], "metadata": { "env": "prod" }, "per": ["metadata.app"] },
                ],
                "budgets": [
                    { "limit_usd": 50, "period": "day", "per": ["user"] },
                    { "limit_usd": 0.5, "period": "quarter", "audit": true },
                ],
            })
        ));
    }

    #[test]
    fn gateway_schema_refuses_what_truefoundry_would() {
        for refused in [
            json!({ "secret_group": "acme" }),
            json!({ "secret_group": "tfy-secret://acme:keys" }),
            json!({ "secret_group": { "$secret": "GROUP" } }),
            json!({ "model_access": ["everyone"] }),
            json!({ "rate_limits": [{ "limit": 10 }] }),
            json!({ "rate_limits": [{ "limit": 0, "unit": "requests_per_minute" }] }),
            json!({ "rate_limits": [{ "limit": 1, "unit": "requests_per_second" }] }),
            json!({ "rate_limits": [{ "limit": 1, "unit": "requests_per_day", "per": ["team"] }] }),
            json!({ "budgets": [{ "limit_usd": 0, "period": "day" }] }),
            json!({ "budgets": [{ "limit_usd": 5, "period": "year" }] }),
            json!({ "budgets": [{ "limit_usd": 5, "period": "day", "metadata": { "a": 1 } }] }),
            json!({ "budgets": [{ "limit": 5, "period": "day" }] }),
            json!({ "routing_strategy": "simple-shuffle" }),
        ] {
            assert!(
                !accepts(&gateway_options(), refused.clone()),
                "accepted {refused}"
            );
        }
    }

    #[test]
    fn deployment_schema_takes_the_routing_fields() {
        let schema = deployment_options();
        assert!(accepts(
            &schema,
            json!({ "order": 1, "weight": 3, "rpm": 500, "tpm": 200000 })
        ));
        for refused in [
            json!({ "order": 0 }),
            json!({ "weight": 2.5 }),
            json!({ "rpm": 0 }),
            json!({ "account": "x" }),
        ] {
            assert!(!accepts(&schema, refused.clone()), "accepted {refused}");
        }
    }
}
