//! Zuplo against the spec's compatibility criteria and the gateway features, each with where the
//! fact comes from: a page of Zuplo's documentation, or "unverified" where none says it. Zuplo is
//! a hosted service, so nothing here was run against Zuplo itself; the integration test runs
//! Claude Code with the emitted settings against a stand-in for the Zuplo URL.

use gwscript_plugin::manifest::{Assessment, Criterion, Feature, Support};

const DOCS: &str = "https://zuplo.com/docs";

fn assessment<T>(id: T, status: Support, source: &str, note: &str) -> Assessment<T> {
    Assessment {
        id,
        status,
        source: source.into(),
        note: note.into(),
    }
}

fn page(path: &str) -> String {
    format!("{DOCS}/{path}")
}

pub fn compatibility() -> Vec<Assessment<Criterion>> {
    use Support::{DependsOnConfig, Yes};
    vec![
        assessment(
            Criterion::MessagesApi,
            Yes,
            &page("ai-gateway/integrations/claude-code"),
            "the AI Gateway serves /v1/messages; on an API project the emitted routes.oas.json \
             declares POST /v1/messages and /v1/messages/count_tokens",
        ),
        assessment(
            Criterion::HeaderForwarding,
            Yes,
            &format!(
                "{}; header pass-through unverified",
                page("handlers/url-forward")
            ),
            "the URL Forward handler proxies the request; the emitted route only removes \
             Authorization and sets x-api-key, so anthropic-version and anthropic-beta pass \
             (no page lists the headers the handler forwards)",
        ),
        assessment(
            Criterion::BodyPreserved,
            Yes,
            &page("handlers/url-forward"),
            "the emitted route has no body-changing policy; the model id goes upstream unchanged",
        ),
        assessment(
            Criterion::StatusCodes,
            Yes,
            &page("concepts/rate-limiting"),
            "the upstream's status passes through; Zuplo itself answers 401 (no or unknown API \
             key) and 429 with retry-after (rate limit)",
        ),
        assessment(
            Criterion::SseStreaming,
            Yes,
            &page("articles/streaming-responses-sse"),
            "an upstream streaming response is proxied unbuffered",
        ),
        assessment(
            Criterion::BearerAuth,
            Yes,
            &page("policies/api-key-inbound"),
            "api-key-inbound reads Authorization: Bearer <key> by default; AI Gateway app keys \
             use the same header",
        ),
        assessment(
            Criterion::LongTimeouts,
            DependsOnConfig,
            &page("articles/limits"),
            "Free and Builder plans end a request after 30 seconds, which cuts long Claude Code \
             streams; other plans set no request duration limit",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    use Support::{DependsOnConfig, No, Yes};
    vec![
        assessment(
            Feature::RateLimits,
            Yes,
            &page("policies/rate-limit-inbound"),
            "rate_limit emits a rate-limit-inbound policy (per API key consumer, IP or all)",
        ),
        assessment(
            Feature::Budgets,
            DependsOnConfig,
            &page("ai-gateway/usage-limits"),
            "cost, token and request limits exist only in the AI Gateway, set per gateway, team \
             and app in the Zuplo Portal; gwscript reports them as steps",
        ),
        assessment(
            Feature::Fallbacks,
            DependsOnConfig,
            &page("ai-gateway/policies/metering"),
            "the AI Gateway can send over-budget traffic to a fallback model; an API project \
             route has one upstream and no fallback",
        ),
        assessment(
            Feature::LoadBalancing,
            No,
            "unverified",
            "no built-in policy balances a route across upstreams; custom code could",
        ),
        assessment(
            Feature::VirtualKeys,
            Yes,
            &page("articles/api-key-management"),
            "API key consumers (API projects) and per-app keys (AI Gateway)",
        ),
        assessment(
            Feature::AuditLogs,
            DependsOnConfig,
            "https://zuplo.com/policies",
            "an Audit Logs policy exists; gwscript does not emit it",
        ),
        assessment(
            Feature::Guardrails,
            DependsOnConfig,
            &page("ai-gateway/guardrails"),
            "prompt and completion guardrails are AI Gateway policies set in the portal",
        ),
        assessment(
            Feature::BedrockBackend,
            No,
            "unverified",
            "the emitted route forwards Anthropic Messages to one Anthropic-compatible upstream; \
             no public page shows Claude Code's Messages requests reaching Bedrock through Zuplo",
        ),
        assessment(
            Feature::VertexBackend,
            No,
            "unverified",
            "no public page shows Claude Code's Messages requests reaching Vertex AI through Zuplo",
        ),
        assessment(
            Feature::ConfigAsFiles,
            DependsOnConfig,
            &page("articles/routing"),
            "an API project is a Git repository (config/routes.oas.json, config/policies.json); \
             AI Gateway providers, teams, apps and limits live in the Zuplo Portal",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_criterion_and_feature_is_assessed_once_with_a_source() {
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
        let features: Vec<Feature> = features().iter().map(|a| a.id).collect();
        assert_eq!(features.len(), 10);
        for (i, feature) in features.iter().enumerate() {
            assert!(!features[..i].contains(feature), "{feature:?} twice");
        }
        let all = compatibility()
            .into_iter()
            .map(|a| (a.status, a.source, a.note))
            .chain(
                super::features()
                    .into_iter()
                    .map(|a| (a.status, a.source, a.note)),
            );
        for (status, source, note) in all {
            assert!(source == "unverified" || source.starts_with("https://zuplo.com/"));
            assert!(
                status != Support::DependsOnConfig || !note.is_empty(),
                "{source}"
            );
        }
    }
}
