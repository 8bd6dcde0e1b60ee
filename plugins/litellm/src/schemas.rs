//! The option schemas the manifest declares. The host validates every recipe's gateway and
//! deployment options against them (unknown keys, wrong types) before the plugin is called, so the
//! checks and the context can rely on these types.

use crate::catalog::{self, OptionType};
use gwscript_plugin::schema::{
    boolean, described, integer, list_of, object, positive_number, string, string_or_secret,
};
use serde_json::{Value, json};

/// The map given to `gateway("litellm", #{ … })`, without `url`.
pub fn gateway_options() -> Value {
    let mut properties = vec![
        (
            "master_key",
            described(
                string_or_secret(),
                "the proxy's admin key; clients authenticate with it or with virtual keys",
            ),
        ),
        (
            "database_url",
            described(
                string_or_secret(),
                "Postgres URL; LiteLLM needs it for virtual keys and spend tracking",
            ),
        ),
        (
            "redis",
            described(
                redis(),
                "Redis shared by proxy instances for rate-limit counters and cooldowns",
            ),
        ),
        // A plain string: GW4003 checks the name against the pinned release, with a suggestion.
        (
            "routing_strategy",
            described(
                string(),
                "how LiteLLM picks a deployment in a model group, e.g. simple-shuffle",
            ),
        ),
        (
            "num_retries",
            described(integer(0), "retries of a failed call before fallbacks"),
        ),
        (
            "timeout",
            described(positive_number(), "timeout of a routed call, in seconds"),
        ),
    ];
    properties.extend(catalog::GATEWAY_OPTIONS.iter().map(|option| {
        (
            option.name,
            described(schema_of(option.kind), option.description),
        )
    }));
    object(properties, &[])
}

/// The map given to `gw.deploy(group, provider, #{ … })`: LiteLLM's routing fields.
pub fn deployment_options() -> Value {
    object(
        [
            (
                "order",
                described(
                    integer(1),
                    "priority tier: order 1 serves while healthy, 2 is spill-over",
                ),
            ),
            (
                "weight",
                described(
                    positive_number(),
                    "share of the group's traffic under simple-shuffle",
                ),
            ),
            (
                "rpm",
                described(integer(0), "requests per minute this deployment may take"),
            ),
            (
                "tpm",
                described(integer(0), "tokens per minute this deployment may take"),
            ),
        ],
        &[],
    )
}

fn redis() -> Value {
    let port = json!({ "anyOf": [
        { "type": "integer", "minimum": 1, "maximum": 65535 },
        string_or_secret(),
    ] });
    object(
        [
            ("host", string_or_secret()),
            ("port", port),
            ("password", string_or_secret()),
        ],
        &["host", "port"],
    )
}

fn schema_of(kind: OptionType) -> Value {
    match kind {
        OptionType::Flag => boolean(),
        OptionType::Seconds => positive_number(),
        OptionType::SecondsOrZero => json!({ "type": "number", "minimum": 0 }),
        OptionType::Count => integer(0),
        OptionType::Names => list_of(string()),
    }
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
    fn gateway_schema_accepts_what_the_quickstart_recipe_sends() {
        let schema = gateway_options();
        assert!(accepts(
            &schema,
            json!({
                "master_key": { "$secret": "LITELLM_MASTER_KEY" },
                "routing_strategy": "simple-shuffle",
                "num_retries": 2,
                "timeout": 600,
            })
        ));
        assert!(accepts(
            &schema,
            json!({
                "database_url": { "$secret": "DATABASE_URL" },
                "redis": { "host": "redis.internal", "port": 6379,
                           "password": { "$secret": "REDIS_PASSWORD" } },
                "drop_params": true,
                "cooldown_time": 0,
                "max_fallbacks": 0,
                "request_timeout": 600.5,
                "callbacks": ["prometheus"],
                "success_callback": ["langfuse"],
                "failure_callback": [],
            })
        ));
    }

    #[test]
    fn gateway_schema_refuses_wrong_types_and_unknown_keys() {
        let schema = gateway_options();
        for refused in [
            json!({ "drop_params": "false" }),
            json!({ "cooldown_time": "soon" }),
            json!({ "num_retries": -1 }),
            json!({ "timeout": 0 }),
            json!({ "callbacks": "prometheus" }),
            json!({ "callbacks": [{ "$secret": "X" }] }),
            json!({ "redis": { "host": "redis" } }),
            json!({ "redis": { "host": "redis", "port": 6379, "db": 1 } }),
            json!({ "master_key": { "$secret": "not a name" } }),
            json!({ "drop_param": true }),
        ] {
            assert!(!accepts(&schema, refused.clone()), "accepted {refused}");
        }
    }

    #[test]
    fn every_placed_option_is_declared_with_a_description() {
        let schema = gateway_options();
        for option in catalog::GATEWAY_OPTIONS {
            let declared = &schema["properties"][option.name];
            assert!(declared["description"].is_string(), "{}", option.name);
        }
        assert_options_described(&schema);
    }

    #[test]
    fn deployment_schema_takes_the_routing_fields() {
        let schema = deployment_options();
        assert!(accepts(
            &schema,
            json!({ "order": 1, "weight": 2.5, "rpm": 500, "tpm": 200000 })
        ));
        for refused in [
            json!({ "order": 0 }),
            json!({ "weight": 0 }),
            json!({ "rpm": "fast" }),
            json!({ "tpm": -5 }),
            json!({ "priority": 1 }),
        ] {
            assert!(!accepts(&schema, refused.clone()), "accepted {refused}");
        }
    }
}
