//! `gwscript probe` against loopback peers: the mock itself (everything passes), and small axum
//! proxies in front of it that break one part of the contract each (the matching check fails).

mod loopback;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gwscript::probe::check::{Check, Credential, Probe, Status, Target};
use gwscript::probe::mock::{MockConfig, MockServer};
use serde_json::Value;
use std::time::Duration;
use tokio::sync::oneshot;

/// What a test proxy does wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Drops the `anthropic-beta` header on the way up.
    StripBeta,
    /// Reads the whole response before sending any of it.
    BufferStream,
    /// Refuses every request with an HTML 403 page that quotes the Authorization header back.
    EchoCredential,
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    fault: Fault,
    client: reqwest::Client,
}

/// A running test proxy; dropping it stops it.
struct RunningProxy {
    url: String,
    _stop: oneshot::Sender<()>,
}

async fn start_proxy(upstream: &MockServer, fault: Fault) -> RunningProxy {
    let proxy = Proxy {
        upstream: upstream.base_url(),
        fault,
        client: loopback::client(),
    };
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    RunningProxy { url, _stop: stop }
}

async fn forward(State(proxy): State<Proxy>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if proxy.fault == Fault::EchoCredential {
        let sent = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let page = format!("<html><body>403: {sent} is not allowed</body></html>");
        return (StatusCode::FORBIDDEN, [("content-type", "text/html")], page).into_response();
    }
    let body = axum::body::to_bytes(body, 64 * 1024 * 1024).await.unwrap();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut headers = HeaderMap::new();
    for (name, value) in &parts.headers {
        let dropped = name == "host"
            || name == "content-length"
            || (proxy.fault == Fault::StripBeta && name == "anthropic-beta");
        if !dropped {
            headers.append(name, value.clone());
        }
    }
    let upstream = proxy
        .client
        .request(parts.method, format!("{}{path}", proxy.upstream))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = StatusCode::from_u16(upstream.status().as_u16()).unwrap();
    let mut response_headers = HeaderMap::new();
    for (name, value) in upstream.headers() {
        if name != "content-length" && name != "transfer-encoding" {
            response_headers.append(name, value.clone());
        }
    }
    let body = if proxy.fault == Fault::BufferStream {
        Body::from(upstream.bytes().await.unwrap())
    } else {
        Body::from_stream(upstream.bytes_stream())
    };
    (status, response_headers, body).into_response()
}

async fn probe(url: &str, mock: Option<&MockServer>) -> Vec<Check> {
    let target = Target {
        url: url.to_owned(),
        mock: mock.map(MockServer::base_url),
        credential: Credential::Bearer("probe-test-token".to_owned()),
    };
    Probe::new(target).unwrap().run().await
}

fn status_of(checks: &[Check], id: &str) -> Status {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
        .status
}

#[tokio::test]
async fn the_mock_probed_directly_passes_every_check() {
    let mock = loopback::start(MockConfig::default()).await;
    let checks = probe(&mock.base_url(), Some(&mock)).await;
    for check in &checks {
        // The mock checks no credentials: a wrong token reaches it and gets 200, which the probe
        // reports as pass-through authentication (warn), not as a gateway that lets anyone in.
        let expected = if check.id == "auth.bad_token" {
            Status::Warn
        } else {
            Status::Pass
        };
        assert_eq!(check.status, expected, "{check:#?}");
    }
    assert_eq!(checks.len(), 13, "{checks:#?}");
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_proxy_that_strips_anthropic_beta_fails_the_header_check() {
    let mock = loopback::start(MockConfig::default()).await;
    let proxy = start_proxy(&mock, Fault::StripBeta).await;
    let checks = probe(&proxy.url, Some(&mock)).await;
    assert_eq!(status_of(&checks, "headers.version_beta"), Status::Fail);
    assert_eq!(status_of(&checks, "headers.session_id"), Status::Pass);
    assert_eq!(status_of(&checks, "stream.buffering"), Status::Pass);
    drop(proxy);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_proxy_that_buffers_the_stream_fails_the_buffering_check() {
    let mock = loopback::start(MockConfig::default()).await;
    let proxy = start_proxy(&mock, Fault::BufferStream).await;
    let checks = probe(&proxy.url, Some(&mock)).await;
    let buffering = checks.iter().find(|c| c.id == "stream.buffering").unwrap();
    assert_eq!(buffering.status, Status::Fail, "{buffering:#?}");
    assert!(
        buffering.fix.contains("proxy_buffering off"),
        "{buffering:#?}"
    );
    // Buffered, the stream is still complete.
    assert_eq!(status_of(&checks, "stream.events"), Status::Pass);
    assert_eq!(status_of(&checks, "headers.version_beta"), Status::Pass);
    drop(proxy);
    mock.shutdown().await.unwrap();
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
        .args(args)
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
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
        stdout.starts_with(r#"{"checks":[{"id":"endpoint.base_url","criterion":"#),
        "{stdout}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let object = report.as_object().unwrap();
    assert_eq!(object.keys().collect::<Vec<_>>(), ["checks"]);
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 13);
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
    assert_eq!(failed, ["headers.version_beta"]);
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
