//! Kong's ai-proxy plugin is configured with one model name: it needs the model Claude Code sends,
//! and a different background model may not get through it.

use super::codes::{KONG_SECOND_MODEL, KONG_WITHOUT_MODEL};
use crate::options::{Options, Server};
use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Diagnostic, Setup};

pub fn check(setup: &Setup, gateway: &Gateway) -> Vec<Diagnostic> {
    if Options::of(gateway).server() != Server::Kong {
        return Vec::new();
    }
    let Some(model) = &setup.client.model else {
        return vec![
            Diagnostic::error(
                KONG_WITHOUT_MODEL,
                "Kong's ai-proxy needs a model name, and the recipe gives Claude Code none",
                "deploy a model (gw.deploy(\"claude-sonnet-4-5\", provider(\"anthropic\", …))) or \
                 give the pattern model: \"…\"",
            )
            .at(gateway.span),
        ];
    };
    match &setup.client.background_model {
        Some(background) if background.value != model.value => vec![
            Diagnostic::warning(
                KONG_SECOND_MODEL,
                format!(
                    "Kong's ai-proxy is configured for `{}`; Claude Code's background model `{}` \
                     may be refused or answered by `{}` (unverified)",
                    model.value, background.value, model.value
                ),
                "use the main model for background requests too (drop background_model), or add a \
                 route for the second model in Kong by hand",
            )
            .at(background.span),
        ],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{
        anthropic, codes_of, literal, setup_for, spanned, with_gateway_options,
    };

    fn kong_setup() -> Setup {
        setup_for(with_gateway_options(
            custom_gateway(vec![anthropic("claude-sonnet-4-5", "m")]),
            [("server", literal("kong"))],
        ))
    }

    #[test]
    fn gw4414_wants_a_model_for_kong() {
        let setup = kong_setup();
        let diagnostics = check(&setup, setup.gateway.as_ref().unwrap());
        assert_eq!(codes_of(&diagnostics), ["GW4414"]);
        let nginx = setup_for(custom_gateway(vec![]));
        assert!(check(&nginx, nginx.gateway.as_ref().unwrap()).is_empty());
    }

    #[test]
    fn gw4415_warns_about_a_second_model() {
        let mut setup = kong_setup();
        setup.client.model = Some(spanned("claude-sonnet-4-5".into(), 3));
        let gateway = setup.gateway.clone().unwrap();
        assert!(check(&setup, &gateway).is_empty());
        setup.client.background_model = Some(spanned("claude-haiku-4-5".into(), 4));
        let diagnostics = check(&setup, &gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4415"]);
        assert!(!diagnostics[0].is_error());
        assert_eq!(
            diagnostics[0].span,
            setup.client.background_model.unwrap().span
        );
    }
}
