//! The gateway forwards Claude Code's Messages requests unchanged to one Anthropic API upstream:
//! a deployment on Bedrock, Vertex AI or another provider is a model Claude Code cannot reach
//! through it (nginx cannot sign AWS or Google requests, and nothing here translates formats).

use super::codes::UNREACHABLE_PROVIDER;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::{Gateway, ProviderKind};

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    gateway
        .deployments
        .iter()
        .filter(|d| d.provider.kind != ProviderKind::Anthropic)
        .map(|deployment| {
            let kind = deployment.provider.kind.name();
            Diagnostic::error(
                UNREACHABLE_PROVIDER,
                format!(
                    "model group `{}` is served by {kind}, which Claude Code's Messages route cannot \
                     reach through this gateway: it forwards requests unchanged to one Anthropic API \
                     upstream",
                    deployment.model_group
                ),
                "deploy provider(\"anthropic\", …) here, or use a gateway plugin that serves that \
                 provider (litellm)",
            )
            .at(deployment.span)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{anthropic, bedrock, codes_of, raw, vertex};

    #[test]
    fn gw4406_refuses_every_provider_but_anthropic() {
        let gateway = custom_gateway(vec![
            anthropic("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
            bedrock(
                "b",
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                Some("us-east-1"),
            ),
            vertex(
                "v",
                "claude-sonnet-4-5@20250929",
                Some("p"),
                Some("us-east5"),
            ),
            raw("r", "openai/gpt-4o"),
        ]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4406"; 3]);
        assert!(
            diagnostics[0]
                .message
                .starts_with("model group `b` is served by bedrock")
        );
        assert!(diagnostics[2].message.contains("served by raw"));
        assert_eq!(diagnostics[1].span, gateway.deployments[2].span);
    }
}
