//! The rendered hook script, run by bash the way Claude Code runs it: the event on stdin, the
//! variables in the environment, and a stub `curl` first on PATH that records its arguments, its
//! config and the body, and exits with the status a test picks. (The real curl against a loopback
//! recorder, and a real Claude Code session, are in `tests/gateways/mintmcp.rs`.)

use crate::MintMcp;
use crate::manifest::HOOK_SCRIPT_PATH;
use crate::test_support::{gateway_with_options, managed_setup};
use gwscript_plugin::model::Param;
use gwscript_plugin::testing::{literal, render};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

const EVENT: &str = r#"{"session_id":"s-1","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"}}"#;
const KEY: &str = "mint-org-key-7c1f";
const BASE_URL: &str = "https://mint.example/";

/// Records what curl was given; `--config` names a pipe, so its contents are copied.
const STUB_CURL: &str = r#"#!/usr/bin/env bash
printf '%s\n' "$@" > "$STUB_DIR/args"
previous=''
for arg in "$@"; do
  if [ "$previous" = --config ]; then cat "$arg" > "$STUB_DIR/config"; fi
  previous=$arg
done
cat > "$STUB_DIR/body"
exit "$STUB_STATUS"
"#;

fn script<'a>(options: impl IntoIterator<Item = (&'a str, Param)>) -> String {
    render::<MintMcp>(
        &managed_setup(gateway_with_options(options)),
        HOOK_SCRIPT_PATH,
    )
}

struct Run {
    output: Output,
    dir: tempfile::TempDir,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// What the stub recorded, or `None` if curl never ran.
    fn recorded(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.path().join(name)).ok()
    }

    /// Nothing the script or curl printed or was given holds the org key, except curl's config.
    fn assert_key_kept_quiet(&self) {
        for (what, text) in [
            ("stdout", self.stdout()),
            ("stderr", self.stderr()),
            (
                "curl's arguments",
                self.recorded("args").unwrap_or_default(),
            ),
        ] {
            assert!(!text.contains(KEY), "the key leaked into {what}: {text}");
        }
    }
}

