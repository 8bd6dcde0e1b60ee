//! The checklist server: no config to emit, a checklist for configuring a managed gateway (AWS API
//! Gateway, Apigee) by hand, with this setup's URLs, limits and verification commands filled in.
//! The checklist is a `text` template, so everything here is already finished text; the recipe's
//! URLs are restricted to characters that need no escaping in Markdown code spans.

use crate::options::Options;
use crate::probes::Probes;
use crate::routes::MESSAGES;
use crate::url::HttpUrl;
use gwscript_plugin::report::Step;
use serde_json::{Value, json};

/// `{ "checklist": { … } }`: what CHECKLIST.md is rendered with.
pub fn context(
    options: Options<'_>,
    gateway_url: &HttpUrl,
    upstream: &HttpUrl,
    upstream_key: Option<&str>,
    probes: &Probes,
) -> Value {
    let step = |step: Step| json!({ "command": step.command, "expect": step.expect });
    json!({
        "checklist": {
            "messages_url": gateway_url.join(MESSAGES),
            "upstream_messages_url": upstream.join(MESSAGES),
            "read_timeout_s": options.read_timeout_s(),
            "read_timeout_ms": options.read_timeout_s() * 1000,
            "max_body_mb": options.max_body_mb(),
            "token_variable": probes.token_variable(),
            "upstream_key": upstream_key.map_or_else(
                || "the Anthropic API key".to_owned(),
                |name| format!("the Anthropic API key (the recipe keeps it in `{name}`)"),
            ),
            "verify": {
                "without_token": step(probes.without_token()),
                "streams": step(probes.streams()),
                "forwards_betas": step(probes.forwards_betas()),
                "counts_tokens": step(probes.counts_tokens()),
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Custom;
    use crate::manifest::CHECKLIST_PATH;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{literal, render, setup_for, with_gateway_options};

    #[test]
    fn fills_in_the_setups_urls_limits_and_commands() {
        let gateway = custom_gateway(vec![]);
        let gateway_url = HttpUrl::parse("https://claude.corp.example/llm").unwrap();
        let upstream = HttpUrl::parse("https://api.anthropic.com").unwrap();
        let probes = Probes::new("https://claude.corp.example/llm", Some("TEAM_TOKEN"), "m");
        let context = context(
            Options::of(&gateway),
            &gateway_url,
            &upstream,
            Some("ANTHROPIC_API_KEY"),
            &probes,
        );
        let checklist = &context["checklist"];
        assert_eq!(
            checklist["messages_url"],
            "https://claude.corp.example/llm/v1/messages"
        );
        assert_eq!(
            checklist["upstream_messages_url"],
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(
            (
                checklist["read_timeout_s"].as_i64(),
                checklist["max_body_mb"].as_i64()
            ),
            (Some(600), Some(32))
        );
        assert_eq!(checklist["token_variable"], "TEAM_TOKEN");
        assert!(
            checklist["upstream_key"]
                .as_str()
                .unwrap()
                .contains("`ANTHROPIC_API_KEY`")
        );
        let streams = checklist["verify"]["streams"]["command"].as_str().unwrap();
        assert!(streams.contains("$TEAM_TOKEN"), "{streams}");
    }

    #[test]
    fn the_checklist_covers_every_criterion_with_a_way_to_verify_it() {
        let setup = setup_for(with_gateway_options(
            custom_gateway(vec![]),
            [
                ("server", literal("checklist")),
                ("read_timeout", literal(900)),
            ],
        ));
        let text = render::<Custom>(&setup, CHECKLIST_PATH);
        for heading in [
            "## 1. Messages API route",
            "## 2. Authentication",
            "## 3. Headers pass through verbatim",
            "## 4. Request body unchanged",
            "## 5. Streaming",
            "## 6. Timeouts of at least 900 s",
            "## 7. Status codes and error bodies unchanged",
            "## 8. Token counting",
        ] {
            let section = text
                .split(heading)
                .nth(1)
                .unwrap_or_else(|| panic!("no {heading}"));
            let section = section.split("\n## ").next().unwrap();
            assert!(
                section.contains("- Verify:"),
                "{heading} has no verify line"
            );
        }
        assert!(text.contains("29 s by default"), "the API Gateway limit");
        assert!(text.contains("responseTransferMode"));
        assert!(text.contains("response.streaming.enabled"));
        assert!(text.contains("set it to\n  900000"), "{text}");
        assert!(
            !text.contains("{{") && !text.contains("{%"),
            "unrendered template syntax"
        );
    }
}
