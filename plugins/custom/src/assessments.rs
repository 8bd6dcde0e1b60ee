//! The custom gateway against the spec's compatibility criteria and the gateway features. The
//! nginx facts are proven by this repository's integration test, which runs the emitted start
//! script and the real Claude Code through nginx; the Kong and managed-gateway facts come from
//! their public documentation and source, or are marked unverified.

use gwscript_plugin::manifest::{Assessment, Criterion, Feature};

/// Claude Code -> nginx (started from the emitted start.sh) -> the mock Anthropic provider.
const E2E: &str = "tests/gateways/custom.rs";
const KONG_EXAMPLE: &str = "developer.konghq.com/plugins/ai-proxy/examples/claude-code-anthropic";
const AWS_STREAMING: &str =
    "docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html";
const APIGEE_STREAMING: &str =
    "cloud.google.com/apigee/docs/api-platform/develop/enabling-streaming";
/// What this plugin emits: a fact of its own templates, not of the gateway products.
const EMITTED: &str = "plugins/custom/templates";

pub fn compatibility() -> Vec<Assessment<Criterion>> {
    vec![
        Assessment::yes(Criterion::MessagesApi, E2E).note(
            "nginx serves POST /v1/messages and /v1/messages/count_tokens below the gateway URL; \
             Kong's route serves /v1/messages (count_tokens gets a clean 404); \
             /v1/chat/completions is not served",
        ),
        Assessment::depends(
            Criterion::HeaderForwarding,
            E2E,
            "nginx passes anthropic-version and anthropic-beta exactly as Claude Code sent them \
             (underscores_in_headers on, no header removed but Authorization); whether Kong's \
             ai-proxy forwards every anthropic-beta value is unverified; API Gateway and Apigee \
             proxy integrations pass headers unless a mapping or policy removes them",
        ),
        Assessment::depends(
            Criterion::BodyPreserved,
            E2E,
            "nginx forwards the body byte for byte; Kong's ai-proxy parses the body with \
             llm_format: anthropic, and whether every field survives is unverified",
        ),
        Assessment::depends(
            Criterion::StatusCodes,
            E2E,
            "nginx passes upstream statuses and error bodies unchanged and answers its own 401 and \
             404 in Anthropic's error shape, but its 413, 502 and 504 pages are HTML; managed \
             gateways answer throttling and timeouts with bodies of their own",
        ),
        Assessment::depends(
            Criterion::SseStreaming,
            E2E,
            format!(
                "nginx streams unbuffered (proxy_buffering off; the test times the events); Kong \
                 is unverified; API Gateway streams only REST APIs with responseTransferMode \
                 STREAM ({AWS_STREAMING}), Apigee only with response.streaming.enabled \
                 ({APIGEE_STREAMING})"
            ),
        ),
        Assessment::depends(
            Criterion::BearerAuth,
            E2E,
            "nginx compares Authorization: Bearer with the gateway token (a wrong token gets 401); \
             Kong's key-auth reads the authorization header and compares it verbatim with the \
             consumer key `Bearer <token>` (kong/plugins/key-auth/handler.lua), not run here; a \
             managed gateway needs an authorizer or policy doing the same",
        ),
        Assessment::depends(
            Criterion::LongTimeouts,
            "docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html",
            "read_timeout (at least 300 s, default 600) becomes nginx's proxy_read_timeout and \
             Kong's read_timeout; API Gateway stops at 29 s unless responses stream, Apigee's \
             io.timeout.millis defaults to 55 s",
        ),
    ]
}

pub fn features() -> Vec<Assessment<Feature>> {
    const ONE_UPSTREAM: &str = "every request goes to the one upstream";
    vec![
        Assessment::depends(
            Feature::RateLimits,
            "nginx.org/en/docs/http/ngx_http_limit_req_module.html",
            "not emitted: add nginx limit_req, a Kong rate-limiting plugin or an API Gateway usage \
             plan by hand",
        ),
        Assessment::no(Feature::Budgets, EMITTED).note("no spend tracking in what is emitted"),
        Assessment::no(Feature::Fallbacks, EMITTED).note(ONE_UPSTREAM),
        Assessment::no(Feature::LoadBalancing, EMITTED).note(ONE_UPSTREAM),
        Assessment::no(Feature::VirtualKeys, EMITTED).note("one gateway token for every client"),
        Assessment::depends(
            Feature::AuditLogs,
            "nginx.org/en/docs/http/ngx_http_log_module.html",
            "nginx's access log records each request line and status, not bodies or headers",
        ),
        Assessment::no(Feature::Guardrails, EMITTED).note("nothing inspects the content"),
        Assessment::no(Feature::BedrockBackend, EMITTED).note(
            "the Messages route reaches an Anthropic API upstream only; nginx cannot sign SigV4",
        ),
        Assessment::no(Feature::VertexBackend, EMITTED)
            .note("the Messages route reaches an Anthropic API upstream only"),
        Assessment::yes(Feature::ConfigAsFiles, KONG_EXAMPLE)
            .note("an nginx config template with its start script, or a decK kong.yaml"),
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
