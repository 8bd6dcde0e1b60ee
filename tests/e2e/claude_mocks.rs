//! The real Claude Code (`claude -p`) on gwscript's mock provider in each of the three formats it
//! speaks (Anthropic Messages, Bedrock, Vertex AI), straight to the mock and through a real nginx
//! configured as the correct streaming reverse proxy (`gwscript_tests::nginx`). Each run must
//! print the mock's reply, and the mock must have received the prompt on the format's streaming
//! route, with no non-streaming request carrying it (no fallback from a stream Claude Code could
//! not read). Through nginx, nginx's access log shows each of those requests proxied to the mock.
//! Everything stays on 127.0.0.1; the credentials are throwaway or skipped.
//!
//! What Claude Code 2.1.197 asked, in each format, with or without nginx: Messages, a `HEAD /`
//! (its connectivity check) then `POST /v1/messages?beta=true` streaming; Bedrock, the AWS SDK's
//! `GET /inference-profiles?type=SYSTEM_DEFINED` then the prompt on
//! `/model/{id}/invoke-with-response-stream` (the `:` of the id not percent-encoded); Vertex, the
//! prompt on `:streamRawPredict` alone. With the auth skipped, no small non-streaming model probe
//! was made in any format; the prompt check below would still tell one apart by its body.

use gwscript_tests::claude::{CLAUDE_TIMEOUT, Isolated, PROMPT, UNDER_EVERY_RUN};
use gwscript_tests::mock::describe;
use gwscript_tests::nginx::{Nginx, NginxGateway};
use gwscript_tests::tool::run_bounded;
use gwscript_tests::{MockProvider, peers};
use serde_json::Value;
use std::sync::Mutex;

const REPLY: &str = "Hello from the gwscript mock, in the format Claude Code asked for.";
const API_KEY: &str = "sk-ant-gwscript-mocks-throwaway";
const BEDROCK_MODEL: &str = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const VERTEX_MODEL: &str = "claude-sonnet-4-5@20250929";
const VERTEX_PROJECT: &str = "gwscript-project";
const VERTEX_REGION: &str = "us-east5";

/// One Claude Code at a time: a cold start takes both cores of the test machine.
static CLAUDE: Mutex<()> = Mutex::new(());

#[derive(Debug, Clone, Copy)]
enum Format {
    Messages,
    Bedrock,
    Vertex,
}

impl Format {
    /// Claude Code's variables for this format with the provider at `url`.
    fn env(self, url: &str) -> Vec<(&'static str, String)> {
        let fixed: &[(&str, &str)] = match self {
            Format::Messages => &[("ANTHROPIC_API_KEY", API_KEY)],
            Format::Bedrock => &[
                ("CLAUDE_CODE_USE_BEDROCK", "1"),
                ("CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1"),
                ("AWS_REGION", "us-east-1"),
                ("ANTHROPIC_MODEL", BEDROCK_MODEL),
            ],
            Format::Vertex => &[
                ("CLAUDE_CODE_USE_VERTEX", "1"),
                ("CLAUDE_CODE_SKIP_VERTEX_AUTH", "1"),
                ("ANTHROPIC_VERTEX_PROJECT_ID", VERTEX_PROJECT),
                ("CLOUD_ML_REGION", VERTEX_REGION),
                ("ANTHROPIC_MODEL", VERTEX_MODEL),
            ],
        };
        let base = match self {
            Format::Messages => ("ANTHROPIC_BASE_URL", url.to_owned()),
            Format::Bedrock => ("ANTHROPIC_BEDROCK_BASE_URL", url.to_owned()),
            Format::Vertex => ("ANTHROPIC_VERTEX_BASE_URL", format!("{url}/v1")),
        };
        fixed
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .chain([base])
            .collect()
    }

    /// The path of the streaming request that carries the prompt.
    fn streaming_path(self) -> String {
        match self {
            Format::Messages => "/v1/messages".to_owned(),
            Format::Bedrock => format!("/model/{BEDROCK_MODEL}/invoke-with-response-stream"),
            Format::Vertex => format!(
                "/v1/projects/{VERTEX_PROJECT}/locations/{VERTEX_REGION}/publishers/anthropic/models/{VERTEX_MODEL}:streamRawPredict"
            ),
        }
    }

    /// Whether `record` is a model request that asks for a stream: Bedrock says so by its route,
    /// the others by `"stream": true` in the body (Vertex's `:streamRawPredict` as well).
    fn streams(self, record: &Value) -> bool {
        let path = record["path"].as_str().unwrap_or_default();
        match self {
            Format::Bedrock => path.ends_with("/invoke-with-response-stream"),
            Format::Messages | Format::Vertex => record["body"]["stream"] == true,
        }
    }
}

