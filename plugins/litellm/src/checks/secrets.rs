//! Credentials must be `secret("NAME")` references, written as `os.environ/NAME`, so no value ends
//! up in config.yaml. Messages name the option, never its value.

use super::Input;
use super::codes::{LITERAL_SECRET, MASTER_KEY_REFUSED, NO_MASTER_KEY};
use crate::catalog::{self, LITELLM_VERSION, PUBLIC_MASTER_KEY};
use crate::params;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, Param, ProviderKind, Span};

pub fn check(gateway: &Gateway, input: Input<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (index, deployment) in gateway.deployments.iter().enumerate() {
        for param in params::provider_params(&deployment.provider, input.naming()) {
            if param.holds_credential() && holds_literal_secret(param.value) {
                // `ANTHROPIC_API_KEY`, `AWS_SECRET_ACCESS_KEY`, …: the names people already use.
                let env_name = match deployment.provider.kind {
                    ProviderKind::Raw => param.litellm_key.to_ascii_uppercase(),
                    _ if param.litellm_key != "api_key" => param.litellm_key.to_ascii_uppercase(),
                    kind => format!("{}_API_KEY", kind.name().to_ascii_uppercase()),
                };
                diagnostics.push(literal_secret(
                    &input.option_name(deployment, param.recipe_key),
                    &env_name,
                    input.option_span(index, deployment, param.recipe_key),
                    input,
                ));
            }
        }
    }
    // The host has checked the types; only whether each value is a reference is left. Each is
    // (what the message calls it, the option that holds it, its value, a variable to suggest).
    let redis_password = gateway
        .option("redis")
        .and_then(|redis| redis.as_map())
        .and_then(|redis| redis.get("password"));
    let database_url = gateway.option("database_url");
    let gateway_secrets = [
        (
            "master_key",
            "master_key",
            gateway.option("master_key"),
            "LITELLM_MASTER_KEY",
        ),
        (
            "database_url",
            "database_url",
            // A URL is a secret for its password; `postgresql://db/litellm` holds none.
            database_url.filter(|url| {
                url.as_str()
                    .is_none_or(|url| catalog::url_password(url).is_some())
            }),
            "DATABASE_URL",
        ),
        ("redis password", "redis", redis_password, "REDIS_PASSWORD"),
    ];
    for (what, key, value, env_name) in gateway_secrets {
        if value.is_some_and(holds_literal_secret) {
            diagnostics.push(literal_secret(
                &format!("gateway {what}"),
                env_name,
                gateway.option_span(key),
                input,
            ));
        }
    }
    match gateway.option("master_key") {
        None => diagnostics.push(
            Diagnostic::warning(
                NO_MASTER_KEY,
                format!(
                    "the LiteLLM gateway has no master_key: unless LITELLM_MASTER_KEY happens to be \
                     set where it runs, LiteLLM {LITELLM_VERSION} accepts requests without any key \
                     (newer releases refuse to start)"
                ),
                input.say(
                    "add `master_key: secret(\"LITELLM_MASTER_KEY\")` to the gateway",
                    "add `master_key: os.environ/LITELLM_MASTER_KEY` under general_settings",
                ),
            )
            .at(gateway.span),
        ),
        Some(key) => diagnostics.extend(refused_master_key(key, gateway.option_span("master_key"), input)),
    }
    diagnostics
}

/// Whether a credential option holds its value in the config rather than a reference to it.
/// Placeholders (`fake-key`) hold nothing worth protecting.
pub fn holds_literal_secret(value: &Param) -> bool {
    match value {
        Param::Secret(_) => false,
        Param::Literal(serde_json::Value::String(text)) => {
            !catalog::is_placeholder_secret(text)
                && !catalog::url_password(text).is_some_and(catalog::is_placeholder_secret)
                && !text.starts_with(OIDC_REFERENCE_PREFIX)
        }
        Param::Literal(serde_json::Value::Null) => false,
        Param::Literal(_) | Param::List(_) | Param::Map(_) => true,
    }
}

/// LiteLLM reads `oidc/…` credentials from an identity provider at request time: a reference.
const OIDC_REFERENCE_PREFIX: &str = "oidc/";

/// Recent LiteLLM releases refuse to start with an empty master key or the one every tutorial
/// shows, and anyone can use the latter.
fn refused_master_key(key: &Param, span: Option<Span>, input: Input<'_>) -> Option<Diagnostic> {
    let text = key.as_str()?;
    let problem = if text == PUBLIC_MASTER_KEY {
        "is the publicly known default of LiteLLM's docs"
    } else if text.trim().is_empty() {
        "is empty"
    } else {
        return None;
    };
    Some(
        Diagnostic::error(
            MASTER_KEY_REFUSED,
            format!(
                "the master key {problem}: LiteLLM refuses to start with it (1.109.1 and later), \
                 and older releases let anyone who read the docs in"
            ),
            input.say(
                "use `master_key: secret(\"LITELLM_MASTER_KEY\")` and set a long random value, e.g. sk- followed by 64 hex characters",
                "write `master_key: os.environ/LITELLM_MASTER_KEY` and set a long random value, e.g. sk- followed by 64 hex characters",
            ),
        )
        .at(span)
        .sensitive(),
    )
}

