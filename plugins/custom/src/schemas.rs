//! The option schema the manifest declares. The host validates every recipe's gateway options
//! against it before the plugin is called; deployments take no options (there is no routing to
//! tune: every request goes to the one upstream).

use crate::options::{
    DEFAULT_MAX_BODY_MB, DEFAULT_READ_TIMEOUT_S, DEFAULT_UPSTREAM, MAX_BODY_MB, MAX_READ_TIMEOUT_S,
    Server,
};
use gwscript_plugin::schema::{
    described, integer_between, object, one_of_strings, string, string_or_secret,
};
use serde_json::Value;

/// The map given to `gateway("custom", #{ … })`, without `url`.
pub fn gateway_options() -> Value {
    let servers: Vec<&str> = Server::ALL.iter().map(|s| s.name()).collect();
    object(
        [
            (
                "server",
                described(
                    one_of_strings(&servers),
                    "what to emit: nginx (config and start script, the default), kong (decK \
                     config for the ai-proxy plugin) or checklist (steps for AWS API Gateway or Apigee)",
                ),
            ),
            (
                "upstream",
                described(
                    string(),
                    &format!(
                        "the Anthropic Messages API the gateway forwards to, default {DEFAULT_UPSTREAM}"
                    ),
                ),
            ),
            (
                "upstream_api_key",
                described(
                    string_or_secret(),
                    "secret(\"NAME\") of the key sent upstream as x-api-key; default: the api_key \
                     of the Anthropic deployments",
                ),
            ),
            (
                "gateway_token",
                described(
                    string_or_secret(),
                    "secret(\"NAME\") of the token Claude Code must send as Authorization: Bearer; \
                     default: the pattern's auth_token",
                ),
            ),
            (
                "read_timeout",
                described(
                    integer_between(1, MAX_READ_TIMEOUT_S),
                    &format!(
                        "seconds the gateway waits for the upstream between two reads, at least \
                         300 and at most {MAX_READ_TIMEOUT_S}; default {DEFAULT_READ_TIMEOUT_S}"
                    ),
                ),
            ),
            (
                "max_body_size_mb",
                described(
                    integer_between(1, MAX_BODY_MB),
                    &format!(
                        "largest request body in MiB, above 1 and at most {MAX_BODY_MB}; default \
                         {DEFAULT_MAX_BODY_MB}"
                    ),
                ),
            ),
            (
                "tls_certificate",
                described(
                    string(),
                    "nginx: path of the PEM certificate (chain) for an https:// gateway URL",
                ),
            ),
            (
                "tls_certificate_key",
                described(
                    string(),
                    "nginx: path of the certificate's private key file (a path, not the key)",
                ),
            ),
        ],
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::assert_options_described;
    use serde_json::json;

    fn accepts(instance: Value) -> bool {
        jsonschema::validator_for(&gateway_options())
            .expect("the schema compiles")
            .is_valid(&instance)
    }

    #[test]
    fn the_schema_is_valid_json_schema_and_every_option_is_described() {
        let schema = gateway_options();
        assert!(jsonschema::meta::is_valid(&schema), "{schema}");
        assert_options_described(&schema);
    }

    #[test]
    fn accepts_what_the_example_recipes_send() {
        assert!(accepts(json!({})));
        assert!(accepts(json!({
            "server": "nginx",
            "upstream": "https://api.anthropic.com",
            "upstream_api_key": { "$secret": "ANTHROPIC_API_KEY" },
            "gateway_token": { "$secret": "GATEWAY_TOKEN" },
            "read_timeout": 600,
            "max_body_size_mb": 32,
            "tls_certificate": "/etc/ssl/gw.pem",
            "tls_certificate_key": "/etc/ssl/private/gw.key",
        })));
        assert!(accepts(json!({ "server": "kong" })));
        assert!(accepts(json!({ "server": "checklist" })));
        // Literal credentials pass the schema; the checks refuse them without echoing them.
        assert!(accepts(json!({ "upstream_api_key": "sk-ant-literal" })));
    }

    #[test]
    fn refuses_unknown_servers_wrong_types_and_unknown_keys() {
        for refused in [
            json!({ "server": "envoy" }),
            json!({ "read_timeout": "600s" }),
            json!({ "read_timeout": 0 }),
            json!({ "max_body_size_mb": 0 }),
            json!({ "max_body_size_mb": 1.5 }),
            // Past the bounds, seconds to milliseconds or MiB to bytes would overflow.
            json!({ "read_timeout": 9_223_372_036_854_776_i64 }),
            json!({ "read_timeout": MAX_READ_TIMEOUT_S + 1 }),
            json!({ "max_body_size_mb": 8_796_093_022_208_i64 }),
            json!({ "tls_certificate": { "$secret": "CERT" } }),
            json!({ "gateway_token": { "$secret": "not a name" } }),
            json!({ "upstream": ["https://a", "https://b"] }),
            json!({ "timeout": 600 }),
        ] {
            assert!(!accepts(refused.clone()), "accepted {refused}");
        }
    }
}
