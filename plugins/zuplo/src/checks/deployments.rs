//! What each deployment asks of Zuplo: an Anthropic-compatible backend (the route forwards
//! Anthropic Messages untouched), a key by reference, and a model id Anthropic knows, because
//! Zuplo forwards the id Claude Code sends without renaming it. Messages name options, never
//! their values.

use super::codes::{
    IGNORED_PROVIDER_OPTION, LITERAL_UPSTREAM_KEY, MODEL_NOT_AN_ANTHROPIC_ID, NOT_ANTHROPIC,
};
use crate::options::Product;
use crate::upstream::PROVIDER_OPTIONS;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Deployment, Gateway, ProviderKind};

pub fn check(gateway: &Gateway, product: Product) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for deployment in &gateway.deployments {
        if deployment.provider.kind != ProviderKind::Anthropic {
            diagnostics.push(not_anthropic(deployment));
            continue;
        }
        diagnostics.extend(literal_key(deployment));
        diagnostics.extend(ignored_options(deployment, product));
        diagnostics.extend(unknown_model_id(deployment));
    }
    diagnostics
}

fn span(deployment: &Deployment) -> Option<gwscript_plugin::model::Span> {
    deployment.provider.span.or(deployment.span)
}

fn not_anthropic(deployment: &Deployment) -> Diagnostic {
    Diagnostic::error(
        NOT_ANTHROPIC,
        format!(
            "model group `{}` is served by a {} provider, but the Zuplo setup gwscript writes \
             forwards Claude Code's Anthropic Messages requests unchanged, to an Anthropic-compatible \
             upstream only",
            deployment.model_group,
            deployment.provider.kind.name()
        ),
        "deploy the group from provider(\"anthropic\", …) (api_base may point at any service \
         that speaks Anthropic Messages), or use a gateway that translates for Bedrock or Vertex AI",
    )
    .at(span(deployment))
}

fn literal_key(deployment: &Deployment) -> Option<Diagnostic> {
    let key = deployment.provider.option("api_key")?;
    key.secret_name().is_none().then(|| {
        Diagnostic::error(
            LITERAL_UPSTREAM_KEY,
            format!(
                "anthropic provider option `api_key` of model group `{}` is a literal value where \
                 a secret belongs; Zuplo must read it from its environment as $env(NAME)",
                deployment.model_group
            ),
            "use api_key: secret(\"ANTHROPIC_API_KEY\") and set that variable, as a secret, in the \
             Zuplo project's environment variables",
        )
        .at(span(deployment))
        .sensitive()
    })
}

/// The AI Gateway takes the provider's key in the portal; only an API project route reads
/// `api_base`.
fn ignored_options(deployment: &Deployment, product: Product) -> Vec<Diagnostic> {
    let used: &[&str] = match product {
        Product::ApiGateway => &PROVIDER_OPTIONS,
        Product::AiGateway => &PROVIDER_OPTIONS[..1],
    };
    deployment
        .provider
        .options
        .keys()
        .filter(|key| !used.contains(&key.as_str()))
        .map(|key| {
            Diagnostic::warning(
                IGNORED_PROVIDER_OPTION,
                format!(
                    "anthropic provider option `{key}` of model group `{}` is ignored by the Zuplo \
                     {} setup, which uses only {}",
                    deployment.model_group,
                    product.name(),
                    used.join(" and ")
                ),
                format!("remove `{key}` from the provider"),
            )
            .at(span(deployment))
        })
        .collect()
}

/// Anthropic's API takes a model's dated id and its dateless alias (`claude-sonnet-4-5` for
/// `claude-sonnet-4-5-20250929`); a group named anything else reaches it as an unknown model.
fn unknown_model_id(deployment: &Deployment) -> Option<Diagnostic> {
    let group = deployment.model_group.as_str();
    let model = deployment.provider_model.as_str();
    let alias = model.strip_prefix(group).is_some_and(is_date_suffix);
    (group != model && !alias).then(|| {
        Diagnostic::warning(
            MODEL_NOT_AN_ANTHROPIC_ID,
            format!(
                "model group `{group}` is not an Anthropic model id: Zuplo forwards the id Claude \
                 Code sends unchanged, so a request for `{group}` reaches the upstream as is and \
                 is refused as an unknown model"
            ),
            format!(
                "name the group after the model (gw.deploy(\"{model}\", …)), or pin Claude Code's \
                 model to `{model}`"
            ),
        )
        .at(deployment.span)
    })
}

