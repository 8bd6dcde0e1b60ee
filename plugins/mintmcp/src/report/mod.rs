//! The plugin's part of the guidance report: how to install the hook, the routes Claude Code uses
//! (the events route, and the LLM proxy's when MintMCP is the gateway), how to check that events
//! arrive, and plainly what about MintMCP is not publicly documented.

mod notes;
mod steps;

use crate::hooks::{Anchor, Location};
use crate::manifest::HOOK_SCRIPT_PATH;
use crate::options::Monitor;
use crate::path_template::Part;
use gwscript_plugin::model::{Gateway, Scope};
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Route;
use gwscript_plugin::{PluginRole, ReportContribution, Setup};

/// `gateway` is MintMCP's part of `setup`, playing `role`.
pub fn build(
    setup: &Setup,
    role: PluginRole,
    gateway: &Gateway,
    monitor: &Monitor,
) -> ReportContribution {
    ReportContribution {
        // Nothing of MintMCP's runs here: installing the hook is the whole rollout.
        install: install_command(setup.client.scope, &monitor.location),
        start: None,
        notes: notes::notes(setup, role, monitor),
        verification: steps::verification(monitor),
        routes: routes(role, gateway, monitor),
        limitations: notes::limitations(role, monitor),
        troubleshooting: notes::troubleshooting(role, monitor),
    }
}

/// Installs the hook where the settings run it, from the output directory. A hook outside a
/// home directory is run by every developer: mode 0755, owned by root for managed settings. A
/// project's hook is committed into the repository instead (see the notes).
fn install_command(scope: Scope, location: &Location) -> Option<String> {
    let (sudo, mode) = match location.anchor {
        Anchor::Project => return None,
        Anchor::Home => ("", "0700"),
        Anchor::Root if scope == Scope::Managed => ("sudo ", "0755"),
        Anchor::Root => ("", "0755"),
    };
    Some(format!(
        "{sudo}install -d -m 0755 {dir} && {sudo}install -m {mode} {script} {target}",
        dir = location.parent().shell_path(),
        script = shell_quote(HOOK_SCRIPT_PATH),
        target = location.shell_path(),
    ))
}

/// The events route as a person reads it: placeholders as `<org key>` and `<user>`.
pub fn events_route(monitor: &Monitor) -> String {
    let path: String = monitor
        .path
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.as_str(),
            Part::OrgKey => "<org key>",
            Part::User => "<user>",
        })
        .collect();
    format!("{}{path}", monitor.events_url)
}

fn routes(role: PluginRole, gateway: &Gateway, monitor: &Monitor) -> Vec<Route> {
    let header = monitor
        .key_header
        .as_ref()
        .map(|name| format!(", the org key also in the {name} header (unverified)"))
        .unwrap_or_default();
    let proxy = (role == PluginRole::Gateway).then(|| Route {
        path: gateway.url_for("/v1/messages"),
        serves: "Anthropic Messages through MintMCP's LLM proxy (unverified; Claude Code uses \
                 this route for its model traffic)"
            .into(),
    });
    let events = Route {
        path: events_route(monitor),
        serves: format!(
            "hook events, posted as JSON by {HOOK_SCRIPT_PATH}{header} (the route MintMCP's own \
             Claude Code hooks post to)"
        ),
    };
    proxy.into_iter().chain([events]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, managed_setup, monitor_of, monitored_setup};
    use gwscript_plugin::testing::{literal, shell_words};

    #[test]
    fn the_hook_is_installed_where_the_settings_run_it() {
        let managed = Location::for_scope(Scope::Managed, None);
        assert_eq!(
            install_command(Scope::Managed, &managed).as_deref(),
            Some(
                "sudo install -d -m 0755 '/etc/claude-code' && sudo install -m 0755 \
                 'mintmcp/hook.sh' '/etc/claude-code/mintmcp-hook.sh'"
            )
        );
        let user = Location::for_scope(Scope::User, None);
        let command = install_command(Scope::User, &user).unwrap();
        let words = shell_words("install", &format!("HOME=/home/dev; {command}"));
        assert_eq!(
            words,
            [
                "-d",
                "-m",
                "0755",
                "/home/dev/.claude",
                "-m",
                "0700",
                "mintmcp/hook.sh",
                "/home/dev/.claude/mintmcp-hook.sh"
            ]
        );
        let project = Location::for_scope(Scope::Project, None);
        assert_eq!(install_command(Scope::Project, &project), None);
    }

    #[test]
    fn routes_show_the_proxy_and_the_events_with_placeholders() {
        let setup = managed_setup(gateway_with_options([(
            "events_url",
            literal("https://mintmcp.corp.example/"),
        )]));
        let routes = routes(
            PluginRole::Gateway,
            setup.gateway.as_ref().unwrap(),
            &monitor_of(&setup),
        );
        let paths: Vec<&str> = routes.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "http://127.0.0.1:4000/v1/messages",
                "https://mintmcp.corp.example/h/<org key>,<user>/claudecode"
            ]
        );
        assert!(routes[0].serves.contains("unverified"));
        assert!(!routes[1].serves.contains("header"));
    }

    #[test]
    fn a_monitor_has_only_the_events_route() {
        let setup = monitored_setup([]);
        let routes = routes(PluginRole::Monitor, &setup.monitors[0], &monitor_of(&setup));
        let paths: Vec<&str> = routes.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            ["https://mintmcp.corp.example/h/<org key>,<user>/claudecode"]
        );
    }
}
