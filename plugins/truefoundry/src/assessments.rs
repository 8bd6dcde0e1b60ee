//! The TrueFoundry AI Gateway against the spec's compatibility criteria and the gateway features,
//! each with where the fact comes from: TrueFoundry's documentation, its published manifest
//! models (truefoundry-sdk 0.6.0), or "unverified" where nothing public says.

use gwscript_plugin::manifest::{Assessment, Criterion, Feature};

const CLAUDE_CODE_DOCS: &str = "truefoundry.com/docs/ai-gateway/claude-code";
const QUICK_START_DOCS: &str = "truefoundry.com/docs/ai-gateway/claude-quick-start";
const SDK: &str = "truefoundry-sdk 0.6.0 manifest models";
const UNVERIFIED: &str = "unverified";

pub fn compatibility() -> Vec<Assessment<Criterion>> {
    vec![
        Assessment::yes(Criterion::MessagesApi, CLAUDE_CODE_DOCS).note(
            "POST /v1/messages under the gateway base URL (no /api/llm suffix), for Anthropic \
             accounts; TrueFoundry's Claude quick start says Bedrock and Vertex accounts work too \
             (unverified)",
        ),
        Assessment::depends(
            Criterion::HeaderForwarding,
            UNVERIFIED,
            "TrueFoundry does not document passing anthropic-beta and anthropic-version to the \
             provider; Bedrock and Vertex accounts get a translated request",
        ),
        Assessment::depends(
            Criterion::BodyPreserved,
            UNVERIFIED,
            "the model is replaced by the account's model_id; Bedrock and Vertex accounts get a \
             translated body",
        ),
        Assessment::depends(
            Criterion::StatusCodes,
            UNVERIFIED,
            "TrueFoundry answers 401/403 for keys and model access and 429 for its rate-limit and \
             budget rules; how provider errors are passed on is not documented",
        ),
        Assessment::yes(Criterion::SseStreaming, CLAUDE_CODE_DOCS)
            .note("Claude Code's streamed Messages requests are the documented integration"),
        Assessment::yes(Criterion::BearerAuth, QUICK_START_DOCS).note(
            "a TrueFoundry API key (personal access token or virtual account token) as \
             ANTHROPIC_AUTH_TOKEN",
        ),
        Assessment::depends(
            Criterion::LongTimeouts,
            UNVERIFIED,
            "SaaS timeouts are not published; self-hosted, the ingress in front of the gateway \
             must let streams run at least 300 s",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    vec![
        Assessment::yes(
            Feature::RateLimits,
            "truefoundry.com/docs/ai-gateway/ratelimiting",
        )
        .note(
            "gateway-rate-limiting-config rules by user, team, virtual account, model or metadata",
        ),
        Assessment::yes(
            Feature::Budgets,
            "truefoundry.com/docs/ai-gateway/budgetlimiting",
        )
        .note("gateway-budget-config rules; the first matching rule decides"),
        Assessment::yes(
            Feature::Fallbacks,
            "truefoundry.com/docs/ai-gateway/load-balancing-overview",
        )
        .note("priority-based routing falls back to the next target"),
        Assessment::yes(
            Feature::LoadBalancing,
            "truefoundry.com/docs/ai-gateway/load-balancing-overview",
        )
        .note(
            "weight-based routing; TrueFoundry now recommends virtual models for new setups, and \
             the tenant-wide config gwscript writes keeps working",
        ),
        Assessment::yes(
            Feature::VirtualKeys,
            "truefoundry.com/docs/ai-gateway/making-llm-requests-via-gateway",
        )
        .note("personal access tokens and virtual account tokens"),
        Assessment::depends(
            Feature::AuditLogs,
            SDK,
            "request logs and traces come from TrueFoundry's gateway-logging-config, which \
             gwscript does not write",
        ),
        Assessment::depends(
            Feature::Guardrails,
            SDK,
            "gateway-guardrails-config, which gwscript does not write",
        ),
        Assessment::yes(Feature::BedrockBackend, SDK).note("provider-account/aws-bedrock"),
        Assessment::yes(Feature::VertexBackend, SDK).note("provider-account/google-vertex"),
        Assessment::yes(Feature::ConfigAsFiles, "truefoundry 0.17.5 (tfy apply -f)")
            .note("YAML manifests applied with the tfy CLI"),
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
