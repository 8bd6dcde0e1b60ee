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

/// The report quotes recipe values; a terminal escape in one (here in the gateway URL, which the
/// report prints in its export line and verification commands) is shown escaped, never sent.
#[test]
fn terminal_escapes_in_recipe_values_never_reach_the_terminal() {
    let dir = temp_dir("escapes");
    let recipe = dir.path().join("escapes.rhai");
    std::fs::write(
        &recipe,
        r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000/\u001b]0;pwned\u0007\u001b[2J", master_key: secret("LITELLM_MASTER_KEY") });
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("LITELLM_MASTER_KEY") }));
"#,
    )
    .expect("writes the recipe");
    for format in ["text", "md"] {
        let ran = gwscript_redirected(
            &format!("run {} --out \"$1\" --format {format}", recipe.display()),
            "",
        );
        assert!(ran.success(), "{}", ran.diagnostics());
        assert!(ran.stdout.contains("127.0.0.1:4000"), "{}", ran.stdout);
        let raw: Vec<char> = ran
            .stdout
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(raw.is_empty(), "{format}: {raw:?} reached the terminal");
        assert!(ran.stdout.contains("\\u{1b}"), "{}", ran.stdout);
    }
}
