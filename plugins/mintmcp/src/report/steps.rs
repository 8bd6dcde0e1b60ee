//! Verification before Claude Code's own checks: the installed hook delivers a sample event, and
//! Claude Code lists the hooks.

use super::events_route;
use crate::options::Monitor;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Step;

/// A `UserPromptSubmit` event as Claude Code sends it on stdin, marked as a check.
const SAMPLE_EVENT: &str = r#"{"session_id":"gwscript-check","hook_event_name":"UserPromptSubmit","prompt":"gwscript hook check"}"#;

pub fn verification(monitor: &Monitor) -> Vec<Step> {
    let events: Vec<&str> = monitor.events.iter().map(|event| event.name()).collect();
    vec![
        Step {
            title: "The installed hook delivers a sample event to MintMCP".into(),
            command: Some(format!(
                ". claude/env.sh && printf '%s\\n' {} | bash {}; echo \"hook exit $?\"",
                shell_quote(SAMPLE_EVENT),
                monitor.location.shell_path()
            )),
            expect: format!(
                "hook exit 0 and nothing else: the event went to {}. A `mintmcp hook:` line \
                 says why it was not delivered; where MintMCP shows the event is not publicly \
                 documented (look for session gwscript-check in its monitoring view)",
                events_route(monitor)
            ),
        },
        Step {
            title: "Claude Code loads the MintMCP hooks".into(),
            command: None,
            expect: format!(
                "in an interactive claude session, /hooks lists {} running {}",
                events.join(", "),
                monitor.location.command()
            ),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, managed_setup, monitor_of};

    #[test]
    fn the_sample_event_reaches_the_installed_hook_as_one_word() {
        let setup = managed_setup(gateway_with_options([]));
        let monitor = monitor_of(&setup);
        let steps = verification(&monitor);
        let command = steps[0].command.as_deref().unwrap();
        assert!(
            command.ends_with(" | bash '/etc/claude-code/mintmcp-hook.sh'; echo \"hook exit $?\""),
            "{command}"
        );
        let event: serde_json::Value = serde_json::from_str(SAMPLE_EVENT).unwrap();
        assert_eq!(event["hook_event_name"], "UserPromptSubmit");
        assert!(
            steps[0]
                .expect
                .contains("https://app.mintmcp.com/h/<org key>,<user>/claudecode")
        );
        assert!(
            steps[1]
                .expect
                .contains("PreToolUse, PostToolUse, UserPromptSubmit")
        );
    }
}
