//! The Kong server: a decK declarative config with a service and route for Claude Code's Messages
//! route, Kong's ai-proxy plugin in its Anthropic format, and key-auth for the gateway token.
//!
//! Credentials stay references: the upstream key is a Kong vault reference to an environment
//! variable of Kong's own (`{vault://env/NAME}`, resolved by Kong at run time), and the client key
//! a decK template (`${{ env `DECK_NAME` }}`, filled in by `deck gateway sync` from its
//! environment; decK only reads variables starting with `DECK_`).

use crate::options::Options;
use crate::routes::{ANTHROPIC_VERSION, MESSAGES};
use crate::url::HttpUrl;
use serde_json::{Value, json};

/// decK reads only environment variables with this prefix into a state file.
const DECK_PREFIX: &str = "DECK_";

/// `{ "kong": { … } }`: what kong.yaml is rendered with.
pub fn context(
    options: Options<'_>,
    gateway_url: &HttpUrl,
    upstream: &HttpUrl,
    upstream_key: &str,
    gateway_token: &str,
    model: &str,
) -> Value {
    let timeout_ms = options.read_timeout_s() * 1000;
    json!({
        "kong": {
            "service_url": upstream.join(""),
            // A regex route (Kong 3 marks them with ~) so /v1/messages/count_tokens, which the
            // chat route type cannot serve, gets a clean 404 instead.
            "route_path": format!("~{}$", regex_literal(&format!("{}{MESSAGES}", gateway_url.path))),
            "timeout_ms": timeout_ms,
            "max_body_bytes": options.max_body_mb() * 1024 * 1024,
            "upstream_key": format!("{{vault://env/{upstream_key}}}"),
            // Named even for Anthropic's own API, so the file says where requests go.
            "upstream_url": upstream.join(MESSAGES),
            // key-auth compares the whole header value: Claude Code sends `Bearer <token>`.
            "client_key": format!("Bearer ${{{{ env `{}` }}}}", deck_variable(gateway_token)),
            "model": model,
            "anthropic_version": ANTHROPIC_VERSION,
        }
    })
}

/// The variable `deck gateway sync` must see the gateway token in.
pub fn deck_variable(gateway_token: &str) -> String {
    format!("{DECK_PREFIX}{gateway_token}")
}

/// `path` as a regular expression matching exactly itself.
fn regex_literal(path: &str) -> String {
    path.chars()
        .flat_map(|c| {
            let escape = !(c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'));
            escape.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Custom;
    use crate::manifest::KONG_PATH;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{
        anthropic, literal, render, setup_for, spanned, with_gateway_options,
    };

    fn url(text: &str) -> HttpUrl {
        HttpUrl::parse(text).unwrap()
    }

    #[test]
    fn anthropic_upstream_with_references_and_long_timeouts() {
        let gateway = custom_gateway(vec![]);
        let context = context(
            Options::of(&gateway),
            &url("http://127.0.0.1:8000"),
            &url("https://api.anthropic.com"),
            "ANTHROPIC_API_KEY",
            "GATEWAY_TOKEN",
            "claude-sonnet-4-5",
        );
        assert_eq!(
            context["kong"],
            json!({
                "service_url": "https://api.anthropic.com",
                "route_path": "~/v1/messages$",
                "timeout_ms": 600_000,
                "max_body_bytes": 33_554_432,
                "upstream_key": "{vault://env/ANTHROPIC_API_KEY}",
                "upstream_url": "https://api.anthropic.com/v1/messages",
                "client_key": "Bearer ${{ env `DECK_GATEWAY_TOKEN` }}",
                "model": "claude-sonnet-4-5",
                "anthropic_version": "2023-06-01",
            })
        );
    }

    #[test]
    fn upstream_and_gateway_path_prefixes_are_kept() {
        let gateway = with_gateway_options(
            custom_gateway(vec![]),
            [("upstream", literal("https://llm.internal/anthropic"))],
        );
        let context = context(
            Options::of(&gateway),
            &url("https://gw.example/team.a"),
            &url("https://llm.internal/anthropic"),
            "K",
            "T",
            "m",
        );
        assert_eq!(
            context["kong"]["upstream_url"],
            "https://llm.internal/anthropic/v1/messages"
        );
        assert_eq!(context["kong"]["route_path"], r"~/team\.a/v1/messages$");
    }

    #[test]
    fn kong_yaml_parses_into_a_service_route_plugins_and_a_consumer() {
        let mut setup = setup_for(with_gateway_options(
            custom_gateway(vec![anthropic("claude-sonnet-4-5", "m")]),
            [("server", literal("kong")), ("read_timeout", literal(900))],
        ));
        setup.client.model = Some(spanned("claude-sonnet-4-5".into(), 2));
        let yaml = render::<Custom>(&setup, KONG_PATH);
        let config: serde_json::Value = serde_norway::from_str(&yaml).expect("kong.yaml parses");
        assert_eq!(config["_format_version"], "3.0");
        let service = &config["services"][0];
        assert_eq!(
            (
                service["read_timeout"].as_i64(),
                service["write_timeout"].as_i64()
            ),
            (Some(900_000), Some(900_000))
        );
        let route = &service["routes"][0];
        assert_eq!(route["paths"], json!(["~/v1/messages$"]));
        let plugins = route["plugins"].as_array().unwrap();
        assert_eq!(
            plugins[0],
            json!({ "name": "key-auth", "config": { "key_names": ["authorization"], "hide_credentials": true } })
        );
        let ai = &plugins[1]["config"];
        assert_eq!(ai["llm_format"], "anthropic");
        assert_eq!(ai["route_type"], "llm/v1/chat");
        assert_eq!(
            ai["auth"],
            json!({ "header_name": "x-api-key", "header_value": "{vault://env/ANTHROPIC_API_KEY}" })
        );
        assert_eq!(ai["model"]["provider"], "anthropic");
        assert_eq!(ai["model"]["name"], "claude-sonnet-4-5");
        assert_eq!(ai["model"]["options"]["anthropic_version"], "2023-06-01");
        assert_eq!(
            config["consumers"][0]["keyauth_credentials"][0]["key"],
            "Bearer ${{ env `DECK_GATEWAY_KEY` }}"
        );
    }
}
