//! gwscript's Zuplo plugin. For a Zuplo API project it writes `config/routes.oas.json` (OpenAPI
//! 3.1 with `x-zuplo-route`: Claude Code's Messages routes forwarded unchanged by the URL Forward
//! handler) and `config/policies.json` (API key authentication, an optional rate limit, and the
//! swap of Claude Code's key for the upstream's). For Zuplo's AI Gateway, whose providers, teams,
//! apps and usage limits live in the Zuplo Portal, it checks the limit hierarchy and reports the
//! portal steps.
//!
//! Loaded by the host as a `cdylib` through [`gwscript_plugin::declare_plugin!`]; the `rlib` is
//! for tests.

mod assessments;
mod checks;
mod context;
mod hierarchy;
mod manifest;
mod options;
mod policies;
mod report;
mod schemas;
#[cfg(test)]
mod test_support;
mod upstream;

use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{Diagnostic, Manifest, Plugin, Rendering, Setup, declare_plugin};
use options::Product;

/// The gateway kind recipes name in `gateway("zuplo", …)`.
const GATEWAY_KIND: &str = "zuplo";

/// The Zuplo plugin.
#[derive(Debug)]
pub struct Zuplo;

impl Plugin for Zuplo {
    fn manifest() -> Manifest {
        manifest::manifest()
    }

    /// A setup without a Zuplo gateway has nothing for this plugin to check.
    fn check(setup: &Setup) -> Vec<Diagnostic> {
        setup
            .require_gateway(GATEWAY_KIND)
            .map(checks::run)
            .unwrap_or_default()
    }

    fn render(setup: &Setup) -> Result<Rendering<impl Serialize>, String> {
        let gateway = setup.require_gateway(GATEWAY_KIND)?;
        let report = report::build(setup, gateway);
        Ok(match Product::of(gateway) {
            Product::ApiGateway => Rendering {
                context: context::build(gateway, &upstream::resolve(gateway))?,
                report,
                ..Rendering::default()
            },
            // Everything lives in the Zuplo Portal: the report's steps, no files.
            Product::AiGateway => Rendering {
                context: serde_json::json!({}),
                report,
                omit: vec![
                    manifest::ROUTES_PATH.to_owned(),
                    manifest::POLICIES_PATH.to_owned(),
                ],
                ..Rendering::default()
            },
        })
    }

    fn pages() -> &'static [&'static str] {
        checks::codes::PAGES
    }
}

declare_plugin!(Zuplo);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{limit_entry, zuplo_gateway as gateway_with};
    use gwscript_plugin::testing::{
        anthropic, assert_crosses_the_abi, bedrock, codes_of, fallback, list, literal, map,
        rendered, setup_for, with_gateway_options, with_option,
    };

    /// A recipe that gets nearly everything wrong, with a credential-looking literal.
    #[test]
    fn every_finding_at_once_and_no_secret_value_in_any() {
        const LEAK: &str = "sk-ant-api03-zuplo-leak-0001";
        let mut gateway = with_gateway_options(
            gateway_with(vec![
                with_option(
                    anthropic("sonnet", "claude-sonnet-4-5-20250929"),
                    "api_key",
                    literal(LEAK),
                ),
                with_option(
                    anthropic("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
                    "api_base",
                    literal("http://10.0.0.1"),
                ),
                with_option(
                    anthropic("claude-opus-4-5", "claude-opus-4-5-20251101"),
                    "region",
                    literal("us"),
                ),
                bedrock("claude-sonnet-4-5", "m", Some("us-east-1")),
            ]),
            [(
                "usage_limits",
                list([limit_entry(
                    &[("scope", "gateway"), ("kind", "cost"), ("period", "daily")],
                    1.0,
                )]),
            )],
        );
        gateway.fallbacks = vec![fallback("sonnet", &["claude-haiku-4-5"])];
        let diagnostics = Zuplo::check(&setup_for(gateway));
        let mut codes = codes_of(&diagnostics);
        codes.sort_unstable();
        assert_eq!(
            codes,
            [
                "GW4201", "GW4202", "GW4203", "GW4206", "GW4207", "GW4208", "GW4213"
            ]
        );
        for diagnostic in &diagnostics {
            assert!(!diagnostic.message.contains(LEAK) && !diagnostic.help.contains(LEAK));
        }
    }

    #[test]
    fn a_sound_api_project_has_no_findings_and_renders_both_files() {
        let gateway = with_gateway_options(
            gateway_with(vec![
                anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
                anthropic("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
            ]),
            [(
                "rate_limit",
                map([("requests", literal(120)), ("window_minutes", literal(1))]),
            )],
        );
        let setup = setup_for(gateway);
        assert_eq!(Zuplo::check(&setup), []);
        let rendering = rendered::<Zuplo>(&setup).expect("renders");
        assert!(rendering.omit.is_empty());
        let keys: Vec<&String> = rendering.context.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["inbound", "info", "policies", "routes", "upstream"]);
        assert_eq!(
            rendering.report.install.as_deref(),
            Some("npm install -g zuplo")
        );
        assert_eq!(rendering.report.notes.len(), 5);
        assert_crosses_the_abi(&rendering);
    }

    #[test]
    fn the_ai_gateway_omits_the_files_and_reports_portal_steps() {
        let gateway = with_gateway_options(
            gateway_with(vec![anthropic(
                "claude-sonnet-4-5",
                "claude-sonnet-4-5-20250929",
            )]),
            [
                ("product", literal("ai-gateway")),
                (
                    "usage_limits",
                    list([limit_entry(
                        &[
                            ("scope", "gateway"),
                            ("kind", "cost"),
                            ("period", "monthly"),
                        ],
                        100.0,
                    )]),
                ),
            ],
        );
        let setup = setup_for(gateway);
        assert_eq!(Zuplo::check(&setup), []);
        let rendering = rendered::<Zuplo>(&setup).expect("renders");
        assert_eq!(
            rendering.omit,
            ["zuplo/config/routes.oas.json", "zuplo/config/policies.json"]
        );
        assert!(
            rendering
                .report
                .notes
                .iter()
                .any(|n| n.contains("monthly cost $100 (USD), enforce"))
        );
    }

    #[test]
    fn refuses_setups_it_cannot_build() {
        let mut setup = setup_for(gateway_with(vec![]));
        setup.gateway.as_mut().unwrap().kind = "litellm".into();
        assert!(rendered::<Zuplo>(&setup).unwrap_err().contains("`litellm`"));
        assert!(Zuplo::check(&setup).is_empty());
        setup.gateway = None;
        assert!(rendered::<Zuplo>(&setup).is_err());
    }
}
