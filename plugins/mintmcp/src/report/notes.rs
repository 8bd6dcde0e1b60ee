//! The report's prose: how the monitoring is rolled out and how the org key reaches developers,
//! what is not publicly documented, and what the hook's complaints mean.

use super::events_route;
use crate::assessments::MONITOR_PLUGIN;
use crate::hooks::Anchor;
use crate::options::{DEFAULT_EVENTS_PATH, Monitor, ORG_KEY_VAR};
use gwscript_plugin::model::Scope;
use gwscript_plugin::{PluginRole, Setup};

/// Claude Code's managed settings file on each system (its settings documentation).
const MANAGED_SETTINGS: [(&str, &str); 3] = [
    ("Linux", "/etc/claude-code/managed-settings.json"),
    (
        "macOS",
        "/Library/Application Support/ClaudeCode/managed-settings.json",
    ),
    (
        "Windows",
        "C:\\Program Files\\ClaudeCode\\managed-settings.json",
    ),
];

pub fn notes(setup: &Setup, role: PluginRole, monitor: &Monitor) -> Vec<String> {
    let events: Vec<&str> = monitor.events.iter().map(|event| event.name()).collect();
    let mut notes = Vec::new();
    if role == PluginRole::Monitor {
        notes.push(
            "MintMCP is a monitor here: it receives only what the hooks post (prompts, and tool \
             calls with their results). Claude Code's model requests and replies go where the \
             pattern sends them, never through MintMCP."
                .to_owned(),
        );
    }
    notes.extend([
        format!(
            "MintMCP monitoring: on {} Claude Code runs {}, which posts the event's JSON to {} \
             within {} s.",
            events.join(", "),
            monitor.location.display(),
            events_route(monitor),
            monitor.timeout_seconds
        ),
        rollout_note(setup.client.scope, monitor),
        key_note(monitor),
        "Events are attributed to MINTMCP_USER, else the login name ($USER): set MINTMCP_USER in \
         the same managed environment to use, say, corporate e-mail addresses."
            .into(),
        "Do not also enable MintMCP's own monitor plugin (monitor@mintmcp-claude-code) on these \
         machines: every event would be posted twice."
            .into(),
    ]);
    notes.push(if monitor.enforce {
        "enforce is on: while an event cannot be delivered (MintMCP unreachable, the key \
         missing), the hook exits 2, which blocks every tool call and prompt."
            .into()
    } else {
        format!(
            "A failed delivery never blocks Claude Code: the hook gives up after {} s, exits 0 \
             and says why on stderr (claude --debug shows it).",
            monitor.timeout_seconds
        )
    });
    notes
}

/// Where the settings and the hook go. Managed settings name the hook by path, so each system's
/// settings come from a run with that system's `hook_path`.
fn rollout_note(scope: Scope, monitor: &Monitor) -> String {
    let location = monitor.location.display();
    match (scope, monitor.location.anchor) {
        (Scope::Managed, _) => {
            let places: Vec<String> = MANAGED_SETTINGS
                .iter()
                .map(|(system, path)| format!("{path} ({system})"))
                .collect();
            format!(
                "Roll out with your device management: install claude/settings.json as the managed \
                 settings, {}, and mintmcp/hook.sh as {location}, owned by root with mode 0755 \
                 (every developer runs it; none may change it). The settings run the hook by \
                 that path: for macOS or Windows, run the recipe again with hook_path set to that \
                 system's path.",
                places.join(", ")
            )
        }
        (_, Anchor::Project) => format!(
            "Commit mintmcp/hook.sh to the repository as {location} (mode 0755); the settings run \
             it through $CLAUDE_PROJECT_DIR."
        ),
        _ => format!("Install mintmcp/hook.sh as {location}: the settings run it from there."),
    }
}

/// How the org key reaches developers' machines: through their environment, never a file.
fn key_note(monitor: &Monitor) -> String {
    let secret = &monitor.org_key_secret;
    let source = if secret == ORG_KEY_VAR {
        String::new()
    } else {
        format!(" (claude/env.sh exports it from {secret})")
    };
    format!(
        "{ORG_KEY_VAR}{source} is never written to settings.json: Claude Code and the hook read \
         it from the environment. Provision it in developers' login environment with your device \
         management (Linux: a root-owned /etc/profile.d/ script; macOS: launchctl setenv from a \
         managed LaunchAgent; Windows: a machine environment variable), or export it from your \
         secret manager before sourcing claude/env.sh. Every developer can read it, since the \
         hook runs as them: treat it as an ingest key and rotate it when someone leaves."
    )
}

/// What is not publicly documented, said plainly.
pub fn limitations(role: PluginRole, monitor: &Monitor) -> Vec<String> {
    let mut limitations = Vec::new();
    if role == PluginRole::Gateway {
        limitations.push(
            "MintMCP's LLM proxy is not publicly documented: that the gateway URL serves \
             /v1/messages, that it reads the key as Authorization: Bearer, which model names it \
             accepts, and how it streams and times out are all unverified. gwscript writes no \
             MintMCP-side configuration; configure the models in MintMCP."
                .to_owned(),
        );
    }
    limitations.extend([
        format!(
            "The events route {DEFAULT_EVENTS_PATH} and the variables come from MintMCP's public \
             Claude Code monitor plugin ({MONITOR_PLUGIN}), not from an API reference."
        ),
        "MintMCP's answer to an event is discarded. MintMCP's own hook prints it where Claude \
         Code reads hook decisions, but what MintMCP may answer (denying a tool call, say) is \
         not documented, so this hook never blocks on MintMCP's word."
            .into(),
        "The hook needs bash and curl; on Windows that is Git for Windows' bash, which Claude \
         Code runs hooks with (unverified here)."
            .into(),
    ]);
    if let Some(header) = &monitor.key_header {
        limitations.push(format!(
            "MintMCP documents no header for the org key: sending it in {header} is unverified."
        ));
    }
    limitations
}

