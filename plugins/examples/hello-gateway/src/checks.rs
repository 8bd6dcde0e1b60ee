//! Capability checks: what in a setup the Hello Gateway cannot serve as written. Each finding has
//! a `HELLO` code whose page (`diagnostics/<CODE>.md`) `gwscript explain` prints.

use crate::options::{GREETING, HelloOptions, SHOUT};
use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Codes, Diagnostic};

pub const GREETING_TOO_LONG: &str = "HELLO0001";
pub const SHOUT_WITHOUT_GREETING: &str = "HELLO0002";
pub const DEPLOYMENTS_UNUSED: &str = "HELLO0003";

/// Every code of this plugin starts with it; no other plugin may use it.
const PREFIX: &str = "HELLO";

/// The gateway sends its greeting in a response header and refuses longer ones.
pub const MAX_GREETING_CHARS: usize = 64;

/// Every page, embedded so the library is the whole plugin.
pub const PAGES: &[&str] = &[
    include_str!("../diagnostics/HELLO0001.md"),
    include_str!("../diagnostics/HELLO0002.md"),
    include_str!("../diagnostics/HELLO0003.md"),
];

/// The manifest's code index, read from the pages' headings and severity lines.
pub fn index() -> Result<Codes, String> {
    Codes::from_pages(PREFIX, PAGES)
}

pub fn run(gateway: &Gateway) -> Vec<Diagnostic> {
    let options = HelloOptions::of(gateway);
    let mut found = Vec::new();
    found.extend(greeting_length(gateway, &options));
    found.extend(shout_needs_greeting(gateway, &options));
    found.extend(unused_deployments(gateway));
    found
}

/// Spanned at the `greeting` key, so the caret points at the option to change.
fn greeting_length(gateway: &Gateway, options: &HelloOptions) -> Option<Diagnostic> {
    let length = options.greeting?.chars().count();
    (length > MAX_GREETING_CHARS).then(|| {
        Diagnostic::error(
            GREETING_TOO_LONG,
            format!(
                "the greeting is {length} characters; the Hello Gateway takes at most {MAX_GREETING_CHARS}"
            ),
            format!("shorten `{GREETING}` to {MAX_GREETING_CHARS} characters or fewer"),
        )
        .at(gateway.option_span(GREETING))
    })
}

fn shout_needs_greeting(gateway: &Gateway, options: &HelloOptions) -> Option<Diagnostic> {
    (options.shout && options.greeting.is_none()).then(|| {
        Diagnostic::warning(
            SHOUT_WITHOUT_GREETING,
            "`shout` is on but the gateway has no `greeting`: it will shout its default, HELLO",
            format!("add `{GREETING}: \"…\"` next to `{SHOUT}: true`, or drop `{SHOUT}`"),
        )
        .at(gateway.option_span(SHOUT))
    })
}

fn unused_deployments(gateway: &Gateway) -> Vec<Diagnostic> {
    gateway
        .deployments
        .iter()
        .map(|deployment| {
            Diagnostic::warning(
                DEPLOYMENTS_UNUSED,
                format!(
                    "the Hello Gateway has no model list: deployment of \"{}\" is not used",
                    deployment.model_group
                ),
                "remove gw.deploy(…); Claude Code's model ids go to the Anthropic API unchanged (set `model` on the pattern)",
            )
            .at(deployment.span)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HelloGateway;
    use gwscript_plugin::testing::{
        anthropic, assert_pages, codes_of, gateway, literal, setup_for, with_gateway_options,
    };
    use gwscript_plugin::{Plugin, Severity};

    fn hello(options: &[(&str, gwscript_plugin::model::Param)]) -> Gateway {
        with_gateway_options(gateway("hello", vec![], vec![]), options.iter().cloned())
    }

    fn codes(gateway: Gateway) -> Vec<String> {
        let diagnostics = HelloGateway::check(&setup_for(gateway));
        codes_of(&diagnostics)
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn a_short_greeting_with_shout_is_fine() {
        let gw = hello(&[(GREETING, literal("Hello, team")), (SHOUT, literal(true))]);
        assert_eq!(codes(gw), Vec::<String>::new());
    }

    #[test]
    fn hello0001_a_greeting_over_the_limit_is_an_error_at_its_key() {
        let fits = hello(&[(GREETING, literal("é".repeat(MAX_GREETING_CHARS)))]);
        assert_eq!(codes(fits), Vec::<String>::new(), "characters, not bytes");

        let gw = hello(&[(GREETING, literal("x".repeat(MAX_GREETING_CHARS + 1)))]);
        let found = HelloGateway::check(&setup_for(gw.clone()));
        assert_eq!(codes_of(&found), [GREETING_TOO_LONG]);
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[0].span, gw.option_span(GREETING));
        assert_ne!(found[0].span, gw.span, "the option's own position");
        assert!(
            found[0].message.contains("65 characters"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn hello0002_shout_without_a_greeting_is_a_warning_at_shout() {
        let gw = hello(&[(SHOUT, literal(true))]);
        let found = HelloGateway::check(&setup_for(gw.clone()));
        assert_eq!(codes_of(&found), [SHOUT_WITHOUT_GREETING]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(found[0].span, gw.option_span(SHOUT));
        assert_eq!(
            codes(hello(&[(SHOUT, literal(false))])),
            Vec::<String>::new()
        );
    }

    #[test]
    fn hello0003_each_deployment_is_named_at_its_call() {
        let gw = gateway(
            "hello",
            vec![
                anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
                anthropic("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
            ],
            vec![],
        );
        let found = HelloGateway::check(&setup_for(gw.clone()));
        assert_eq!(codes_of(&found), [DEPLOYMENTS_UNUSED, DEPLOYMENTS_UNUSED]);
        assert!(found[1].message.contains("\"claude-haiku-4-5\""));
        assert_eq!(found[1].span, gw.deployments[1].span);
    }

    /// Every code raised above has its page, at the severity it is raised with, with the
    /// sections `gwscript explain` shows; every page on disk is served and in the manifest.
    #[test]
    fn every_code_has_a_page_with_the_sections_explain_shows() {
        assert_pages::<HelloGateway>(
            concat!(env!("CARGO_MANIFEST_DIR"), "/diagnostics"),
            &[
                (GREETING_TOO_LONG, Severity::Error),
                (SHOUT_WITHOUT_GREETING, Severity::Warning),
                (DEPLOYMENTS_UNUSED, Severity::Warning),
            ],
            &[],
        );
    }
}
