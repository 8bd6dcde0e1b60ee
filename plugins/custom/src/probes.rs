//! Requests that show whether a gateway keeps Claude Code's contract, as curl commands a person
//! runs against the gateway URL: the report's verification steps and the checklist's "verify"
//! lines. Every value from the recipe is shell-quoted; the token is expanded by the shell from
//! its variable, never written out.

use crate::routes::{ANTHROPIC_VERSION, COUNT_TOKENS, MESSAGES};
use gwscript_plugin::model::is_env_name;
use gwscript_plugin::quote::shell_quote;
use gwscript_plugin::report::Step;
use serde_json::json;

/// The variable the commands read the gateway token from when the recipe names none.
const DEFAULT_TOKEN_VARIABLE: &str = "GATEWAY_TOKEN";
/// A beta name no API knows: forwarded, it makes the API answer 400 naming it.
pub const UNKNOWN_BETA: &str = "gwscript-probe-unknown-beta";

/// The gateway URL, its token variable and a model id to request.
#[derive(Debug, Clone)]
pub struct Probes {
    base_url: String,
    token_variable: String,
    model: String,
}

impl Probes {
    pub fn new(gateway_url: &str, token_variable: Option<&str>, model: &str) -> Self {
        Probes {
            base_url: gateway_url.trim_end_matches('/').to_owned(),
            token_variable: token_variable
                .filter(|name| is_env_name(name))
                .unwrap_or(DEFAULT_TOKEN_VARIABLE)
                .to_owned(),
            model: model.to_owned(),
        }
    }

    pub fn token_variable(&self) -> &str {
        &self.token_variable
    }

    /// A Messages request without a token: the gateway must refuse it.
    pub fn without_token(&self) -> Step {
        Step {
            title: "A request without the gateway token is refused".into(),
            command: Some(format!(
                "curl -sS -o /dev/null -w '%{{http_code}}\\n' -X POST -H 'content-type: application/json' -d '{{}}' {}",
                self.url(MESSAGES)
            )),
            expect: "401 (the gateway answers before anything reaches the upstream)".into(),
        }
    }

    /// A streamed answer whose arrivals curl timestamps: they must spread over the answer.
    /// (`time_starttransfer` would not do: a buffering hop still sends the headers at once.)
    /// `--compressed` asks for gzip as Claude Code does, so a compressing hop shows up too.
    pub fn streams(&self) -> Step {
        let body = json!({
            "model": self.model,
            "max_tokens": 200,
            "stream": true,
            "messages": [{ "role": "user", "content": "Count from 1 to 40, one number per line." }],
        });
        Step {
            title: "Answers stream through unbuffered".into(),
            command: Some(format!(
                "curl -sS -N --compressed --trace-time --trace-ascii - -o /dev/null {} -d {} | grep 'Recv data'",
                self.authorized(MESSAGES, &[]),
                shell_quote(&body.to_string())
            )),
            expect: "many `<= Recv data` lines, their times spread over the answer; one line, or \
                     all at the same instant, means a hop buffers or compresses the stream"
                .into(),
        }
    }

    /// An unknown beta: forwarded, the API names it in a 400; dropped, the request succeeds.
    pub fn forwards_betas(&self) -> Step {
        let body = json!({
            "model": self.model,
            "max_tokens": 16,
            "messages": [{ "role": "user", "content": "Reply with OK." }],
        });
        Step {
            title: "anthropic-beta reaches the upstream".into(),
            command: Some(format!(
                "curl -sS {} -d {}",
                self.authorized(MESSAGES, &[("anthropic-beta", UNKNOWN_BETA)]),
                shell_quote(&body.to_string())
            )),
            expect: format!(
                "HTTP 400 from the API naming `{UNKNOWN_BETA}` as an unexpected anthropic-beta \
                 value; a normal answer means the gateway dropped the header"
            ),
        }
    }

