//! Credentials: provider accounts hold TrueFoundry secret references, never values, and Claude
//! Code presents a TrueFoundry API key, not a provider's. Messages name options, never values.

use super::codes::{LITERAL_CREDENTIAL, SECRET_WITHOUT_GROUP, TOKEN_IS_PROVIDER_CREDENTIAL};
use crate::accounts::Platform;
use crate::credentials::{
    PLACEHOLDER_GROUP, Reference, credential_options, reference, secret_group,
};
use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Diagnostic, Setup};
use std::collections::HashSet;

pub fn check(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    let group = secret_group(gateway);
    let mut diagnostics = Vec::new();
    let mut placeholders: Vec<String> = Vec::new();
    let mut listed: HashSet<String> = HashSet::new();
    let mut credential_secrets: Vec<&str> = Vec::new();
    for deployment in &gateway.deployments {
        let provider = &deployment.provider;
        let Some(platform) = Platform::of(provider.kind) else {
            continue;
        };
        for credential in credential_options(platform) {
            let Some(param) = provider.option(credential.option) else {
                continue;
            };
            credential_secrets.extend(param.secret_name());
            match reference(param, group) {
                Reference::Secret(_) => {}
                Reference::Placeholder { name, .. } => {
                    if listed.insert(name.clone()) {
                        placeholders.push(name);
                    }
                }
                Reference::Literal => diagnostics.push(
                    Diagnostic::error(
                        LITERAL_CREDENTIAL,
                        format!(
                            "{} provider option `{}` of model group `{}` is a literal value where a \
                             TrueFoundry secret reference belongs; it would be written into the \
                             provider account manifest",
                            provider.kind.name(),
                            credential.option,
                            deployment.model_group
                        ),
                        "use secret(\"NAME\") with the gateway's secret_group, or the reference \
                         itself, \"tfy-secret://<tenant>:<secret-group>:<key>\"",
                    )
                    .at(provider.span.or(deployment.span))
                    .sensitive(),
                ),
            }
        }
    }
    if !placeholders.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                SECRET_WITHOUT_GROUP,
                format!(
                    "the gateway has no secret_group, so the provider accounts reference \
                     tfy-secret://{PLACEHOLDER_GROUP}:NAME for {}; TrueFoundry refuses them \
                     until the placeholder is replaced",
                    placeholders.join(", ")
                ),
                "add secret_group: \"<tenant>:<secret-group>\" to the gateway, naming the \
                 TrueFoundry secret group that holds these keys",
            )
            .at(gateway.span),
        );
    }
    if let Some(token) = &setup.client.auth_token
        && credential_secrets.contains(&token.secret.as_str())
    {
        diagnostics.push(
            Diagnostic::warning(
                TOKEN_IS_PROVIDER_CREDENTIAL,
                format!(
                    "Claude Code's auth_token is secret `{}`, which the recipe also uses as a \
                     provider credential: TrueFoundry authenticates Claude Code with a TrueFoundry \
                     API key, not a provider's key",
                    token.secret
                ),
                "give auth_token a secret holding a TrueFoundry personal access token or virtual \
                 account token, e.g. secret(\"TFY_API_KEY\")",
            )
            .at(setup.span),
        );
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{tfy_gateway, with_secret_group};
    use gwscript_plugin::model::SecretRef;
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, literal, secret, setup_for, vertex, with_option,
    };

    const LEAKY: &str = "sk-ant-api03-DO-NOT-PRINT-7f3a9c";

    #[test]
    fn gw4108_literal_credentials_never_echo_their_value() {
        let gateway = with_secret_group(tfy_gateway(vec![
            with_option(anthropic("a-main/claude-x", "m"), "api_key", literal(LEAKY)),
            with_option(
                bedrock("b-main/claude-x", "m", Some("us-east-1")),
                "aws_secret_access_key",
                literal(LEAKY),
            ),
            with_option(
                vertex("v-main/claude-x", "m", Some("p"), Some("l")),
                "credentials",
                literal("tfy-secret://acme:keys"),
            ),
            with_option(
                anthropic("c-main/claude-x", "m"),
                "api_key",
                literal("tfy-secret://acme:keys:anthropic"),
            ),
        ]));
        let diagnostics = check(&setup_for(gateway.clone()), &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4108"; 3]);
        assert!(diagnostics.iter().all(|d| d.sensitive && d.is_error()));
        assert!(diagnostics[1].message.starts_with(
            "bedrock provider option `aws_secret_access_key` of model group `b-main/claude-x`"
        ));
        for diagnostic in &diagnostics {
            assert!(!diagnostic.message.contains(LEAKY) && !diagnostic.help.contains(LEAKY));
        }
    }

    #[test]
    fn gw4109_secrets_without_a_secret_group_once() {
        let gateway = tfy_gateway(vec![
            anthropic("a-main/claude-x", "m"),
            anthropic("a-main/claude-y", "m"),
            with_option(
                vertex("v-main/claude-x", "m", Some("p"), Some("l")),
                "credentials",
                secret("GCP_SA_KEY"),
            ),
        ]);
        let diagnostics = check(&setup_for(gateway.clone()), &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4109"]);
        assert!(
            diagnostics[0]
                .message
                .contains("for ANTHROPIC_API_KEY, GCP_SA_KEY;")
        );
        assert!(!diagnostics[0].is_error());
        let grouped = with_secret_group(gateway);
        assert_eq!(check(&setup_for(grouped.clone()), &grouped), []);
    }

    #[test]
    fn gw4113_claude_code_needs_a_truefoundry_key() {
        let gateway = with_secret_group(tfy_gateway(vec![anthropic("a-main/claude-x", "m")]));
        let mut setup = setup_for(gateway.clone());
        setup.client.auth_token = Some(SecretRef {
            secret: "ANTHROPIC_API_KEY".into(),
        });
        let diagnostics = check(&setup, &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4113"]);
        assert!(diagnostics[0].message.contains("`ANTHROPIC_API_KEY`"));
    }
}
