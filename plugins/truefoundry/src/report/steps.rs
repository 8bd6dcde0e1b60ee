//! Verification on the gateway side, before Claude Code's own checks: TrueFoundry accepts the
//! manifests, and the key Claude Code sends sees the model groups.

use super::apply_command;
use crate::plan::Plan;
use gwscript_plugin::Setup;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Step;

/// Where the TrueFoundry API key lives when the recipe names none for Claude Code.
const DEFAULT_KEY_VARIABLE: &str = "TFY_API_KEY";

pub fn verification(setup: &Setup, gateway: &Gateway, plan: &Plan) -> Vec<Step> {
    let key = setup
        .client
        .auth_token_variable()
        .unwrap_or(DEFAULT_KEY_VARIABLE);
    vec![
        Step {
            title: "TrueFoundry accepts the manifests (after tfy login)".into(),
            command: Some(apply_command(plan, true)),
            expect: "one \"[Dry Run] Successfully configured manifest … (No changes were \
                     applied)\" line per document; a failure names the file and document index"
                .into(),
        },
        Step {
            title: "The key Claude Code sends lists the model groups".into(),
            // Double quotes so the shell expands the key; the name is checked to be a plain one.
            command: Some(format!(
                "curl -fsS -H \"Authorization: Bearer ${key}\" {}",
                shell_quote(&gateway.url_for("/models"))
            )),
            expect: format!(
                "HTTP 200 with a JSON list whose ids include {}; a 401 means {key} holds no \
                 TrueFoundry API key, and a missing id means the key's user has no access to that \
                 account",
                gateway.model_groups().join(", ")
            ),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{anthropic, setup_for, shell_words};

    #[test]
    fn steps_use_the_clients_key_and_quote_the_url() {
        let mut gateway = tfy_gateway(vec![anthropic("a-main/claude-x", "m")]);
        gateway.url = "https://gw.example/it's".into();
        let setup = setup_for(gateway.clone());
        let steps = verification(&setup, &gateway, &Plan::of(&gateway).unwrap());
        let curl = steps[1].command.as_deref().unwrap();
        assert_eq!(
            curl,
            "curl -fsS -H \"Authorization: Bearer $GATEWAY_KEY\" 'https://gw.example/it'\\''s/models'"
        );
        let script = format!("GATEWAY_KEY=k; {curl}");
        assert_eq!(
            shell_words("curl", &script),
            [
                "-fsS",
                "-H",
                "Authorization: Bearer k",
                "https://gw.example/it's/models"
            ]
        );
        assert!(steps[1].expect.contains("include a-main/claude-x;"));
        assert!(
            steps[0]
                .command
                .as_deref()
                .unwrap()
                .starts_with("tfy apply --dry-run -f")
        );
    }
}
