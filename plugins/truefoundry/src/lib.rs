//! gwscript's TrueFoundry plugin: turns a recipe's gateway into the manifests the TrueFoundry AI
//! Gateway takes with `tfy apply` (provider accounts with their models, and the tenant's
//! load-balancing, rate-limiting and budget configs), checks the recipe against what TrueFoundry
//! can express and serve, pins Claude Code's model aliases to TrueFoundry model ids, and adds
//! TrueFoundry's part of the guidance report.
//!
//! Model groups are TrueFoundry model ids, `<account>/<model>`, because Claude Code sends the
//! group name as its model and TrueFoundry serves nothing else (see [`accounts`]).
//!
//! Loaded by the host as a `cdylib` through [`gwscript_plugin::declare_plugin!`]; the `rlib` is
//! for tests.

mod accounts;
mod aliases;
mod assessments;
mod checks;
mod context;
mod credentials;
mod groups;
mod manifest;
mod names;
mod plan;
mod policies;
mod report;
mod routing;
mod schemas;
#[cfg(test)]
mod test_support;

use gwscript_plugin::serde::Serialize;
use gwscript_plugin::{Diagnostic, Manifest, Plugin, Rendering, Setup, declare_plugin};

/// The gateway kind recipes name in `gateway("truefoundry", …)`.
const GATEWAY_KIND: &str = "truefoundry";

/// The TrueFoundry AI Gateway plugin.
#[derive(Debug)]
pub struct TrueFoundry;

impl Plugin for TrueFoundry {
    fn manifest() -> Manifest {
        manifest::manifest()
    }

    /// A setup without a TrueFoundry gateway has nothing for this plugin to check.
    fn check(setup: &Setup) -> Vec<Diagnostic> {
        match setup.require_gateway(GATEWAY_KIND) {
            Ok(gateway) => checks::run(setup, gateway),
            Err(_) => Vec::new(),
        }
    }

    fn render(setup: &Setup) -> Result<Rendering<impl Serialize>, String> {
        let gateway = setup.require_gateway(GATEWAY_KIND)?;
        let plan = plan::Plan::of(gateway)?;
        Ok(Rendering {
            context: context::build(&plan),
            report: report::build(setup, gateway, &plan),
            omit: plan.omitted(),
            client: aliases::pins(setup, gateway),
        })
    }

    fn pages() -> &'static [&'static str] {
        checks::codes::PAGES
    }
}

declare_plugin!(TrueFoundry);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{ordered, tfy_gateway, with_secret_group};
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, fallback, literal, raw, rendered, setup_for, spanned,
        with_option, with_routing,
    };

    const SONNET: &str = "anthropic-main/claude-sonnet-4-6";
    const HAIKU: &str = "anthropic-main/claude-haiku-4-5";

    fn sound_setup() -> Setup {
        let mut gateway = with_secret_group(tfy_gateway(vec![
            ordered(anthropic(SONNET, "claude-sonnet-4-6"), 1),
            ordered(
                with_option(
                    bedrock(SONNET, "us.anthropic.claude-sonnet-4-6", Some("us-east-1")),
                    "account",
                    literal("bedrock-main"),
                ),
                2,
            ),
            with_routing(
                anthropic(HAIKU, "claude-haiku-4-5-20251001"),
                "rpm",
                literal(120),
            ),
        ]));
        gateway.fallbacks = vec![fallback(SONNET, &[HAIKU])];
        let mut setup = setup_for(gateway);
        setup.client.model = Some(spanned(SONNET.into(), 20));
        setup
    }

    #[test]
    fn a_sound_setup_has_no_findings_and_renders() {
        let setup = sound_setup();
        assert_eq!(TrueFoundry::check(&setup), []);
        let rendering = rendered::<TrueFoundry>(&setup).expect("renders");
        let keys: Vec<&String> = rendering.context.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["accounts", "budgets", "load_balancing", "rate_limiting"]
        );
        assert_eq!(rendering.omit, [manifest::BUDGETS_PATH]);
        assert_eq!(
            rendering.report.start.as_deref(),
            Some(
                "tfy apply -f 'truefoundry/provider-accounts.yaml' -f \
                 'truefoundry/load-balancing.yaml' -f 'truefoundry/rate-limiting.yaml'"
            )
        );
        let pinned: Vec<&str> = rendering
            .client
            .env
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(
            pinned,
            [
                "ANTHROPIC_DEFAULT_SONNET_MODEL",
                "ANTHROPIC_DEFAULT_HAIKU_MODEL"
            ]
        );
    }

    /// A recipe that gets nearly everything wrong, with credential-looking literals everywhere.
    #[test]
    fn no_diagnostic_repeats_a_secret_value() {
        const VALUES: [&str; 3] = [
            "sk-ant-api03-leak-0001",
            "AKIALEAK0002",
            "{\"private_key\": \"leak0003\"}",
        ];
        let gateway = tfy_gateway(vec![
            with_option(
                anthropic("claude-sonnet-4-6", "m"),
                "api_key",
                literal(VALUES[0]),
            ),
            with_option(
                with_option(
                    bedrock("Bedrock/x", "m", None),
                    "aws_access_key_id",
                    literal(VALUES[1]),
                ),
                "secret_key",
                literal(VALUES[1]),
            ),
            with_option(
                gwscript_plugin::testing::vertex("v-main/claude-x", "m", None, None),
                "credentials",
                literal(VALUES[2]),
            ),
            raw("openai-main/gpt-4o", "gpt-4o"),
        ]);
        let diagnostics = TrueFoundry::check(&setup_for(gateway));
        let mut codes = codes_of(&diagnostics);
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes,
            [
                "GW4101", "GW4102", "GW4103", "GW4108", "GW4114", "GW4116", "GW4117"
            ]
        );
        for diagnostic in &diagnostics {
            for value in VALUES {
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
    fn refuses_setups_it_cannot_build() {
        let mut setup = sound_setup();
        setup.gateway.as_mut().unwrap().kind = "litellm".into();
        assert!(
            rendered::<TrueFoundry>(&setup)
                .unwrap_err()
                .contains("`litellm`")
        );
        assert!(TrueFoundry::check(&setup).is_empty());
        setup.gateway = None;
        assert!(rendered::<TrueFoundry>(&setup).is_err());
    }
}
