//! Child processes that cannot outlive a test: each runs in its own process group, its output is
//! captured for diagnostics, and dropping the guard stops the whole group.

use crate::wait::poll_until;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Output kept per stream; older bytes are dropped so a chatty peer cannot exhaust memory.
const CAPTURE_LIMIT: usize = 1 << 20;
const POLL: Duration = Duration::from_millis(20);
const TERM_GRACE: Duration = Duration::from_secs(10);
const KILL_GRACE: Duration = Duration::from_secs(5);
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// A running child process (and its process group), stopped on drop.
#[derive(Debug)]
pub struct Proc {
    name: String,
    child: Child,
    status: Option<ExitStatus>,
    stdout: Captured,
    stderr: Captured,
}

impl Proc {
    /// Starts `command` in a new process group with stdin closed and stdout/stderr captured.
    pub fn spawn(name: &str, command: Command) -> Proc {
        Proc::start(name, command, None)
    }

    /// As [`Proc::spawn`], with `input` written to the process's stdin, which then closes.
    pub fn spawn_with_input(name: &str, command: Command, input: &[u8]) -> Proc {
        Proc::start(name, command, Some(input.to_vec()))
    }

    fn start(name: &str, mut command: Command, input: Option<Vec<u8>>) -> Proc {
        command
            .process_group(0)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({command:?}): {e}"));
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            // A thread, so a process that never reads its stdin cannot block the test; the write
            // fails (and the thread ends) once the process is gone.
            std::thread::spawn(move || {
                let _ = stdin.write_all(&input);
            });
        }
        let stdout = Captured::drain(child.stdout.take().expect("stdout is piped"));
        let stderr = Captured::drain(child.stderr.take().expect("stderr is piped"));
        Proc {
            name: name.to_owned(),
            child,
            status: None,
            stdout,
            stderr,
        }
    }

    /// The exit status if the process has ended (reaping it), `None` while it runs.
    pub fn try_status(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().ok().flatten();
            if self.status.is_some() {
                // Let the reader threads catch up, so the output is complete once the status is
                // known (bounded: a stray grandchild may hold a pipe open).
                let (out, err) = (&self.stdout, &self.stderr);
                poll_until(DRAIN_GRACE, POLL, || {
                    (out.is_closed() && err.is_closed()).then_some(())
                });
            }
        }
        self.status
    }

    /// Waits at most `timeout` for the process to end.
    pub fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        poll_until(timeout, POLL, || self.try_status())
    }

    /// Waits at most `timeout` for a complete stdout line matching `wanted`; `None` on timeout
    /// or when the process ends first.
    pub fn wait_for_line(
        &mut self,
        timeout: Duration,
        wanted: impl Fn(&str) -> bool,
    ) -> Option<String> {
        poll_until(timeout, POLL, || {
            let text = self.stdout();
            let found = text
                .split_inclusive('\n')
                .find(|l| l.ends_with('\n') && wanted(l.trim_end()));
            match found {
                Some(line) => Some(Some(line.trim_end().to_owned())),
                // Stop early: a dead process prints nothing more.
                None => self.try_status().map(|_| None),
            }
        })
        .flatten()
    }

    pub fn stdout(&self) -> String {
        self.stdout.text()
    }

    pub fn stderr(&self) -> String {
        self.stderr.text()
    }

    /// Name, status and the tail of both streams, for failure messages.
    pub fn diagnostics(&mut self) -> String {
        let status = self
            .try_status()
            .map_or_else(|| "running".to_owned(), |s| s.to_string());
        format!(
            "--- {name}: {status}\n--- {name} stdout (tail):\n{}\n--- {name} stderr (tail):\n{}",
            tail(&self.stdout(), 40),
            tail(&self.stderr(), 80),
            name = self.name,
        )
    }

    /// SIGTERM to the process group, then SIGKILL if it has not ended within a grace period.
    pub fn stop(&mut self) {
        if self.try_status().is_some() {
            return;
        }
        // The leader is not reaped yet, so its pid is still the group id: no chance of
        // signalling a reused id.
        let group = self.child.id();
        signal_group(group, "TERM");
        if self.wait(TERM_GRACE).is_none() {
            signal_group(group, "KILL");
            self.wait(KILL_GRACE);
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn signal_group(group: u32, signal: &str) {
    // `kill -- -PGID` signals the whole group; std only signals the leader. Best effort: the group
    // may already be gone.
    let _ = Command::new("kill")
        .args(["-s", signal, "--", &format!("-{group}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A stream drained by a background thread into a bounded buffer (a full pipe would block the
/// child).
#[derive(Debug, Clone, Default)]
struct Captured {
    bytes: Arc<Mutex<Vec<u8>>>,
    closed: Arc<AtomicBool>,
}

impl Captured {
    fn drain(mut pipe: impl Read + Send + 'static) -> Captured {
        let captured = Captured::default();
        let sink = captured.clone();
        // The thread ends when the pipe closes, i.e. when the process group is gone.
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => sink.append(&chunk[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            sink.closed.store(true, Ordering::Release);
        });
        captured
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    fn append(&self, bytes: &[u8]) {
        let mut buf = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        buf.extend_from_slice(bytes);
        let excess = buf.len().saturating_sub(CAPTURE_LIMIT);
        buf.drain(..excess);
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes.lock().unwrap_or_else(PoisonError::into_inner))
            .into_owned()
    }
}
