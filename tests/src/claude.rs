//! The real Claude Code CLI (`claude -p`, installed with the peers) in isolation: a HOME and an
//! empty project directory of its own (so no user or project settings but the ones given apply), a
//! clean environment with no proxy variables and no nonessential traffic, bounded in time. The URLs
//! it is given are loopback ones (the mock provider, or a gateway in front of it).

use crate::emit::Emitted;
use crate::files::write_file;
use crate::mock::MockProvider;
use crate::process::Proc;
use crate::tool::{Ran, SYSTEM_PATH, run_bounded};
use crate::{peers, temp_dir};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// The prompt every run sends.
pub const PROMPT: &str = "say hello";
/// Set under every cloud-mode run, below the run's own variables: no retries of a failed model
/// request, and loopback (port 9 refuses connections) for every provider endpoint and for the AWS
/// and Google metadata servers that credential lookups fall back to, so that a setup that is
/// wrong fails here instead of reaching a cloud.
pub const UNDER_EVERY_RUN: &[(&str, &str)] = &[
    ("CLAUDE_CODE_MAX_RETRIES", "0"),
    ("ANTHROPIC_BASE_URL", "http://127.0.0.1:9"),
    ("ANTHROPIC_BEDROCK_BASE_URL", "http://127.0.0.1:9"),
    ("ANTHROPIC_VERTEX_BASE_URL", "http://127.0.0.1:9/v1"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
    ("METADATA_SERVER_DETECTION", "none"),
    ("GCE_METADATA_HOST", "127.0.0.1:9"),
    ("GCE_METADATA_IP", "127.0.0.1:9"),
];
/// A cold start of Claude Code on a shared machine, and a reply through a gateway.
pub const CLAUDE_TIMEOUT: Duration = Duration::from_secs(180);

/// An isolated HOME and empty project directory, removed on drop.
#[derive(Debug)]
pub struct Isolated {
    root: tempfile::TempDir,
}

impl Isolated {
    pub fn new() -> Isolated {
        let isolated = Isolated {
            root: temp_dir("claude"),
        };
        for dir in [isolated.home(), isolated.project()] {
            std::fs::create_dir_all(&dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        isolated
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    pub fn project(&self) -> PathBuf {
        self.root.path().join("project")
    }

    /// Installs `settings` (JSON text) as the user's settings, `~/.claude/settings.json`.
    pub fn install_user_settings(&self, settings: &str) {
        write_file(&self.home().join(".claude/settings.json"), settings);
    }

    /// `program` run from the project directory with only HOME, PATH and
    /// `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1` set.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(self.project())
            .env_clear()
            .env("HOME", self.home())
            .env("PATH", SYSTEM_PATH)
            .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        command
    }
}

impl Default for Isolated {
    fn default() -> Isolated {
        Isolated::new()
    }
}

/// Runs a Claude Code command to completion: `Err` with its diagnostics if it fails or outlives
/// [`CLAUDE_TIMEOUT`] (it is then stopped), so the caller can add its servers' diagnostics.
pub fn run_claude(name: &str, command: Command) -> Result<Ran, String> {
    let ran = run_bounded(name, command, CLAUDE_TIMEOUT)?;
    if ran.success() {
        Ok(ran)
    } else {
        Err(format!("{name} failed\n{}", ran.diagnostics()))
    }
}

/// `claude -p PROMPT` with only what `emitted` wrote: its `claude/settings.json` as the user
/// settings (the recipes' scope) and its `claude/env.sh` sourced under `set -u`, with `env` (the
/// values of the secrets env.sh reads) in the environment.
pub fn through_emitted(emitted: &Emitted, env: &[(&str, &str)]) -> Result<Ran, String> {
    let isolated = Isolated::new();
    isolated.install_user_settings(&emitted.read("claude/settings.json"));
    let mut command = isolated.command("bash");
    command
        .args(["-c", r#"set -u; . "$1" && exec "$2" -p "$3""#, "bash"])
        .arg(emitted.out("claude/env.sh"))
        .arg(peers().claude)
        .arg(PROMPT)
        .envs(env.iter().copied());
    run_claude("claude -p (with the emitted files)", command)
}

/// The baseline: `claude -p PROMPT` with the emitted settings changed only in their destination
/// (`url`, the mock provider directly) and credential (`api_key`), so Claude Code sends the
/// same model and betas as through the gateway.
pub fn direct(emitted: &Emitted, url: &str, api_key: &str) -> Result<Ran, String> {
    let isolated = Isolated::new();
    isolated.install_user_settings(&direct_settings(&emitted.settings(), url).to_string());
    let mut command = isolated.command(peers().claude);
    command
        .args(["-p", PROMPT])
        .env("ANTHROPIC_API_KEY", api_key);
    run_claude("claude -p (baseline, straight to the mock)", command)
}

fn direct_settings(settings: &Value, url: &str) -> Value {
    let mut direct = settings.clone();
    let env = direct["env"]
        .as_object_mut()
        .unwrap_or_else(|| panic!("the emitted settings.json has no env object: {settings}"));
    env.retain(|name, _| name != "ANTHROPIC_API_KEY" && name != "ANTHROPIC_AUTH_TOKEN");
    env.insert("ANTHROPIC_BASE_URL".to_owned(), Value::from(url));
    direct
}

/// What the mock provider recorded while Claude Code ran twice: straight to it ([`direct`]), then
/// with only the emitted files ([`through_emitted`]) through a gateway in front of it.
#[derive(Debug)]
pub struct Compared {
    /// Every record up to the end of the baseline run.
    pub baseline: Vec<Value>,
    /// The records made after the baseline run.
    pub through_gateway: Vec<Value>,
    /// The run through the gateway (its output and time).
    pub gateway_run: Ran,
}

/// Runs the baseline ([`direct`] to `mock`, with a throwaway API key), then [`through_emitted`]
/// with `env`; both must print `reply`. On failure the panic carries the diagnostics of `gateway`
/// (the gateway's process) and `mock`.
pub fn compare_with_baseline(
    emitted: &Emitted,
    env: &[(&str, &str)],
    mock: &mut MockProvider,
    gateway: &mut Proc,
    reply: &str,
) -> Compared {
    let baseline = direct(emitted, &mock.url, "sk-ant-gwscript-baseline")
        .unwrap_or_else(|claude| panic!("{claude}\n{}", mock.diagnostics()));
    assert!(
        baseline.stdout.contains(reply),
        "baseline reply: {}",
        baseline.stdout
    );
    let baseline = mock.records();

    let mut context = || format!("{}\n{}", gateway.diagnostics(), mock.diagnostics());
    let gateway_run =
        through_emitted(emitted, env).unwrap_or_else(|claude| panic!("{claude}\n{}", context()));
    assert!(
        gateway_run.stdout.contains(reply),
        "reply through the gateway: {}\n{}",
        gateway_run.stdout,
        context()
    );
    let last_baseline = baseline.last().and_then(|r| r["seq"].as_u64());
    let through_gateway = mock
        .records()
        .into_iter()
        .filter(|r| r["seq"].as_u64() > last_baseline)
        .collect();
    Compared {
        baseline,
        through_gateway,
        gateway_run,
    }
}
