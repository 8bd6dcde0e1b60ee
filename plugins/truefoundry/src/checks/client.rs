//! Claude Code's side: the host sends the recipe's main and background models verbatim, and
//! TrueFoundry answers only for the model ids it serves, which are the model groups.

use super::codes::CLIENT_MODEL_NOT_SERVED;
use super::served_groups;
use gwscript_plugin::model::Gateway;
use gwscript_plugin::suggest::did_you_mean;
use gwscript_plugin::{Diagnostic, Setup};

pub fn check(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    let served = served_groups(gateway);
    setup
        .client
        .pinned_models()
        .filter(|(_, model)| !served.contains(model.value.as_str()))
        .map(|(role, model)| {
            Diagnostic::error(
                CLIENT_MODEL_NOT_SERVED,
                format!(
                    "Claude Code's {role} `{}` is not a model group of the TrueFoundry gateway, so \
                     TrueFoundry serves no such model",
                    model.value
                ),
                format!(
                    "pick a deployed model group{}",
                    did_you_mean(&model.value, gateway.model_groups())
                ),
            )
            .at(model.span)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::tfy_gateway;
    use gwscript_plugin::testing::{anthropic, codes_of, setup_for, spanned};

    #[test]
    fn gw4110_client_models_must_be_groups() {
        let gateway = tfy_gateway(vec![anthropic("anthropic-main/claude-sonnet-4-6", "m")]);
        let mut setup = setup_for(gateway.clone());
        setup.client.model = Some(spanned("anthropic-main/claude-sonnet-4-6".into(), 7));
        assert_eq!(check(&setup, &gateway), []);
        setup.client.background_model = Some(spanned("claude-haiku-4-5".into(), 8));
        let diagnostics = check(&setup, &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4110"]);
        assert!(diagnostics[0].message.contains("background model"));
        assert_eq!(
            diagnostics[0].span,
            setup.client.background_model.unwrap().span
        );
    }
}
