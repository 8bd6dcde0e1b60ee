//! The custom gateway against the spec's compatibility criteria and the gateway features. The
//! nginx facts are proven by this repository's integration test, which runs the emitted start
//! script and the real Claude Code through nginx; the Kong and managed-gateway facts come from
//! their public documentation and source, or are marked unverified.

use gwscript_plugin::manifest::{Assessment, Criterion, Feature, Support};

/// Claude Code -> nginx (started from the emitted start.sh) -> the mock Anthropic provider.
const E2E: &str = "tests/gateways/custom.rs";
const KONG_EXAMPLE: &str = "developer.konghq.com/plugins/ai-proxy/examples/claude-code-anthropic";
const AWS_STREAMING: &str =
    "docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html";
const APIGEE_STREAMING: &str =
    "cloud.google.com/apigee/docs/api-platform/develop/enabling-streaming";
/// What this plugin emits: a fact of its own templates, not of the gateway products.
const EMITTED: &str = "plugins/custom/templates";

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
            "nginx serves POST /v1/messages and /v1/messages/count_tokens below the gateway URL; \
             Kong's route serves /v1/messages (count_tokens gets a clean 404); /v1/chat/completions \
             is not served",
        ),
        assessment(
            Criterion::HeaderForwarding,
            DependsOnConfig,
            E2E,
            "nginx passes anthropic-version and anthropic-beta exactly as Claude Code sent them \
             (underscores_in_headers on, no header removed but Authorization); whether Kong's \
             ai-proxy forwards every anthropic-beta value is unverified; API Gateway and Apigee \
             proxy integrations pass headers unless a mapping or policy removes them",
        ),
        assessment(
            Criterion::BodyPreserved,
            DependsOnConfig,
            E2E,
            "nginx forwards the body byte for byte; Kong's ai-proxy parses the body with \
             llm_format: anthropic, and whether every field survives is unverified",
        ),
        assessment(
            Criterion::StatusCodes,
            DependsOnConfig,
            E2E,
            "nginx passes upstream statuses and error bodies unchanged and answers its own 401 and \
             404 in Anthropic's error shape, but its 413, 502 and 504 pages are HTML; managed \
             gateways answer throttling and timeouts with bodies of their own",
        ),
        assessment(
            Criterion::SseStreaming,
            DependsOnConfig,
            E2E,
            &format!(
                "nginx streams unbuffered (proxy_buffering off; the test times the events); Kong \
                 is unverified; API Gateway streams only REST APIs with responseTransferMode \
                 STREAM ({AWS_STREAMING}), Apigee only with response.streaming.enabled \
                 ({APIGEE_STREAMING})"
            ),
        ),
        assessment(
            Criterion::BearerAuth,
            DependsOnConfig,
            E2E,
            "nginx compares Authorization: Bearer with the gateway token (a wrong token gets 401); \
             Kong's key-auth reads the authorization header and compares it verbatim with the \
             consumer key `Bearer <token>` (kong/plugins/key-auth/handler.lua), not run here; a \
             managed gateway needs an authorizer or policy doing the same",
        ),
        assessment(
            Criterion::LongTimeouts,
            DependsOnConfig,
            "docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html",
            "read_timeout (at least 300 s, default 600) becomes nginx's proxy_read_timeout and \
             Kong's read_timeout; API Gateway stops at 29 s unless responses stream, Apigee's \
             io.timeout.millis defaults to 55 s",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    use Support::{DependsOnConfig, No, Yes};
    const ONE_UPSTREAM: &str = "every request goes to the one upstream";
    vec![
        assessment(
            Feature::RateLimits,
            DependsOnConfig,
            "nginx.org/en/docs/http/ngx_http_limit_req_module.html",
            "not emitted: add nginx limit_req, a Kong rate-limiting plugin or an API Gateway usage \
             plan by hand",
        ),
        assessment(
            Feature::Budgets,
            No,
            EMITTED,
            "no spend tracking in what is emitted",
        ),
        assessment(Feature::Fallbacks, No, EMITTED, ONE_UPSTREAM),
        assessment(Feature::LoadBalancing, No, EMITTED, ONE_UPSTREAM),
        assessment(
            Feature::VirtualKeys,
            No,
            EMITTED,
            "one gateway token for every client",
        ),
        assessment(
            Feature::AuditLogs,
            DependsOnConfig,
            "nginx.org/en/docs/http/ngx_http_log_module.html",
            "nginx's access log records each request line and status, not bodies or headers",
        ),
        assessment(
            Feature::Guardrails,
            No,
            EMITTED,
            "nothing inspects the content",
        ),
        assessment(
            Feature::BedrockBackend,
            No,
            EMITTED,
            "the Messages route reaches an Anthropic API upstream only; nginx cannot sign SigV4",
        ),
        assessment(
            Feature::VertexBackend,
            No,
            EMITTED,
            "the Messages route reaches an Anthropic API upstream only",
        ),
        assessment(
            Feature::ConfigAsFiles,
            Yes,
            KONG_EXAMPLE,
            "an nginx config template with its start script, or a decK kong.yaml",
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
