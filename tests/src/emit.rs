//! `gwscript run` with the real binary on a recipe written into a temporary directory of its own,
//! with a clean environment and the values of the recipe's secrets set: what it printed, the files
//! it wrote under `out/`, and the sweep that no secret value reached any of them (gwscript takes
//! secrets by name and must never read their values).

use crate::files::{files_under, read_json, read_text, write_file};
use crate::tool::{Ran, SYSTEM_PATH, run_tool};
use crate::{gwscript_bin, temp_dir};
use serde_json::{Map, Value};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::Duration;

/// How long one `gwscript` command may take.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);
const RECIPE_FILE: &str = "recipe.rhai";
const OUT_DIR: &str = "out";

/// `gwscript ARGS` run in `dir` with a clean environment: HOME is `dir`, PATH is
/// [`SYSTEM_PATH`], then `env` (which may override both). Bounded by [`RUN_TIMEOUT`].
pub fn gwscript<K, V>(dir: &Path, args: &[&str], env: impl IntoIterator<Item = (K, V)>) -> Ran
where
    K: AsRef<OsStr>,
    V: AsRef<OsStr>,
{
    let mut command = Command::new(gwscript_bin());
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("PATH", SYSTEM_PATH)
        .envs(env);
    run_tool(
        &format!("gwscript {}", args.join(" ")),
        command,
        RUN_TIMEOUT,
    )
}

/// A `gwscript run` to make: the recipe, the secrets' values, extra arguments and environment.
#[derive(Debug, Clone)]
pub struct Emit {
    recipe: String,
    secrets: Vec<(String, String)>,
    args: Vec<String>,
    env: Vec<(OsString, OsString)>,
}

impl Emit {
    pub fn new(recipe: &str) -> Emit {
        Emit {
            recipe: recipe.to_owned(),
            secrets: Vec::new(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    /// Distinctive values for the secrets the recipe names, set while gwscript runs: a value that
    /// shows up in any output leaked.
    pub fn secrets(mut self, secrets: &[(&str, &str)]) -> Emit {
        self.secrets.extend(
            secrets
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        );
        self
    }

    /// Arguments after `run recipe.rhai --out out` (e.g. `--format md`).
    pub fn args(mut self, args: &[&str]) -> Emit {
        self.args.extend(args.iter().map(|a| (*a).to_owned()));
        self
    }

    /// A variable that is not a secret (e.g. `GWSCRIPT_PLUGIN_PATH`).
    pub fn env(mut self, name: &str, value: impl AsRef<OsStr>) -> Emit {
        self.env.push((name.into(), value.as_ref().to_owned()));
        self
    }

    /// Runs the recipe, which must succeed; no secret value may reach any output.
    pub fn run(self) -> Emitted {
        let emitted = self.execute();
        assert!(
            emitted.status.success(),
            "gwscript run failed ({}):\n{}",
            emitted.status,
            emitted.stderr
        );
        emitted.assert_no_secret_leaked();
        emitted
    }

    /// Runs the recipe whatever its outcome (for recipes that must be refused); no secret value
    /// may reach any output.
    pub fn attempt(self) -> Emitted {
        let emitted = self.execute();
        emitted.assert_no_secret_leaked();
        emitted
    }

    fn execute(self) -> Emitted {
        let dir = temp_dir("emit");
        let ran = self.gwscript_run(dir.path(), &self.recipe);
        Emitted {
            dir,
            status: ran.status,
            stdout: ran.stdout,
            stderr: ran.stderr,
            emit: self,
        }
    }

    fn gwscript_run(&self, dir: &Path, recipe: &str) -> Ran {
        write_file(&dir.join(RECIPE_FILE), recipe);
        let mut args = vec!["run", RECIPE_FILE, "--out", OUT_DIR];
        args.extend(self.args.iter().map(String::as_str));
        let secrets = self
            .secrets
            .iter()
            .map(|(n, v)| (OsString::from(n), OsString::from(v)));
        gwscript(dir, &args, self.env.iter().cloned().chain(secrets))
    }
}

/// A finished `gwscript run`: its directory (`recipe.rhai`, `out/`, room for scratch files, all
/// removed on drop) and what it printed.
#[derive(Debug)]
pub struct Emitted {
    dir: tempfile::TempDir,
    emit: Emit,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Emitted {
    /// `Emit::new(recipe).secrets(secrets).run()`: the recipe must succeed, leaking nothing.
    pub fn run(recipe: &str, secrets: &[(&str, &str)]) -> Emitted {
        Emit::new(recipe).secrets(secrets).run()
    }

    /// The run's directory, beside `out/`: a place for scratch files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn out_dir(&self) -> PathBuf {
        self.dir().join(OUT_DIR)
    }

    /// An emitted file's path, e.g. `out("claude/env.sh")`.
    pub fn out(&self, relative: &str) -> PathBuf {
        self.out_dir().join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        read_text(&self.out(relative))
    }

    pub fn json(&self, relative: &str) -> Value {
        read_json(&self.out(relative))
    }

    /// `claude/settings.json`, parsed (not validated: see `assert_settings_schema_valid`).
    pub fn settings(&self) -> Value {
        self.json("claude/settings.json")
    }

    /// The `env` block of `claude/settings.json`.
    pub fn settings_env(&self) -> Map<String, Value> {
        let settings = self.settings();
        settings["env"]
            .as_object()
            .unwrap_or_else(|| panic!("settings.json has no env block: {settings}"))
            .clone()
    }

    /// Every file written under `out/`, sorted (none if nothing was written).
    pub fn files(&self) -> Vec<PathBuf> {
        let out = self.out_dir();
        if out.exists() {
            files_under(&out)
        } else {
            Vec::new()
        }
    }

    /// Panics if the value of any secret set for the run appears in its stdout, its stderr or any
    /// file under `out/`.
    pub fn assert_no_secret_leaked(&self) {
        let mut texts = vec![
            ("stdout".to_owned(), self.stdout.clone()),
            ("stderr".to_owned(), self.stderr.clone()),
        ];
        for file in self.files() {
            let bytes = std::fs::read(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            texts.push((
                file.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
        for (name, text) in &texts {
            for (secret, value) in &self.emit.secrets {
                assert!(
                    !text.contains(value.as_str()),
                    "the value of {secret} leaked into {name}"
                );
            }
        }
    }

    /// Writes `recipe` over `recipe.rhai` and runs it again into the same `out/`, with the same
    /// secrets, arguments and environment, whatever the outcome.
    pub fn rerun(&self, recipe: &str) -> Ran {
        self.emit.gwscript_run(self.dir(), recipe)
    }
}
