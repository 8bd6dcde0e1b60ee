//! Standard output and error that cannot be written: a full disk (`/dev/full`), a reader that
//! stops early. None may panic, and a lost report must not exit 0. (A closed descriptor, `>&-`,
//! cannot be observed: Rust's runtime reopens closed standard descriptors on `/dev/null`.)

use gwscript_tests::files::repo_root;
use gwscript_tests::tool::{Ran, TOOL_TIMEOUT, run_bounded};
use gwscript_tests::{gwscript_bin, temp_dir};
use std::process::Command;

/// `gwscript ARGS` with the redirections in `redirect` (bash syntax), from the repository root;
/// the harness captures whichever stream is not redirected.
fn gwscript_redirected(args: &str, redirect: &str) -> Ran {
    let out = temp_dir("output");
    let mut bash = Command::new("bash");
    bash.args(["-c", &format!("exec \"$0\" {args} {redirect}")])
        .arg(gwscript_bin())
        .arg(out.path().join("out"))
        .current_dir(repo_root())
        .env_clear();
    run_bounded(&format!("gwscript {args} {redirect}"), bash, TOOL_TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    for command in ["run scripts/quickstart.rhai --out \"$1\"", "explain GW1001"] {
        let ran = gwscript_redirected(command, ">/dev/full");
        assert_eq!(ran.code(), Some(2), "{}", ran.diagnostics());
        assert!(ran.stderr.contains("error[GW0006]"), "{}", ran.stderr);
    }
}

#[test]
fn diagnostics_that_cannot_be_written_do_not_panic() {
    // 101 would be a panic; 2 says the diagnostics were lost.
    for command in [
        "run no-such-recipe.rhai",
        "run book/src/examples/several-mistakes.rhai --out \"$1\"",
    ] {
        let ran = gwscript_redirected(command, "2>/dev/full");
        assert_eq!(ran.code(), Some(2), "{}", ran.diagnostics());
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let mut bash = Command::new("bash");
    bash.args([
        "-c",
        "set -o pipefail; \"$0\" explain | head -c 10 >/dev/null",
    ])
    .arg(gwscript_bin())
    .env_clear();
    let ran = run_bounded("gwscript explain | head", bash, TOOL_TIMEOUT).expect("ends");
    assert!(ran.success(), "{}", ran.diagnostics());
    assert_eq!(ran.stderr, "");
}
