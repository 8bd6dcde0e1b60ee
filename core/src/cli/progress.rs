//! A progress line on standard error while a long command runs: a spinner, the elapsed time and
//! what is being done. Drawn only on a terminal, so piped output and logs stay clean.

use crate::probe::check::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// The spinner; it disappears when dropped.
pub struct Spinner {
    bar: ProgressBar,
}

impl Spinner {
    pub fn start() -> Spinner {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Spinner { bar }
    }

    /// A callback that shows `verb` and the step it is told.
    pub fn reporter(&self, verb: &'static str) -> Progress {
        let bar = self.bar.clone();
        Box::new(move |step: &str| bar.set_message(format!("{verb}: {step}")))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