/// Runs `script` with `env` only (plus PATH with the stub first), the event on stdin.
fn run(script: &str, env: &[(&str, &str)], curl_status: i32) -> Run {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin/");
    let curl = bin.join("curl");
    std::fs::write(&curl, STUB_CURL).expect("stub curl");
    std::fs::set_permissions(&curl, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let hook = dir.path().join("hook.sh");
    std::fs::write(&hook, script).expect("hook.sh");
    let mut child = Command::new("bash")
        .arg(&hook)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("STUB_DIR", dir.path())
        .env("STUB_STATUS", curl_status.to_string())
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    // A hook that gives up early never reads its stdin: a broken pipe is no failure.
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(EVENT.as_bytes());
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    let output = child.wait_with_output().expect("bash ends");
    Run { output, dir }
}

const CONFIGURED: [(&str, &str); 2] = [("MINTMCP_BASE_URL", BASE_URL), ("MINTMCP_ORG_KEY", KEY)];

#[test]
fn bash_parses_every_variant() {
    for options in [
        vec![],
        vec![
            ("events_path", literal("/in/{user}$x;(y)")),
            ("org_key_header", literal("X-Org-Key")),
            ("enforce", literal(true)),
            ("event_timeout", literal(0.5)),
        ],
    ] {
        let script = script(options);
        let output = Command::new("bash")
            .args(["-n", "-c", &script])
            .output()
            .expect("bash runs");
        assert!(output.status.success(), "{output:?}\n{script}");
        assert!(script.starts_with("#!/usr/bin/env bash\n"));
        assert!(script.contains("\nset -u\n"));
    }
}

#[test]
fn posts_the_event_unchanged_with_key_and_user_encoded_in_the_path() {
    let env = [CONFIGURED[0], CONFIGURED[1], ("MINTMCP_USER", "dev name/é")];
    let run = run(&script([]), &env, 0);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(
        run.stdout(),
        "",
        "nothing for Claude Code to read as hook output"
    );
    assert_eq!(run.stderr(), "");
    assert_eq!(
        run.recorded("config").as_deref(),
        Some("url = \"https://mint.example/h/mint-org-key-7c1f,dev%20name%2F%C3%A9/claudecode\"\n")
    );
    assert_eq!(run.recorded("body").as_deref(), Some(EVENT));
    let args = run.recorded("args").unwrap();
    for expected in [
        "--fail\n",
        "--max-time\n5\n",
        "--data-binary\n@-\n",
        "--output\n/dev/null\n",
    ] {
        assert!(args.contains(expected), "{expected:?} missing from {args}");
    }
    run.assert_key_kept_quiet();
}

#[test]
fn the_key_goes_in_a_header_when_the_recipe_names_one() {
    let script = script([
        ("events_path", literal("/events/{user}")),
        ("org_key_header", literal("X-Org-Key")),
    ]);
    let run = run(&script, &CONFIGURED, 0);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(
        run.recorded("config").as_deref(),
        Some(
            "url = \"https://mint.example/events/unknown\"\nheader = \"X-Org-Key: mint-org-key-7c1f\"\n"
        )
    );
    run.assert_key_kept_quiet();
}

#[test]
fn a_failed_delivery_is_reported_on_stderr_and_never_blocks() {
    for (curl_status, says) in [
        (22, "HTTP error (curl exit 22)"),
        (7, "cannot reach https://mint.example (curl exit 7)"),
        (28, "did not answer within 5 s"),
        (35, "not delivered (curl exit 35)"),
    ] {
        let run = run(&script([]), &CONFIGURED, curl_status);
        assert_eq!(run.code(), Some(0), "curl exit {curl_status}");
        assert_eq!(run.stdout(), "");
        assert!(
            run.stderr().starts_with("mintmcp hook: "),
            "{}",
            run.stderr()
        );
        assert!(run.stderr().contains(says), "{}", run.stderr());
        run.assert_key_kept_quiet();
    }
}

#[test]
fn enforce_blocks_when_an_event_cannot_be_delivered() {
    let script = script([("enforce", literal(true)), ("event_timeout", literal(2.5))]);
    let run = run(&script, &CONFIGURED, 28);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    assert!(run.stderr().contains("within 2.5 s"), "{}", run.stderr());
    assert!(run.recorded("args").unwrap().contains("--max-time\n2.5\n"));
    let delivered = self::run(&script, &CONFIGURED, 0);
    assert_eq!(delivered.code(), Some(0));
}

#[test]
fn without_its_variables_the_hook_tells_the_user_and_posts_nothing() {
    let run = run(&script([]), &[("MINTMCP_BASE_URL", BASE_URL)], 0);
    assert_eq!(run.code(), Some(0));
    let message: serde_json::Value =
        serde_json::from_str(&run.stdout()).expect("hook output Claude Code parses as JSON");
    assert!(
        message["systemMessage"]
            .as_str()
            .is_some_and(|m| m.starts_with("MintMCP monitoring is off"))
    );
    assert!(
        run.stderr()
            .contains("MINTMCP_ORG_KEY or MINTMCP_BASE_URL is not set")
    );
    assert_eq!(run.recorded("args"), None, "curl must not run");

    let enforced = self::run(&script([("enforce", literal(true))]), &[], 0);
    assert_eq!(enforced.code(), Some(2));
    assert_eq!(enforced.stdout(), "", "blocked: the reason is on stderr");
}

#[test]
fn values_that_would_break_curls_config_are_refused() {
    for (name, value) in [
        ("MINTMCP_ORG_KEY", "abc\"\nupload-file = /etc/passwd"),
        ("MINTMCP_ORG_KEY", "abc\\"),
        ("MINTMCP_BASE_URL", "https://mint.example\"\r"),
    ] {
        let mut env = CONFIGURED.to_vec();
        env.retain(|(n, _)| *n != name);
        env.push((name, value));
        let run = run(&script([]), &env, 0);
        assert_eq!(run.code(), Some(0));
        assert!(
            run.stderr().contains("quote, backslash or line break"),
            "{}",
            run.stderr()
        );
        assert_eq!(run.recorded("args"), None, "curl must not run");
    }
}
