//! LiteLLM against the spec's compatibility criteria and the gateway features, each with where the
//! fact comes from: a LiteLLM documentation page, or the end-to-end test that runs Claude Code
//! through the pinned release.

use gwscript_plugin::manifest::{Assessment, Criterion, Feature, Support};

/// The end-to-end test: Claude Code -> LiteLLM 1.102.4 (started from the emitted start.sh) -> a
/// mock Anthropic provider, checking the request that arrives upstream.
const E2E: &str = "tests/e2e/litellm_claude.rs";

fn assessment<T>(id: T, status: Support, source: &str, note: &str) -> Assessment<T> {
    Assessment {
        id,
        status,
        source: source.into(),
        note: note.into(),
    }
}

pub fn compatibility() -> Vec<Assessment<Criterion>> {
    use Support::{DependsOnConfig, Yes};
    vec![
        assessment(
            Criterion::MessagesApi,
            Yes,
            E2E,
            "POST /v1/messages serves every model_name, translated for non-Anthropic backends",
        ),
        assessment(
            Criterion::HeaderForwarding,
            DependsOnConfig,
            E2E,
            "anthropic-version and every anthropic-beta value reach Anthropic deployments (1.102.4 \
             sorts the beta list); Bedrock and Vertex deployments get only the betas on LiteLLM's \
             per-provider allow-list; other x-* headers need forward_client_headers_to_llm_api",
        ),
        assessment(
            Criterion::BodyPreserved,
            DependsOnConfig,
            E2E,
            "Anthropic deployments get the request with the deployment's model id; other backends \
             get a translation, and drop_params removes what they reject",
        ),
        assessment(
            Criterion::StatusCodes,
            Yes,
            "docs.litellm.ai/docs/exception_mapping",
            "provider errors reach the client as LiteLLM's mapped codes (400, 401, 403, 404, 408, \
             422, 429, 5xx), not verbatim, after LiteLLM's own retries and fallbacks",
        ),
        assessment(Criterion::SseStreaming, Yes, E2E, ""),
        assessment(
            Criterion::BearerAuth,
            Yes,
            "docs.litellm.ai/docs/proxy/client_setup/claude_code",
            "a master or virtual key as Authorization: Bearer (ANTHROPIC_AUTH_TOKEN)",
        ),
        assessment(
            Criterion::LongTimeouts,
            DependsOnConfig,
            "docs.litellm.ai/docs/proxy/config_settings",
            "request_timeout defaults to 6000 s; a recipe timeout or stream_timeout, and any load \
             balancer in front of the proxy, must allow at least 300 s",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    use Support::{DependsOnConfig, Yes};
    const NEEDS_DATABASE: &str = "needs database_url (Postgres)";
    vec![
        assessment(
            Feature::RateLimits,
            DependsOnConfig,
            "docs.litellm.ai/docs/proxy/users",
            "rpm/tpm per deployment always; per key, user or team they need database_url, and \
             several proxy instances need redis to share counters",
        ),
        assessment(
            Feature::Budgets,
            DependsOnConfig,
            "docs.litellm.ai/docs/proxy/users",
            NEEDS_DATABASE,
        ),
        assessment(
            Feature::Fallbacks,
            Yes,
            "docs.litellm.ai/docs/proxy/reliability",
            "on the unified route; the /anthropic pass-through bypasses model_list and its fallbacks",
        ),
        assessment(
            Feature::LoadBalancing,
            Yes,
            "docs.litellm.ai/docs/proxy/load_balancing",
            "deployments sharing a model_name, by routing_strategy, order and weight",
        ),
        assessment(
            Feature::VirtualKeys,
            DependsOnConfig,
            "docs.litellm.ai/docs/proxy/virtual_keys",
            NEEDS_DATABASE,
        ),
        assessment(
            Feature::AuditLogs,
            DependsOnConfig,
            "docs.litellm.ai/docs/proxy/multiple_admins",
            "admin audit logs need a LiteLLM Enterprise licence and database_url",
        ),
        assessment(
            Feature::Guardrails,
            DependsOnConfig,
            "docs.litellm.ai/docs/proxy/guardrails/quick_start",
            "configured in LiteLLM's guardrails section, which gwscript does not emit",
        ),
        assessment(
            Feature::BedrockBackend,
            Yes,
            "docs.litellm.ai/docs/providers/bedrock",
            "bedrock/ deployments, and the /bedrock pass-through",
        ),
        assessment(
            Feature::VertexBackend,
            Yes,
            "docs.litellm.ai/docs/providers/vertex",
            "vertex_ai/ deployments, and the /vertex_ai pass-through",
        ),
        assessment(
            Feature::ConfigAsFiles,
            Yes,
            "docs.litellm.ai/docs/proxy/configs",
            "config.yaml",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_criterion_is_assessed_once_with_a_source() {
        let criteria: Vec<Criterion> = compatibility().iter().map(|a| a.id).collect();
        assert_eq!(
            criteria,
            [
                Criterion::MessagesApi,
                Criterion::HeaderForwarding,
                Criterion::BodyPreserved,
                Criterion::StatusCodes,
                Criterion::SseStreaming,
                Criterion::BearerAuth,
                Criterion::LongTimeouts,
            ]
        );
        let features = features();
        for (i, feature) in features.iter().enumerate() {
            assert!(features[..i].iter().all(|earlier| earlier.id != feature.id));
        }
        let all = compatibility()
            .into_iter()
            .map(|a| (a.status, a.source, a.note))
            .chain(features.into_iter().map(|a| (a.status, a.source, a.note)));
        for (status, source, note) in all {
            assert!(!source.is_empty());
            // "It depends" is only useful with what it depends on.
            assert!(
                status != Support::DependsOnConfig || !note.is_empty(),
                "{source}"
            );
        }
    }
}
