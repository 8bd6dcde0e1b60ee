//! What the plugin tells the host when it is loaded: identity, the routes Claude Code uses on a
//! LiteLLM proxy, and the templates (embedded, so the library is the whole plugin).

use gwscript_plugin::model::Endpoint;
use gwscript_plugin::{Manifest, Template, TemplateFormat};

/// Where the config lands, relative to the output directory; the start command refers to it.
pub const CONFIG_PATH: &str = "litellm/config.yaml";
pub const START_SCRIPT_PATH: &str = "litellm/start.sh";

/// The route prefix for each wire format Claude Code can speak to LiteLLM.
pub fn endpoint_path(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Unified => "",
        Endpoint::Anthropic => "/anthropic",
        Endpoint::Bedrock => "/bedrock",
        Endpoint::Vertex => "/vertex_ai/v1",
    }
}

pub fn manifest() -> Manifest {
    Manifest {
        name: "litellm".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        gateway_kind: "litellm".into(),
        display_name: "LiteLLM".into(),
        description: format!(
            "LiteLLM proxy config.yaml and start script, checked against LiteLLM {}",
            crate::catalog::LITELLM_VERSION
        ),
        third_party: true,
        capabilities: [
            "unified-messages",
            "anthropic-passthrough",
            "bedrock-passthrough",
            "vertex-passthrough",
            "fallbacks",
            "load-balancing",
        ]
        .map(String::from)
        .to_vec(),
        endpoints: Endpoint::ALL
            .into_iter()
            .map(|endpoint| (endpoint, endpoint_path(endpoint).to_owned()))
            .collect(),
        // Public on LiteLLM: answers without a key once the proxy is up.
        liveness_path: Some("/health/liveliness".into()),
        templates: vec![
            Template {
                path: CONFIG_PATH.into(),
                format: TemplateFormat::Yaml,
                source: include_str!("../templates/config.yaml.j2").into(),
                executable: false,
            },
            Template {
                path: START_SCRIPT_PATH.into(),
                format: TemplateFormat::Shell,
                source: include_str!("../templates/start.sh.j2").into(),
                executable: true,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{LITELLM_VERSION, install_command};
    use crate::test_support::{
        anthropic, bedrock, fallback, gateway_with, literal, ordered, raw, render, render_config,
        routed, secret, setup_for, spanned, vertex, with_option,
    };
    use gwscript_plugin::model::Redis;
    use serde_json::json;

    #[test]
    fn declares_the_litellm_gateway() {
        let manifest = manifest();
        assert_eq!(
            (
                manifest.name.as_str(),
                manifest.gateway_kind.as_str(),
                manifest.display_name.as_str()
            ),
            ("litellm", "litellm", "LiteLLM")
        );
        assert!(manifest.third_party);
        assert_eq!(manifest.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(manifest.endpoints[&Endpoint::Vertex], "/vertex_ai/v1");
        assert_eq!(manifest.endpoints[&Endpoint::Unified], "");
        assert_eq!(
            manifest.liveness_path.as_deref(),
            Some("/health/liveliness")
        );
        let formats: Vec<_> = manifest
            .templates
            .iter()
            .map(|t| (t.path.as_str(), t.format, t.executable))
            .collect();
        assert_eq!(
            formats,
            [
                (CONFIG_PATH, TemplateFormat::Yaml, false),
                (START_SCRIPT_PATH, TemplateFormat::Shell, true)
            ]
        );
        // The manifest crosses the ABI as JSON.
        let json = serde_json::to_string(&manifest).unwrap();
        assert_eq!(serde_json::from_str::<Manifest>(&json).unwrap(), manifest);
    }

    #[test]
    fn pinned_release_is_not_a_compromised_one() {
        const COMPROMISED: [&str; 2] = ["1.82.7", "1.82.8"];
        assert!(!COMPROMISED.contains(&LITELLM_VERSION));
        assert_eq!(install_command(), "pip install 'litellm[proxy]==1.102.4'");
    }

    #[test]
    fn config_renders_to_yaml_that_parses_back_to_the_context() {
        let mut gateway = routed(
            gateway_with(
                vec![
                    ordered(
                        anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
                        1,
                    ),
                    ordered(
                        bedrock(
                            "claude-sonnet-4-5",
                            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                            Some("us-east-1"),
                        ),
                        2,
                    ),
                    with_option(
                        vertex(
                            "claude-haiku-4-5",
                            "claude-haiku-4-5@20251001",
                            Some("acme-ai"),
                            Some("us-east5"),
                        ),
                        "credentials",
                        secret("VERTEX_CREDENTIALS"),
                    ),
                    with_option(
                        raw("gpt-4o", "openai/gpt-4o"),
                        "tags",
                        literal(json!(["it's", "a: b"])),
                    ),
                ],
                vec![fallback("claude-sonnet-4-5", &["claude-haiku-4-5"])],
            ),
            "simple-shuffle",
        );
        gateway.num_retries = Some(2);
        gateway.timeout = Some(300.5);
        gateway.database_url = Some(spanned(secret("DATABASE_URL"), 3));
        gateway.redis = Some(Redis {
            host: literal("127.0.0.1"),
            port: literal(6379),
            password: Some(secret("REDIS_PASSWORD")),
        });
        let setup = setup_for(gateway);
        let context = <crate::LiteLlm as gwscript_plugin::Plugin>::context(&setup).unwrap();
        let parsed = render_config(&setup);
        assert_eq!(parsed, context["config"]);
        let keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 4);

        let yaml = render(&setup, CONFIG_PATH);
        assert!(yaml.contains("\nmodel_list:\n  - model_name: \"claude-sonnet-4-5\"\n    litellm_params:\n      model: \"anthropic/claude-sonnet-4-5-20250929\"\n"));
        assert!(yaml.contains("# Written for litellm version: \"1.102.4\""));
    }

    #[test]
    fn empty_sections_stay_out_of_the_yaml() {
        let mut gateway = gateway_with(vec![], vec![]);
        gateway.master_key = None;
        let setup = setup_for(gateway);
        assert_eq!(render_config(&setup), serde_json::Value::Null);
        let only_key = setup_for(gateway_with(
            vec![anthropic("s", "claude-sonnet-4-5")],
            vec![],
        ));
        let parsed = render_config(&only_key);
        assert_eq!(parsed.as_object().unwrap().len(), 2, "{parsed}");
    }

    #[test]
    fn start_script_checks_the_environment_and_execs_litellm() {
        let mut gateway = gateway_with(vec![anthropic("s", "claude-sonnet-4-5")], vec![]);
        gateway.url = "http://[::1]:4100".into();
        let script = render(&setup_for(gateway), START_SCRIPT_PATH);
        assert!(script.starts_with("#!/usr/bin/env bash\n"));
        assert!(
            script.contains(&format!("#   {}\n", install_command())),
            "the comment shows the pinned install line"
        );
        assert!(script.contains("LITELLM_LOCAL_MODEL_COST_MAP=True"));
        assert!(
            script
                .contains("\nrequire_env 'ANTHROPIC_API_KEY'\nrequire_env 'LITELLM_MASTER_KEY'\n")
        );
        assert!(script.ends_with(
            "exec litellm --config \"$script_dir/config.yaml\" --host '::1' --port '4100'\n"
        ));
    }

    #[test]
    fn start_script_refuses_to_run_without_its_variables() {
        let script = render(
            &setup_for(gateway_with(vec![anthropic("s", "m")], vec![])),
            START_SCRIPT_PATH,
        );
        let output = std::process::Command::new("bash")
            .args(["-c", &script])
            .env_remove("ANTHROPIC_API_KEY")
            .env("LITELLM_MASTER_KEY", "sk-test")
            .output()
            .expect("bash runs");
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("ANTHROPIC_API_KEY is not set"), "{stderr}");
    }
}
