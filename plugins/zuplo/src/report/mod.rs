//! The plugin's part of the guidance report. The two Zuplo products are set up differently, so
//! each has its module: an API project is deployed from the emitted files, the AI Gateway is set
//! up in the Zuplo Portal step by step.

mod ai_gateway;
mod api_project;

use crate::options::Product;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Step;
use gwscript_plugin::{ReportContribution, Setup};
use serde_json::json;

/// What the limits page says about plan request durations, shared by both products.
const REQUEST_DURATION: &str = "Zuplo's Free and Builder plans end every request after 30 \
    seconds (Zuplo platform limits), which cuts long Claude Code streams; use a plan without a \
    request duration limit.";

/// The variable the verification commands read Claude Code's key from when the recipe names none
/// usable there.
const DEFAULT_KEY_VARIABLE: &str = "ZUPLO_API_KEY";

pub fn build(setup: &Setup, gateway: &Gateway) -> ReportContribution {
    match Product::of(gateway) {
        Product::ApiGateway => api_project::build(setup, gateway),
        Product::AiGateway => ai_gateway::build(setup, gateway),
    }
}

/// Where Claude Code's key lives: its auth token's variable, when that is a plain name.
fn key_variable(setup: &Setup) -> &str {
    setup
        .client
        .auth_token_variable()
        .unwrap_or(DEFAULT_KEY_VARIABLE)
}

/// The model id Claude Code sends first: its main model, else the first group deployed.
fn client_model<'a>(setup: &'a Setup, gateway: &'a Gateway) -> &'a str {
    setup
        .client
        .model
        .as_ref()
        .map(|model| model.value.as_str())
        .or_else(|| gateway.model_groups().first().copied())
        .unwrap_or("claude-sonnet-4-5")
}

/// A POST of `body` to `path` with Claude Code's key, as a shell command: the key stays a
/// variable reference (double quotes, a checked plain name), everything else is single-quoted.
fn post_step(
    setup: &Setup,
    gateway: &Gateway,
    path: &str,
    body: &serde_json::Value,
    title: &str,
    expect: String,
) -> Step {
    let key = key_variable(setup);
    Step {
        title: title.into(),
        command: Some(format!(
            "curl -sS -X POST {} -H \"Authorization: Bearer ${key}\" -H 'anthropic-version: \
             2023-06-01' -H 'content-type: application/json' -d {}",
            shell_quote(&gateway.url_for(path)),
            shell_quote(&body.to_string())
        )),
        expect,
    }
}

/// The smallest request body for `model`.
fn ping(model: &str) -> serde_json::Value {
    json!({ "model": model, "messages": [{ "role": "user", "content": "ping" }] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::zuplo_gateway;
    use gwscript_plugin::model::SecretRef;
    use gwscript_plugin::testing::{anthropic, setup_for, shell_words, spanned};

    #[test]
    fn a_post_step_keeps_the_key_a_reference_and_every_value_one_word() {
        let mut gateway = zuplo_gateway(vec![anthropic("claude-sonnet-4-5", "m")]);
        gateway.url = "https://x.example/'$(touch /tmp/gwscript-pwned)".into();
        let mut setup = setup_for(gateway.clone());
        setup.client.model = Some(spanned("it's `id`".to_owned(), 3));
        let model = client_model(&setup, &gateway);
        let step = post_step(
            &setup,
            &gateway,
            "/v1/messages",
            &ping(model),
            "t",
            "e".into(),
        );
        let words = shell_words("curl", &format!("GATEWAY_KEY=k; {}", step.command.unwrap()));
        assert_eq!(words[0..3], ["-sS", "-X", "POST"]);
        assert_eq!(
            words[3],
            "https://x.example/'$(touch /tmp/gwscript-pwned)/v1/messages"
        );
        assert_eq!(words[5], "Authorization: Bearer k");
        let body: serde_json::Value = serde_json::from_str(&words[11]).expect("JSON");
        assert_eq!(body["model"], "it's `id`");
    }

    #[test]
    fn the_key_variable_falls_back_for_unusable_names() {
        let mut setup = setup_for(zuplo_gateway(vec![]));
        assert_eq!(key_variable(&setup), "GATEWAY_KEY");
        setup.client.auth_token = Some(SecretRef {
            secret: "$(rm -rf ~)".into(),
        });
        assert_eq!(key_variable(&setup), "ZUPLO_API_KEY");
        setup.client.auth_token = None;
        assert_eq!(key_variable(&setup), "ZUPLO_API_KEY");
    }

    #[test]
    fn the_client_model_is_the_pinned_one_else_the_first_group() {
        let gateway = zuplo_gateway(vec![anthropic("claude-haiku-4-5", "m")]);
        let mut setup = setup_for(gateway.clone());
        assert_eq!(client_model(&setup, &gateway), "claude-haiku-4-5");
        setup.client.model = Some(spanned("claude-opus-4-5".to_owned(), 1));
        assert_eq!(client_model(&setup, &gateway), "claude-opus-4-5");
    }
}
