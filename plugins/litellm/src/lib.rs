//! gwscript's LiteLLM plugin: turns a recipe's gateway into a LiteLLM proxy `config.yaml` and a
//! start script, and checks the setup against what LiteLLM (pinned in [`catalog`]) accepts.
//!
//! Loaded by the host as a `cdylib` through [`gwscript_plugin::declare_plugin!`]; the `rlib` is
//! for tests.

mod catalog;
mod checks;
mod context;
mod listen;
mod manifest;
mod params;
mod report;
#[cfg(test)]
mod test_support;

use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Diagnostic, Manifest, Plugin, Setup, declare_plugin};

/// The gateway kind recipes name in `gateway("litellm", …)`.
const GATEWAY_KIND: &str = "litellm";

/// The LiteLLM proxy plugin.
#[derive(Debug)]
pub struct LiteLlm;

impl Plugin for LiteLlm {
    fn manifest() -> Manifest {
        manifest::manifest()
    }

    /// A setup without a LiteLLM gateway has nothing for this plugin to check.
    fn check(setup: &Setup) -> Vec<Diagnostic> {
        match litellm_gateway(setup) {
            Ok(gateway) => checks::run(setup, gateway),
            Err(_) => Vec::new(),
        }
    }

    fn context(setup: &Setup) -> Result<serde_json::Value, String> {
        context::build(setup, litellm_gateway(setup)?)
    }
}

fn litellm_gateway(setup: &Setup) -> Result<&Gateway, String> {
    match &setup.gateway {
        Some(gateway) if gateway.kind == GATEWAY_KIND => Ok(gateway),
        Some(gateway) => Err(format!(
            "the LiteLLM plugin cannot build a `{}` gateway",
            gateway.kind
        )),
        None => Err("the setup has no gateway for the LiteLLM plugin to configure".into()),
    }
}

declare_plugin!(LiteLlm);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{
        anthropic, bedrock, fallback, gateway_with, literal, raw, routed, setup_for, spanned,
        vertex, with_option,
    };
    use gwscript_plugin::model::Redis;

    /// A recipe that gets nearly everything wrong, with credential-looking literals everywhere.
    #[test]
    fn no_diagnostic_repeats_a_secret_value() {
        const VALUES: [&str; 6] = [
            "sk-ant-api03-leak-0001",
            "AKIALEAK0002",
            "wJalrXUtnFEMI/leak0003",
            "{\"private_key\": \"leak0004\"}",
            "postgresql://litellm:leak0005@db/litellm",
            "leak0006",
        ];
        let mut gateway = routed(
            gateway_with(
                vec![
                    with_option(
                        anthropic("sonnet", "claude-sonnet-4-5"),
                        "api_key",
                        literal(VALUES[0]),
                    ),
                    with_option(
                        with_option(
                            bedrock("sonnet", "m", None),
                            "aws_access_key_id",
                            literal(VALUES[1]),
                        ),
                        "aws_secret_acces_key",
                        literal(VALUES[2]),
                    ),
                    with_option(
                        vertex("haiku", "m", None, None),
                        "credentials",
                        literal(VALUES[3]),
                    ),
                    with_option(raw("gpt", "gpt-4o"), "api_key", literal(VALUES[0])),
                ],
                vec![fallback("sonnet", &["sonnet", "opus"])],
            ),
            "fastest",
        );
        gateway.master_key = Some(spanned(literal("sk-1234"), 2));
        gateway.database_url = Some(spanned(literal(VALUES[4]), 3));
        gateway.redis = Some(Redis {
            host: literal("redis"),
            port: literal(6379),
            password: Some(literal(VALUES[5])),
        });
        gateway
            .options
            .insert("api_token".into(), literal(VALUES[5]));
        let mut setup = setup_for(gateway);
        setup.client.model = Some(spanned("claude-opus-4-5".into(), 20));

        let diagnostics = LiteLlm::check(&setup);
        let mut codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes,
            [
                "GW4001", "GW4002", "GW4003", "GW4004", "GW4005", "GW4006", "GW4007", "GW4008",
                "GW4011", "GW4012"
            ]
        );
        for diagnostic in &diagnostics {
            for value in VALUES.iter().chain(&["sk-1234"]) {
                assert!(
                    !diagnostic.message.contains(value) && !diagnostic.help.contains(value),
                    "{} leaks a value: {} / {}",
                    diagnostic.code,
                    diagnostic.message,
                    diagnostic.help
                );
            }
        }
    }

    #[test]
    fn a_sound_setup_has_no_findings() {
        let mut setup = setup_for(gateway_with(
            vec![
                anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
                bedrock(
                    "claude-haiku-4-5",
                    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                    Some("us-east-1"),
                ),
            ],
            vec![fallback("claude-sonnet-4-5", &["claude-haiku-4-5"])],
        ));
        setup.client.model = Some(spanned("claude-sonnet-4-5".into(), 20));
        setup.client.background_model = Some(spanned("claude-haiku-4-5".into(), 21));
        assert_eq!(LiteLlm::check(&setup), []);
    }
}