/// `-20250929`: the snapshot date Anthropic's alias leaves out.
fn is_date_suffix(suffix: &str) -> bool {
    suffix
        .strip_prefix('-')
        .is_some_and(|date| date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::{
        anthropic, bedrock, codes_of, literal, raw, secret, vertex, with_option,
    };

    fn gateway_of(deployments: Vec<Deployment>) -> Gateway {
        crate::test_support::zuplo_gateway(deployments)
    }

    const LEAKY: &str = "sk-ant-api03-DO-NOT-PRINT-42";

    #[test]
    fn gw4201_only_anthropic_backends() {
        let gateway = gateway_of(vec![
            bedrock("claude-sonnet-4-5", "m", Some("us-east-1")),
            vertex("claude-haiku-4-5", "m", Some("p"), Some("us-east5")),
            raw("gpt-4o", "openai/gpt-4o"),
            anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
        ]);
        let diagnostics = check(&gateway, Product::ApiGateway);
        assert_eq!(codes_of(&diagnostics), ["GW4201"; 3]);
        assert!(diagnostics[0].message.contains("a bedrock provider"));
        assert_eq!(diagnostics[2].span, gateway.deployments[2].provider.span);
    }

    #[test]
    fn gw4202_a_literal_key_never_reaches_the_message() {
        let gateway = gateway_of(vec![with_option(
            anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
            "api_key",
            literal(LEAKY),
        )]);
        for product in [Product::ApiGateway, Product::AiGateway] {
            let diagnostics = check(&gateway, product);
            assert_eq!(codes_of(&diagnostics), ["GW4202"]);
            assert!(diagnostics[0].sensitive && diagnostics[0].is_error());
            assert!(
                !diagnostics[0].message.contains(LEAKY) && !diagnostics[0].help.contains(LEAKY)
            );
        }
    }

    #[test]
    fn gw4206_group_names_must_be_anthropic_ids_or_aliases() {
        let gateway = gateway_of(vec![
            anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
            anthropic("claude-opus-4-6", "claude-opus-4-6"),
            anthropic("sonnet", "claude-sonnet-4-5-20250929"),
            anthropic("claude-sonnet-4", "claude-sonnet-4-5-20250929"),
        ]);
        let diagnostics = check(&gateway, Product::ApiGateway);
        assert_eq!(codes_of(&diagnostics), ["GW4206", "GW4206"]);
        assert!(diagnostics[0].message.starts_with("model group `sonnet`"));
        assert!(
            diagnostics[0]
                .help
                .contains("gw.deploy(\"claude-sonnet-4-5-20250929\"")
        );
        assert!(
            diagnostics[1]
                .message
                .starts_with("model group `claude-sonnet-4`")
        );
        assert!(!diagnostics[0].is_error());
    }

    #[test]
    fn gw4207_unused_provider_options() {
        let deployment = with_option(
            with_option(
                with_option(
                    anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
                    "api_base",
                    literal("https://llm.corp.example"),
                ),
                "timeout",
                literal(600),
            ),
            "api_key",
            secret("ANTHROPIC_API_KEY"),
        );
        let gateway = gateway_of(vec![deployment]);
        let api = check(&gateway, Product::ApiGateway);
        assert_eq!(codes_of(&api), ["GW4207"]);
        assert!(api[0].message.contains("`timeout`"));
        let ai = check(&gateway, Product::AiGateway);
        assert_eq!(codes_of(&ai), ["GW4207", "GW4207"]);
        assert!(ai[0].message.contains("`api_base`") && ai[0].message.ends_with("only api_key"));
    }
}
