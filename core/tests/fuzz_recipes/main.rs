//! Bounded fuzzing of the recipe runtime and of everything a recipe reaches after it, as
//! `gwscript run` drives them: the runtime (`run::recipe`), the option schemas, the first-party
//! plugins' checks and renders through the real ABI (`run::emit`, with the libraries built beside
//! the binary), the report in every format, and the writer, into a temporary directory.
//!
//! Three sources of recipes, each a fixed budget of inputs:
//! - a grammar of the recipe API (gateways, deployments, fallbacks, options, providers, patterns,
//!   secrets, monitors, env) with hostile arguments: control characters, quotes, shell and
//!   template syntax, credentials in URLs, huge and negative numbers, deep and wrong-typed values;
//! - the repository's real recipes with hostile values put in place of their literals, so the
//!   values reach the plugins and the emitted files;
//! - token soup: the real recipes with tokens deleted, repeated, swapped or replaced, and random
//!   strings of recipe tokens.
//!
//! Whatever the input: nothing panics, every failure is a diagnostic with a `GW` code, a message
//! and a help line that renders without control characters, a stopped run holds an error, no
//! plugin panics (a contained plugin panic is GW2006), the JSON report parses, and the files write.

mod corpus;
#[path = "../fuzz/mod.rs"]
mod fuzz;
mod grammar;
mod values;

use corpus::Corpus;
use fuzz::{Tally, assert_well_formed, plugins};
use grammar::Grammar;
use gwscript::diag::{Diagnostic, Source, has_errors};
use gwscript::emit::write_all;
use gwscript::report::{Format, render};
use gwscript::run;
use gwscript::script::CountingAllocator;
use proptest::prelude::*;
use std::path::Path;

/// As in the binary: the recipe's heap budget counts only with this allocator installed.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Inputs per target, chosen so each finishes in under a minute in a debug build on two cores
/// shared with other builds (there, a recipe takes up to 40 ms, token soup about 15 ms).
const GRAMMAR_CASES: u32 = 1_000;
const REAL_RECIPE_CASES: u32 = 1_500;
const SOUP_CASES: u32 = 2_000;

/// How far one recipe got.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reached {
    /// Stopped by the runtime.
    Refused,
    /// Stopped by the option schemas, a plugin's checks or the host's client checks.
    Checked,
    /// Rendered, reported and written.
    Emitted,
}

impl Reached {
    fn name(self) -> &'static str {
        match self {
            Reached::Refused => "refused by the runtime",
            Reached::Checked => "refused by the checks",
            Reached::Emitted => "emitted",
        }
    }
}

/// Runs `source` through the whole pipeline and asserts what must hold whatever the recipe.
fn drive(source: &str, scratch: &Path) -> Reached {
    let shown = Some(Source {
        name: "fuzz.rhai",
        text: source,
        syntax: gwscript::diag::Syntax::Recipe,
    });
    let stopped = |diagnostics: &[Diagnostic]| {
        assert!(
            has_errors(diagnostics),
            "stopped without an error: {diagnostics:?}"
        );
        assert_well_formed(diagnostics, shown);
        assert_no_plugin_panicked(diagnostics);
    };
    let setup = match run::recipe(source, None) {
        Ok(setup) => setup,
        Err(failure) => {
            stopped(&failure.diagnostics);
            return Reached::Refused;
        }
    };
    let emission = match run::emit(setup, plugins()) {
        Ok(emission) => emission,
        Err(failure) => {
            stopped(&failure.diagnostics);
            return Reached::Checked;
        }
    };
    let findings = &emission.report.diagnostics;
    assert!(
        !has_errors(findings),
        "emitted despite errors: {findings:?}"
    );
    assert_well_formed(findings, shown);
    assert_no_plugin_panicked(findings);
    // The text report is printed; the JSON one must parse.
    render(&emission.report, Format::Text);
    let json = render(&emission.report, Format::Json);
    serde_json::from_str::<serde_json::Value>(&json)
        .unwrap_or_else(|e| panic!("the JSON report does not parse: {e}\n{json}"));
    write_all(scratch, &emission.artifacts)
        .unwrap_or_else(|d| panic!("writing into a fresh directory failed: {d:?}"));
    Reached::Emitted
}

fn assert_no_plugin_panicked(diagnostics: &[Diagnostic]) {
    let panicked: Vec<_> = diagnostics.iter().filter(|d| d.code == "GW2006").collect();
    assert!(panicked.is_empty(), "a plugin panicked: {panicked:?}");
}

/// Runs `cases` of `strategy`'s recipes through [`drive`] and checks that at least one in
/// `emitted_one_in` got all the way through (a generator whose recipes all fail early would
/// test only the parser).
fn fuzz_target(
    target: &str,
    cases: u32,
    strategy: impl Strategy<Value = String>,
    emitted_one_in: usize,
) {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let tally = Tally::new();
    let budget = fuzz::run(target, cases, &strategy, &tally, |source| {
        tally.count(drive(&source, scratch.path()).name());
    });
    assert!(
        tally.get(Reached::Emitted.name()) >= budget / emitted_one_in,
        "{target}: too few recipes reached the plugins' renders"
    );
}

#[test]
fn fuzz_the_recipe_grammar() {
    fuzz_target("recipe grammar", GRAMMAR_CASES, Grammar::new().recipe(), 50);
}

#[test]
fn fuzz_hostile_values_in_real_recipes() {
    let corpus = Corpus::load();
    let scratch = tempfile::tempdir().expect("a scratch directory");
    // The harness itself: every shipped recipe goes all the way through unchanged.
    for (path, source) in &corpus.shipped {
        assert_eq!(
            drive(source, scratch.path()),
            Reached::Emitted,
            "{} does not emit",
            path.display()
        );
    }
    let mutated = corpus.with_hostile_literals();
    fuzz_target(
        "hostile values in real recipes",
        REAL_RECIPE_CASES,
        mutated,
        20,
    );
}

#[test]
fn fuzz_token_soup() {
    fuzz_target("token soup", SOUP_CASES, Corpus::load().token_soup(), 50);
}
