//! The gateway options as the monitoring rollout uses them, with their defaults, read once for
//! the template context, Claude Code's side and the report. The host has validated the types
//! against the schemas ([`crate::schemas`]) and the checks have refused bad meanings, so reading
//! fails only on what the checks refuse.
//!
//! Where the hook posts depends on the role: a monitor's `url` is MintMCP itself, while the
//! gateway's `url` is MintMCP's LLM proxy, so there the events go to MintMCP's hosted service
//! unless `events_url` says otherwise.

use crate::hooks::{Event, Location};
use crate::path_template::{self, Part};
use gwscript_plugin::model::{Gateway, Param};
use gwscript_plugin::{PluginRole, Setup};

/// Where MintMCP's own Claude Code hooks post when `MINTMCP_BASE_URL` is unset, and where the
/// gateway's hook posts by default.
pub const DEFAULT_EVENTS_URL: &str = "https://app.mintmcp.com";
/// The variable MintMCP's hooks read the org key from; also the default secret name.
pub const ORG_KEY_VAR: &str = "MINTMCP_ORG_KEY";
/// The variable MintMCP's hooks read the events URL from.
pub const EVENTS_URL_VAR: &str = "MINTMCP_BASE_URL";
/// The route MintMCP's own Claude Code hooks post to.
pub const DEFAULT_EVENTS_PATH: &str = "/h/{org_key},{user}/claudecode";
/// curl's limit for one event: long enough for a slow network, short enough that a developer
/// waits at most this long when MintMCP is unreachable.
pub const DEFAULT_EVENT_TIMEOUT: f64 = 5.0;

/// How the hook posts and where it runs from.
#[derive(Debug, Clone, PartialEq)]
pub struct Monitor {
    /// `MINTMCP_BASE_URL`, without a trailing `/`.
    pub events_url: String,
    /// The secret holding the org key, exported to Claude Code as `MINTMCP_ORG_KEY`.
    pub org_key_secret: String,
    pub path: Vec<Part>,
    /// A header that carries the org key too (unverified: no public source names one).
    pub key_header: Option<String>,
    pub location: Location,
    pub timeout_seconds: f64,
    pub events: Vec<Event>,
    /// Exit 2 (block) instead of 0 when an event cannot be delivered.
    pub enforce: bool,
}

impl Monitor {
    pub fn read(setup: &Setup, role: PluginRole, gateway: &Gateway) -> Result<Monitor, String> {
        let string = |key: &str| gateway.option(key).and_then(|value| value.as_str());
        let org_key_secret = match gateway.option("org_key") {
            None => ORG_KEY_VAR,
            Some(value) => value
                .secret_name()
                .ok_or("the org key is a literal, not a secret reference")?,
        };
        let path = path_template::parse(string("events_path").unwrap_or(DEFAULT_EVENTS_PATH))
            .map_err(|problem| format!("events_path: {problem}"))?;
        Ok(Monitor {
            events_url: events_url(role, gateway).to_owned(),
            org_key_secret: org_key_secret.to_owned(),
            path,
            key_header: string("org_key_header").map(str::to_owned),
            location: Location::for_scope(setup.client.scope, string("hook_path")),
            timeout_seconds: gateway
                .option("event_timeout")
                .and_then(|value| value.as_f64())
                .unwrap_or(DEFAULT_EVENT_TIMEOUT),
            events: events(gateway),
            enforce: gateway
                .option("enforce")
                .and_then(|value| value.as_bool())
                .unwrap_or(false),
        })
    }
}

/// The recipe's `events_url` without a trailing `/`; else a monitor's own `url`, or, for the
/// gateway (whose `url` is the LLM proxy), MintMCP's hosted service.
pub fn events_url(role: PluginRole, gateway: &Gateway) -> &str {
    let default = match role {
        PluginRole::Monitor => gateway.url.as_str(),
        _ => DEFAULT_EVENTS_URL,
    };
    gateway
        .option("events_url")
        .and_then(|value| value.as_str())
        .unwrap_or(default)
        .trim_end_matches('/')
}

