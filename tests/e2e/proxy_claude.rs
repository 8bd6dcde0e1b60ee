//! The corporate proxy, for real: Debian's tinyproxy with basic auth on loopback, and gwscript's
//! mock provider standing in for the gateway behind it. The emitted `claude/env.sh` (its
//! `HTTPS_PROXY` built from the recipe's secret names) carries the real Claude Code through the
//! proxy, and the report's proxy verification step, run exactly as written, answers as its text
//! says: a status from the gateway with the right credentials, the proxy's refusal without them.

use gwscript_tests::mock::{credential_fingerprint, find_messages_request, header};
use gwscript_tests::proxy::Tinyproxy;
use gwscript_tests::tool::run_bounded;
use gwscript_tests::{Emit, Emitted, MockProvider, SYSTEM_PATH, TOOL_TIMEOUT, claude, http_client};
use serde_json::Value;
use std::process::Command;

const REPLY: &str = "Hello from the gwscript mock provider, through the corporate proxy.";
const USER: &str = "gwscript-proxy-user";
/// tinyproxy's BasicAuth takes only `[-a-z0-9._]`; the percent-encoding of other characters is
/// proven on env.sh itself (tests/emitted.rs).
const PASSWORD: &str = "gwscript-proxy-password-4217";
const GATEWAY_KEY: &str = "sk-gwscript-proxy-e2e-gateway-key";

fn recipe(gateway_url: &str, proxy_url: &str) -> String {
    format!(
        r#"let gw = gateway("litellm", #{{ url: "{gateway_url}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY") }}));
emit(pattern("proxy+gateway", #{{
    gateway: gw,
    proxy: #{{ url: "{proxy_url}", username: secret("PROXY_USER"), password: secret("PROXY_PASSWORD") }},
    auth_token: secret("GATEWAY_KEY"),
    disable_nonessential_traffic: true,
}}));"#
    )
}

/// The report's step that checks the proxy hop, from the JSON report.
fn proxy_step(emitted: &Emitted) -> (String, String) {
    let report: Value = serde_json::from_str(&emitted.stdout)
        .unwrap_or_else(|e| panic!("the JSON report does not parse: {e}\n{}", emitted.stdout));
    let steps = report["verification"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let step = steps
        .iter()
        .find(|s| s["title"].as_str().is_some_and(|t| t.contains("proxy")))
        .unwrap_or_else(|| panic!("no proxy verification step in {steps:#?}"));
    (
        step["command"].as_str().expect("a command").to_owned(),
        step["expect"].as_str().expect("an expectation").to_owned(),
    )
}

/// Runs the step's command as a reader would, from the output directory, with `password` as the
/// proxy password's value.
fn run_step(emitted: &Emitted, command: &str, password: &str) -> String {
    let mut bash = Command::new("bash");
    bash.args(["-c", &format!("set -u; {command}")])
        .current_dir(emitted.out_dir())
        .env_clear()
        .env("PATH", SYSTEM_PATH)
        .env("PROXY_USER", USER)
        .env("PROXY_PASSWORD", password)
        .env("GATEWAY_KEY", GATEWAY_KEY);
    let ran = run_bounded("the report's proxy step", bash, TOOL_TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ran.success(), "{}", ran.diagnostics());
    ran.stdout.trim().to_owned()
}

#[test]
fn claude_code_and_the_report_step_go_through_the_emitted_proxy() {
    let mut mock = MockProvider::start(REPLY);
    let mut proxy = Tinyproxy::start(USER, PASSWORD);
    let emitted = Emit::new(&recipe(&mock.url, &proxy.url))
        .args(&["--format", "json"])
        .secrets(&[
            ("PROXY_USER", USER),
            ("PROXY_PASSWORD", PASSWORD),
            ("GATEWAY_KEY", GATEWAY_KEY),
        ])
        .run();

    // The report's step, as written: through the proxy to the gateway, then refused by the
    // proxy with a wrong password, which never reaches the gateway.
    let (command, expect) = proxy_step(&emitted);
    assert!(command.contains("--proxy \"$HTTPS_PROXY\""), "{command}");
    let direct = http_client()
        .get(&mock.url)
        .send()
        .unwrap_or_else(|e| panic!("the mock does not answer directly: {e}"))
        .status();
    let before = mock.records().len();
    assert_eq!(
        run_step(&emitted, &command, PASSWORD),
        direct.as_str(),
        "through the proxy the gateway should answer as it does directly: {command}"
    );
    let reached = mock.records();
    assert_eq!(reached.len(), before + 1, "{}", mock.diagnostics());
    let via = header(reached.last().expect("a record"), "via").unwrap_or_default();
    assert!(
        via.contains("tinyproxy"),
        "not through the proxy: via {via:?}"
    );
    let refused = run_step(&emitted, &command, "wrong-password");
    assert!(
        ["401", "407"].contains(&refused.as_str()) && expect.contains(&refused),
        "the proxy's refusal ({refused}) is not what the step describes: {expect}"
    );
    assert_eq!(
        mock.records().len(),
        before + 1,
        "a refused request got through"
    );

    // Claude Code with only the emitted files: the reply comes back, by way of the proxy.
    let ran = claude::through_emitted(
        &emitted,
        &[
            ("PROXY_USER", USER),
            ("PROXY_PASSWORD", PASSWORD),
            ("GATEWAY_KEY", GATEWAY_KEY),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}\n{}\n{}", proxy.proc.diagnostics(), mock.diagnostics()));
    assert!(ran.stdout.contains(REPLY), "{}", ran.diagnostics());
    let records = mock.records();
    let sent = find_messages_request(&records, "claude-cli/")
        .unwrap_or_else(|| panic!("no request from Claude Code\n{}", mock.diagnostics()));
    let via = header(sent, "via").unwrap_or_default();
    assert!(
        via.contains("tinyproxy"),
        "Claude Code bypassed the proxy: via {via:?}"
    );
    assert_eq!(
        header(sent, "authorization"),
        Some(format!("Bearer {}", credential_fingerprint(GATEWAY_KEY)).as_str())
    );
}