/// Whether a recorded request carries the prompt as a user message.
fn carries_prompt(record: &Value) -> bool {
    record["method"] == "POST" && record["body"]["messages"].to_string().contains(PROMPT)
}

/// The mock, and nginx in front of it when the run goes through a gateway.
struct Provider {
    mock: MockProvider,
    nginx: Option<Nginx>,
}

impl Provider {
    fn start(through_nginx: bool) -> Provider {
        let mock = MockProvider::start(REPLY);
        let nginx = through_nginx.then(|| NginxGateway::correct(&mock.url).start());
        Provider { mock, nginx }
    }

    /// Where Claude Code is sent.
    fn url(&self) -> &str {
        self.nginx.as_ref().map_or(&self.mock.url, |n| &n.url)
    }

    fn diagnostics(&mut self) -> String {
        let nginx = self
            .nginx
            .as_mut()
            .map(Nginx::diagnostics)
            .unwrap_or_default();
        format!("{nginx}\n{}", self.mock.diagnostics())
    }

    /// Panics unless nginx's access log shows every request in `records` proxied to the mock.
    fn assert_proxied(&mut self, records: &[Value]) {
        let Some(nginx) = &self.nginx else { return };
        let log = nginx.access_log();
        let upstream = format!("upstream={}", self.mock.url.trim_start_matches("http://"));
        let missing: Vec<String> = records
            .iter()
            .map(|record| {
                let query = record["query"]
                    .as_str()
                    .map(|q| format!("?{q}"))
                    .unwrap_or_default();
                format!(
                    "{} {}{query} HTTP/1.1",
                    record["method"].as_str().unwrap_or_default(),
                    record["path"].as_str().unwrap_or_default()
                )
            })
            .filter(|request| {
                !log.lines()
                    .any(|line| line.starts_with(request.as_str()) && line.ends_with(&upstream))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "requests reached the mock without nginx proxying them: {missing:?}\n{}",
            self.diagnostics()
        );
    }
}

/// `claude -p PROMPT` in `format`, straight to the mock or through nginx; asserts it printed the
/// mock's reply and the prompt reached the mock on the format's streaming route only.
fn claude_gets_the_reply(format: Format, through_nginx: bool) {
    let _one = gwscript_tests::one_at_a_time(&CLAUDE);
    let mut provider = Provider::start(through_nginx);
    let isolated = Isolated::new();
    let mut command = isolated.command(peers().claude);
    command
        .args(["-p", PROMPT])
        .envs(UNDER_EVERY_RUN.iter().copied())
        .envs(format.env(provider.url()));
    let ran = run_bounded("claude -p", command, CLAUDE_TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}\n{}", provider.diagnostics()));
    let records = provider.mock.records();
    let requested: Vec<String> = records.iter().map(describe).collect();
    println!(
        "{format:?}{}: claude -p took {:?}, exit {:?}; requested:\n  {}",
        if through_nginx { " through nginx" } else { "" },
        ran.elapsed,
        ran.code(),
        requested.join("\n  ")
    );
    assert!(
        ran.success() && ran.stdout.contains(REPLY),
        "Claude Code did not print the mock's reply\n{}\n{}",
        ran.diagnostics(),
        provider.diagnostics()
    );

    let with_prompt: Vec<&Value> = records.iter().filter(|r| carries_prompt(r)).collect();
    assert!(
        !with_prompt.is_empty(),
        "no request carried the prompt\n{}",
        provider.diagnostics()
    );
    for record in with_prompt {
        assert!(
            format.streams(record) && record["path"] == format.streaming_path().as_str(),
            "the prompt went out other than on {}: {}\n{}",
            format.streaming_path(),
            describe(record),
            provider.diagnostics()
        );
    }
    provider.assert_proxied(&records);
}

#[test]
fn messages_straight_to_the_mock() {
    claude_gets_the_reply(Format::Messages, false);
}

#[test]
fn messages_through_nginx() {
    claude_gets_the_reply(Format::Messages, true);
}

#[test]
fn bedrock_straight_to_the_mock() {
    claude_gets_the_reply(Format::Bedrock, false);
}

#[test]
fn bedrock_through_nginx() {
    claude_gets_the_reply(Format::Bedrock, true);
}

#[test]
fn vertex_straight_to_the_mock() {
    claude_gets_the_reply(Format::Vertex, false);
}

#[test]
fn vertex_through_nginx() {
    claude_gets_the_reply(Format::Vertex, true);
}
