//! `gwscript probe` against a real nginx (Debian's nginx-light, `gwscript_tests::nginx`) in front
//! of gwscript's mock: the correct streaming reverse proxy keeps every check at its baseline in
//! all three formats, and each variant that changes one directive, the way real deployments get
//! it wrong, fails the check that covers it with a fix naming the directive, while the checks
//! unrelated to the fault keep their baseline.
//!
//! The baseline is the mock's own verdict: `transport.*` skip (no proxy, plain http),
//! `auth.bad_token` warns (the mock takes any token: pass-through authentication),
//! `discovery.models` skips outside the Messages format, and every other check passes.

use gwscript_tests::MockProvider;
use gwscript_tests::nginx::NginxGateway;
use gwscript_tests::probe::{Expected, Probed, probe};

const REPLY: &str = "Hello from the gwscript mock provider, probed through nginx.";
/// A short quiet gap for the runs whose fault is not a timeout: the correct config's read
/// timeout is an hour.
const QUICK_IDLE: &str = "2";
/// A quiet gap longer than the 3 s read timeout under test, and long enough for the correct
/// config to show that a real quiet gap survives.
const LONG_IDLE: &str = "5";

const ALL: &[Api] = &[Api::Messages, Api::Bedrock, Api::Vertex];
const MESSAGES: &[Api] = &[Api::Messages];
const BEDROCK: &[Api] = &[Api::Bedrock];

/// Every check in report order, with the formats that report it.
const CHECKS: &[(&str, &[Api])] = &[
    ("transport.proxy", ALL),
    ("transport.tls", ALL),
    ("endpoint.base_url", ALL),
    ("endpoint.prompt", ALL),
    ("endpoint.count_tokens", MESSAGES),
    ("endpoint.inference_profiles", BEDROCK),
    ("headers.version_beta", ALL),
    ("headers.session_id", ALL),
    ("headers.feature_pair", ALL),
    ("headers.query", MESSAGES),
    ("body.integrity", ALL),
    ("body.large", ALL),
    ("stream.events", ALL),
    ("stream.eventstream", BEDROCK),
    ("stream.pings", ALL),
    ("stream.buffering", ALL),
    ("auth.bad_token", ALL),
    ("auth.x_api_key", ALL),
    ("auth.forwarded", ALL),
    ("discovery.models", ALL),
    ("status.passthrough", ALL),
    ("timeout.idle", ALL),
    ("timeout.long_answer", ALL),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Messages,
    Bedrock,
    Vertex,
}

impl Api {
    fn flag(self) -> &'static str {
        match self {
            Api::Messages => "messages",
            Api::Bedrock => "bedrock",
            Api::Vertex => "vertex",
        }
    }

    /// The base URL's path on the gateway: Vertex's sits under `/v1`, as Google serves it.
    fn path(self) -> &'static str {
        match self {
            Api::Vertex => "/v1",
            Api::Messages | Api::Bedrock => "",
        }
    }

    /// The checks this format reports, in report order.
    fn checks(self) -> Vec<&'static str> {
        CHECKS
            .iter()
            .filter(|(_, formats)| formats.contains(&self))
            .map(|(id, _)| *id)
            .collect()
    }
}

/// The status check `id` has through the correct gateway (see the module docs).
fn baseline(api: Api, id: &'static str) -> Expected {
    let status: &'static [&'static str] = match id {
        "transport.proxy" | "transport.tls" => &["skip"],
        "auth.bad_token" => &["warn"],
        "discovery.models" if api != Api::Messages => &["skip"],
        _ => &["pass"],
    };
    Expected {
        id,
        status,
        evidence: &[],
    }
}

/// A check the fault under test fails: its evidence names one of `evidence` (any, when empty)
/// and its fix holds `fix` (anything, when empty: a consequence whose fix is about the other
/// check).
struct Fails {
    id: &'static str,
    evidence: &'static [&'static str],
    fix: &'static str,
}

