//! Holding back interrupts while a run's files are replaced: a Ctrl-C in that window would leave
//! a mix of old and new files and stray temp files. The signal stays pending and takes effect,
//! with its usual result, as soon as the files are consistent again.

/// Blocks SIGINT, SIGTERM and SIGHUP on this thread until dropped.
pub struct DeferredInterrupts {
    previous: libc::sigset_t,
}

impl std::fmt::Debug for DeferredInterrupts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeferredInterrupts").finish_non_exhaustive()
    }
}

impl DeferredInterrupts {
    pub fn new() -> DeferredInterrupts {
        // SAFETY: sigemptyset/sigaddset initialise the set in place; pthread_sigmask reads `set`
        // and writes the previous mask into `previous`, both valid for the call.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, signal);
            }
            let mut previous: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut previous);
            DeferredInterrupts { previous }
        }
    }
}

impl Drop for DeferredInterrupts {
    fn drop(&mut self) {
        // SAFETY: restores the mask saved in `new`; a pending signal is delivered here.
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.previous, std::ptr::null_mut());
        }
    }
}
