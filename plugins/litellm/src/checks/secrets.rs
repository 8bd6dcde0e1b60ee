//! Credentials must be `secret("NAME")` references, written as `os.environ/NAME`, so no value ends
//! up in config.yaml. Messages name the option, never its value.

use super::codes::{LITERAL_SECRET, NO_MASTER_KEY};
use crate::catalog::LITELLM_VERSION;
use crate::params;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, ProviderKind, Span};

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for deployment in &gateway.deployments {
        let span = deployment.provider.span.or(deployment.span);
        for param in params::provider_params(&deployment.provider) {
            if param.holds_credential() && param.value.secret_name().is_none() {
                let option = format!(
                    "{} provider option `{}` of model group `{}`",
                    deployment.provider.kind.name(),
                    param.recipe_key,
                    deployment.model_group
                );
                // `ANTHROPIC_API_KEY`, `AWS_SECRET_ACCESS_KEY`, …: the names people already use.
                let env_name = match deployment.provider.kind {
                    ProviderKind::Raw => param.litellm_key.to_ascii_uppercase(),
                    _ if param.litellm_key != "api_key" => param.litellm_key.to_ascii_uppercase(),
                    kind => format!("{}_API_KEY", kind.name().to_ascii_uppercase()),
                };
                diagnostics.push(literal_secret(&option, &env_name, span));
            }
        }
    }
    // The host has checked the types; only whether each value is a reference is left. Each is
    // (what the message calls it, the option that holds it, its value, a variable to suggest).
    let redis_password = gateway
        .option("redis")
        .and_then(|redis| redis.as_map())
        .and_then(|redis| redis.get("password"));
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
            gateway.option("database_url"),
            "DATABASE_URL",
        ),
        ("redis password", "redis", redis_password, "REDIS_PASSWORD"),
    ];
    for (what, key, value, env_name) in gateway_secrets {
        if value.is_some_and(|param| param.secret_name().is_none()) {
            diagnostics.push(literal_secret(
                &format!("gateway {what}"),
                env_name,
                gateway.option_span(key),
            ));
        }
    }
    if gateway.option("master_key").is_none() {
        diagnostics.push(
            Diagnostic::warning(
                NO_MASTER_KEY,
                format!(
                    "the LiteLLM gateway has no master_key: unless LITELLM_MASTER_KEY happens to be \
                     set where it runs, LiteLLM {LITELLM_VERSION} accepts requests without any key \
                     (newer releases refuse to start)"
                ),
                "add `master_key: secret(\"LITELLM_MASTER_KEY\")` to the gateway",
            )
            .at(gateway.span),
        );
    }
    diagnostics
}

fn literal_secret(option: &str, env_name: &str, span: Option<Span>) -> Diagnostic {
    Diagnostic::error(
        LITERAL_SECRET,
        format!("{option} is a literal value where a secret belongs; it would be written into config.yaml"),
        format!(
            "use secret(\"NAME\") instead, e.g. secret(\"{env_name}\"), and set it in the proxy's environment"
        ),
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
        let diagnostics = check(&gateway_with(deployments, vec![]));
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
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4005"; 3]);
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
        assert!(check(&gateway).is_empty());
    }

    #[test]
    fn gw4010_wants_a_master_key() {
        let mut gateway = gateway_with(vec![], vec![]);
        gateway.options.remove("master_key");
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4010"]);
        assert!(!diagnostics[0].is_error());
    }
}
