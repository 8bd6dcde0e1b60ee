//! What the fuzz targets share: their budget, a tally of what they ran, and the properties every
//! finding must have whatever the input.

use gwscript::diag::{Diagnostic, Source, render};
use gwscript::plugin::Registry;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

#[path = "../first_party/mod.rs"]
mod first_party;

/// The seed when `PROPTEST_RNG_SEED` is not set: CI runs the same inputs every time, so a failure
/// there reproduces. Set the variable to explore other inputs.
const DEFAULT_SEED: u64 = 0x6777_7363_7269_7074;

/// Runs `test` on `cases` inputs of `strategy` (`PROPTEST_CASES` overrides the number, for
/// longer runs), counting them in `tally`, and prints the tally with the slowest input's time.
/// A failure panics with proptest's smallest failing input; shrinking is bounded in time, and no
/// regression file is written into the source tree. Returns the number of inputs the budget held.
pub fn run<S: Strategy>(
    target: &str,
    cases: u32,
    strategy: &S,
    tally: &Tally,
    test: impl Fn(S::Value),
) -> usize {
    let defaults = Config::default();
    let overridden = std::env::var_os("PROPTEST_CASES").is_some();
    let mut runner = TestRunner::new(Config {
        cases: if overridden { defaults.cases } else { cases },
        rng_seed: match defaults.rng_seed {
            RngSeed::Random => RngSeed::Fixed(DEFAULT_SEED),
            chosen => chosen,
        },
        failure_persistence: None,
        max_shrink_time: 60_000,
        ..defaults
    });
    let budget = runner.config().cases as usize;
    let slowest = Cell::new(Duration::ZERO);
    let outcome = runner.run(strategy, |input| {
        let started = Instant::now();
        tally.count("inputs");
        test(input);
        slowest.set(slowest.get().max(started.elapsed()));
        Ok(())
    });
    tally.print(target, slowest.get());
    if let Err(failure) = outcome {
        panic!("{target}: {failure}");
    }
    assert!(
        tally.get("inputs") >= budget,
        "{target}: the budget did not run"
    );
    budget
}

/// The first-party plugins, loaded once from beside the binary as `gwscript run` loads them.
pub fn plugins() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(first_party::load)
}

/// How many inputs a target ran and how far each got, printed at the end so a run says what it
/// covered and how long it took.
#[derive(Debug)]
pub struct Tally {
    counts: Mutex<BTreeMap<String, usize>>,
    started: Instant,
}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            counts: Mutex::default(),
            started: Instant::now(),
        }
    }

    pub fn count(&self, what: &str) {
        if let Ok(mut counts) = self.counts.lock() {
            *counts.entry(what.to_owned()).or_default() += 1;
        }
    }

    pub fn get(&self, what: &str) -> usize {
        self.counts
            .lock()
            .map(|counts| counts.get(what).copied().unwrap_or_default())
            .unwrap_or_default()
    }

    /// Prints every count under `target`'s name, with the time taken and the slowest input's
    /// (`cargo test -- --nocapture` shows it).
    fn print(&self, target: &str, slowest: Duration) {
        let counts = self.counts.lock().map(|c| c.clone()).unwrap_or_default();
        let shown: Vec<String> = counts.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        let seconds = self.started.elapsed().as_secs();
        let slowest = slowest.as_millis();
        eprintln!(
            "fuzz {target} ({seconds} s, slowest input {slowest} ms): {}",
            shown.join(", ")
        );
    }
}

/// Whether `code` is a stable diagnostic code: `GW` and four digits.
fn is_code(code: &str) -> bool {
    code.len() == 6 && code.starts_with("GW") && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Every finding is a coded diagnostic with a message and a help line, and renders, against
/// `source`, to text that cannot drive a terminal.
pub fn assert_well_formed(diagnostics: &[Diagnostic], source: Option<Source<'_>>) {
    for d in diagnostics {
        assert!(is_code(&d.code), "not a GW code: {d:?}");
        assert!(!d.message.is_empty(), "no message: {d:?}");
        assert!(!d.help.is_empty(), "no help line: {d:?}");
        assert_printable(&render(d, source));
    }
}

/// No control character but the line break reaches the terminal.
pub fn assert_printable(shown: &str) {
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reaches the terminal: {shown:?}"
    );
}
