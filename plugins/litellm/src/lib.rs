//! gwscript's LiteLLM plugin: turns a recipe's gateway into a LiteLLM proxy `config.yaml` and a
//! start script, checks the setup against what LiteLLM (pinned in [`catalog`]) accepts, and adds
//! LiteLLM's part of the guidance report.
//!
//! Loaded by the host as a `cdylib` through [`gwscript_plugin::declare_plugin!`]; the `rlib` is
//! for tests.

mod assessments;
mod catalog;
mod checks;
mod context;
mod file;
#[cfg(target_os = "linux")]
pub mod heap;
mod listen;
mod manifest;
mod params;
mod report;
mod schemas;
#[cfg(test)]
mod test_support;

use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{
    ClientContribution, Diagnostic, FileCheck, Manifest, Plugin, Rendering, Setup, declare_plugin,
};

/// mimalloc, not the system allocator: reading a setup of thousands of deployments and writing
/// their context builds and frees hundreds of thousands of small maps and strings. Huge pages
/// once the setup is large (`heap`, Linux only).
/// It is the plugin's own copy, which the host never shares: each side frees only what it
/// allocated (see the plugin guide).
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOC: heap::PluginHeap = heap::PluginHeap;
#[cfg(not(target_os = "linux"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        match setup.require_gateway(GATEWAY_KIND) {
            Ok(gateway) => checks::run(setup, gateway),
            Err(_) => Vec::new(),
        }
    }

    fn render(setup: &Setup) -> Result<Rendering<impl Serialize>, String> {
        let gateway = setup.require_gateway(GATEWAY_KIND)?;
        let listen = listen::from_gateway_url(&gateway.url)?;
        Ok(Rendering {
            context: context::build(setup, gateway, &listen)?,
            report: report::build(setup, gateway, &listen),
            omit: Vec::new(),
            client: ClientContribution::default(),
        })
    }

    fn pages() -> &'static [&'static str] {
        checks::codes::PAGES
    }

    fn check_file(input: &FileCheck) -> Result<Vec<Diagnostic>, String> {
        if input.kind != file::KIND {
            return Err(format!("this plugin checks no `{}` files", input.kind));
        }
        Ok(file::check(input))
    }

    fn file_schema(id: &str) -> Result<serde_json::Value, String> {
        if id != file::KIND {
            return Err(format!("this plugin has no schema for `{id}` files"));
        }
        Ok(file::schema())
    }
}

declare_plugin!(LiteLlm);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with, routed};
    use gwscript_plugin::testing::{
        anthropic, assert_crosses_the_abi, bedrock, fallback, literal, map, raw, rendered,
        setup_for, spanned, vertex, with_gateway_options, with_option,
    };

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
        let gateway = routed(
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
        let gateway = with_gateway_options(
            gateway,
            [
                ("master_key", literal("sk-1234")),
                ("database_url", literal(VALUES[4])),
                (
                    "redis",
                    map([
                        ("host", literal("redis")),
                        ("port", literal(6379)),
                        ("password", literal(VALUES[5])),
                    ]),
                ),
            ],
        );
        let mut setup = setup_for(gateway);
        setup.client.model = Some(spanned("claude-opus-4-5".into(), 20));

        let diagnostics = LiteLlm::check(&setup);
        let mut codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes,
            [
                "GW4001", "GW4002", "GW4003", "GW4005", "GW4006", "GW4007", "GW4008", "GW4011",
                "GW4030", "GW4033"
            ]
        );
        // master_key, database_url and the redis password each get their own GW4005.
        let gateway_secrets = diagnostics
            .iter()
            .filter(|d| d.code == "GW4005" && d.message.starts_with("gateway "))
            .count();
        assert_eq!(gateway_secrets, 3);
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

    #[test]
    fn render_returns_the_context_and_a_typed_report() {
        let setup = setup_for(gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5")],
            vec![],
        ));
        let rendering = rendered::<LiteLlm>(&setup).expect("renders");
        let keys: Vec<&String> = rendering.context.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["config", "server"]);
        let report = rendering.report;
        assert_eq!(
            report.install.as_deref(),
            Some("pip install 'litellm[proxy]==1.102.4'")
        );
        assert_eq!(
            report.start.as_deref(),
            Some("litellm --config 'litellm/config.yaml' --host '127.0.0.1' --port 4000")
        );
        assert!(report.notes[0].contains("(claude-sonnet-4-5)"));
        assert_eq!(report.routes.len(), 4);
        // Health of the group, the virtual key Claude Code sends, the models that key sees.
        assert_eq!(report.verification.len(), 3);
        assert!(!report.troubleshooting.is_empty());
        // The report crosses the ABI as JSON.
        assert_crosses_the_abi(&report);
    }

    #[test]
    fn refuses_setups_it_cannot_build() {
        let mut setup = setup_for(gateway_with(vec![], vec![]));
        setup.gateway.as_mut().unwrap().kind = "truefoundry".into();
        assert!(
            rendered::<LiteLlm>(&setup)
                .unwrap_err()
                .contains("`truefoundry`")
        );
        assert!(LiteLlm::check(&setup).is_empty());
        setup.gateway = None;
        assert!(rendered::<LiteLlm>(&setup).is_err());
        let mut bad_url = setup_for(gateway_with(vec![], vec![]));
        bad_url.gateway.as_mut().unwrap().url = "http://:4000".into();
        assert!(
            rendered::<LiteLlm>(&bad_url)
                .unwrap_err()
                .contains("names no host")
        );
    }
}
