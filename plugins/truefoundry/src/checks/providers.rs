//! What each deployment's provider can be on TrueFoundry: a platform gwscript writes an account
//! for, with the settings that account type requires and only options it knows.

use super::codes::{CLOUD_SETTING_MISSING, RAW_PROVIDER, UNKNOWN_PROVIDER_OPTION};
use crate::accounts::{Platform, place};
use crate::credentials::{credential_options, setting_options};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, Param, Provider};
use std::collections::HashSet;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut checked_accounts: HashSet<String> = HashSet::new();
    for deployment in &gateway.deployments {
        let provider = &deployment.provider;
        let span = provider.span.or(deployment.span);
        let Some(platform) = Platform::of(provider.kind) else {
            diagnostics.push(
                Diagnostic::error(
                    RAW_PROVIDER,
                    format!(
                        "model group `{}` uses a raw provider: gwscript writes TrueFoundry provider \
                         accounts for anthropic, bedrock and vertex only",
                        deployment.model_group
                    ),
                    "deploy it with provider(\"anthropic\"|\"bedrock\"|\"vertex\", …), or add that \
                     provider's account in TrueFoundry yourself and leave it out of the recipe",
                )
                .at(span),
            );
            continue;
        };
        diagnostics.extend(unknown_options(platform, provider, &deployment.model_group));
        // Settings belong to the account: checked where the account is first defined.
        let account = place(deployment).account;
        if !checked_accounts.contains(&account) {
            diagnostics.extend(
                missing_settings(platform, provider)
                    .into_iter()
                    .map(|missing| missing_setting(&account, missing).at(span)),
            );
            checked_accounts.insert(account);
        }
    }
    diagnostics
}

fn unknown_options(platform: Platform, provider: &Provider, group: &str) -> Vec<Diagnostic> {
    let known: Vec<&str> = credential_options(platform)
        .iter()
        .map(|c| c.option)
        .chain(setting_options(platform).iter().copied())
        .collect();
    provider
        .options
        .keys()
        .filter(|key| !known.contains(&key.as_str()))
        .map(|key| {
            let hint = gwscript_plugin::suggest::nearest(key, known.iter().copied())
                .map(|near| format!("did you mean `{near}`? "))
                .unwrap_or_default();
            Diagnostic::warning(
                UNKNOWN_PROVIDER_OPTION,
                format!(
                    "{} provider option `{key}` of model group `{group}` is not used by the \
                     TrueFoundry plugin and is left out of the provider account",
                    provider.kind.name()
                ),
                format!(
                    "{hint}a {} provider takes: {}",
                    provider.kind.name(),
                    known.join(", ")
                ),
            )
            .at(provider.span)
        })
        .collect()
}

/// What the account type requires that the provider does not give, as `(what, how to give it)`.
fn missing_settings(platform: Platform, provider: &Provider) -> Vec<(&'static str, &'static str)> {
    let has = |key: &str| provider.option(key).and_then(Param::as_str).is_some();
    let mut missing = Vec::new();
    match platform {
        Platform::Anthropic => {}
        Platform::Bedrock => {
            if !has("region") {
                missing.push(("a region", "region: \"us-east-1\""));
            }
            let key_id = provider.option("aws_access_key_id").is_some();
            let secret = provider.option("aws_secret_access_key").is_some();
            if key_id != secret {
                missing.push((
                    "both halves of its access key",
                    "aws_access_key_id and aws_secret_access_key, both as secret(…)",
                ));
            }
        }
        Platform::Vertex => {
            if !has("project") {
                missing.push(("a project", "project: \"my-gcp-project\""));
            }
            if !has("location") {
                missing.push(("a location", "location: \"us-east5\""));
            }
        }
    }
    missing
}

fn missing_setting(account: &str, (what, option): (&str, &str)) -> Diagnostic {
    Diagnostic::error(
        CLOUD_SETTING_MISSING,
        format!("TrueFoundry account `{account}` needs {what}, which its provider does not give"),
        format!("add {option} to the provider"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, literal, raw, secret, vertex, with_option,
    };

    #[test]
    fn gw4101_raw_providers_have_no_account_type() {
        let gateway = tfy_gateway(vec![raw("openai-main/gpt-4o", "openai/gpt-4o")]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4101"]);
        assert!(diagnostics[0].message.contains("`openai-main/gpt-4o`"));
        assert_eq!(diagnostics[0].span, gateway.deployments[0].provider.span);
    }

    #[test]
    fn gw4116_unknown_provider_options_with_a_suggestion() {
        let gateway = tfy_gateway(vec![with_option(
            anthropic("anthropic-main/claude-sonnet-4-6", "m"),
            "acount",
            literal("x"),
        )]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4116"]);
        assert!(!diagnostics[0].is_error());
        assert!(
            diagnostics[0].help.starts_with("did you mean `account`?"),
            "{}",
            diagnostics[0].help
        );
    }

    #[test]
    fn gw4114_cloud_accounts_need_their_settings_once() {
        let gateway = tfy_gateway(vec![
            bedrock("bedrock-main/claude-sonnet-4-6", "m", None),
            bedrock("bedrock-main/claude-haiku-4-5", "m", None),
            with_option(
                bedrock("bedrock-keys/claude-haiku-4-5", "m", Some("us-east-1")),
                "aws_access_key_id",
                secret("AWS_ACCESS_KEY_ID"),
            ),
            vertex("vertex-main/claude-sonnet-4-6", "m", Some("p"), None),
            vertex(
                "vertex-good/claude-sonnet-4-6",
                "m",
                Some("p"),
                Some("global"),
            ),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4114"; 3]);
        assert!(
            diagnostics[0]
                .message
                .contains("`bedrock-main` needs a region")
        );
        assert!(
            diagnostics[1]
                .message
                .contains("both halves of its access key")
        );
        assert!(
            diagnostics[2]
                .message
                .contains("`vertex-main` needs a location")
        );
        assert!(diagnostics.iter().all(Diagnostic::is_error));
    }
}
