//! Verification on the gateway side, before Claude Code's own checks: the key Claude Code will
//! send sees the model groups. (The host adds the liveness step from the manifest.)

use gwscript_plugin::Setup;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::model::is_env_name;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Step;

/// The variable LiteLLM reads its master key from when the recipe names none.
const DEFAULT_KEY_VARIABLE: &str = "LITELLM_MASTER_KEY";

pub fn verification(setup: &Setup, gateway: &Gateway) -> Vec<Step> {
    let key = key_variable(setup, gateway);
    vec![Step {
        title: "The key Claude Code sends lists the model groups".into(),
        // Double quotes so the shell expands the key; the name is checked to be a plain one.
        command: Some(format!(
            "curl -fsS -H \"Authorization: Bearer ${key}\" {}",
            shell_quote(&gateway.url_for("/v1/models"))
        )),
        expect: format!(
            "HTTP 200 with a JSON list whose ids include {}; a 401 means {key} holds no \
                 master or virtual key of this proxy",
            gateway.model_groups().join(", ")
        ),
    }]
}

/// Where the key Claude Code sends lives: its auth token, else the gateway's master key secret.
fn key_variable<'a>(setup: &'a Setup, gateway: &'a Gateway) -> &'a str {
    let auth_token = setup.client.auth_token.as_ref().map(|s| s.secret.as_str());
    let master_key = gateway.option("master_key").and_then(|k| k.secret_name());
    [auth_token, master_key]
        .into_iter()
        .flatten()
        .find(|name| is_env_name(name))
        .unwrap_or(DEFAULT_KEY_VARIABLE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::model::SecretRef;
    use gwscript_plugin::testing::shell_words as words_of;
    use gwscript_plugin::testing::{anthropic, setup_for};

    fn commands(setup: &Setup) -> Vec<String> {
        verification(setup, setup.gateway.as_ref().unwrap())
            .into_iter()
            .map(|step| step.command.expect("a command"))
            .collect()
    }

    #[test]
    fn lists_models_with_the_clients_key() {
        let setup = setup_for(gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5")],
            vec![],
        ));
        assert_eq!(
            commands(&setup),
            [
                "curl -fsS -H \"Authorization: Bearer $GATEWAY_KEY\" 'http://127.0.0.1:4000/v1/models'"
            ]
        );
        let steps = verification(&setup, setup.gateway.as_ref().unwrap());
        assert!(steps[0].expect.contains("include claude-sonnet-4-5;"));
    }

    #[test]
    fn without_a_usable_client_token_the_master_key_is_used() {
        let mut setup = setup_for(gateway_with(vec![], vec![]));
        setup.client.auth_token = None;
        assert!(commands(&setup)[0].contains("$LITELLM_MASTER_KEY\""));
        setup.client.auth_token = Some(SecretRef {
            secret: "$(touch pwned)".into(),
        });
        assert!(commands(&setup)[0].contains("$LITELLM_MASTER_KEY\""));
    }

    #[test]
    fn a_hostile_gateway_url_stays_one_word() {
        let url = "http://127.0.0.1:4000/x'$(touch /tmp/gwscript-pwned) `id`\nrm -rf ~ '";
        let mut gateway = gateway_with(vec![], vec![]);
        gateway.url = url.into();
        let setup = setup_for(gateway);
        let [models] = <[String; 1]>::try_from(commands(&setup)).expect("one step");
        assert_eq!(
            words_of("curl", &format!("GATEWAY_KEY=sk-test; {models}")),
            [
                "-fsS".to_owned(),
                "-H".to_owned(),
                "Authorization: Bearer sk-test".to_owned(),
                format!("{url}/v1/models"),
            ]
        );
    }
}
