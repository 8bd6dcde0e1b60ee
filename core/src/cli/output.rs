//! Writing to the terminal without panicking: `print!` and `eprint!` panic when a stream is closed
//! or full. A failed stdout write is a diagnostic and exit 2 (a lost report must not look like
//! success); a reader that stops early (`gwscript explain | head`) ends the output quietly. A failed
//! stderr write cannot be reported anywhere, but still makes the run exit 2.

use crate::diag::{Diagnostic, printable};
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout, control characters escaped: reports quote recipe values (a gateway
/// URL, a model name) that may hold terminal escapes.
pub fn print_out(text: &str) -> Result<(), Diagnostic> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(printable(text).as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(Diagnostic::error(
            "GW0006",
            format!("cannot write to standard output: {e}"),
            "check where the output goes (a full disk, a closed descriptor); with `run`, the files under --out were written",
        )),
        _ => Ok(()),
    }
}

/// Writes `text` to stderr, remembering a failure for [`stderr_failed`].
pub fn print_err(text: &str) {
    let mut stderr = std::io::stderr().lock();
    if stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush())
        .is_err()
    {
        STDERR_FAILED.store(true, Ordering::Relaxed);
    }
}

/// Whether any write to stderr failed: the diagnostics it should have carried are lost.
pub fn stderr_failed() -> bool {
    STDERR_FAILED.load(Ordering::Relaxed)
}
