//! `gwscript probe` against the real LiteLLM 1.102.4 (run by a recipe's emitted `litellm/start.sh`)
//! in front of gwscript's mock: on the Messages route of the emitted config, on LiteLLM's
//! Anthropic pass-through route (`/anthropic`, pointed at the mock by `ANTHROPIC_API_BASE`), and
//! on its Bedrock pass-through (`/bedrock`, the deployment's `api_base` at the mock, signed with
//! dummy AWS keys).
//!
//! Claude Code works through LiteLLM, so a true verdict has no fail; but LiteLLM is not a
//! transparent pipe, and each way it deviates must show as a warn whose evidence names it. What
//! LiteLLM 1.102.4 does, measured on this setup:
//!
//! | deviation                                             | Messages | `/anthropic` | `/bedrock` |
//! |-------------------------------------------------------|----------|--------------|------------|
//! | drops `ping` events                                   | yes      | no           | no         |
//! | holds `message_start` until the first text delta      | yes      | no           | no         |
//! | drops the `?beta=true` query upstream                 | yes      | no           | (no query) |
//! | sorts the `anthropic-beta` values                     | yes      | no           | no         |
//! | no database: 400 "No connected db." for a wrong key   | yes      | yes          | yes        |
//!
//! The other deviations seen do not stop Claude Code either, so they must not fail: on the
//! Messages route the session id is dropped, the model id mapped to the deployment's, 529 answered
//! as 500 and `retry-after`/`x-should-retry` dropped (LiteLLM retries upstream itself first); on
//! `/anthropic` the body's `metadata` is dropped; on `/bedrock` the session id is dropped and an
//! error comes back with its status but its body wrapped in `{"detail":{"error":"…"}}` and its
//! headers renamed `llm_provider-retry-after`, `llm_provider-x-should-retry`.

use gwscript_tests::probe::{Expected, Probed, probe};
use gwscript_tests::{Emitted, MockProvider, Proc, free_port, litellm};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

const MODEL: &str = "claude-sonnet-4-5";
const REPLY: &str = "Hello from the gwscript mock provider, probed through LiteLLM.";
/// The deployment's provider key as LiteLLM holds it.
const DEPLOYMENT_KEY: &str = "sk-ant-gwscript-probe-deployment";
/// Seconds of quiet gap (and of long answer) the timeout checks script: short, since LiteLLM's own
/// limits are minutes long and this is not what is under test here.
const IDLE_TEST_SECS: &str = "3";

/// One LiteLLM at a time: a heavy start on a two-core machine, and the stream checks time events.
static LITELLM: Mutex<()> = Mutex::new(());

/// The emitted config's one deployment of [`MODEL`], forwarding to the mock.
#[derive(Debug, Clone, Copy)]
enum Deployment {
    /// Served on the Messages route; the `/anthropic` pass-through goes to the mock too.
    Anthropic,
    /// Served on the `/bedrock` pass-through.
    Bedrock,
}

/// Dummy AWS keys: SigV4 signs offline, and the mock checks nothing.
const AWS_ACCESS_KEY_ID: &str = "AKIAGWSCRIPTPROBEXMPL";
const AWS_SECRET_ACCESS_KEY: &str = "gwscript-probe-not-a-real-secret-access-key";

impl Deployment {
    /// The recipe's `provider(…)` and the pattern's endpoint option.
    fn recipe_parts(self, mock: &str) -> (String, &'static str) {
        match self {
            Deployment::Anthropic => (
                format!(
                    r#"provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY"), api_base: "{mock}" }})"#
                ),
                "",
            ),
            Deployment::Bedrock => (
                format!(
                    r#"provider("bedrock", #{{ region: "us-east-1", api_base: "{mock}", aws_access_key_id: secret("AWS_ACCESS_KEY_ID"), aws_secret_access_key: secret("AWS_SECRET_ACCESS_KEY") }})"#
                ),
                r#"endpoint: "bedrock", "#,
            ),
        }
    }

