//! `gwscript probe … --format json` from tests: run it bounded and with a clean environment, parse
//! its `{"checks":[…]}`, look checks up by id, and compare them with what a test expects, listing
//! every mismatch at once (one misclassified check must not hide the next).

use crate::tool::{Ran, SYSTEM_PATH, run_bounded};
use crate::{gwscript_bin, temp_dir};
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

/// A whole probe run: its slowest checks wait on gateways that retry errors upstream (LiteLLM
/// retries a 429 for about 20 s), but a hang must still end the test.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(300);

/// One check, as the JSON output holds it.
#[derive(Debug, Clone)]
pub struct ProbeCheck {
    pub id: String,
    pub status: String,
    pub evidence: String,
    pub fix: String,
}

/// A finished `gwscript probe` and the checks it printed (or why they did not parse).
#[derive(Debug)]
pub struct Probed {
    pub ran: Ran,
    checks: Result<Vec<ProbeCheck>, String>,
}

/// What a test expects of one check: its status is one of `status`, and (when `evidence` is not
/// empty) its evidence names the deviation by at least one of those words, ignoring case.
#[derive(Debug, Clone, Copy)]
pub struct Expected {
    pub id: &'static str,
    pub status: &'static [&'static str],
    pub evidence: &'static [&'static str],
}

impl Expected {
    pub const fn pass(id: &'static str) -> Expected {
        Expected {
            id,
            status: &["pass"],
            evidence: &[],
        }
    }

    /// A deviation Claude Code tolerates: a warn whose evidence names it.
    pub const fn warn(id: &'static str, evidence: &'static [&'static str]) -> Expected {
        Expected {
            id,
            status: &["warn"],
            evidence,
        }
    }
}

/// Runs `gwscript probe ARGS --format json` with only PATH, a scratch HOME and `env`: no proxy
/// variable of the developer's shell leaks in. Panics if it outlives [`PROBE_TIMEOUT`].
pub fn probe(args: &[&str], env: &[(&str, &str)]) -> Probed {
    probe_within(args, env, PROBE_TIMEOUT)
}

/// As [`probe`], for a run that must end within `timeout` (a refusal that must not hang).
pub fn probe_within(args: &[&str], env: &[(&str, &str)], timeout: Duration) -> Probed {
    let home = temp_dir("probe-home");
    let mut command = Command::new(gwscript_bin());
    command
        .arg("probe")
        .args(args)
        .args(["--format", "json"])
        .env_clear()
        .env("PATH", SYSTEM_PATH)
        .env("HOME", home.path())
        .envs(env.iter().copied());
    // Named without its arguments, which hold tokens and proxy passwords.
    let ran = run_bounded("gwscript probe", command, timeout).unwrap_or_else(|e| panic!("{e}"));
    let checks = parse(&ran.stdout);
    Probed { ran, checks }
}

fn parse(stdout: &str) -> Result<Vec<ProbeCheck>, String> {
    let report: Value = serde_json::from_str(stdout).map_err(|e| format!("not JSON: {e}"))?;
    let field = |check: &Value, name: &str| -> Result<String, String> {
        check[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("a check without a string {name:?}: {check}"))
    };
    let checks = report["checks"]
        .as_array()
        .ok_or_else(|| "no \"checks\" array".to_owned())?;
    checks
        .iter()
        .map(|check| {
            Ok(ProbeCheck {
                id: field(check, "id")?,
                status: field(check, "status")?,
                evidence: field(check, "evidence")?,
                fix: field(check, "fix")?,
            })
        })
        .collect()
}

impl Probed {
    /// The printed checks; panics with the run's output when stdout is not the JSON report.
    pub fn checks(&self) -> &[ProbeCheck] {
        match &self.checks {
            Ok(checks) => checks,
            Err(why) => panic!(
                "the probe printed no JSON report ({why})\n{}",
                self.ran.diagnostics()
            ),
        }
    }

    /// The check `id`; panics listing the checks there are when it is absent.
    pub fn check(&self, id: &str) -> &ProbeCheck {
        self.checks()
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no check {id} in the report\n{}", self.dump()))
    }

    /// One line per check (status, id, evidence, fix), then the exit status and stderr.
    pub fn dump(&self) -> String {
        let lines = match &self.checks {
            Ok(checks) => checks
                .iter()
                .map(|c| {
                    let fix = if c.fix.is_empty() {
                        String::new()
                    } else {
                        format!("\n        fix: {}", c.fix)
                    };
                    format!("  {:<4} {:<22} {}{fix}", c.status, c.id, c.evidence)
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Err(why) => format!("  (no JSON report: {why})\n{}", self.ran.stdout),
        };
        format!(
            "--- {}: {} after {:?}\n{lines}\n--- stderr:\n{}",
            self.ran.name, self.ran.status, self.ran.elapsed, self.ran.stderr
        )
    }

    /// Every way the report differs from `expected`, one line each (empty when it matches).
    pub fn mismatches(&self, expected: &[Expected]) -> Vec<String> {
        let mut found = Vec::new();
        for want in expected {
            let Some(check) = self.checks().iter().find(|c| c.id == want.id) else {
                found.push(format!("{}: missing from the report", want.id));
                continue;
            };
            if !want.status.contains(&check.status.as_str()) {
                found.push(format!(
                    "{}: {} where {} is expected (evidence: {})",
                    want.id,
                    check.status,
                    want.status.join(" or "),
                    check.evidence
                ));
            }
            let evidence = check.evidence.to_lowercase();
            if !want.evidence.is_empty()
                && !want
                    .evidence
                    .iter()
                    .any(|word| evidence.contains(&word.to_lowercase()))
            {
                found.push(format!(
                    "{}: the evidence names none of {:?}: {}",
                    want.id, want.evidence, check.evidence
                ));
            }
        }
        found
    }

    /// Panics, listing every mismatch and the whole report, unless the report matches `expected`.
    pub fn assert_expected(&self, expected: &[Expected], context: &str) {
        let mismatches = self.mismatches(expected);
        assert!(
            mismatches.is_empty(),
            "{context}: {} check(s) not as expected:\n- {}\n{}",
            mismatches.len(),
            mismatches.join("\n- "),
            self.dump()
        );
    }

    /// Panics if `secret` appears in anything the probe printed.
    pub fn assert_not_shown(&self, secret: &str, what: &str) {
        assert!(
            !self.ran.output().contains(secret),
            "the probe printed the {what}\n{}",
            self.dump()
        );
    }
}
