//! The TrueFoundry AI Gateway against the spec's compatibility criteria and the gateway features,
//! each with where the fact comes from: TrueFoundry's documentation, its published manifest
//! models (truefoundry-sdk 0.6.0), or "unverified" where nothing public says.

use gwscript_plugin::manifest::{Assessment, Criterion, Feature, Support};

const CLAUDE_CODE_DOCS: &str = "truefoundry.com/docs/ai-gateway/claude-code";
const QUICK_START_DOCS: &str = "truefoundry.com/docs/ai-gateway/claude-quick-start";
const SDK: &str = "truefoundry-sdk 0.6.0 manifest models";
const UNVERIFIED: &str = "unverified";

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
            CLAUDE_CODE_DOCS,
            "POST /v1/messages under the gateway base URL (no /api/llm suffix), for Anthropic \
             accounts; TrueFoundry's Claude quick start says Bedrock and Vertex accounts work too \
             (unverified)",
        ),
        assessment(
            Criterion::HeaderForwarding,
            DependsOnConfig,
            UNVERIFIED,
            "TrueFoundry does not document passing anthropic-beta and anthropic-version to the \
             provider; Bedrock and Vertex accounts get a translated request",
        ),
        assessment(
            Criterion::BodyPreserved,
            DependsOnConfig,
            UNVERIFIED,
            "the model is replaced by the account's model_id; Bedrock and Vertex accounts get a \
             translated body",
        ),
        assessment(
            Criterion::StatusCodes,
            DependsOnConfig,
            UNVERIFIED,
            "TrueFoundry answers 401/403 for keys and model access and 429 for its rate-limit and \
             budget rules; how provider errors are passed on is not documented",
        ),
        assessment(
            Criterion::SseStreaming,
            Yes,
            CLAUDE_CODE_DOCS,
            "Claude Code's streamed Messages requests are the documented integration",
        ),
        assessment(
            Criterion::BearerAuth,
            Yes,
            QUICK_START_DOCS,
            "a TrueFoundry API key (personal access token or virtual account token) as \
             ANTHROPIC_AUTH_TOKEN",
        ),
        assessment(
            Criterion::LongTimeouts,
            DependsOnConfig,
            UNVERIFIED,
            "SaaS timeouts are not published; self-hosted, the ingress in front of the gateway \
             must let streams run at least 300 s",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    use Support::{DependsOnConfig, Yes};
    vec![
        assessment(
            Feature::RateLimits,
            Yes,
            "truefoundry.com/docs/ai-gateway/ratelimiting",
            "gateway-rate-limiting-config rules by user, team, virtual account, model or metadata",
        ),
        assessment(
            Feature::Budgets,
            Yes,
            "truefoundry.com/docs/ai-gateway/budgetlimiting",
            "gateway-budget-config rules; the first matching rule decides",
        ),
        assessment(
            Feature::Fallbacks,
            Yes,
            "truefoundry.com/docs/ai-gateway/load-balancing-overview",
            "priority-based routing falls back to the next target",
        ),
        assessment(
            Feature::LoadBalancing,
            Yes,
            "truefoundry.com/docs/ai-gateway/load-balancing-overview",
            "weight-based routing; TrueFoundry now recommends virtual models for new setups, and \
             the tenant-wide config gwscript writes keeps working",
        ),
        assessment(
            Feature::VirtualKeys,
            Yes,
            "truefoundry.com/docs/ai-gateway/making-llm-requests-via-gateway",
            "personal access tokens and virtual account tokens",
        ),
        assessment(
            Feature::AuditLogs,
            DependsOnConfig,
            SDK,
            "request logs and traces come from TrueFoundry's gateway-logging-config, which \
             gwscript does not write",
        ),
        assessment(
            Feature::Guardrails,
            DependsOnConfig,
            SDK,
            "gateway-guardrails-config, which gwscript does not write",
        ),
        assessment(
            Feature::BedrockBackend,
            Yes,
            SDK,
            "provider-account/aws-bedrock",
        ),
        assessment(
            Feature::VertexBackend,
            Yes,
            SDK,
            "provider-account/google-vertex",
        ),
        assessment(
            Feature::ConfigAsFiles,
            Yes,
            "truefoundry 0.17.5 (tfy apply -f)",
            "YAML manifests applied with the tfy CLI",
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
        assert_eq!(features.len(), 10);
        for (i, feature) in features.iter().enumerate() {
            assert!(features[..i].iter().all(|earlier| earlier.id != feature.id));
        }
        let all = compatibility()
            .into_iter()
            .map(|a| (a.status, a.source, a.note))
            .chain(features.into_iter().map(|a| (a.status, a.source, a.note)));
        for (status, source, note) in all {
            assert!(!source.is_empty());
            assert!(
                status != Support::DependsOnConfig || !note.is_empty(),
                "{source}"
            );
        }
    }
}
