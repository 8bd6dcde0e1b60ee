//! The plugin's part of the guidance report: how to start the gateway, its routes, a step that
//! proves it accepts Claude Code's key, and what a reader must know about it.

use crate::manifest::{CONFIG_PATH, KEY_HEADER};
use crate::options::HelloOptions;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::{Route, Step};
use gwscript_plugin::{ReportContribution, Setup};

/// The variable the verification step reads the key from when the recipe names none.
const DEFAULT_KEY_VARIABLE: &str = "HELLO_KEY";

pub fn build(setup: &Setup, gateway: &Gateway, options: &HelloOptions) -> ReportContribution {
    // The secret Claude Code sends, when it is a plain variable name.
    let key = setup
        .client
        .auth_token_variable()
        .unwrap_or(DEFAULT_KEY_VARIABLE);
    ReportContribution {
        start: Some(format!(
            "hello-gateway --config {}",
            shell_quote(CONFIG_PATH)
        )),
        notes: vec![
            format!(
                "Claude Code sends its key in the {KEY_HEADER} header (through \
                 ANTHROPIC_CUSTOM_HEADERS); start the gateway with the same key in {key}."
            ),
            format!(
                "The gateway forwards requests to the Anthropic API with the key in {}: set it \
                 where the gateway runs, never where Claude Code runs.",
                options.api_key
            ),
        ],
        verification: vec![greeting_step(gateway, key, options)],
        routes: routes(gateway),
        limitations: vec![
            "The Hello Gateway is the fictional gateway of gwscript's example plugin: nothing in \
             this report is verified against a real product."
                .into(),
        ],
        troubleshooting: vec![format!(
            "401 from the gateway: the {KEY_HEADER} header is missing or holds another key; \
             source claude/env.sh in the shell that runs claude."
        )],
        ..ReportContribution::default()
    }
}

/// Double quotes so the shell expands the key; the name is checked to be a plain one.
fn greeting_step(gateway: &Gateway, key: &str, options: &HelloOptions) -> Step {
    Step {
        title: "The gateway greets the key Claude Code sends".into(),
        command: Some(format!(
            "curl -fsS -H \"{KEY_HEADER}: ${key}\" {}",
            shell_quote(&gateway.url_for("/hello"))
        )),
        expect: format!(
            "HTTP 200 with the body {}; a 401 means {key} is not the gateway's key",
            options.banner()
        ),
    }
}

fn routes(gateway: &Gateway) -> Vec<Route> {
    vec![
        Route {
            path: gateway.url_for("/v1/messages"),
            serves:
                "Anthropic Messages, forwarded to the Anthropic API (Claude Code uses this route)"
                    .into(),
        },
        Route {
            path: gateway.url_for("/hello"),
            serves: "the greeting, for the key in the x-hello-key header".into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{GREETING, SHOUT};
    use gwscript_plugin::testing::{
        assert_crosses_the_abi, gateway, literal, setup_for, shell_words, with_gateway_options,
    };

    fn report_for(gateway: Gateway) -> ReportContribution {
        let setup = setup_for(gateway);
        let gateway = setup.gateway.as_ref().expect("a gateway");
        build(&setup, gateway, &HelloOptions::of(gateway))
    }

    #[test]
    fn start_and_verify_with_quoted_paths_and_the_clients_key() {
        let mut gw = with_gateway_options(
            gateway("hello", vec![], vec![]),
            [(SHOUT, literal(true)), (GREETING, literal("Hi"))],
        );
        gw.url = "https://hello.example/it's/".into();
        let report = report_for(gw);
        assert_eq!(
            report.start.as_deref(),
            Some("hello-gateway --config 'hello/gateway.json'")
        );
        let step = &report.verification[0];
        let command = step.command.as_deref().expect("a command");
        assert_eq!(
            command,
            "curl -fsS -H \"x-hello-key: $GATEWAY_KEY\" 'https://hello.example/it'\\''s/hello'"
        );
        // The URL stays one word; the key is expanded by the shell, not written here.
        assert_eq!(
            shell_words("curl", &format!("GATEWAY_KEY=k; {command}")),
            [
                "-fsS",
                "-H",
                "x-hello-key: k",
                "https://hello.example/it's/hello"
            ]
        );
        assert!(step.expect.starts_with("HTTP 200 with the body HI;"));
        assert_eq!(report.routes.len(), 2);
        assert!(report.notes[0].contains("GATEWAY_KEY"));
        assert!(report.limitations[0].contains("fictional"));
    }

    #[test]
    fn the_report_crosses_the_abi_as_json() {
        let report = report_for(gateway("hello", vec![], vec![]));
        assert_crosses_the_abi(&report);
        assert!(report.install.is_none());
    }
}