/// The hook's complaints on stderr, and what each means.
pub fn troubleshooting(role: PluginRole, monitor: &Monitor) -> Vec<String> {
    let mut troubleshooting = vec![
        "`mintmcp hook: MINTMCP_ORG_KEY or MINTMCP_BASE_URL is not set` (and \"MintMCP monitoring \
         is off\" in Claude Code): the key was not provisioned in the environment claude started \
         from."
            .into(),
        "`curl exit 22`: MintMCP answered the event with an HTTP error: a wrong or revoked org \
         key, or a wrong events_path."
            .into(),
        "`cannot reach … (curl exit 6 or 7)`: DNS, a firewall, or a corporate proxy in the way \
         (HTTPS_PROXY, NO_PROXY)."
            .into(),
        format!(
            "`curl exit 28`: MintMCP took longer than {} s; raise event_timeout.",
            monitor.timeout_seconds
        ),
        "No events and no complaint: Claude Code does not run the hooks. /hooks lists them; \
         check where the settings are installed and that developers can read the hook script."
            .into(),
    ];
    if role == PluginRole::Gateway {
        troubleshooting.push(
            "401 or 403 on /v1/messages: MintMCP's proxy did not accept ANTHROPIC_AUTH_TOKEN as \
             Bearer (unverified)."
                .into(),
        );
    }
    troubleshooting
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, managed_setup, monitor_of, monitored_setup};
    use gwscript_plugin::testing::{literal, secret};

    const AS_GATEWAY: PluginRole = PluginRole::Gateway;

    #[test]
    fn a_managed_rollout_names_every_systems_settings_path() {
        let setup = managed_setup(gateway_with_options([]));
        let notes = notes(&setup, AS_GATEWAY, &monitor_of(&setup));
        assert!(notes[0].ends_with(
            "runs /etc/claude-code/mintmcp-hook.sh, which posts the event's JSON to \
             https://app.mintmcp.com/h/<org key>,<user>/claudecode within 5 s."
        ));
        for (_, path) in MANAGED_SETTINGS {
            assert!(notes[1].contains(path), "{}", notes[1]);
        }
        assert!(notes[2].starts_with("MINTMCP_ORG_KEY is never written"));
        assert!(notes.last().unwrap().contains("never blocks"));
    }

    #[test]
    fn other_scopes_and_options_change_what_is_said() {
        let mut setup = managed_setup(gateway_with_options([
            ("org_key", secret("VAULT_MINT_KEY")),
            ("org_key_header", literal("X-Org-Key")),
            ("enforce", literal(true)),
        ]));
        setup.client.scope = Scope::Project;
        let monitor = monitor_of(&setup);
        let notes = notes(&setup, AS_GATEWAY, &monitor);
        assert!(notes[1].starts_with("Commit mintmcp/hook.sh to the repository as .claude/"));
        assert!(notes[2].contains("(claude/env.sh exports it from VAULT_MINT_KEY)"));
        assert!(notes.last().unwrap().starts_with("enforce is on"));
        let limitations = limitations(AS_GATEWAY, &monitor);
        assert!(
            limitations
                .last()
                .unwrap()
                .contains("X-Org-Key is unverified")
        );
        setup.client.scope = Scope::User;
        let user = notes_for_scope(&setup);
        assert_eq!(
            user,
            "Install mintmcp/hook.sh as ~/.claude/mintmcp-hook.sh: the settings run it from there."
        );
    }

    fn notes_for_scope(setup: &Setup) -> String {
        rollout_note(setup.client.scope, &monitor_of(setup))
    }

    #[test]
    fn limitations_say_what_is_undocumented() {
        let setup = managed_setup(gateway_with_options([]));
        let limitations = limitations(AS_GATEWAY, &monitor_of(&setup));
        assert_eq!(limitations.len(), 4);
        assert!(limitations[0].starts_with("MintMCP's LLM proxy is not publicly documented"));
        assert!(limitations[1].contains("github.com/mintmcp/mintmcp-claude-code"));
    }

    #[test]
    fn a_monitor_says_nothing_about_the_proxy_and_that_the_traffic_passes_it_by() {
        let setup = monitored_setup([]);
        let monitor = monitor_of(&setup);
        let notes = notes(&setup, PluginRole::Monitor, &monitor);
        assert!(
            notes[0].starts_with("MintMCP is a monitor here"),
            "{}",
            notes[0]
        );
        assert!(notes[1].contains("https://mintmcp.corp.example/h/<org key>,<user>/claudecode"));
        let limitations = limitations(PluginRole::Monitor, &monitor);
        let troubleshooting = troubleshooting(PluginRole::Monitor, &monitor);
        for text in limitations.iter().chain(&troubleshooting) {
            assert!(
                !text.contains("proxy") || text.contains("corporate proxy"),
                "{text}"
            );
        }
        assert_eq!(limitations.len(), 3);
        assert_eq!(
            troubleshooting.len() + 1,
            super::troubleshooting(AS_GATEWAY, &monitor).len()
        );
    }
}
