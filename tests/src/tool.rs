//! Running a tool to completion, bounded in time: in its own process group (see [`Proc`]), so a
//! tool that hangs is stopped with everything it started.

use crate::process::{Proc, tail};
use std::path::PathBuf;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

/// The PATH tools run with: no proxy variables, nothing from the developer's shell; node is in
/// /usr/local/bin for npm-installed tools.
pub const SYSTEM_PATH: &str = "/usr/local/bin:/usr/bin:/bin";
/// How long a tool that checks a file (a parser, a validator, bash) may take.
pub const TOOL_TIMEOUT: Duration = Duration::from_secs(60);

const INSTALL_HINT: &str = "install it with `bash tests/peers/install.sh`";

/// What a finished process printed, how it ended, and how long it took.
#[derive(Debug, Clone)]
pub struct Ran {
    pub name: String,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Ran {
    pub fn success(&self) -> bool {
        self.status.success()
    }

    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// stdout followed by stderr, for assertions on whatever the tool said.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Name, status and the tail of both streams, for failure messages.
    pub fn diagnostics(&self) -> String {
        format!(
            "--- {name}: {status} after {elapsed:?}\n--- {name} stdout (tail):\n{}\n--- {name} stderr (tail):\n{}",
            tail(&self.stdout, 40),
            tail(&self.stderr, 80),
            name = self.name,
            status = self.status,
            elapsed = self.elapsed,
        )
    }
}

/// Runs `command` to completion, whatever its exit status; panics (after stopping it) if it
/// outlives `timeout`.
pub fn run_tool(name: &str, command: Command, timeout: Duration) -> Ran {
    run(name, command, None, timeout).unwrap_or_else(|e| panic!("{e}"))
}

/// As [`run_tool`], with `input` on the tool's stdin.
pub fn run_tool_with_input(name: &str, command: Command, input: &[u8], timeout: Duration) -> Ran {
    run(name, command, Some(input), timeout).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `command` to completion; `Err` with its diagnostics if it outlives `timeout` (it is then
/// stopped), for callers that add context of their own before failing.
pub fn run_bounded(name: &str, command: Command, timeout: Duration) -> Result<Ran, String> {
    run(name, command, None, timeout)
}

fn run(
    name: &str,
    command: Command,
    input: Option<&[u8]>,
    timeout: Duration,
) -> Result<Ran, String> {
    let started = Instant::now();
    let mut proc = match input {
        Some(input) => Proc::spawn_with_input(name, command, input),
        None => Proc::spawn(name, command),
    };
    let Some(status) = proc.wait(timeout) else {
        return Err(format!(
            "{name} timed out after {timeout:?}\n{}",
            proc.diagnostics()
        ));
    };
    Ok(Ran {
        name: name.to_owned(),
        status,
        stdout: proc.stdout(),
        stderr: proc.stderr(),
        elapsed: started.elapsed(),
    })
}

/// A system tool the peers install (Debian's nginx, curl, …), by absolute path; panics with the
/// install command when it is missing (never skips).
pub fn installed(path: &str) -> PathBuf {
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "{} is missing; {INSTALL_HINT}",
        path.display()
    );
    path
}