/// The recipe's events in Claude Code's order, each once; all three by default.
fn events(gateway: &Gateway) -> Vec<Event> {
    let Some(chosen) = gateway.option("events") else {
        return Event::ALL.to_vec();
    };
    let names: Vec<&str> = match chosen {
        Param::List(items) => items.iter().filter_map(Param::as_str).collect(),
        _ => Vec::new(),
    };
    Event::ALL
        .into_iter()
        .filter(|event| names.contains(&event.name()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hooks::Anchor;
    use crate::test_support::{gateway_with_options, managed_setup, monitored_setup};
    use gwscript_plugin::model::Scope;
    use gwscript_plugin::testing::{list, literal, secret};

    fn read(setup: &Setup) -> Result<Monitor, String> {
        let (role, gateway) = setup.gateway_of_kind(crate::GATEWAY_KIND).expect("MintMCP");
        Monitor::read(setup, role, gateway)
    }

    #[test]
    fn defaults_follow_mintmcps_own_hooks() {
        let setup = managed_setup(gateway_with_options([]));
        let monitor = read(&setup).expect("reads");
        assert_eq!(
            monitor,
            Monitor {
                events_url: "https://app.mintmcp.com".into(),
                org_key_secret: "MINTMCP_ORG_KEY".into(),
                path: path_template::parse("/h/{org_key},{user}/claudecode").unwrap(),
                key_header: None,
                location: Location {
                    anchor: Anchor::Root,
                    path: "/etc/claude-code/mintmcp-hook.sh".into(),
                },
                timeout_seconds: 5.0,
                events: Event::ALL.to_vec(),
                enforce: false,
            }
        );
    }

    #[test]
    fn a_monitor_posts_to_its_own_url_and_the_gateway_to_the_hosted_service() {
        let monitored = monitored_setup([]);
        assert_eq!(
            read(&monitored).expect("reads").events_url,
            "https://mintmcp.corp.example"
        );
        let proxied = managed_setup(gateway_with_options([]));
        assert_eq!(
            proxied.gateway.as_ref().unwrap().url,
            "http://127.0.0.1:4000"
        );
        assert_eq!(
            read(&proxied).expect("reads").events_url,
            DEFAULT_EVENTS_URL
        );
        let overridden = monitored_setup([("events_url", literal("https://in.example/"))]);
        assert_eq!(
            read(&overridden).expect("reads").events_url,
            "https://in.example"
        );
    }

    #[test]
    fn every_option_is_read() {
        let gateway = gateway_with_options([
            ("events_url", literal("https://mintmcp.corp.example/")),
            ("org_key", secret("VAULT_MINTMCP_KEY")),
            ("events_path", literal("/ingest/{user}")),
            ("org_key_header", literal("X-Org-Key")),
            ("hook_path", literal("/opt/mintmcp/hook.sh")),
            ("event_timeout", literal(2.5)),
            (
                "events",
                list([literal("UserPromptSubmit"), literal("PreToolUse")]),
            ),
            ("enforce", literal(true)),
        ]);
        let mut setup = managed_setup(gateway);
        setup.client.scope = Scope::User;
        let monitor = read(&setup).expect("reads");
        assert_eq!(monitor.events_url, "https://mintmcp.corp.example");
        assert_eq!(monitor.org_key_secret, "VAULT_MINTMCP_KEY");
        assert_eq!(monitor.path, [Part::Text("/ingest/".into()), Part::User]);
        assert_eq!(monitor.key_header.as_deref(), Some("X-Org-Key"));
        assert_eq!(
            monitor.location,
            Location {
                anchor: Anchor::Root,
                path: "/opt/mintmcp/hook.sh".into(),
            }
        );
        assert_eq!(monitor.timeout_seconds, 2.5);
        assert_eq!(monitor.events, [Event::PreToolUse, Event::UserPromptSubmit]);
        assert!(monitor.enforce);
    }

    #[test]
    fn refuses_what_the_checks_refuse() {
        for (key, value, problem) in [
            ("org_key", literal("mint-live-key"), "literal"),
            ("events_path", literal("/h/{team}"), "events_path:"),
        ] {
            let setup = managed_setup(gateway_with_options([(key, value)]));
            let error = read(&setup).expect_err(key);
            assert!(error.contains(problem), "{error}");
            assert!(!error.contains("mint-live-key"));
        }
    }
}
