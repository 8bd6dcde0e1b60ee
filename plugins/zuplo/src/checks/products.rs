//! Zuplo's two products are configured in different places: an API project in files, the AI
//! Gateway in the Zuplo Portal. An option of the other product would silently do nothing, and
//! neither route this plugin describes has fallbacks.

use super::codes::{FALLBACKS_NOT_EMITTED, OPTION_OF_OTHER_PRODUCT};
use crate::options::Product;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;

pub fn check(gateway: &Gateway, product: Product) -> Vec<Diagnostic> {
    let other = match product {
        Product::ApiGateway => Product::AiGateway,
        Product::AiGateway => Product::ApiGateway,
    };
    let mut diagnostics: Vec<Diagnostic> = other
        .own_options()
        .iter()
        .filter(|option| gateway.option(option).is_some())
        .map(|option| {
            Diagnostic::error(
                OPTION_OF_OTHER_PRODUCT,
                format!(
                    "gateway option `{option}` belongs to Zuplo product \"{}\", but this gateway \
                     is \"{}\"; it would have no effect",
                    other.name(),
                    product.name()
                ),
                help(option),
            )
            .at(gateway.option_span(option))
        })
        .collect();
    diagnostics.extend(gateway.fallbacks.iter().map(|fallback| {
        Diagnostic::error(
            FALLBACKS_NOT_EMITTED,
            format!(
                "fallback from `{}` cannot be emitted for Zuplo: the route forwards to one \
                 upstream, and AI Gateway fallback models are chosen in the Zuplo Portal",
                fallback.from
            ),
            "remove gw.fallback(…); for the AI Gateway, set the app's Fallback Model policy in \
             the portal",
        )
        .at(fallback.span)
    }));
    diagnostics
}

fn help(option: &str) -> String {
    match option {
        "usage_limits" => "usage limits exist only in Zuplo's AI Gateway: add product: \
                           \"ai-gateway\", or use rate_limit on the API project"
            .into(),
        "rate_limit" => "the AI Gateway limits requests per app or team: use usage_limits with \
                         kind: \"requests\""
            .into(),
        "upstream" => "remove `upstream`: the AI Gateway reaches the providers added in the \
                       Zuplo Portal"
            .into(),
        _ => format!(
            "remove `{option}`: it configures an API project's files, which the AI Gateway does \
             not use"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{limit_entry, zuplo_gateway};
    use gwscript_plugin::testing::{codes_of, fallback, list, literal, map, with_gateway_options};

    #[test]
    fn gw4208_usage_limits_need_the_ai_gateway() {
        let gateway = with_gateway_options(
            zuplo_gateway(vec![]),
            [(
                "usage_limits",
                list([limit_entry(
                    &[("scope", "gateway"), ("kind", "cost"), ("period", "daily")],
                    10.0,
                )]),
            )],
        );
        let diagnostics = check(&gateway, Product::ApiGateway);
        assert_eq!(codes_of(&diagnostics), ["GW4208"]);
        assert!(
            diagnostics[0]
                .message
                .contains("`usage_limits` belongs to Zuplo product \"ai-gateway\"")
        );
        assert!(diagnostics[0].help.contains("product: \"ai-gateway\""));
        assert_eq!(diagnostics[0].span, gateway.options["usage_limits"].span);
    }

    #[test]
    fn gw4208_api_options_do_nothing_on_the_ai_gateway() {
        let gateway = with_gateway_options(
            zuplo_gateway(vec![]),
            [
                ("product", literal("ai-gateway")),
                ("upstream", literal("https://api.anthropic.com")),
                (
                    "rate_limit",
                    map([("requests", literal(1)), ("window_minutes", literal(1))]),
                ),
            ],
        );
        let diagnostics = check(&gateway, Product::AiGateway);
        assert_eq!(codes_of(&diagnostics), ["GW4208", "GW4208"]);
        assert!(diagnostics.iter().all(Diagnostic::is_error));
        assert!(diagnostics[0].message.contains("`upstream`"));
        assert!(diagnostics[1].help.contains("kind: \"requests\""));
    }

    #[test]
    fn gw4213_fallbacks_are_refused() {
        let mut gateway = zuplo_gateway(vec![]);
        gateway.fallbacks = vec![fallback("claude-sonnet-4-5", &["claude-haiku-4-5"])];
        let diagnostics = check(&gateway, Product::ApiGateway);
        assert_eq!(codes_of(&diagnostics), ["GW4213"]);
        assert_eq!(diagnostics[0].span, gateway.fallbacks[0].span);
        assert!(check(&zuplo_gateway(vec![]), Product::AiGateway).is_empty());
    }
}