pub fn literal_secret(
    option: &str,
    env_name: &str,
    span: Option<Span>,
    input: Input<'_>,
) -> Diagnostic {
    Diagnostic::error(
        LITERAL_SECRET,
        format!(
            "{option} is a literal value where a secret belongs; it {}",
            input.say(
                "would be written into config.yaml",
                "sits in the file for anyone who can read it"
            )
        ),
        input.secret_fix(env_name),
    )
    .at(span)
    .sensitive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, literal, map, secret, vertex, with_gateway_options,
        with_option,
    };

    const LEAKY: &str = "sk-ant-api03-DO-NOT-PRINT-7f3a9c";

    #[test]
    fn gw4005_flags_literal_provider_credentials() {
        let deployments = vec![
            with_option(anthropic("a", "m"), "api_key", literal(LEAKY)),
            with_option(
                bedrock("b", "m", Some("us-east-1")),
                "aws_secret_access_key",
                literal(LEAKY),
            ),
            with_option(
                bedrock("b", "m", Some("us-east-1")),
                "aws_access_key_id",
                literal(LEAKY),
            ),
            with_option(
                bedrock("b", "m", Some("us-east-1")),
                "aws_session_token",
                literal(LEAKY),
            ),
            with_option(
                vertex("v", "m", Some("p"), Some("l")),
                "credentials",
                literal(LEAKY),
            ),
        ];
        let diagnostics = check(&gateway_with(deployments, vec![]), Input::Recipe);
        assert_eq!(codes_of(&diagnostics), ["GW4005"; 5]);
        assert!(diagnostics.iter().all(Diagnostic::is_error));
        assert!(diagnostics[0].message.starts_with(
            "anthropic provider option `api_key` of model group `a` is a literal value"
        ));
        assert!(diagnostics[4].message.contains("option `credentials`"));
        assert!(
            diagnostics[0]
                .help
                .contains("secret(\"ANTHROPIC_API_KEY\")")
        );
        assert!(
            diagnostics[1]
                .help
                .contains("secret(\"AWS_SECRET_ACCESS_KEY\")")
        );
        for diagnostic in &diagnostics {
            assert!(!diagnostic.message.contains(LEAKY) && !diagnostic.help.contains(LEAKY));
        }
    }

    #[test]
    fn gw4005_flags_literal_gateway_secrets() {
        let redis = map([
            ("host", literal("redis.internal")),
            ("port", literal(6379)),
            ("password", literal("hunter2")),
        ]);
        let gateway = with_gateway_options(
            gateway_with(vec![], vec![]),
            [
                ("master_key", literal("sk-1234")),
                ("database_url", literal("postgresql://u:hunter2@db/litellm")),
                ("redis", redis),
            ],
        );
        let diagnostics = check(&gateway, Input::Recipe);
        // The published sk-1234 is also a key LiteLLM refuses.
        assert_eq!(
            codes_of(&diagnostics),
            ["GW4005", "GW4005", "GW4005", "GW4030"]
        );
        assert!(
            diagnostics[0]
                .message
                .starts_with("gateway master_key is a literal value")
        );
        assert_eq!(diagnostics[0].span, gateway.options["master_key"].span);
        assert_eq!(diagnostics[2].span, gateway.options["redis"].span);
        assert!(diagnostics[1].message.starts_with("gateway database_url"));
        assert!(diagnostics[2].message.starts_with("gateway redis password"));
        for diagnostic in &diagnostics {
            for value in ["sk-1234", "hunter2"] {
                assert!(!diagnostic.message.contains(value) && !diagnostic.help.contains(value));
            }
        }
    }

    #[test]
    fn secret_references_pass() {
        let gateway = with_gateway_options(
            gateway_with(
                vec![with_option(
                    anthropic("a", "m"),
                    "api_key",
                    secret("ANTHROPIC_API_KEY"),
                )],
                vec![],
            ),
            [
                ("database_url", secret("DATABASE_URL")),
                (
                    "redis",
                    map([
                        ("host", literal("redis")),
                        ("port", literal(6379)),
                        ("password", secret("REDIS_PASSWORD")),
                    ]),
                ),
            ],
        );
        assert!(check(&gateway, Input::Recipe).is_empty());
    }

    #[test]
    fn gw4010_wants_a_master_key() {
        let mut gateway = gateway_with(vec![], vec![]);
        gateway.options.remove("master_key");
        let diagnostics = check(&gateway, Input::Recipe);
        assert_eq!(codes_of(&diagnostics), ["GW4010"]);
        assert!(!diagnostics[0].is_error());
    }
}
