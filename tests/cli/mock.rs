//! `gwscript mock` as a process: the address line, loopback-only, clean exit on SIGTERM, and
//! records that hold a key's fingerprint, never the key.

use gwscript_tests::mock::{credential_fingerprint, header};
use gwscript_tests::{MockProvider, Proc, gwscript_bin, http_client};
use std::process::Command;
use std::time::Duration;

const EXIT_TIMEOUT: Duration = Duration::from_secs(20);

#[test]
fn prints_its_address_serves_and_exits_cleanly_on_sigterm() {
    let mut mock = MockProvider::start("hi");
    let response = http_client().head(format!("{}/", mock.url)).send().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        mock.proc.stdout().lines().count(),
        1,
        "exactly one stdout line"
    );

    mock.proc.stop();
    let status = mock.proc.try_status().expect("stopped");
    assert!(
        status.success(),
        "exit on SIGTERM: {status}\n{}",
        mock.proc.diagnostics()
    );
}

fn run(args: &[&str]) -> (i32, String) {
    let mut command = Command::new(gwscript_bin());
    command.args(args).env_clear();
    let mut proc = Proc::spawn("gwscript mock", command);
    let status = proc
        .wait(EXIT_TIMEOUT)
        .unwrap_or_else(|| panic!("still running\n{}", proc.diagnostics()));
    (status.code().unwrap_or(-1), proc.stderr())
}

#[test]
fn refuses_a_non_loopback_address() {
    let (code, stderr) = run(&["mock", "anthropic", "--listen", "0.0.0.0:0"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error[GW0004]") && stderr.contains("not a loopback address"),
        "{stderr}"
    );
}

#[test]
fn a_port_in_use_is_a_diagnostic() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("address").to_string();
    let (code, stderr) = run(&["mock", "anthropic", "--listen", &address]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("error[GW0005]"), "{stderr}");
}

#[test]
fn offers_the_three_provider_formats_and_no_other() {
    let (code, stderr) = run(&["mock", "openai", "--listen", "127.0.0.1:0"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("possible values: anthropic, bedrock, vertex"),
        "{stderr}"
    );
}

#[test]
fn records_hold_the_fingerprint_of_a_forwarded_key_never_the_key() {
    const KEY: &str = "sk-ant-gwscript-cli-mock-key-0b7e";
    let mut mock = MockProvider::start("hi");
    let response = http_client()
        .post(format!("{}/v1/messages", mock.url))
        .header("x-api-key", KEY)
        .header("authorization", format!("Bearer {KEY}"))
        .body(r#"{"model": "claude-sonnet-4-5", "max_tokens": 8, "messages": []}"#)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let records = mock.records();
    let [record] = records.as_slice() else {
        panic!("one record\n{}", mock.diagnostics());
    };
    assert!(!record.to_string().contains(KEY), "{record}");
    // The tests' own fingerprint agrees with the binary's, so the gateway tests may compare.
    assert_eq!(
        header(record, "x-api-key"),
        Some(credential_fingerprint(KEY).as_str())
    );
    assert_eq!(
        header(record, "authorization"),
        Some(format!("Bearer {}", credential_fingerprint(KEY)).as_str())
    );
    mock.proc.stop();
}
