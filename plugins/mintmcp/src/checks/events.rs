//! Where the hook posts: a path it can build, that carries the org key somewhere, over a
//! connection nobody on the way can read.

use super::codes::{INVALID_EVENTS_PATH, KEY_SENT_NOWHERE, PLAIN_HTTP_EVENTS};
use crate::options::{DEFAULT_EVENTS_PATH, events_url};
use crate::path_template::{self, Part};
use gwscript_plugin::model::Gateway;
use gwscript_plugin::{Diagnostic, PluginRole};

pub fn check(role: PluginRole, gateway: &Gateway) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let template = gateway
        .option("events_path")
        .and_then(|value| value.as_str())
        .unwrap_or(DEFAULT_EVENTS_PATH);
    match path_template::parse(template) {
        Err(problem) => diagnostics.push(
            Diagnostic::error(
                INVALID_EVENTS_PATH,
                format!(
                    "events_path `{}` cannot be posted to: {problem}",
                    template.escape_debug()
                ),
                format!("leave events_path out to post where MintMCP's own hooks post ({DEFAULT_EVENTS_PATH})"),
            )
            .at(gateway.option_span("events_path")),
        ),
        Ok(parts) if !parts.contains(&Part::OrgKey) && gateway.option("org_key_header").is_none() => {
            diagnostics.push(
                Diagnostic::error(
                    KEY_SENT_NOWHERE,
                    format!(
                        "events_path `{}` has no {{org_key}} and no org_key_header is set: the \
                         hook would post events without the org key",
                        template.escape_debug()
                    ),
                    "put {org_key} in events_path, or name the header MintMCP reads the key from \
                     in org_key_header",
                )
                .at(gateway.option_span("events_path")),
            );
        }
        Ok(_) => {}
    }
    let url = events_url(role, gateway);
    if url.starts_with("http://") && !gwscript_plugin::url::is_loopback_host(url) {
        diagnostics.push(
            Diagnostic::warning(
                PLAIN_HTTP_EVENTS,
                format!(
                    "the hook would post to `{}`, plain http off this machine: prompts, tool \
                     calls and the org key would cross the network unencrypted",
                    url.escape_debug()
                ),
                "use an https:// URL for MintMCP (https://app.mintmcp.com is its hosted service)",
            )
            .at(gateway.option_span("events_url")),
        );
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{gateway_with_options, monitored_setup};
    use gwscript_plugin::testing::{codes_of, literal};

    fn check(gateway: &Gateway) -> Vec<Diagnostic> {
        super::check(PluginRole::Gateway, gateway)
    }

    #[test]
    fn the_defaults_pass() {
        assert!(check(&gateway_with_options([])).is_empty());
    }

    #[test]
    fn gw4305_names_what_is_wrong_with_the_path() {
        let gateway = gateway_with_options([("events_path", literal("/h/{team}/claudecode"))]);
        let diagnostics = check(&gateway);
        assert_eq!(codes_of(&diagnostics), ["GW4305"]);
        assert!(
            diagnostics[0]
                .message
                .contains("`{team}` is not a placeholder")
        );
        assert_eq!(diagnostics[0].span, gateway.options["events_path"].span);
    }

    #[test]
    fn gw4306_the_key_must_travel_in_the_path_or_a_header() {
        let keyless = gateway_with_options([("events_path", literal("/events/{user}"))]);
        assert_eq!(codes_of(&check(&keyless)), ["GW4306"]);
        let with_header = gateway_with_options([
            ("events_path", literal("/events/{user}")),
            ("org_key_header", literal("X-Org-Key")),
        ]);
        assert!(check(&with_header).is_empty());
    }

    #[test]
    fn gw4308_plain_http_only_on_loopback() {
        for (url, warned) in [
            ("http://mintmcp.corp.example", true),
            ("http://user@10.0.0.5:8080/x", true),
            ("http://127.evil.example:9000", true),
            ("http://127.0.0.2:9000", false),
            ("http://127.0.0.1:9000", false),
            ("http://localhost", false),
            ("http://[::1]:9000/", false),
            ("https://mintmcp.corp.example", false),
        ] {
            let gateway = gateway_with_options([("events_url", literal(url))]);
            let codes = codes_of(&check(&gateway)).join(",");
            assert_eq!(codes == "GW4308", warned, "{url}: {codes}");
        }
    }

    #[test]
    fn gw4308_a_monitors_own_url_is_where_the_hook_posts() {
        let mut setup = monitored_setup([]);
        setup.monitors[0].url = "http://mintmcp.corp.example".into();
        let diagnostics = super::check(PluginRole::Monitor, &setup.monitors[0]);
        assert_eq!(codes_of(&diagnostics), ["GW4308"]);
        assert_eq!(diagnostics[0].span, setup.monitors[0].span);
        setup.monitors[0].url = "http://127.0.0.1:9000".into();
        assert!(super::check(PluginRole::Monitor, &setup.monitors[0]).is_empty());
        // As the gateway, `url` is the LLM proxy: the hook posts to the hosted service.
        assert!(super::check(PluginRole::Gateway, &setup.monitors[0]).is_empty());
    }
}
