//! Criterion 3, body integrity: the upstream gets the body the client sent (the system
//! attribution block first), and a 2 MiB body is accepted.

use super::{Check, Probe, excerpt, request_body};
use serde_json::{Value, json};

const INTEGRITY: &str = "body.integrity";
const INTEGRITY_CRITERION: &str = "the request body arrives unmodified";
const LARGE: &str = "body.large";
const LARGE_CRITERION: &str = "a 2 MiB request body is accepted";

/// Long conversations exceed nginx's default 1 MiB `client_max_body_size`.
const LARGE_BYTES: usize = 2 * 1024 * 1024;

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    if !probe.has_mock() {
        return vec![
            Check::needs_mock(INTEGRITY, INTEGRITY_CRITERION),
            Check::needs_mock(LARGE, LARGE_CRITERION),
        ];
    }
    vec![integrity(probe).await, large(probe).await]
}

async fn integrity(probe: &Probe) -> Check {
    let (body, nonce) = request_body(probe, json!({}), false);
    let arrived = match probe.messages(&body).await {
        Ok(_) => probe.arrived(&nonce).await,
        Err(why) => Err(why),
    };
    match arrived {
        Ok(request) if request.body == body => {
            Check::pass(INTEGRITY, INTEGRITY_CRITERION, "the mock got the same JSON")
        }
        Ok(request) => Check::fail(
            INTEGRITY,
            INTEGRITY_CRITERION,
            format!(
                "the mock got a different body: {}",
                first_difference(&body, &request.body)
            ),
        )
        .with_fix(
            "forward the request body as sent (no rewriting of system, metadata or messages)",
        ),
        Err(why) => Check::fail(INTEGRITY, INTEGRITY_CRITERION, why),
    }
}

/// Where two JSON values first differ, as a JSON pointer-like path.
fn first_difference(sent: &Value, got: &Value) -> String {
    fn walk(sent: &Value, got: &Value, path: String) -> Option<String> {
        match (sent, got) {
            (Value::Object(a), Value::Object(b)) => a
                .iter()
                .find_map(|(k, v)| match b.get(k) {
                    Some(w) => walk(v, w, format!("{path}/{k}")),
                    None => Some(format!("{path}/{k} is missing")),
                })
                .or_else(|| {
                    b.keys()
                        .find(|k| !a.contains_key(*k))
                        .map(|k| format!("{path}/{k} was added"))
                }),
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
                .iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (v, w))| walk(v, w, format!("{path}/{i}"))),
            _ if sent == got => None,
            _ => Some(format!(
                "{} differs",
                if path.is_empty() { "/" } else { &path }
            )),
        }
    }
    walk(sent, got, String::new()).unwrap_or_else(|| "equal".to_owned())
}

async fn large(probe: &Probe) -> Check {
    let (mut body, nonce) = request_body(probe, json!({}), false);
    // Earlier turns of a long conversation: the directive stays in the last user message.
    let history = json!([
        { "role": "user", "content": "x".repeat(LARGE_BYTES) },
        { "role": "assistant", "content": "ok" },
    ]);
    if let (Some(messages), Value::Array(earlier)) = (body["messages"].as_array_mut(), history) {
        messages.splice(0..0, earlier);
    }
    let response = match probe.messages(&body).await {
        Ok(response) => response,
        Err(why) => return Check::fail(LARGE, LARGE_CRITERION, why).with_fix(fix()),
    };
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let arrived = probe.arrived(&nonce).await;
    match (status, arrived) {
        (200, Ok(_)) => Check::pass(LARGE, LARGE_CRITERION, "200, and the mock got it"),
        (status, arrived) => {
            let reached = if arrived.is_ok() {
                "reached"
            } else {
                "did not reach"
            };
            let evidence = format!("{status} ({reached} the mock): {}", excerpt(&text));
            Check::fail(LARGE, LARGE_CRITERION, evidence).with_fix(fix())
        }
    }
}

fn fix() -> &'static str {
    "accept request bodies of at least 32 MiB (nginx: client_max_body_size 32m; its default is 1m)"
}
