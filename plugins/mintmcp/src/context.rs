//! The template context: what the hook script needs to post an event. Templates only lay this
//! out; every decision is made here.
//!
//! Shape: `{ "hook": { "failure_status", "max_time", "key_header", "path": [{ "kind", "text" }, …] } }`,
//! where `kind` is `text` (shell-quoted `text`), `org_key` or `user` (filled in by the hook).

use crate::options::Monitor;
use crate::path_template::Part;
use serde_json::{Value, json};

pub fn build(monitor: &Monitor) -> Value {
    let path: Vec<Value> = monitor
        .path
        .iter()
        .map(|part| match part {
            Part::Text(text) => json!({ "kind": "text", "text": text }),
            Part::OrgKey => json!({ "kind": "org_key", "text": "" }),
            Part::User => json!({ "kind": "user", "text": "" }),
        })
        .collect();
    json!({
        "hook": {
            "failure_status": failure_status(monitor),
            // As curl and people write it: 5, not 5.0.
            "max_time": monitor.timeout_seconds.to_string(),
            "key_header": monitor.key_header.as_deref().unwrap_or_default(),
            "path": path,
        },
    })
}

/// The hook's exit status when an event cannot be delivered: Claude Code carries on after 0 and
/// blocks the tool call or prompt after 2.
fn failure_status(monitor: &Monitor) -> u8 {
    if monitor.enforce { 2 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, managed_setup, monitor_of};
    use gwscript_plugin::testing::literal;

    #[test]
    fn the_path_is_laid_out_part_by_part() {
        let setup = managed_setup(gateway_with_options([
            ("events_path", literal("/in/{user}")),
            ("org_key_header", literal("X-Org-Key")),
            ("event_timeout", literal(3)),
        ]));
        let monitor = monitor_of(&setup);
        assert_eq!(
            build(&monitor),
            json!({ "hook": {
                "failure_status": 0,
                "max_time": "3",
                "key_header": "X-Org-Key",
                "path": [
                    { "kind": "text", "text": "/in/" },
                    { "kind": "user", "text": "" },
                ],
            }})
        );
    }
}
