//! What the plugin tells the host when it is loaded: identity, option schemas, how Claude Code
//! reaches a LiteLLM proxy, the templates (embedded, so the library is the whole plugin), the
//! diagnostic codes, and what LiteLLM can do.

use crate::checks::codes;
use crate::{assessments, catalog, schemas};
use gwscript_plugin::model::Endpoint;
use gwscript_plugin::{ClientAuth, ClientContract, Manifest, ModelNames, Template, TemplateFormat};

/// Where the config lands, relative to the output directory; the start command refers to it.
pub const CONFIG_PATH: &str = "litellm/config.yaml";
pub const START_SCRIPT_PATH: &str = "litellm/start.sh";

/// LiteLLM's public liveness route: answers without a key once the proxy is up.
const LIVENESS_PATH: &str = "/health/liveliness";

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
        gateway_kind: crate::GATEWAY_KIND.into(),
        display_name: "LiteLLM".into(),
        description: format!(
            "LiteLLM proxy config.yaml and start script, checked against LiteLLM {}",
            catalog::LITELLM_VERSION
        ),
        third_party: true,
        // Carries Claude Code's model traffic; it cannot be a monitor (GW2016).
        roles: gwscript_plugin::PluginRole::gateway_only(),
        requires: Vec::new(),
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
        compatibility: assessments::compatibility(),
        features: assessments::features(),
        gateway_options: Some(schemas::gateway_options()),
        deployment_options: Some(schemas::deployment_options()),
        client: ClientContract {
            // ANTHROPIC_AUTH_TOKEN or an apiKeyHelper, holding a master or virtual key.
            auth: ClientAuth::Bearer,
            endpoints: Endpoint::ALL
                .into_iter()
                .map(|endpoint| (endpoint, endpoint_path(endpoint).to_owned()))
                .collect(),
            // The unified route answers 400 Invalid model name for any id that is not a model_name.
            model_names: ModelNames::Groups,
        },
        liveness_path: Some(LIVENESS_PATH.into()),
        templates: vec![
            Template::new(
                CONFIG_PATH,
                TemplateFormat::Yaml,
                include_str!("../templates/config.yaml.j2"),
                "LiteLLM proxy configuration",
            ),
            Template::new(
                START_SCRIPT_PATH,
                TemplateFormat::Shell,
                include_str!("../templates/start.sh.j2"),
                "start script for the LiteLLM proxy",
            )
            .executable(),
        ],
        // A unit test (checks::codes) proves every page parses, so this cannot fail at load.
        diagnostics: codes::index().expect("every LiteLLM diagnostic page parses"),
        file_kinds: vec![crate::file::kind()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LiteLlm;
    use crate::catalog::{LITELLM_VERSION, install_command};
    use crate::test_support::{gateway_with, ordered, render_config, routed};
    use gwscript_plugin::Plugin;
    use gwscript_plugin::testing::{
        anthropic, assert_crosses_the_abi, bedrock, fallback, list, literal, map, raw, render,
        rendered, secret, setup_for, vertex, with_gateway_options, with_option,
    };
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
        assert!(manifest.requires.is_empty());
        assert_eq!(
            manifest.liveness_path.as_deref(),
            Some("/health/liveliness")
        );
        assert_eq!(manifest.diagnostics.prefix, "GW40");
        assert_eq!(manifest.diagnostics.codes.len(), LiteLlm::pages().len());
        assert!(manifest.gateway_options.is_some() && manifest.deployment_options.is_some());
        // The manifest crosses the ABI as JSON.
        assert_crosses_the_abi(&manifest);
    }

    #[test]
    fn claude_code_sends_a_bearer_key_to_four_routes_with_group_names() {
        let client = manifest().client;
        assert_eq!(client.auth, ClientAuth::Bearer);
        assert_eq!(client.model_names, ModelNames::Groups);
        let endpoints: Vec<(Endpoint, &str)> = client
            .endpoints
            .iter()
            .map(|(endpoint, path)| (*endpoint, path.as_str()))
            .collect();
        assert_eq!(
            endpoints,
            [
                (Endpoint::Unified, ""),
                (Endpoint::Anthropic, "/anthropic"),
                (Endpoint::Bedrock, "/bedrock"),
                (Endpoint::Vertex, "/vertex_ai/v1"),
            ]
        );
    }

    #[test]
    fn every_template_says_what_it_is() {
        let templates: Vec<_> = manifest()
            .templates
            .into_iter()
            .map(|t| (t.path, t.format, t.executable, t.purpose))
            .collect();
        assert_eq!(
            templates,
            [
                (
                    CONFIG_PATH.to_owned(),
                    TemplateFormat::Yaml,
                    false,
                    "LiteLLM proxy configuration".to_owned()
                ),
                (
                    START_SCRIPT_PATH.to_owned(),
                    TemplateFormat::Shell,
                    true,
                    "start script for the LiteLLM proxy".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn pinned_release_is_not_a_compromised_one() {
        const COMPROMISED: [&str; 2] = ["1.82.7", "1.82.8"];
        assert!(!COMPROMISED.contains(&LITELLM_VERSION));
        let gateway = gateway_with(vec![anthropic("s", "claude-sonnet-4-5")], vec![]);
        assert_eq!(
            install_command(&gateway),
            "pip install 'litellm[proxy]==1.102.4'"
        );
        // LiteLLM's Vertex AI calls import google-auth, which litellm[proxy] does not bring.
        let vertex = gateway_with(
            vec![vertex(
                "s",
                "claude-sonnet-4-5@20250929",
                Some("p"),
                Some("us-east5"),
            )],
            vec![],
        );
        assert_eq!(
            install_command(&vertex),
            "pip install 'litellm[proxy]==1.102.4' 'google-auth==2.40.3'"
        );
        let script = render::<LiteLlm>(&setup_for(vertex), START_SCRIPT_PATH);
        assert!(
            script.contains("#   pip install 'litellm[proxy]==1.102.4' 'google-auth==2.40.3'\n")
        );
    }

    #[test]
    fn config_renders_to_yaml_that_parses_back_to_the_context() {
        let gateway = routed(
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
                        with_option(
                            raw("gpt-4o", "openai/gpt-4o"),
                            "tags",
                            list([literal("it's"), literal("a: b")]),
                        ),
                        "metadata",
                        map([
                            ("team", literal("ml\nevil: true")),
                            ("tiers", list([literal(1), literal(2.5)])),
                        ]),
                    ),
                ],
                vec![fallback("claude-sonnet-4-5", &["claude-haiku-4-5"])],
            ),
            "simple-shuffle",
        );
        let gateway = with_gateway_options(
            gateway,
            [
                ("num_retries", literal(2)),
                ("timeout", literal(300.5)),
                ("database_url", secret("DATABASE_URL")),
                (
                    "redis",
                    map([
                        ("host", literal("127.0.0.1")),
                        ("port", literal(6379)),
                        ("password", secret("REDIS_PASSWORD")),
                    ]),
                ),
                ("callbacks", list([literal("prometheus")])),
                ("success_callback", list([])),
                ("json_logs", literal(true)),
            ],
        );
        let setup = setup_for(gateway);
        let context = rendered::<LiteLlm>(&setup).unwrap().context;
        let parsed = render_config(&setup);
        assert_eq!(parsed, context["config"]);
        let keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 4);
        assert_eq!(
            parsed["litellm_settings"]["callbacks"],
            json!(["prometheus"])
        );
        assert_eq!(parsed["litellm_settings"]["success_callback"], json!([]));
        let raw_params = &parsed["model_list"][3]["litellm_params"];
        assert_eq!(raw_params["tags"], json!(["it's", "a: b"]));
        assert_eq!(
            raw_params["metadata"],
            json!({ "team": "ml\nevil: true", "tiers": [1, 2.5] })
        );

        let yaml = render::<LiteLlm>(&setup, CONFIG_PATH);
        assert!(yaml.contains("\nmodel_list:\n  - model_name: \"claude-sonnet-4-5\"\n    litellm_params:\n      model: \"anthropic/claude-sonnet-4-5-20250929\"\n"));
        assert!(yaml.contains("# Written for litellm version: \"1.102.4\""));
    }

    #[test]
    fn empty_sections_stay_out_of_the_yaml() {
        let mut gateway = gateway_with(vec![], vec![]);
        gateway.options.remove("master_key");
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
        let script = render::<LiteLlm>(&setup_for(gateway), START_SCRIPT_PATH);
        assert!(script.starts_with("#!/usr/bin/env bash\n"));
        assert!(
            script.contains("#   pip install 'litellm[proxy]==1.102.4'\n"),
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
        let script = render::<LiteLlm>(
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
