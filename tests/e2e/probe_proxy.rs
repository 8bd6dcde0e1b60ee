//! `gwscript probe` through a real corporate proxy: Debian's tinyproxy with basic auth on
//! loopback, in front of gwscript's mock, which is itself a conforming Messages gateway (so every
//! check has a known answer). The proxy comes from `--proxy` or from `HTTPS_PROXY`/`HTTP_PROXY`
//! with `NO_PROXY` honoured; the mock's `via` header and tinyproxy's log show which way each
//! request went. Wrong or missing proxy credentials end the probe promptly with the proxy's
//! refusal, and no password is ever printed.
//!
//! tinyproxy 1.11.1 answers a request without credentials 407, but wrong credentials 401 (an HTML
//! page with `WWW-Authenticate`, from `Server: tinyproxy`): both are the proxy's refusal.

use gwscript_tests::mock::header;
use gwscript_tests::probe::{Probed, probe, probe_within};
use gwscript_tests::proxy::Tinyproxy;
use gwscript_tests::{MockProvider, poll_until};
use std::time::Duration;

const REPLY: &str = "Hello from the gwscript mock provider, probed through the corporate proxy.";
const USER: &str = "gwscript-probe-proxy-user";
/// tinyproxy's BasicAuth takes only `[-a-z0-9._]`.
const PASSWORD: &str = "gwscript-probe-proxy-password-5813";
const WRONG_PASSWORD: &str = "gwscript-probe-wrong-password-2718";
/// A short quiet gap: tinyproxy's `Timeout 60` is not what is under test here.
const IDLE_TEST_SECS: &str = "2";
/// A refused probe sends nothing past the proxy and must not wait out request timeouts.
const REFUSED_TIMEOUT: Duration = Duration::from_secs(90);
/// How long tinyproxy's log may lag behind the requests it carried.
const LOG_CATCH_UP: Duration = Duration::from_secs(5);
/// The check that reports the way through the proxy.
const PROXY_CHECK: &str = "transport.proxy";

/// `http://USER:PASSWORD@127.0.0.1:PORT`, or without a user part when `password` is `None`.
fn proxy_url(proxy: &Tinyproxy, password: Option<&str>) -> String {
    match password {
        Some(password) => proxy
            .url
            .replacen("http://", &format!("http://{USER}:{password}@"), 1),
        None => proxy.url.clone(),
    }
}

/// The probe's arguments against the mock as its own gateway, then `extra`.
fn probe_args<'a>(mock: &'a MockProvider, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        mock.url.as_str(),
        "--mock",
        mock.url.as_str(),
        "--idle-test",
        IDLE_TEST_SECS,
    ];
    args.extend_from_slice(extra);
    args
}

/// How many requests tinyproxy has logged so far (`Request (file descriptor N): POST http://…`).
fn requests_logged(proxy: &Tinyproxy) -> usize {
    let log = format!("{}{}", proxy.proc.stdout(), proxy.proc.stderr());
    log.lines()
        .filter(|l| l.contains("Request (file descriptor"))
        .count()
}

/// Which way the probe went, from both ends: the mock's records since `seen` (each with or
/// without tinyproxy's `via`), and the requests tinyproxy logged since `logged`.
struct Traffic {
    records: usize,
    via_proxy: usize,
    logged: usize,
}

impl Traffic {
    /// The counts and the probe's output, for a failure message.
    fn context(&self, how: &str, probed: &Probed) -> String {
        format!(
            "{how}: {} mock records, {} via tinyproxy, {} requests in its log\n{}",
            self.records,
            self.via_proxy,
            self.logged,
            probed.dump()
        )
    }
}

struct Watch<'a> {
    mock: &'a MockProvider,
    proxy: &'a Tinyproxy,
    seen: usize,
    logged: usize,
}

impl<'a> Watch<'a> {
    fn start(mock: &'a MockProvider, proxy: &'a Tinyproxy) -> Watch<'a> {
        Watch {
            mock,
            proxy,
            seen: mock.records().len(),
            logged: requests_logged(proxy),
        }
    }

    fn traffic(&self) -> Traffic {
        let records = self.mock.records();
        let new = &records[self.seen.min(records.len())..];
        let via_proxy = new
            .iter()
            .filter(|r| header(r, "via").is_some_and(|v| v.contains("tinyproxy")))
            .count();
        // tinyproxy's log reaches us through a pipe a thread drains: give its last lines a moment
        // to catch up with the requests the mock already recorded.
        let logged = poll_until(LOG_CATCH_UP, Duration::from_millis(50), || {
            let logged = requests_logged(self.proxy) - self.logged;
            (logged >= via_proxy).then_some(logged)
        })
        .unwrap_or_else(|| requests_logged(self.proxy) - self.logged);
        Traffic {
            records: new.len(),
            via_proxy,
            logged,
        }
    }
}

/// Every request of `probed` reached the mock through tinyproxy, and the probe's verdict is the
/// same as without the proxy, whose check now passes.
fn assert_carried(probed: &Probed, direct: &Probed, traffic: &Traffic, how: &str) {
    let context = traffic.context(&format!("through the proxy ({how})"), probed);
    assert_eq!(probed.ran.code(), Some(0), "{context}");
    assert!(
        traffic.records > 0 && traffic.via_proxy == traffic.records,
        "a request bypassed the proxy: {context}"
    );
    assert!(
        traffic.logged >= traffic.records,
        "tinyproxy logged fewer requests than reached the mock: {context}"
    );
    assert_eq!(probed.check(PROXY_CHECK).status, "pass", "{context}");
    for check in direct.checks().iter().filter(|c| c.id != PROXY_CHECK) {
        assert_eq!(
            probed.check(&check.id).status,
            check.status,
            "{} differs through the proxy; directly: {}\n{context}",
            check.id,
            check.evidence
        );
    }
    probed.assert_not_shown(PASSWORD, "proxy password");
}