    /// The variables the config reads besides the master key.
    fn env(self, mock: &str) -> Vec<(&'static str, String)> {
        match self {
            Deployment::Anthropic => vec![
                ("ANTHROPIC_API_KEY", DEPLOYMENT_KEY.to_owned()),
                // Where LiteLLM 1.102.4's `/anthropic/{endpoint}` route forwards (its
                // `anthropic_proxy_route` reads ANTHROPIC_API_BASE, then ANTHROPIC_BASE_URL).
                ("ANTHROPIC_API_BASE", mock.to_owned()),
            ],
            Deployment::Bedrock => vec![
                ("AWS_ACCESS_KEY_ID", AWS_ACCESS_KEY_ID.to_owned()),
                ("AWS_SECRET_ACCESS_KEY", AWS_SECRET_ACCESS_KEY.to_owned()),
            ],
        }
    }
}

/// LiteLLM on the emitted config, in front of the mock.
struct Gateway {
    mock: MockProvider,
    litellm: Proc,
    url: String,
    master_key: String,
    _emitted: Emitted,
}

impl Gateway {
    fn start(deployment: Deployment) -> Gateway {
        let master_key = format!(
            "sk-gwscript-probe-{:016x}",
            RandomState::new().hash_one(std::process::id())
        );
        let mock = MockProvider::start(REPLY);
        let port = free_port();
        let (provider, endpoint) = deployment.recipe_parts(&mock.url);
        let emitted = Emitted::run(
            &format!(
                r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{port}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("{MODEL}", {provider});
emit(pattern("gateway", #{{ gateway: gw, {endpoint}scope: "user", model: "{MODEL}", auth_token: secret("LITELLM_MASTER_KEY") }}));
"#
            ),
            &[],
        );
        let mut env = deployment.env(&mock.url);
        env.push(("LITELLM_MASTER_KEY", master_key.clone()));
        let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let litellm = litellm::start(&emitted, port, &env);
        Gateway {
            mock,
            litellm,
            url: format!("http://127.0.0.1:{port}"),
            master_key,
            _emitted: emitted,
        }
    }

    /// `gwscript probe BASE --mock MOCK --token MASTER_KEY EXTRA…` on the route under `route`.
    fn probe(&self, route: &str, extra: &[&str]) -> Probed {
        let base = format!("{}{route}", self.url);
        let mut args = vec![
            base.as_str(),
            "--mock",
            &self.mock.url,
            "--token",
            &self.master_key,
            "--idle-test",
            IDLE_TEST_SECS,
        ];
        args.extend_from_slice(extra);
        probe(&args, &[])
    }

    /// Panics unless `probed` matches `expected` and exits 0, with LiteLLM's and the mock's logs.
    fn assert_verdict(&mut self, probed: &Probed, expected: &[Expected], route: &str) {
        probed.assert_not_shown(&self.master_key, "LiteLLM master key");
        let mut mismatches = probed.mismatches(expected);
        if probed.ran.code() != Some(0) {
            mismatches.push(format!(
                "exit status {}: Claude Code works through LiteLLM, so no check may fail",
                probed.ran.status
            ));
        }
        assert!(
            mismatches.is_empty(),
            "probe of LiteLLM's {route}: {} deviation(s) from the intended verdict:\n- {}\n{}\n{}\n{}",
            mismatches.len(),
            mismatches.join("\n- "),
            probed.dump(),
            self.litellm.diagnostics(),
            self.mock.diagnostics()
        );
    }
}

/// What Claude Code needs and LiteLLM provides on every route.
const CONFORMING: [Expected; 8] = [
    Expected::pass("endpoint.base_url"),
    // The context-management beta and its body field arrive together on every route.
    Expected::pass("headers.feature_pair"),
    Expected::pass("endpoint.prompt"),
    Expected::pass("body.large"),
    Expected::pass("stream.events"),
    Expected::pass("auth.x_api_key"),
    Expected::pass("timeout.idle"),
    Expected::pass("timeout.long_answer"),
];

/// Without a database LiteLLM answers a key that is not its master key with 400 "No connected
/// db." (the issue expected 500; 1.102.4 answers 400 on every route). Claude Code shows the error
/// instead of asking to log in again: a warn.
const BAD_TOKEN: Expected = Expected::warn("auth.bad_token", &["400"]);

#[test]
fn probe_of_the_litellm_messages_route_warns_for_each_litellm_deviation_and_fails_nothing() {
    let _one = gwscript_tests::one_at_a_time(&LITELLM);
    let mut gateway = Gateway::start(Deployment::Anthropic);
    let probed = gateway.probe("", &[]);
    let mut expected = CONFORMING.to_vec();
    expected.extend([
        Expected::pass("endpoint.count_tokens"),
        Expected::pass("discovery.models"),
        // LiteLLM rebuilds the header as a sorted set (`_update_headers_with_anthropic_beta`);
        // the API reads the set the same way.
        Expected::warn("headers.version_beta", &["sort", "order"]),
        // It calls the provider's /v1/messages without the query; the API needs none.
        Expected::warn("headers.query", &["beta=true", "no query"]),
        // Its Anthropic adapter re-emits the stream: pings are dropped, and message_start waits
        // for the first text delta (events still stream one by one after it).
        Expected::warn("stream.pings", &["ping"]),
        Expected::warn("stream.buffering", &["message_start"]),
        BAD_TOKEN,
        // Dropped or rewritten by the adapter, tolerated by Claude Code: x-claude-code-session-id
        // (a warn); the model id, mapped to the deployment's, which is the point of a model group
        // (a pass that says so); 529 as 500 and no retry-after (LiteLLM retries upstream itself
        // first). After an upstream 401 or 429 LiteLLM also cools its only deployment down for
        // 5 s and answers 429 "No deployments available" itself meanwhile: the probe runs the
        // scripted errors last, waits such a cooldown out, and names it in a warn.
        Expected::warn("headers.session_id", &["cannot group the session"]),
        Expected {
            id: "body.integrity",
            status: &["pass"],
            evidence: &["the gateway maps it"],
        },
        Expected::warn("status.passthrough", &["without asking the upstream"]),
        // The deployment's key goes upstream, the master key stays with LiteLLM.
        Expected {
            id: "auth.forwarded",
            status: &["pass"],
            evidence: &["kept the client's credential to itself"],
        },
    ]);
    gateway.assert_verdict(&probed, &expected, "Messages route");
}

#[test]
fn probe_of_the_litellm_anthropic_pass_through_sees_a_faithful_pipe_but_the_bad_token_answer() {
    let _one = gwscript_tests::one_at_a_time(&LITELLM);
    let mut gateway = Gateway::start(Deployment::Anthropic);
    let probed = gateway.probe("/anthropic", &[]);
    let mut expected = CONFORMING.to_vec();
    expected.extend([
        Expected::pass("endpoint.count_tokens"),
        Expected::pass("discovery.models"),
        Expected::pass("headers.version_beta"),
        Expected::pass("headers.query"),
        Expected::pass("headers.session_id"),
        Expected::pass("status.passthrough"),
        Expected::pass("stream.pings"),
        Expected::pass("stream.buffering"),
        BAD_TOKEN,
        // LiteLLM drops the body's `metadata` (it keeps that field for its own logging).
        Expected::warn("body.integrity", &["/metadata is missing"]),
        // It forwards the client's Authorization (the master key) beside the deployment's key.
        Expected::warn("auth.forwarded", &["beside the gateway's own"]),
    ]);
    gateway.assert_verdict(&probed, &expected, "/anthropic pass-through");
}

#[test]
fn probe_of_the_litellm_bedrock_pass_through_passes_the_event_stream_and_fails_nothing() {
    let _one = gwscript_tests::one_at_a_time(&LITELLM);
    let mut gateway = Gateway::start(Deployment::Bedrock);
    // Claude Code in Bedrock mode names the model group in the path; LiteLLM answers any other id
    // 400 "Invalid model name".
    let probed = gateway.probe("/bedrock", &["--api", "bedrock", "--model", MODEL]);
    let mut expected = CONFORMING.to_vec();
    expected.extend([
        Expected::pass("endpoint.inference_profiles"),
        Expected::pass("headers.version_beta"),
        Expected::pass("body.integrity"),
        Expected::pass("stream.eventstream"),
        Expected::pass("stream.pings"),
        Expected::pass("stream.buffering"),
        BAD_TOKEN,
        Expected::warn("headers.session_id", &["cannot group the session"]),
        // Statuses kept; bodies wrapped in {"detail":{"error":…}}, retry headers renamed.
        Expected::warn("status.passthrough", &["reshaped"]),
        // SigV4 with the deployment's keys replaces the client's Authorization.
        Expected {
            id: "auth.forwarded",
            status: &["pass"],
            evidence: &["kept the client's credential to itself"],
        },
    ]);
    gateway.assert_verdict(&probed, &expected, "/bedrock pass-through");
}
