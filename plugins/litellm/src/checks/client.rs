//! Claude Code's side: on the unified route, and on the `/bedrock` pass-through (which routes the
//! id in its path like a Messages request), LiteLLM answers `400 Invalid model name` for any model
//! id that is not a `model_name` (or a wildcard group's match). The `/anthropic` and `/vertex_ai`
//! pass-throughs forward other ids unchanged.

use super::Served;
use super::codes::CLIENT_MODEL_NOT_SERVED;
use gwscript_plugin::model::{Endpoint, Gateway};
use gwscript_plugin::{Diagnostic, Setup};

pub fn check(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    if !matches!(setup.client.endpoint, Endpoint::Unified | Endpoint::Bedrock) {
        return Vec::new();
    }
    let served = Served::by(gateway);
    setup
        .client
        .pinned_models()
        .filter(|(_, model)| !served.contains(&model.value))
        .map(|(role, model)| {
            Diagnostic::error(
                CLIENT_MODEL_NOT_SERVED,
                format!(
                    "Claude Code's {role} `{}` is not a model_name on the LiteLLM gateway; LiteLLM \
                     answers 400 Invalid model name",
                    model.value
                ),
                format!(
                    "add a deployment named `{}` (gw.deploy(\"{}\", …)) or pick a served model{}",
                    model.value,
                    model.value,
                    served.did_you_mean(&model.value)
                ),
            )
            .at(model.span)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::gateway_with;
    use gwscript_plugin::testing::{anthropic, codes_of, setup_for, spanned};

    #[test]
    fn gw4006_flags_unserved_client_models() {
        let gateway = gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5")],
            vec![],
        );
        let mut setup = setup_for(gateway.clone());
        setup.client.model = Some(spanned("claude-sonnet-4-5".to_owned(), 9));
        setup.client.background_model = Some(spanned("claude-haiku-4-5".to_owned(), 10));
        let diagnostics = check(&setup, &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4006"]);
        assert!(
            diagnostics[0]
                .message
                .starts_with("Claude Code's background model")
        );
        assert!(
            diagnostics[0]
                .help
                .starts_with("add a deployment named `claude-haiku-4-5`")
        );
        assert_eq!(
            diagnostics[0].span,
            setup.client.background_model.unwrap().span
        );
    }

    #[test]
    fn wildcard_groups_and_pass_through_routes_pass() {
        let gateway = gateway_with(vec![anthropic("claude-*", "claude-*")], vec![]);
        let mut setup = setup_for(gateway.clone());
        setup.client.model = Some(spanned("claude-opus-4-5".to_owned(), 9));
        assert!(check(&setup, &gateway).is_empty());

        let narrow = gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5")],
            vec![],
        );
        setup.client.endpoint = Endpoint::Vertex;
        setup.client.model = Some(spanned("claude-sonnet-4-5@20250929".to_owned(), 9));
        assert!(check(&setup, &narrow).is_empty());
    }

    #[test]
    fn the_bedrock_route_needs_a_model_name_too() {
        // LiteLLM 1.102.4 routes /bedrock/model/{id}/… by model_name: a provider id gets 400.
        let narrow = gateway_with(
            vec![anthropic("claude-sonnet-4-5", "claude-sonnet-4-5")],
            vec![],
        );
        let mut setup = setup_for(narrow.clone());
        setup.client.endpoint = Endpoint::Bedrock;
        setup.client.model = Some(spanned(
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0".to_owned(),
            9,
        ));
        assert_eq!(codes_of(&check(&setup, &narrow)), ["GW4006"]);
        setup.client.model = Some(spanned("claude-sonnet-4-5".to_owned(), 9));
        assert!(check(&setup, &narrow).is_empty());
    }
}
