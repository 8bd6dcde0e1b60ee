//! `gwscript probe` against loopback peers: the mock itself (everything passes, in all three
//! formats), and test gateways in front of it that break one part of the contract each (the
//! matching check catches it, with the status its effect on Claude Code deserves).

mod faults;
mod loopback;
mod servers;

use faults::{Fault, start as start_proxy};
use gwscript::probe::check::{Api, Check, Credential, Probe, Status, Target};
use gwscript::probe::mock::{MockConfig, MockServer};
use serde_json::Value;
use servers::{Serve, Server, tls_server};
use std::time::Duration;

fn target(url: &str, mock: Option<&MockServer>) -> Target {
    Target {
        mock: mock.map(MockServer::base_url),
        credential: Credential::Bearer("probe-test-token".to_owned()),
        // A short quiet gap: these proxies have no idle limit, and the tests stay quick.
        idle: Duration::from_secs(1),
        ..Target::new(url)
    }
}

async fn probe(url: &str, mock: Option<&MockServer>) -> Vec<Check> {
    Probe::new(target(url, mock)).unwrap().run().await
}

fn status_of(checks: &[Check], id: &str) -> Status {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
        .status
}

/// What a check says about a faithful gateway in front of the mock.
fn baseline(api: Api, id: &str) -> Status {
    match id {
        // The mock checks no credentials: a wrong token reaches it and gets 200, which the probe
        // reports as pass-through authentication (warn), not as an open gateway.
        "auth.bad_token" => Status::Warn,
        // No proxy and plain http; discovery belongs to the Messages format.
        "transport.proxy" | "transport.tls" => Status::Skip,
        "discovery.models" if api != Api::Messages => Status::Skip,
        _ => Status::Pass,
    }
}

/// The mock serves all three formats at its root, Vertex under `/v1` as Google does.
#[tokio::test]
async fn the_mock_probed_directly_passes_every_check_in_every_format() {
    let mock = loopback::start(MockConfig::default()).await;
    let base = mock.base_url();
    for (api, url, count) in [
        (Api::Messages, base.clone(), 21),
        (Api::Bedrock, base.clone(), 21),
        (Api::Vertex, format!("{base}/v1"), 19),
    ] {
        let target = Target {
            api,
            ..target(&url, Some(&mock))
        };
        let checks = Probe::new(target).unwrap().run().await;
        for check in &checks {
            assert_eq!(check.status, baseline(api, check.id), "{api:?}: {check:#?}");
        }
        assert_eq!(checks.len(), count, "{api:?}: {checks:#?}");
    }
    mock.shutdown().await.unwrap();
}

/// Probes the mock in `api`'s format through a gateway with `fault`, with an idle test of
/// `idle`; asserts that exactly the `expected` checks differ from the baseline, each with its
/// status and a piece of its evidence or fix.
async fn expect(fault: Fault, api: Api, idle: Duration, expected: &[(&str, Status, &str)]) {
    let mock = loopback::start(MockConfig::default()).await;
    let proxy = start_proxy(&mock, fault).await;
    let url = match api {
        Api::Vertex => format!("{}/v1", proxy.url),
        Api::Messages | Api::Bedrock => proxy.url.clone(),
    };
    let target = Target {
        api,
        idle,
        ..target(&url, Some(&mock))
    };
    let checks = Probe::new(target).unwrap().run().await;
    for check in &checks {
        match expected.iter().find(|(id, _, _)| *id == check.id) {
            Some((_, status, text)) => {
                assert_eq!(check.status, *status, "{fault:?}: {check:#?}");
                assert!(
                    check.evidence.contains(text) || check.fix.contains(text),
                    "{fault:?}: {text:?} not in {check:#?}"
                );
            }
            None => assert_eq!(
                check.status,
                baseline(api, check.id),
                "{fault:?} changed a check it should not: {check:#?}"
            ),
        }
    }
    for (id, _, _) in expected {
        assert!(checks.iter().any(|c| c.id == *id), "no check {id}");
    }
    drop(proxy);
    mock.shutdown().await.unwrap();
}

const QUICK: Duration = Duration::from_secs(1);

#[tokio::test]
async fn a_stripped_anthropic_beta_fails_the_header_and_feature_pair_checks() {
    expect(
        Fault::StripBeta,
        Api::Messages,
        QUICK,
        &[
            ("headers.version_beta", Status::Fail, "missing: interleaved"),
            ("headers.feature_pair", Status::Fail, "Extra inputs"),
        ],
    )
    .await;
}