/// Probes an nginx configured by `configure` (from the correct config, in front of a fresh mock)
/// in `api`'s format with `--idle-test idle`. Panics unless the report has exactly `api`'s
/// checks, those in `fails` fail as described, every other keeps its baseline, the exit status
/// is 1 exactly when something fails, and nginx proxied the probe's traffic. Returns the report.
fn assert_probe(
    configure: impl FnOnce(NginxGateway) -> NginxGateway,
    api: Api,
    idle: &str,
    fails: &[Fails],
) -> Probed {
    let mut mock = MockProvider::start(REPLY);
    let gateway = configure(NginxGateway::correct(&mock.url));
    let mut nginx = gateway.start();
    let url = format!("{}{}", nginx.url, api.path());
    let probed = probe(
        &[
            &url,
            "--api",
            api.flag(),
            "--mock",
            &mock.url,
            "--idle-test",
            idle,
            // nginx passes the client's credential through: auth.forwarded passes.
            "--token",
            "sk-gwscript-nginx-probe",
        ],
        &[],
    );
    let expected: Vec<Expected> = api
        .checks()
        .iter()
        .map(|&id| match fails.iter().find(|f| f.id == id) {
            Some(fail) => Expected {
                id,
                status: &["fail"],
                evidence: fail.evidence,
            },
            None => baseline(api, id),
        })
        .collect();
    let mut mismatches = probed.mismatches(&expected);
    let reported: Vec<&str> = probed.checks().iter().map(|c| c.id.as_str()).collect();
    if reported != api.checks() {
        mismatches.push(format!(
            "the report's checks are {reported:?}, not {:?}",
            api.checks()
        ));
    }
    // A missing check is already a mismatch: it must not hide the others.
    for fail in fails {
        let Some(check) = probed.checks().iter().find(|c| c.id == fail.id) else {
            continue;
        };
        let fix = &check.fix;
        if !fix.contains(fail.fix) {
            mismatches.push(format!(
                "{}: the fix names no {:?}: {fix}",
                fail.id, fail.fix
            ));
        }
    }
    let exit = if fails.is_empty() { 0 } else { 1 };
    if probed.ran.code() != Some(exit) {
        mismatches.push(format!(
            "{} where exit code {exit} is expected",
            probed.ran.status
        ));
    }
    // The probe also reads the mock directly (its records); only nginx logs the upstream.
    let upstream = format!("upstream={}", mock.url.trim_start_matches("http://"));
    if !nginx.access_log().contains(&upstream) {
        mismatches.push("nginx proxied nothing to the mock".to_owned());
    }
    assert!(
        mismatches.is_empty(),
        "probe in {api:?} format through nginx: {} deviation(s):\n- {}\n{}\n--- {gateway:?}\n{}\n{}",
        mismatches.len(),
        mismatches.join("\n- "),
        probed.dump(),
        nginx.diagnostics(),
        mock.diagnostics()
    );
    probed
}

/// The correct config unchanged.
fn correct(gateway: NginxGateway) -> NginxGateway {
    gateway
}

#[test]
fn the_correct_nginx_keeps_every_check_at_its_baseline() {
    // A real 5 s quiet gap and 5 s long answer, so the timeout checks really run.
    assert_probe(correct, Api::Messages, LONG_IDLE, &[]);
}

#[test]
fn the_correct_nginx_keeps_every_bedrock_check_at_its_baseline() {
    assert_probe(correct, Api::Bedrock, QUICK_IDLE, &[]);
}

#[test]
fn the_correct_nginx_keeps_every_vertex_check_at_its_baseline() {
    assert_probe(correct, Api::Vertex, QUICK_IDLE, &[]);
}

#[test]
fn buffering_on_with_an_http_1_0_upstream_fails_stream_buffering() {
    // `proxy_buffering on` alone passes each chunk of an HTTP/1.1 upstream's chunked stream on
    // as it arrives; with nginx's default HTTP/1.0 upstream (what many real deployments have)
    // the stream arrives in one piece at its end.
    assert_probe(
        |gateway| {
            gateway
                .with("proxy_buffering on")
                .without("proxy_http_version")
        },
        Api::Messages,
        QUICK_IDLE,
        &[Fails {
            id: "stream.buffering",
            evidence: &[],
            fix: "proxy_buffering off",
        }],
    );
}

#[test]
fn a_stripped_anthropic_beta_fails_the_beta_and_feature_pair_checks() {
    // An empty value makes nginx send no such header at all.
    assert_probe(
        |gateway| gateway.with("proxy_set_header anthropic-beta \"\""),
        Api::Messages,
        QUICK_IDLE,
        &[
            Fails {
                id: "headers.version_beta",
                evidence: &["missing"],
                fix: "proxy_set_header",
            },
            // The feature's body field arrives without the beta that enables it.
            Fails {
                id: "headers.feature_pair",
                evidence: &["without its beta"],
                fix: "",
            },
        ],
    );
}

#[test]
fn an_overwritten_anthropic_version_fails_the_version_check() {
    assert_probe(
        |gateway| gateway.with("proxy_set_header anthropic-version \"2023-01-01\""),
        Api::Messages,
        QUICK_IDLE,
        &[Fails {
            id: "headers.version_beta",
            evidence: &["2023-01-01"],
            fix: "proxy_set_header",
        }],
    );
}

#[test]
fn a_3_s_read_timeout_fails_timeout_idle_and_measures_it() {
    let probed = assert_probe(
        |gateway| gateway.with("proxy_read_timeout 3s"),
        Api::Messages,
        LONG_IDLE,
        &[Fails {
            id: "timeout.idle",
            evidence: &["effective idle limit is about"],
            fix: "proxy_read_timeout",
        }],
    );
    let evidence = &probed.check("timeout.idle").evidence;
    let limit: Option<f64> = evidence
        .split("effective idle limit is about ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|number| number.parse().ok());
    assert!(
        limit.is_some_and(|secs| (2.0..=4.5).contains(&secs)),
        "the measured idle limit is not about 3 s: {evidence}\n{}",
        probed.dump()
    );
}

#[test]
fn nginx_default_1_mib_body_limit_fails_body_large() {
    assert_probe(
        |gateway| gateway.without("client_max_body_size"),
        Api::Messages,
        QUICK_IDLE,
        &[Fails {
            id: "body.large",
            evidence: &[],
            fix: "client_max_body_size",
        }],
    );
}
