//! What `render` returns: the context both templates are rendered with, the template that does
//! not apply to this setup, the variable the plugin adds to Claude Code's side, and the report.

use crate::manifest::{KEY_HEADER, SHOUT_SCRIPT_PATH};
use crate::options::HelloOptions;
use crate::report;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::serde_json::{Value, json};
use gwscript_plugin::{ClientContribution, ClientValue, ClientVar, Rendering, Setup};

/// The variable Claude Code's environment gets, so hooks and status lines can show the greeting.
pub const GREETING_VARIABLE: &str = "HELLO_GREETING";

pub fn build(setup: &Setup, gateway: &Gateway) -> Rendering {
    let options = HelloOptions::of(gateway);
    Rendering {
        context: context(setup, gateway, &options),
        report: report::build(setup, gateway, &options),
        omit: omitted(&options),
        client: client(&options),
    }
}

/// Plain values only: the templates decide the layout, the host escapes every value.
fn context(setup: &Setup, gateway: &Gateway, options: &HelloOptions) -> Value {
    json!({
        "url": gateway.url,
        "greeting": options.greeting(),
        "shout": options.shout,
        "banner": options.banner(),
        "client_key": {
            "header": KEY_HEADER,
            // The gateway compares the header with this variable; null when no token is named.
            "env": setup.client.auth_token.as_ref().map(|token| &token.secret),
        },
        "upstream_key_env": options.api_key,
    })
}

/// The shout script means nothing while the gateway does not shout.
fn omitted(options: &HelloOptions) -> Vec<String> {
    if options.shout {
        Vec::new()
    } else {
        vec![SHOUT_SCRIPT_PATH.into()]
    }
}

/// A literal, so it goes into settings.json as well as env.sh.
fn client(options: &HelloOptions) -> ClientContribution {
    ClientContribution {
        env: vec![ClientVar {
            name: GREETING_VARIABLE.into(),
            value: ClientValue::Literal(options.greeting().into()),
            why: "the Hello Gateway's greeting, for hooks and status lines".into(),
        }],
        ..ClientContribution::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HelloGateway;
    use crate::manifest::CONFIG_PATH;
    use crate::options::{API_KEY, GREETING, SHOUT};
    use gwscript_plugin::model::Param;
    use gwscript_plugin::testing::{
        gateway, literal, render, rendered, secret, setup_for, with_gateway_options,
    };

    fn setup_with(options: &[(&str, Param)]) -> Setup {
        setup_for(with_gateway_options(
            gateway("hello", vec![], vec![]),
            options.iter().cloned(),
        ))
    }

    #[test]
    fn the_config_is_json_with_every_value_escaped_and_secrets_by_name() {
        let greeting = "Hi \"team\"\n}, \"shout\": true";
        let setup = setup_with(&[
            (GREETING, literal(greeting)),
            (API_KEY, secret("HELLO_UPSTREAM_KEY")),
        ]);
        let text = render::<HelloGateway>(&setup, CONFIG_PATH);
        let config: Value = gwscript_plugin::serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            config,
            json!({
                "url": "http://127.0.0.1:4000",
                "greeting": greeting,
                "shout": false,
                "client_key": { "header": "x-hello-key", "env": "GATEWAY_KEY" },
                "upstream": { "url": "https://api.anthropic.com", "api_key_env": "HELLO_UPSTREAM_KEY" },
            })
        );
    }

    #[test]
    fn without_a_client_token_the_config_names_no_key_variable() {
        let mut setup = setup_with(&[]);
        setup.client.auth_token = None;
        let text = render::<HelloGateway>(&setup, CONFIG_PATH);
        let config: Value = gwscript_plugin::serde_json::from_str(&text).expect("JSON");
        assert_eq!(config["client_key"]["env"], Value::Null);
        assert_eq!(config["upstream"]["api_key_env"], "ANTHROPIC_API_KEY");
    }

    #[test]
    fn the_shout_script_is_omitted_unless_the_gateway_shouts() {
        let quiet = rendered::<HelloGateway>(&setup_with(&[])).expect("renders");
        assert_eq!(quiet.omit, [SHOUT_SCRIPT_PATH]);
        let loud = setup_with(&[(SHOUT, literal(true)), (GREETING, literal("it's $(id)"))]);
        assert!(
            rendered::<HelloGateway>(&loud)
                .expect("renders")
                .omit
                .is_empty()
        );
        let script = render::<HelloGateway>(&loud, SHOUT_SCRIPT_PATH);
        assert!(
            script.ends_with("printf '%s\\n' 'IT'\\''S $(ID)'\n"),
            "{script}"
        );
        // Run as written: the banner is printed, never executed.
        let output = std::process::Command::new("bash")
            .args(["-c", &script])
            .env_clear()
            .output()
            .expect("bash runs");
        assert!(output.status.success(), "{output:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), "IT'S $(ID)\n");
    }

    #[test]
    fn claude_code_gets_the_greeting_as_a_literal_variable() {
        let rendering =
            rendered::<HelloGateway>(&setup_with(&[(GREETING, literal("Hello, team"))])).unwrap();
        assert_eq!(rendering.client.env.len(), 1);
        let var = &rendering.client.env[0];
        assert_eq!(var.name, GREETING_VARIABLE);
        assert_eq!(var.value, ClientValue::Literal("Hello, team".into()));
        assert!(rendering.client.settings.is_empty());
    }
}