    /// Token counting, which Claude Code may use; a 404 is acceptable.
    pub fn counts_tokens(&self) -> Step {
        let body = json!({
            "model": self.model,
            "messages": [{ "role": "user", "content": "Hello" }],
        });
        Step {
            title: "Token counting answers, or cleanly refuses".into(),
            command: Some(format!(
                "curl -sS -w '\\n%{{http_code}}\\n' {} -d {}",
                self.authorized(COUNT_TOKENS, &[]),
                shell_quote(&body.to_string())
            )),
            expect: "200 with input_tokens, or a 404 (Claude Code then estimates locally)".into(),
        }
    }

    /// The URL of `route` below the gateway URL, shell-quoted.
    fn url(&self, route: &str) -> String {
        shell_quote(&format!("{}{route}", self.base_url))
    }

    /// `route`'s URL with the headers Claude Code sends, plus `extra`. The token header is in
    /// double quotes so the shell expands the variable; its name is a plain identifier.
    fn authorized(&self, route: &str, extra: &[(&str, &str)]) -> String {
        let mut headers = vec![
            format!("-H \"Authorization: Bearer ${}\"", self.token_variable),
            format!(
                "-H {}",
                shell_quote(&format!("anthropic-version: {ANTHROPIC_VERSION}"))
            ),
            "-H 'content-type: application/json'".to_owned(),
        ];
        headers.extend(
            extra
                .iter()
                .map(|(name, value)| format!("-H {}", shell_quote(&format!("{name}: {value}")))),
        );
        format!("{} {}", self.url(route), headers.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::testing::shell_words;

    /// The words curl gets; the timing step's `| grep` filter is left out.
    fn words(step: &Step) -> Vec<String> {
        let command = step.command.as_deref().expect("a command");
        let curl = command
            .rsplit_once(" | grep 'Recv data'")
            .map_or(command, |(curl, _)| curl);
        shell_words("curl", &format!("GATEWAY_TOKEN=tok-123; {curl}"))
    }

    #[test]
    fn commands_send_claude_codes_headers_with_the_token_from_its_variable() {
        let probes = Probes::new(
            "http://127.0.0.1:8080/",
            Some("GATEWAY_TOKEN"),
            "claude-sonnet-4-5",
        );
        let streamed = words(&probes.streams());
        assert!(
            streamed.contains(&"Authorization: Bearer tok-123".to_owned()),
            "{streamed:?}"
        );
        assert!(streamed.contains(&"anthropic-version: 2023-06-01".to_owned()));
        assert!(streamed.contains(&"http://127.0.0.1:8080/v1/messages".to_owned()));
        let body = streamed.last().unwrap();
        let parsed: serde_json::Value = serde_json::from_str(body).expect("the body is JSON");
        assert_eq!(
            (parsed["stream"].as_bool(), parsed["model"].as_str()),
            (Some(true), Some("claude-sonnet-4-5"))
        );

        let beta = words(&probes.forwards_betas());
        assert!(beta.contains(&format!("anthropic-beta: {UNKNOWN_BETA}")));
        let count = words(&probes.counts_tokens());
        assert!(count.contains(&"http://127.0.0.1:8080/v1/messages/count_tokens".to_owned()));
        let refused = words(&probes.without_token());
        assert!(!refused.iter().any(|w| w.contains("Bearer")), "{refused:?}");
        assert_eq!(refused.last().unwrap(), "http://127.0.0.1:8080/v1/messages");
    }

    #[test]
    fn hostile_values_stay_single_words_and_odd_token_names_fall_back() {
        let url = "http://127.0.0.1:8080/x'$(touch /tmp/gwscript-pwned)";
        let model = "m\"'; rm -rf ~";
        let probes = Probes::new(url, Some("$(id)"), model);
        assert_eq!(probes.token_variable(), "GATEWAY_TOKEN");
        let streamed = words(&probes.streams());
        assert!(streamed.contains(&format!("{url}/v1/messages")));
        let body: serde_json::Value =
            serde_json::from_str(streamed.last().unwrap()).expect("the body is JSON");
        assert_eq!(body["model"], model);
    }
}