/// The probe straight at the mock: the baseline, which must have no fail (the mock is a
/// conforming gateway; it only cannot refuse a wrong token, which it does not check).
fn direct(mock: &MockProvider) -> Probed {
    let direct = probe(&probe_args(mock, &[]), &[]);
    let failed: Vec<_> = direct
        .checks()
        .iter()
        .filter(|c| c.status == "fail")
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        direct.ran.code() == Some(0) && failed.is_empty(),
        "the mock probed directly fails {failed:?}\n{}",
        direct.dump()
    );
    direct
}

#[test]
fn probe_through_tinyproxy_with_the_proxy_flag_passes_as_it_does_directly() {
    let mock = MockProvider::start(REPLY);
    let proxy = Tinyproxy::start(USER, PASSWORD);
    let direct = direct(&mock);
    let url = proxy_url(&proxy, Some(PASSWORD));
    let watch = Watch::start(&mock, &proxy);
    let probed = probe(&probe_args(&mock, &["--proxy", &url]), &[]);
    assert_carried(&probed, &direct, &watch.traffic(), "--proxy");
}

/// The probe with only `variable` naming the proxy: it must go through it.
fn assert_proxy_variable_carries(variable: &str) {
    let mock = MockProvider::start(REPLY);
    let proxy = Tinyproxy::start(USER, PASSWORD);
    let direct = direct(&mock);
    let url = proxy_url(&proxy, Some(PASSWORD));
    let watch = Watch::start(&mock, &proxy);
    let probed = probe(&probe_args(&mock, &[]), &[(variable, &url)]);
    assert_carried(&probed, &direct, &watch.traffic(), variable);
}

/// Claude Code reads HTTPS_PROXY for a plain-http gateway too: the emitted env.sh sets only that
/// one, and e2e_proxy_claude sees Claude Code's request arrive through tinyproxy.
#[test]
fn probe_takes_the_proxy_from_https_proxy_as_claude_code_does() {
    assert_proxy_variable_carries("HTTPS_PROXY");
}

#[test]
fn probe_takes_the_proxy_from_http_proxy() {
    assert_proxy_variable_carries("HTTP_PROXY");
}

#[test]
fn probe_goes_straight_to_a_gateway_no_proxy_covers() {
    let mock = MockProvider::start(REPLY);
    let proxy = Tinyproxy::start(USER, PASSWORD);
    let url = proxy_url(&proxy, Some(PASSWORD));
    let watch = Watch::start(&mock, &proxy);
    let probed = probe(
        &probe_args(&mock, &[]),
        &[
            ("HTTPS_PROXY", &url),
            ("HTTP_PROXY", &url),
            ("NO_PROXY", "127.0.0.1"),
        ],
    );
    let traffic = watch.traffic();
    let context = traffic.context("NO_PROXY=127.0.0.1", &probed);
    assert_eq!(probed.ran.code(), Some(0), "{context}");
    assert!(
        traffic.records > 0 && traffic.via_proxy == 0 && traffic.logged == 0,
        "the proxy was not bypassed: {context}"
    );
    let check = probed.check(PROXY_CHECK);
    assert!(
        check.status != "fail" && check.evidence.contains("NO_PROXY"),
        "{PROXY_CHECK} should say NO_PROXY exempts the gateway: {context}"
    );
    probed.assert_not_shown(PASSWORD, "proxy password");
}

#[test]
fn probe_refused_by_the_proxy_ends_promptly_with_its_status_and_shows_no_password() {
    let mock = MockProvider::start(REPLY);
    let proxy = Tinyproxy::start(USER, PASSWORD);
    // Wrong credentials (tinyproxy: 401), then none at all (407).
    for (password, status) in [(Some(WRONG_PASSWORD), "401"), (None, "407")] {
        let url = proxy_url(&proxy, password);
        let watch = Watch::start(&mock, &proxy);
        let probed = probe_within(&probe_args(&mock, &["--proxy", &url]), &[], REFUSED_TIMEOUT);
        let traffic = watch.traffic();
        let context = format!(
            "refused by the proxy (credentials: {}): {} mock records, {} requests in tinyproxy's \
             log\n{}",
            if password.is_some() { "wrong" } else { "none" },
            traffic.records,
            traffic.logged,
            probed.dump()
        );
        assert_eq!(probed.ran.code(), Some(1), "{context}");
        assert_eq!(
            traffic.records, 0,
            "a refused request got through: {context}"
        );
        let check = probed.check(PROXY_CHECK);
        assert!(
            check.status == "fail"
                && check.evidence.contains(status)
                && check.evidence.to_lowercase().contains("proxy"),
            "{PROXY_CHECK} should fail naming the proxy's {status}: {context}"
        );
        // Nothing reached the gateway, so no check of it can pass (the base URL's form is not
        // a request).
        let passed: Vec<_> = probed
            .checks()
            .iter()
            .filter(|c| c.status == "pass" && c.id != "endpoint.base_url")
            .map(|c| c.id.as_str())
            .collect();
        assert!(
            passed.is_empty(),
            "{passed:?} passed without a gateway: {context}"
        );
        probed.assert_not_shown(WRONG_PASSWORD, "wrong proxy password");
        probed.assert_not_shown(PASSWORD, "proxy password");
    }
}
