//! Criterion 4, errors pass through: the upstream's status, JSON error body and `retry-after`
//! (integer seconds) reach the client unmodified, never replaced by an HTML page.

use super::{Check, Probe, excerpt, is_html, request_body};
use serde_json::{Value, json};

const PASSTHROUGH: &str = "status.passthrough";
const CRITERION: &str =
    "429 (with retry-after), 529 and 500 arrive with their status, JSON error body and retry-after";

/// The scripted errors: status, the Anthropic error type the mock sends, `retry-after` asked for.
const CASES: [(u16, &str, Option<u64>); 3] = [
    (429, "rate_limit_error", Some(7)),
    (529, "overloaded_error", None),
    (500, "api_error", None),
];

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    if !probe.has_mock() {
        return vec![Check::needs_mock(PASSTHROUGH, CRITERION)];
    }
    let mut problems = Vec::new();
    let mut html = false;
    for (status, kind, retry_after) in CASES {
        let mut directive = json!({ "status": status });
        if let Some(seconds) = retry_after {
            directive["retry_after"] = json!(seconds);
        }
        let (body, _) = request_body(probe, directive, false);
        let response = match probe.messages(&body).await {
            Ok(response) => response,
            Err(why) => {
                problems.push(format!("{status}: {why}"));
                continue;
            }
        };
        let got = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type");
        let retry = header("retry-after");
        let text = response.text().await.unwrap_or_default();
        let error_type = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
            v.pointer("/error/type")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        if is_html(content_type.as_deref(), &text) {
            html = true;
            problems.push(format!("{status} came back as an HTML page ({got})"));
        } else if got != status || error_type.as_deref() != Some(kind) {
            problems.push(format!("{status} came back as {got}: {}", excerpt(&text)));
        }
        let want_retry = retry_after.or(matches!(status, 429 | 529).then_some(1));
        if let Some(seconds) = want_retry
            && retry.as_deref() != Some(seconds.to_string().as_str())
        {
            problems.push(format!(
                "{status}: retry-after {retry:?}, expected integer seconds {seconds}"
            ));
        }
    }
    if problems.is_empty() {
        return vec![Check::pass(
            PASSTHROUGH,
            CRITERION,
            "429, 529 and 500 arrived unmodified with retry-after",
        )];
    }
    let fix = if html {
        "pass upstream errors through: do not replace them with error pages (nginx: no \
         proxy_intercept_errors/error_page for these; a WAF must not answer with HTML)"
    } else {
        "pass upstream status codes, JSON bodies and retry-after through unchanged; Claude Code \
         retries 429/529 by them"
    };
    vec![Check::fail(PASSTHROUGH, CRITERION, problems.join("; ")).with_fix(fix)]
}
