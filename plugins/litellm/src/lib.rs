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
mod suggest;
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
mod scratch {
    use crate::test_support::*;
    use gwscript_plugin::model::Redis;

    #[test]
    fn scratch_dump() {
        let mut gateway = routed(
            gateway_with(
                vec![
                    ordered(anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"), 1),
                    ordered(with_option(bedrock("claude-sonnet-4-5", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Some("us-east-1")), "aws_access_key_id", secret("AWS_ACCESS_KEY_ID")), 2),
                    with_option(
                        vertex("claude-haiku-4-5", "claude-haiku-4-5@20251001", Some("acme-ai"), Some("us-east5")),
                        "credentials",
                        secret("VERTEX_CREDENTIALS"),
                    ),
                    anthropic("claude-opus-4-5", "claude-opus-4-5-20251101"),
                    with_option(raw("gpt-4o", "openai/gpt-4o"), "api_key", secret("OPENAI_API_KEY")),
                ],
                vec![fallback("claude-opus-4-5", &["claude-sonnet-4-5", "claude-haiku-4-5"]), fallback("claude-sonnet-4-5", &["claude-haiku-4-5"])],
            ),
            "latency-based-routing",
        );
        gateway.num_retries = Some(2);
        gateway.timeout = Some(600.0);
        gateway.url = "http://127.0.0.1:4517".into();
        gateway.options.insert("modify_params".into(), literal(true));
        gateway.options.insert("health_check_interval".into(), literal(300));
        let _ = Redis { host: literal("x"), port: literal(1), password: None };
        let setup = setup_for(gateway);
        let dir = std::path::Path::new("/tmp/gwscript-litellm-run/litellm");
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("config.yaml"), render(&setup, "litellm/config.yaml")).unwrap();
        std::fs::write(dir.join("start.sh"), render(&setup, "litellm/start.sh")).unwrap();
        println!("{}", serde_json::to_string_pretty(&<crate::LiteLlm as gwscript_plugin::Plugin>::context(&setup).unwrap()["report"]).unwrap());
    }
}
