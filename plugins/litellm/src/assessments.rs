//! LiteLLM against the spec's compatibility criteria and the gateway features, each with where the
//! fact comes from: a LiteLLM documentation page, or the end-to-end test that runs Claude Code
//! through the pinned release.

use gwscript_plugin::manifest::{Assessment, Criterion, Feature};

/// The end-to-end test: Claude Code -> LiteLLM 1.102.4 (started from the emitted start.sh) -> a
/// mock Anthropic provider, checking the request that arrives upstream.
const E2E: &str = "tests/e2e/litellm_claude.rs";

pub fn compatibility() -> Vec<Assessment<Criterion>> {
    vec![
        Assessment::yes(Criterion::MessagesApi, E2E).note(
            "POST /v1/messages serves every model_name, translated for non-Anthropic backends",
        ),
        Assessment::depends(
            Criterion::HeaderForwarding,
            E2E,
            "anthropic-version and every anthropic-beta value reach Anthropic deployments (1.102.4 \
             sorts the beta list); Bedrock and Vertex deployments get only the betas on LiteLLM's \
             per-provider allow-list; other x-* headers need forward_client_headers_to_llm_api",
        ),
        Assessment::depends(
            Criterion::BodyPreserved,
            E2E,
            "Anthropic deployments get the request with the deployment's model id; other backends \
             get a translation, and drop_params removes what they reject",
        ),
        Assessment::yes(
            Criterion::StatusCodes,
            "docs.litellm.ai/docs/exception_mapping",
        )
        .note(
            "provider errors reach the client as LiteLLM's mapped codes (400, 401, 403, 404, 408, \
             422, 429, 5xx), not verbatim, after LiteLLM's own retries and fallbacks",
        ),
        Assessment::yes(Criterion::SseStreaming, E2E),
        Assessment::yes(
            Criterion::BearerAuth,
            "docs.litellm.ai/docs/proxy/client_setup/claude_code",
        )
        .note("a master or virtual key as Authorization: Bearer (ANTHROPIC_AUTH_TOKEN)"),
        Assessment::depends(
            Criterion::LongTimeouts,
            "docs.litellm.ai/docs/proxy/config_settings",
            "request_timeout defaults to 6000 s; a recipe timeout or stream_timeout, and any load \
             balancer in front of the proxy, must allow at least 300 s",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    const NEEDS_DATABASE: &str = "needs database_url (Postgres)";
    vec![
        Assessment::depends(
            Feature::RateLimits,
            "docs.litellm.ai/docs/proxy/users",
            "rpm/tpm per deployment always; per key, user or team they need database_url, and \
             several proxy instances need redis to share counters",
        ),
        Assessment::depends(
            Feature::Budgets,
            "docs.litellm.ai/docs/proxy/users",
            NEEDS_DATABASE,
        ),
        Assessment::yes(Feature::Fallbacks, "docs.litellm.ai/docs/proxy/reliability").note(
            "on the unified route; the /anthropic pass-through bypasses model_list and its \
             fallbacks",
        ),
        Assessment::yes(
            Feature::LoadBalancing,
            "docs.litellm.ai/docs/proxy/load_balancing",
        )
        .note("deployments sharing a model_name, by routing_strategy, order and weight"),
        Assessment::depends(
            Feature::VirtualKeys,
            "docs.litellm.ai/docs/proxy/virtual_keys",
            NEEDS_DATABASE,
        ),
        Assessment::depends(
            Feature::AuditLogs,
            "docs.litellm.ai/docs/proxy/multiple_admins",
            "admin audit logs need a LiteLLM Enterprise licence and database_url",
        ),
        Assessment::depends(
            Feature::Guardrails,
            "docs.litellm.ai/docs/proxy/guardrails/quick_start",
            "configured in LiteLLM's guardrails section, which gwscript does not emit",
        ),
        Assessment::yes(
            Feature::BedrockBackend,
            "docs.litellm.ai/docs/providers/bedrock",
        )
        .note("bedrock/ deployments, and the /bedrock pass-through"),
        Assessment::yes(
            Feature::VertexBackend,
            "docs.litellm.ai/docs/providers/vertex",
        )
        .note("vertex_ai/ deployments, and the /vertex_ai pass-through"),
        Assessment::yes(Feature::ConfigAsFiles, "docs.litellm.ai/docs/proxy/configs")
            .note("config.yaml"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::assert_assessments;

    #[test]
    fn every_criterion_and_feature_is_assessed_once_with_a_source() {
        assert_assessments(&compatibility(), &features());
        assert_eq!(features().len(), 10);
    }
}