#[tokio::test]
async fn sorted_betas_are_a_warning_naming_the_reordering() {
    expect(
        Fault::SortBetas,
        Api::Messages,
        QUICK,
        &[("headers.version_beta", Status::Warn, "reordered")],
    )
    .await;
}

#[tokio::test]
async fn a_dropped_query_is_a_warning() {
    expect(
        Fault::DropQuery,
        Api::Messages,
        QUICK,
        &[("headers.query", Status::Warn, "no query")],
    )
    .await;
}

#[tokio::test]
async fn a_dropped_session_id_is_a_warning() {
    expect(
        Fault::DropSession,
        Api::Vertex,
        QUICK,
        &[("headers.session_id", Status::Warn, "got None")],
    )
    .await;
}

#[tokio::test]
async fn a_dropped_body_field_fails_integrity_and_warns_on_its_feature() {
    expect(
        Fault::DropBodyField,
        Api::Bedrock,
        QUICK,
        &[
            ("headers.feature_pair", Status::Warn, "silently off"),
            // The integrity check's own body has no such field: it passes.
        ],
    )
    .await;
}

#[tokio::test]
async fn a_reordered_system_prompt_fails_body_integrity() {
    expect(
        Fault::ReorderSystem,
        Api::Messages,
        QUICK,
        &[("body.integrity", Status::Fail, "/system/0/text differs")],
    )
    .await;
}

#[tokio::test]
async fn a_missing_count_tokens_route_is_a_warning() {
    expect(
        Fault::NoCountTokens,
        Api::Messages,
        QUICK,
        &[(
            "endpoint.count_tokens",
            Status::Warn,
            "falls back to estimating",
        )],
    )
    .await;
}

#[tokio::test]
async fn an_html_answer_to_inference_profiles_is_a_warning() {
    expect(
        Fault::BrokenProfiles,
        Api::Bedrock,
        QUICK,
        &[("endpoint.inference_profiles", Status::Warn, "502")],
    )
    .await;
}

#[tokio::test]
async fn a_1_mib_body_limit_fails_the_large_body_check_naming_nginx_directive() {
    expect(
        Fault::BodyLimit,
        Api::Messages,
        QUICK,
        &[("body.large", Status::Fail, "client_max_body_size")],
    )
    .await;
}

#[tokio::test]
async fn html_error_pages_fail_the_status_check() {
    expect(
        Fault::HtmlErrors,
        Api::Vertex,
        QUICK,
        &[("status.passthrough", Status::Fail, "HTML page")],
    )
    .await;
}

#[tokio::test]
async fn dropped_retry_headers_are_a_warning() {
    expect(
        Fault::DropRetryHeaders,
        Api::Messages,
        QUICK,
        &[("status.passthrough", Status::Warn, "lost its retry-after")],
    )
    .await;
}

