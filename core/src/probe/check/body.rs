//! Criterion 3, body integrity: the upstream gets the body the client sent (the system
//! attribution block first), and a 2 MiB body is accepted.

use super::evidence::excerpt;
use super::{Check, Probe};
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
    let prompt = probe.prompt(json!({}), false);
    match probe.forwarded(probe.request(&prompt), &prompt.nonce).await {
        Ok(request) => judge(&prompt.body, &request.body),
        Err(why) => Check::fail(INTEGRITY, INTEGRITY_CRITERION, why),
    }
}

/// Top-level fields whose change alters what the model is asked, or how: the prompt (with the
/// attribution block Claude Code puts first in `system`), the tools, the limits, and the version
/// and betas Bedrock and Vertex read from the body.
const PROMPT_FIELDS: [&str; 7] = [
    "system",
    "messages",
    "tools",
    "max_tokens",
    "stream",
    "anthropic_version",
    "anthropic_beta",
];

/// Compares, field by field, the body sent with the one the upstream got. A mapped model is what
/// a gateway's model groups are for; a changed prompt field breaks Claude Code; another field
/// changed or dropped (`metadata`, say) leaves it working.
fn judge(sent: &Value, got: &Value) -> Check {
    let (Some(sent), Some(got)) = (sent.as_object(), got.as_object()) else {
        return Check::fail(
            INTEGRITY,
            INTEGRITY_CRITERION,
            "the upstream got no JSON object",
        );
    };
    let mut mapped = None;
    let mut broken = Vec::new();
    let mut changed = Vec::new();
    let keys = sent
        .keys()
        .chain(got.keys().filter(|k| !sent.contains_key(*k)));
    for key in keys {
        let (before, after) = (sent.get(key), got.get(key));
        if before == after {
            continue;
        }
        let path = format!("/{key}");
        let difference = match (before, after) {
            (Some(before), Some(after)) => difference(before, after, path),
            (Some(_), None) => format!("{path} is missing"),
            (None, _) => format!("{path} was added"),
        };
        if key == "model" {
            mapped = after.map(|model| format!("the model arrived as {model}"));
        } else if PROMPT_FIELDS.contains(&key.as_str()) {
            broken.push(difference);
        } else {
            changed.push(difference);
        }
    }
    let mapped = mapped.map_or(String::new(), |m| format!(" ({m}: the gateway maps it)"));
    if !broken.is_empty() {
        broken.extend(changed);
        return Check::fail(
            INTEGRITY,
            INTEGRITY_CRITERION,
            format!("the prompt arrived changed: {}{mapped}", broken.join("; ")),
        )
        .with_fix("forward system, messages, tools and limits as sent: Claude Code's attribution block stays first in system");
    }
    if !changed.is_empty() {
        return Check::warn(
            INTEGRITY,
            INTEGRITY_CRITERION,
            format!(
                "the prompt arrived unchanged, other fields did not: {}{mapped}; Claude Code works",
                changed.join("; ")
            ),
        )
        .with_fix("forward the request body as sent, fields the gateway does not know included");
    }
    Check::pass(
        INTEGRITY,
        INTEGRITY_CRITERION,
        format!("the upstream got the same JSON{mapped}"),
    )
}

/// Where two JSON values first differ, as a JSON-pointer-like path under `path`.
fn difference(sent: &Value, got: &Value, path: String) -> String {
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
            _ => Some(format!("{path} differs")),
        }
    }
    walk(sent, got, path.clone()).unwrap_or_else(|| format!("{path} differs"))
}

async fn large(probe: &Probe) -> Check {
    let mut prompt = probe.prompt(json!({}), false);
    // Earlier turns of a long conversation: the directive stays in the last user message.
    let history = json!([
        { "role": "user", "content": "x".repeat(LARGE_BYTES) },
        { "role": "assistant", "content": "ok" },
    ]);
    if let (Some(messages), Value::Array(earlier)) =
        (prompt.body["messages"].as_array_mut(), history)
    {
        messages.splice(0..0, earlier);
    }
    let response = match probe.send(&prompt).await {
        Ok(response) => response,
        Err(why) => return Check::fail(LARGE, LARGE_CRITERION, why).with_fix(fix()),
    };
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let arrived = probe.arrived(&prompt.nonce).await;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::check::Status;

    fn sent() -> Value {
        json!({
            "model": "claude-sonnet-4-5",
            "system": [{ "type": "text", "text": "attribution" }, { "type": "text", "text": "b" }],
            "metadata": { "user_id": "u" },
            "messages": [],
        })
    }

    #[test]
    fn a_mapped_model_passes_and_says_so() {
        let mut got = sent();
        got["model"] = json!("claude-sonnet-4-5-20250929");
        let check = judge(&sent(), &got);
        assert_eq!(check.status, Status::Pass, "{check:?}");
        assert!(
            check.evidence.contains("claude-sonnet-4-5-20250929"),
            "{check:?}"
        );
    }

    #[test]
    fn a_dropped_field_outside_the_prompt_is_a_warning() {
        let mut got = sent();
        got.as_object_mut().unwrap().remove("metadata");
        let check = judge(&sent(), &got);
        assert_eq!(check.status, Status::Warn, "{check:?}");
        assert!(check.evidence.contains("/metadata is missing"), "{check:?}");
    }

    #[test]
    fn a_reordered_system_prompt_fails() {
        let mut got = sent();
        got["system"] =
            json!([{ "type": "text", "text": "b" }, { "type": "text", "text": "attribution" }]);
        let check = judge(&sent(), &got);
        assert_eq!(check.status, Status::Fail, "{check:?}");
        assert!(
            check.evidence.contains("/system/0/text differs"),
            "{check:?}"
        );
    }
}
