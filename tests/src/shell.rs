//! Emitted shell files checked by bash itself: `bash -n` for syntax, and `claude/env.sh` sourced
//! under `set -u` in a clean environment (PATH and the given variables only), with and without the
//! secrets it needs.

use crate::tool::{Ran, SYSTEM_PATH, TOOL_TIMEOUT, run_tool};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Panics with bash's complaint unless `bash -n` accepts the file.
pub fn assert_bash_syntax(path: &Path) {
    let mut command = Command::new("bash");
    command.arg("-n").arg(path).env_clear();
    let ran = run_tool("bash -n", command, TOOL_TIMEOUT);
    assert!(
        ran.success(),
        "{} is not valid bash: {}",
        path.display(),
        ran.output()
    );
}

/// Sources `env_sh` under `set -u` with only PATH and `env` set, and nothing after it: for
/// checking that it refuses to be sourced without a secret.
pub fn source_env_sh(env_sh: &Path, env: &[(&str, &str)]) -> Ran {
    run_sourced(env_sh, env, ":")
}

/// The exported environment after sourcing `env_sh` under `set -u` with only PATH and `env` set;
/// panics with bash's output if sourcing fails.
pub fn sourced_env(env_sh: &Path, env: &[(&str, &str)]) -> BTreeMap<String, String> {
    let ran = run_sourced(env_sh, env, "env -0");
    assert!(
        ran.success(),
        "sourcing {} under set -u failed: {}",
        env_sh.display(),
        ran.output()
    );
    ran.stdout
        .split('\0')
        .filter_map(|entry| entry.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// Runs `bash SCRIPT` with only PATH and `env` set (a script that must work from a clean shell).
pub fn run_script(script: &Path, env: &[(&str, &str)]) -> Ran {
    let mut command = clean_bash(env);
    command.arg(script);
    run_tool("bash (script)", command, TOOL_TIMEOUT)
}

fn run_sourced(env_sh: &Path, env: &[(&str, &str)], then: &str) -> Ran {
    let mut command = clean_bash(env);
    command
        .args(["-c", &format!(r#"set -u; . "$1" && {then}"#), "bash"])
        .arg(env_sh);
    run_tool("bash (source env.sh)", command, TOOL_TIMEOUT)
}

fn clean_bash(env: &[(&str, &str)]) -> Command {
    let mut command = Command::new("bash");
    command
        .env_clear()
        .env("PATH", SYSTEM_PATH)
        .envs(env.iter().copied());
    command
}