#[tokio::test]
async fn a_gateway_that_checks_tokens_passes_the_bad_token_check_and_refuses_x_api_key() {
    expect(
        Fault::CheckToken,
        Api::Messages,
        QUICK,
        &[
            ("auth.bad_token", Status::Pass, "401"),
            ("auth.x_api_key", Status::Warn, "ANTHROPIC_AUTH_TOKEN"),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_500_for_a_bad_token_is_a_warning() {
    expect(
        Fault::ServerErrorOnBadToken,
        Api::Messages,
        QUICK,
        &[
            ("auth.bad_token", Status::Warn, "refused with 500"),
            ("auth.x_api_key", Status::Fail, "500"),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_gateway_that_sends_its_own_key_and_the_clients_too_is_a_warning() {
    expect(
        Fault::AddOwnKey,
        Api::Messages,
        QUICK,
        &[(
            "auth.forwarded",
            Status::Warn,
            "client's credential in authorization beside the gateway's own in x-api-key",
        )],
    )
    .await;
}

#[tokio::test]
async fn a_buffered_stream_fails_the_buffering_check() {
    expect(
        Fault::BufferStream,
        Api::Messages,
        QUICK,
        &[("stream.buffering", Status::Fail, "proxy_buffering off")],
    )
    .await;
}

#[tokio::test]
async fn a_held_message_start_is_a_warning() {
    expect(
        Fault::HoldStart,
        Api::Messages,
        QUICK,
        &[("stream.buffering", Status::Warn, "message_start was held")],
    )
    .await;
}

#[tokio::test]
async fn dropped_pings_are_a_warning() {
    expect(
        Fault::DropPings,
        Api::Vertex,
        QUICK,
        &[("stream.pings", Status::Warn, "0 of 2")],
    )
    .await;
}

#[tokio::test]
async fn a_bedrock_stream_relabelled_as_sse_fails() {
    expect(
        Fault::SseLabel,
        Api::Bedrock,
        QUICK,
        &[
            (
                "stream.eventstream",
                Status::Fail,
                "falls back to non-streaming",
            ),
            ("stream.events", Status::Fail, "not a chunk message"),
            ("stream.pings", Status::Warn, "0 of 2"),
            ("stream.buffering", Status::Fail, "no event arrived"),
            // No stream can be read whole: the timeout checks cannot see message_stop.
            ("timeout.idle", Status::Fail, "broke off"),
            ("timeout.long_answer", Status::Fail, "broke off"),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_corrupted_bedrock_frame_fails_naming_the_crc() {
    expect(
        Fault::CorruptFrame,
        Api::Bedrock,
        QUICK,
        &[
            ("stream.eventstream", Status::Fail, "CRC"),
            ("stream.events", Status::Fail, "broke off"),
            ("stream.pings", Status::Warn, "0 of 2"),
            ("stream.buffering", Status::Fail, "no event arrived"),
            ("timeout.idle", Status::Fail, "CRC"),
            ("timeout.long_answer", Status::Fail, "CRC"),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_idle_limit_shorter_than_the_quiet_gap_fails_and_is_measured() {
    expect(
        Fault::IdleCut,
        Api::Messages,
        QUICK,
        &[(
            "timeout.idle",
            Status::Fail,
            "the effective idle limit is about",
        )],
    )
    .await;
}

#[tokio::test]
async fn a_total_time_limit_fails_the_long_answer_check() {
    expect(
        Fault::TotalCut,
        Api::Messages,
        Duration::from_secs(2),
        &[
            ("timeout.long_answer", Status::Fail, "broke off"),
            ("timeout.idle", Status::Fail, "broke off"),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_redirected_model_list_is_a_warning() {
    expect(
        Fault::RedirectModels,
        Api::Messages,
        QUICK,
        &[(
            "discovery.models",
            Status::Warn,
            "treats any redirect as a failure",
        )],
    )
    .await;
}

#[tokio::test]
async fn a_base_url_ending_in_v1_fails_and_checks_needing_the_mock_are_skipped() {
    let mock = loopback::start(MockConfig::default()).await;
    let checks = probe(&format!("{}/v1", mock.base_url()), None).await;
    assert_eq!(status_of(&checks, "endpoint.base_url"), Status::Fail);
    for id in [
        "headers.version_beta",
        "body.large",
        "status.passthrough",
        "stream.buffering",
    ] {
        let check = checks.iter().find(|c| c.id == id).unwrap();
        assert_eq!(check.status, Status::Skip, "{check:#?}");
        assert_eq!(check.evidence, "needs --mock");
    }
    mock.shutdown().await.unwrap();
}

/// Runs the real binary's `probe` with `args`; returns its exit code and stdout.
async fn run_probe(args: &[&str]) -> (i32, String) {
    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_gwscript"))
        .arg("probe")
        // A short quiet gap keeps the timeout checks quick; these peers have no idle limit.
        .args(["--idle-test", "1"])
        .args(args)
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ANTHROPIC_AUTH_TOKEN")
        .env_remove("ANTHROPIC_API_KEY")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("probe finished in time")
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    (output.status.code().unwrap(), stdout)
}

#[tokio::test]
async fn json_output_has_the_documented_shape_and_a_failure_exits_1() {
    let mock = loopback::start(MockConfig::default()).await;
    let proxy = start_proxy(&mock, Fault::StripBeta).await;
    let mock_url = mock.base_url();
    let (code, stdout) = run_probe(&[
        &proxy.url,
        "--mock",
        &mock_url,
        "--token",
        "secret-probe-token",
        "--format",
        "json",
    ])
    .await;
    assert_eq!(code, 1, "{stdout}");
    assert!(
        !stdout.contains("secret-probe-token"),
        "the token is never printed"
    );
    // Fields in their documented order: id first.
    assert!(
        stdout.starts_with(r#"{"checks":[{"id":"transport.proxy","criterion":"#),
        "{stdout}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let object = report.as_object().unwrap();
    assert_eq!(object.keys().collect::<Vec<_>>(), ["checks"]);
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 21);
    for check in checks {
        let keys: Vec<&String> = check.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["criterion", "evidence", "fix", "id", "status"],
            "{check}"
        );
        assert!(
            ["pass", "fail", "warn", "skip"].contains(&check["status"].as_str().unwrap()),
            "{check}"
        );
    }
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    // Without its beta, the paired body field would be refused upstream.
    assert_eq!(failed, ["headers.version_beta", "headers.feature_pair"]);
    drop(proxy);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn human_output_is_a_table_with_a_verdict_and_a_pass_exits_0() {
    let mock = loopback::start(MockConfig::default()).await;
    let url = mock.base_url();
    let (code, stdout) = run_probe(&[&url, "--mock", &url]).await;
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("pass  stream.buffering")),
        "{stdout}"
    );
    let verdict = stdout.lines().last().unwrap();
    assert!(
        verdict.starts_with("verdict: compatible with Claude Code"),
        "{stdout}"
    );
    mock.shutdown().await.unwrap();
}

/// GW6001: a token no header can carry is refused before any request, exit 2, the value unshown.
#[tokio::test]
async fn gw6001_a_token_no_header_can_carry_stops_the_probe_before_it_starts() {
    let mock = loopback::start(MockConfig::default()).await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gwscript"))
        .args([
            "probe",
            &mock.base_url(),
            "--token",
            "sk-probe-7f3a\nsecond-line",
        ])
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), output)
        .await
        .expect("probe finished in time")
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error[GW6001]: the probe could not start: the --token value"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("sk-probe-7f3a") && output.stdout.is_empty(),
        "{stderr}"
    );
    assert!(mock.requests().is_empty(), "no request was sent");
    mock.shutdown().await.unwrap();
}

/// A user part or a key in the gateway URL never reaches the evidence, even when every request
/// fails (transport errors name their URL).
#[tokio::test]
async fn credentials_in_the_gateway_url_are_never_shown() {
    let closed = {
        // A port that was free a moment ago: nothing listens on it.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://probe-user:url-pass-7f3a@127.0.0.1:{closed}/?key=url-key-0b7e");
    let (code, stdout) = run_probe(&[&url, "--format", "json"]).await;
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("cannot connect"), "{stdout}");
    assert!(
        !stdout.contains("url-pass-7f3a") && !stdout.contains("url-key-0b7e"),
        "{stdout}"
    );
}

/// A gateway that quotes the credential back in an error page: the evidence shows the page, never
/// the credential.
#[tokio::test]
async fn a_credential_the_gateway_echoes_is_scrubbed_from_the_evidence() {
    let mock = loopback::start(MockConfig::default()).await;
    let proxy = start_proxy(&mock, Fault::EchoCredential).await;
    let (code, stdout) =
        run_probe(&[&proxy.url, "--token", "sk-echo-9c1d", "--format", "json"]).await;
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("403: Bearer <credential> is not allowed"),
        "{stdout}"
    );
    assert!(!stdout.contains("sk-echo-9c1d"), "{stdout}");
    mock.shutdown().await.unwrap();
}

/// `--bench`: the percentiles through the gateway and straight to the mock, and their difference.
#[tokio::test]
async fn bench_reports_gateway_and_mock_percentiles_and_the_overhead() {
    let mock = loopback::start(MockConfig::default()).await;
    let target = Target {
        bench: 5,
        idle: Duration::ZERO,
        ..target(&mock.base_url(), Some(&mock))
    };
    let checks = Probe::new(target).unwrap().run().await;
    let bench = checks.iter().find(|c| c.id == "bench.overhead").unwrap();
    assert_eq!(bench.status, Status::Pass, "{bench:#?}");
    for part in [
        "through the gateway: p50 ",
        "straight to the mock: p50 ",
        "overhead p50 ",
        "first token p50 ",
        "5 non-streaming requests and 5 streams each way",
    ] {
        assert!(bench.evidence.contains(part), "{part:?} in {bench:#?}");
    }
    // 2 warm-up and 5 counted rounds, each a request and a stream per side, besides the checks'.
    let timed = mock
        .requests()
        .iter()
        .filter(|r| r.body.to_string().contains("events_pace_ms\\\":0"))
        .count();
    assert_eq!(timed, 14, "streams timed on both sides");
    mock.shutdown().await.unwrap();
}

/// The probe trusts what Claude Code trusts: Mozilla's roots and NODE_EXTRA_CA_CERTS.
#[tokio::test]
async fn transport_tls_reports_the_version_and_whether_the_certificate_is_trusted() {
    let (config, pem) = tls_server(&[&rustls::version::TLS13]);
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, pem).unwrap();
    let gateway = Server::start(Serve::Http(|_| 404, Some(config)));
    let url = gateway.url("https");
    let run = |extra_ca: Option<&std::path::Path>| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_gwscript"));
        command
            .args(["probe", &url, "--idle-test", "0", "--format", "json"])
            .env_clear()
            .kill_on_drop(true);
        if let Some(ca) = extra_ca {
            command.env("NODE_EXTRA_CA_CERTS", ca);
        }
        command.output()
    };
    let check = |stdout: &[u8], id: &str| -> Value {
        let report: Value = serde_json::from_slice(stdout).unwrap();
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap()
    };
    let trusted = tokio::time::timeout(Duration::from_secs(120), run(Some(&ca)))
        .await
        .unwrap()
        .unwrap();
    let tls = check(&trusted.stdout, "transport.tls");
    assert_eq!(tls["status"], "pass", "{tls:#}");
    assert!(
        tls["evidence"]
            .as_str()
            .unwrap()
            .contains("negotiated TLS 1.3 with a trusted certificate"),
        "{tls:#}"
    );
    // The requests themselves went over that TLS: the server's 404 came back.
    let prompt = check(&trusted.stdout, "endpoint.prompt");
    assert_eq!(prompt["status"], "fail", "{prompt:#}");
    assert!(
        prompt["evidence"].as_str().unwrap().starts_with("404"),
        "{prompt:#}"
    );
    assert!(
        gateway
            .heads()
            .iter()
            .any(|h| h.starts_with("POST /v1/messages?beta=true"))
    );

    let untrusted = tokio::time::timeout(Duration::from_secs(120), run(None))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(untrusted.status.code(), Some(1));
    let tls = check(&untrusted.stdout, "transport.tls");
    assert_eq!(tls["status"], "fail", "{tls:#}");
    assert!(
        tls["evidence"]
            .as_str()
            .unwrap()
            .contains("has a certificate Claude Code does not trust"),
        "{tls:#}"
    );
    assert!(
        tls["fix"].as_str().unwrap().contains("NODE_EXTRA_CA_CERTS"),
        "{tls:#}"
    );

    // A fatal protocol_version alert: what a server speaking only TLS 1.0 or 1.1 answers.
    let old = Server::start(Serve::Raw(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]));
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gwscript"))
        .args([
            "probe",
            &old.url("https"),
            "--idle-test",
            "0",
            "--format",
            "json",
        ])
        .env_clear()
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), output)
        .await
        .unwrap()
        .unwrap();
    let tls = check(&output.stdout, "transport.tls");
    assert_eq!(tls["status"], "fail", "{tls:#}");
    assert!(
        tls["evidence"]
            .as_str()
            .unwrap()
            .contains("offers no TLS 1.2 or 1.3"),
        "{tls:#}"
    );
    assert!(
        tls["fix"].as_str().unwrap().contains("ssl_protocols"),
        "{tls:#}"
    );
}

/// Without --token or --api-key the probe takes Claude Code's own variable, so the secret need
/// not stand on the command line; it is scrubbed from the evidence all the same.
#[tokio::test]
async fn the_token_comes_from_anthropic_auth_token_when_no_flag_gives_one() {
    let mock = loopback::start(MockConfig::default()).await;
    let proxy = start_proxy(&mock, Fault::EchoCredential).await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gwscript"))
        .args(["probe", &proxy.url, "--idle-test", "0", "--format", "json"])
        .env_clear()
        .env("ANTHROPIC_AUTH_TOKEN", "sk-env-5e2f")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), output)
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("403: Bearer <credential> is not allowed"),
        "{stdout}"
    );
    assert!(!stdout.contains("sk-env-5e2f"), "{stdout}");
    mock.shutdown().await.unwrap();
}

/// GW6001 for what the environment gives the probe: a CA file Node could not use either, and a
/// proxy variable that is not a URL. Nothing is sent, the exit status is 2.
#[tokio::test]
async fn gw6001_an_unusable_ca_file_or_proxy_variable_stops_the_probe_before_it_starts() {
    let mock = loopback::start(MockConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, "not a certificate\n").unwrap();
    let ca = ca.to_str().unwrap().to_owned();
    for (variable, value, says) in [
        (
            "NODE_EXTRA_CA_CERTS",
            ca.as_str(),
            "NODE_EXTRA_CA_CERTS cannot be used",
        ),
        (
            "HTTP_PROXY",
            "http://[::1",
            "the proxy URL from HTTP_PROXY is not usable",
        ),
    ] {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gwscript"))
            .args(["probe", &mock.base_url(), "--idle-test", "0"])
            .env_clear()
            .env(variable, value)
            .kill_on_drop(true)
            .output();
        let output = tokio::time::timeout(Duration::from_secs(60), output)
            .await
            .unwrap()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{variable}: {stderr}");
        assert!(
            stderr.contains("error[GW6001]: the probe could not start: ") && stderr.contains(says),
            "{variable}: {stderr}"
        );
    }
    assert!(mock.requests().is_empty(), "no request was sent");
    mock.shutdown().await.unwrap();
}
