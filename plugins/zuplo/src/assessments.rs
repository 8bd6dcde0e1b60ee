//! Zuplo against the spec's compatibility criteria and the gateway features, each with where the
//! fact comes from: a page of Zuplo's documentation, or "unverified" where none says it. Zuplo is
//! a hosted service, so nothing here was run against Zuplo itself; the integration test runs
//! Claude Code with the emitted settings against a stand-in for the Zuplo URL.

use gwscript_plugin::manifest::{Assessment, Criterion, Feature};

const DOCS: &str = "https://zuplo.com/docs";

fn page(path: &str) -> String {
    format!("{DOCS}/{path}")
}

pub fn compatibility() -> Vec<Assessment<Criterion>> {
    vec![
        Assessment::yes(
            Criterion::MessagesApi,
            page("ai-gateway/integrations/claude-code"),
        )
        .note(
            "the AI Gateway serves /v1/messages; on an API project the emitted routes.oas.json \
             declares POST /v1/messages and /v1/messages/count_tokens",
        ),
        Assessment::yes(
            Criterion::HeaderForwarding,
            format!(
                "{}; header pass-through unverified",
                page("handlers/url-forward")
            ),
        )
        .note(
            "the URL Forward handler proxies the request; the emitted route only removes \
             Authorization and sets x-api-key, so anthropic-version and anthropic-beta pass \
             (no page lists the headers the handler forwards)",
        ),
        Assessment::yes(Criterion::BodyPreserved, page("handlers/url-forward")).note(
            "the emitted route has no body-changing policy; the model id goes upstream unchanged",
        ),
        Assessment::yes(Criterion::StatusCodes, page("concepts/rate-limiting")).note(
            "the upstream's status passes through; Zuplo itself answers 401 (no or unknown API \
             key) and 429 with retry-after (rate limit)",
        ),
        Assessment::yes(
            Criterion::SseStreaming,
            page("articles/streaming-responses-sse"),
        )
        .note("an upstream streaming response is proxied unbuffered"),
        Assessment::yes(Criterion::BearerAuth, page("policies/api-key-inbound")).note(
            "api-key-inbound reads Authorization: Bearer <key> by default; AI Gateway app keys \
             use the same header",
        ),
        Assessment::depends(
            Criterion::LongTimeouts,
            page("articles/limits"),
            "Free and Builder plans end a request after 30 seconds, which cuts long Claude Code \
             streams; other plans set no request duration limit",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    vec![
        Assessment::yes(Feature::RateLimits, page("policies/rate-limit-inbound"))
            .note("rate_limit emits a rate-limit-inbound policy (per API key consumer, IP or all)"),
        Assessment::depends(
            Feature::Budgets,
            page("ai-gateway/usage-limits"),
            "cost, token and request limits exist only in the AI Gateway, set per gateway, team \
             and app in the Zuplo Portal; gwscript reports them as steps",
        ),
        Assessment::depends(
            Feature::Fallbacks,
            page("ai-gateway/policies/metering"),
            "the AI Gateway can send over-budget traffic to a fallback model; an API project \
             route has one upstream and no fallback",
        ),
        Assessment::no(Feature::LoadBalancing, "unverified")
            .note("no built-in policy balances a route across upstreams; custom code could"),
        Assessment::yes(Feature::VirtualKeys, page("articles/api-key-management"))
            .note("API key consumers (API projects) and per-app keys (AI Gateway)"),
        Assessment::depends(
            Feature::AuditLogs,
            "https://zuplo.com/policies",
            "an Audit Logs policy exists; gwscript does not emit it",
        ),
        Assessment::depends(
            Feature::Guardrails,
            page("ai-gateway/guardrails"),
            "prompt and completion guardrails are AI Gateway policies set in the portal",
        ),
        Assessment::no(Feature::BedrockBackend, "unverified").note(
            "the emitted route forwards Anthropic Messages to one Anthropic-compatible upstream; \
             no public page shows Claude Code's Messages requests reaching Bedrock through Zuplo",
        ),
        Assessment::no(Feature::VertexBackend, "unverified").note(
            "no public page shows Claude Code's Messages requests reaching Vertex AI through Zuplo",
        ),
        Assessment::depends(
            Feature::ConfigAsFiles,
            page("articles/routing"),
            "an API project is a Git repository (config/routes.oas.json, config/policies.json); \
             AI Gateway providers, teams, apps and limits live in the Zuplo Portal",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::assert_assessments;

    #[test]
    fn every_criterion_and_feature_is_assessed_once_with_a_source() {
        let (compatibility, features) = (compatibility(), features());
        assert_assessments(&compatibility, &features);
        assert_eq!(features.len(), 10);
        let sources = compatibility
            .iter()
            .map(|a| &a.source)
            .chain(features.iter().map(|a| &a.source));
        for source in sources {
            assert!(source == "unverified" || source.starts_with("https://zuplo.com/"));
        }
    }
}
