//! gwscript's plugin for a gateway the user runs: Claude Code's Messages requests go through it
//! unchanged to one Anthropic API upstream. The `server` option picks what is emitted: an nginx
//! config with its start script (the default), a decK config for Kong's ai-proxy, or a checklist
//! for configuring AWS API Gateway or Apigee by hand.
//!
//! Loaded by the host as a `cdylib` through [`gwscript_plugin::declare_plugin!`]; the `rlib` is
//! for tests.

mod assessments;
mod checklist;
mod checks;
mod kong;
mod manifest;
mod nginx;
mod options;
mod plan;
mod probes;
mod report;
mod routes;
mod schemas;
#[cfg(test)]
mod test_support;
mod url;

use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{Diagnostic, Manifest, Plugin, Rendering, Setup, declare_plugin};
use plan::Plan;

/// The gateway kind recipes name in `gateway("custom", …)`.
const GATEWAY_KIND: &str = "custom";

/// The custom-gateway plugin.
#[derive(Debug)]
pub struct Custom;

impl Plugin for Custom {
    fn manifest() -> Manifest {
        manifest::manifest()
    }

    /// A setup without a custom gateway has nothing for this plugin to check.
    fn check(setup: &Setup) -> Vec<Diagnostic> {
        match setup.require_gateway(GATEWAY_KIND) {
            Ok(gateway) => checks::run(setup, gateway),
            Err(_) => Vec::new(),
        }
    }

    fn render(setup: &Setup) -> Result<Rendering<impl Serialize>, String> {
        let plan = Plan::new(setup, setup.require_gateway(GATEWAY_KIND)?)?;
        Ok(Rendering {
            context: plan.context()?,
            report: report::build(&plan),
            omit: manifest::paths_not_for(plan.server()),
            ..Rendering::default()
        })
    }

    fn pages() -> &'static [&'static str] {
        checks::codes::PAGES
    }
}

declare_plugin!(Custom);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{
        anthropic, bedrock, fallback, literal, rendered, setup_for, spanned, with_gateway_options,
    };

    #[test]
    fn a_sound_setup_has_no_findings_for_any_server() {
        for server in ["nginx", "kong", "checklist"] {
            let mut setup = setup_for(with_gateway_options(
                custom_gateway(vec![anthropic(
                    "claude-sonnet-4-5",
                    "claude-sonnet-4-5-20250929",
                )]),
                [("server", literal(server))],
            ));
            setup.client.model = Some(spanned("claude-sonnet-4-5".into(), 20));
            assert_eq!(Custom::check(&setup), [], "{server}");
            let rendering = rendered::<Custom>(&setup).expect("renders");
            assert_eq!(rendering.omit.len(), if server == "nginx" { 2 } else { 3 });
            assert!(rendering.context.get(server).is_some(), "{server}");
        }
    }

    #[test]
    fn a_recipe_that_gets_much_wrong_gets_every_finding_at_once() {
        let mut gateway = with_gateway_options(
            custom_gateway(vec![
                anthropic("s", "m"),
                bedrock("b", "m", Some("us-east-1")),
            ]),
            [
                ("read_timeout", literal(30)),
                ("max_body_size_mb", literal(1)),
                ("upstream", literal("http://llm.internal")),
                ("tls_certificate", literal("/c.pem")),
                ("gateway_token", literal("tok-literal")),
            ],
        );
        gateway.fallbacks = vec![fallback("s", &["b"])];
        let diagnostics = Custom::check(&setup_for(gateway));
        let mut codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(
            codes,
            [
                "GW4401", "GW4402", "GW4403", "GW4404", "GW4406", "GW4407", "GW4413"
            ]
        );
        for d in &diagnostics {
            assert!(!d.message.contains("tok-literal") && !d.help.contains("tok-literal"));
        }
    }

    #[test]
    fn refuses_setups_it_cannot_build() {
        let mut setup = setup_for(custom_gateway(vec![]));
        setup.gateway.as_mut().unwrap().kind = "litellm".into();
        assert!(
            rendered::<Custom>(&setup)
                .unwrap_err()
                .contains("`litellm`")
        );
        assert!(Custom::check(&setup).is_empty());
        setup.gateway = None;
        assert!(rendered::<Custom>(&setup).is_err());
    }
}
