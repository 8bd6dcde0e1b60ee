//! The glue [`crate::declare_plugin!`] instantiates: JSON in and out, panics caught at the boundary.

use crate::abi::{self, Buffer, CallResult, CallStatus};
use crate::{FileCheck, Plugin, Setup};
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Once};

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Records the panic message for the host instead of printing it: the host reports it as a
/// diagnostic. The hook belongs to this library's copy of std, so the host's own hook is untouched.
fn install_quiet_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        panic::set_hook(Box::new(|info| {
            let message = if let Some(text) = info.payload().downcast_ref::<&str>() {
                (*text).to_owned()
            } else if let Some(text) = info.payload().downcast_ref::<String>() {
                text.clone()
            } else {
                "panic with a non-string payload".to_owned()
            };
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|slot| *slot.borrow_mut() = Some(format!("{message}{location}")));
        }));
    });
}

fn result(status: CallStatus, payload: Vec<u8>) -> CallResult {
    if payload.len() > abi::MAX_PAYLOAD_BYTES {
        // The host would refuse it unread; say why instead.
        let why = format!(
            "the plugin's output is {} bytes, more than the {} MiB a call may return",
            payload.len(),
            abi::MAX_PAYLOAD_BYTES >> 20
        );
        return result(CallStatus::Failed, why.into_bytes());
    }
    CallResult {
        status: status as u32,
        payload: Buffer::from_vec(payload),
    }
}

thread_local! {
    /// The setup last rendered, let go when the next one is: freeing thousands of deployments
    /// would take a core just when the host writes the files, and a host that exits after one
    /// run need not free them at all.
    static RENDERED: RefCell<Option<Arc<Setup>>> = const { RefCell::new(None) };
}

/// What a call produced, on whichever thread ran it; [`Outcome::into_result`] hands it over.
#[derive(Debug)]
enum Outcome {
    Done(Vec<u8>),
    Failed(String),
    Panicked(String),
}

impl Outcome {
    fn into_result(self) -> CallResult {
        match self {
            Outcome::Done(json) => result(CallStatus::Ok, json),
            Outcome::Failed(message) => result(CallStatus::Failed, message.into_bytes()),
            Outcome::Panicked(message) => result(CallStatus::Panicked, message.into_bytes()),
        }
    }
}

/// Runs `body` with panics contained; `Err` is [`Outcome::Failed`].
fn contained(body: impl FnOnce() -> Result<Vec<u8>, String>) -> Outcome {
    install_quiet_panic_hook();
    match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(json)) => Outcome::Done(json),
        Ok(Err(message)) => Outcome::Failed(message),
        Err(_) => Outcome::Panicked(
            LAST_PANIC
                .with(|slot| slot.borrow_mut().take())
                .unwrap_or_else(|| "plugin panicked".to_owned()),
        ),
    }
}

/// Runs `body` with panics contained, for the host.
fn guarded(body: impl FnOnce() -> Result<Vec<u8>, String>) -> CallResult {
    contained(body).into_result()
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(value).map_err(|e| format!("cannot serialise plugin output: {e}"))
}

/// # Safety
/// `input` is null or points at `len` bytes that stay valid for the call.
unsafe fn read_input<'a>(input: *const u8, len: usize) -> Result<&'a [u8], String> {
    if input.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err("host passed a null input with a length".to_owned())
        };
    }
    // SAFETY: non-null, and the caller guarantees `len` live bytes for the call.
    Ok(unsafe { std::slice::from_raw_parts(input, len) })
}

thread_local! {
    /// What `check` read and started, for the `render` that follows. The host sends one setup to
    /// `check` and then, byte for byte, to `render`: with thousands of deployments, reading it
    /// again would cost more than the checks themselves, and the render, which needs nothing but
    /// the setup, runs on a second thread while the checks run.
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// A setup `check` read, the bytes it was read from, and where its render, started alongside the
/// checks, will send its outcome (`None` when no thread could be started: the render then runs
/// when the host asks for it).
struct Kept {
    bytes: Vec<u8>,
    setup: Arc<Setup>,
    ahead: Option<Receiver<Outcome>>,
}

/// What `check` kept, if it read these same `bytes`; whatever it kept is let go either way.
fn take_kept(bytes: &[u8]) -> Option<Kept> {
    KEPT.take().filter(|kept| kept.bytes == bytes)
}

fn read_setup(bytes: &[u8]) -> Result<Arc<Setup>, String> {
    serde_json::from_slice(bytes)
        .map(Arc::new)
        .map_err(|e| format!("cannot read the setup the host sent: {e}"))
}

fn render_json<P: Plugin>(setup: &Setup) -> Result<Vec<u8>, String> {
    to_json(&P::render(setup)?)
}

/// The stack a render started ahead gets: what the host's main thread, which would otherwise run
/// it, usually has, so a setup renders the same on either.
const RENDER_STACK_BYTES: usize = 8 << 20;

/// Starts rendering `setup` on a thread of its own. The thread sends the outcome before it lets
/// go of the setup, so the host never waits for the setup to be freed, even when a `check` of
/// other bytes has left the thread holding the last reference.
fn render_ahead<P: Plugin + 'static>(setup: &Arc<Setup>) -> Option<Receiver<Outcome>> {
    let setup = Arc::clone(setup);
    let (outcome, receiver) = sync_channel(1);
    std::thread::Builder::new()
        .name("gwscript-render".into())
        .stack_size(RENDER_STACK_BYTES)
        .spawn(move || {
            // Nobody waits for it once `render` has been given other bytes.
            let _ = outcome.send(contained(|| render_json::<P>(&setup)));
        })
        .ok()
        .map(|_| receiver)
}

/// # Safety
/// Called by the host through the plugin table; takes no input.
pub unsafe extern "C" fn manifest<P: Plugin>() -> CallResult {
    guarded(|| to_json(&P::manifest()))
}

/// # Safety
/// `input` is null or points at `len` bytes that stay valid for the call.
pub unsafe extern "C" fn check<P: Plugin + 'static>(input: *const u8, len: usize) -> CallResult {
    guarded(|| {
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { read_input(input, len) }?;
        let kept = match take_kept(bytes) {
            // The same setup checked again: its render is already under way.
            Some(kept) => kept,
            None => {
                let setup = read_setup(bytes)?;
                // Started first, so the copy below is made while it runs.
                let ahead = render_ahead::<P>(&setup);
                Kept {
                    bytes: bytes.to_vec(),
                    setup,
                    ahead,
                }
            }
        };
        let setup = Arc::clone(&kept.setup);
        KEPT.set(Some(kept));
        to_json(&P::check(&setup))
    })
}

/// # Safety
/// `input` is null or points at `len` bytes that stay valid for the call.
pub unsafe extern "C" fn render<P: Plugin>(input: *const u8, len: usize) -> CallResult {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { read_input(input, len) };
    let kept = bytes.as_deref().ok().and_then(take_kept);
    let outcome = match kept {
        Some(Kept {
            ahead: Some(ahead),
            setup,
            bytes,
        }) => {
            drop(bytes);
            RENDERED.set(Some(setup));
            // Its body is contained, so the thread always sends.
            ahead
                .recv()
                .unwrap_or_else(|_| Outcome::Panicked("the render thread stopped".to_owned()))
        }
        Some(Kept { setup, .. }) => contained(|| render_json::<P>(&setup)),
        None => contained(|| render_json::<P>(&*read_setup(bytes?)?)),
    };
    outcome.into_result()
}

/// # Safety
/// `input` is null or points at `len` bytes that stay valid for the call.
pub unsafe extern "C" fn page<P: Plugin>(input: *const u8, len: usize) -> CallResult {
    guarded(|| {
        // SAFETY: forwarded from the caller.
        let code = std::str::from_utf8(unsafe { read_input(input, len) }?)
            .map_err(|_| "the code is not UTF-8".to_owned())?;
        let heading = format!("# {code}: ");
        P::pages()
            .iter()
            .find(|page| page.starts_with(&heading))
            .map(|page| page.as_bytes().to_vec())
            .ok_or_else(|| format!("no page for {code}"))
    })
}

/// # Safety
/// `input` is null or points at `len` bytes that stay valid for the call.
pub unsafe extern "C" fn check_file<P: Plugin>(input: *const u8, len: usize) -> CallResult {
    guarded(|| {
        // SAFETY: forwarded from the caller.
        let file: FileCheck = serde_json::from_slice(unsafe { read_input(input, len) }?)
            .map_err(|e| format!("cannot read the file the host sent: {e}"))?;
        to_json(&P::check_file(&file)?)
    })
}

/// # Safety
/// `input` is null or points at `len` bytes that stay valid for the call.
pub unsafe extern "C" fn file_schema<P: Plugin>(input: *const u8, len: usize) -> CallResult {
    guarded(|| {
        // SAFETY: forwarded from the caller.
        let id = std::str::from_utf8(unsafe { read_input(input, len) }?)
            .map_err(|_| "the file kind is not UTF-8".to_owned())?;
        to_json(&P::file_schema(id)?)
    })
}

/// # Safety
/// `buffer` must be one this library returned, handed back once.
pub unsafe extern "C" fn free(buffer: Buffer) {
    // A panic here must not unwind into the host; there is nothing to report it to.
    let _ = panic::catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: guaranteed by the caller.
        drop(unsafe { buffer.into_vec() });
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{anthropic, gateway, manifest, setup_for};
    use crate::{Diagnostic, Manifest, Rendering};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    #[test]
    fn output_over_the_payload_cap_is_refused_not_returned() {
        // Zeroed, so the allocator maps it lazily: the test costs no memory it does not touch.
        let huge = vec![0u8; abi::MAX_PAYLOAD_BYTES + 1];
        let returned = result(CallStatus::Ok, huge);
        assert_eq!(returned.status, CallStatus::Failed as u32);
        // SAFETY: built by `Buffer::from_vec` in this library, reclaimed once.
        let message = String::from_utf8(unsafe { returned.payload.into_vec() }).expect("UTF-8");
        assert_eq!(
            message,
            format!(
                "the plugin's output is {} bytes, more than the 256 MiB a call may return",
                abi::MAX_PAYLOAD_BYTES + 1
            )
        );
        let at_cap = result(CallStatus::Ok, vec![0u8; abi::MAX_PAYLOAD_BYTES]);
        assert_eq!(at_cap.status, CallStatus::Ok as u32);
        assert_eq!(at_cap.payload.len(), abi::MAX_PAYLOAD_BYTES);
        // SAFETY: as above.
        drop(unsafe { at_cap.payload.into_vec() });
    }

    /// Calls an entry point the way the host does: its status, and its payload as text.
    fn call(
        entry: unsafe extern "C" fn(*const u8, usize) -> CallResult,
        input: &[u8],
    ) -> (u32, String) {
        // SAFETY: `input` is live for the call; the payload is this library's, reclaimed once.
        let returned = unsafe { entry(input.as_ptr(), input.len()) };
        let payload = unsafe { returned.payload.into_vec() };
        (returned.status, String::from_utf8(payload).expect("UTF-8"))
    }

    fn setup_bytes(groups: &[&str]) -> Vec<u8> {
        let deployments = groups
            .iter()
            .map(|group| anthropic(group, "claude-sonnet-4-5"))
            .collect();
        serde_json::to_vec(&setup_for(gateway("litellm", deployments, vec![]))).expect("JSON")
    }

    /// How long a test waits for the other thread before it fails.
    const PATIENCE: Duration = Duration::from_secs(20);

    /// A rendering whose context is the number of the setup's deployments, as `groups`.
    fn counted(setup: &Setup) -> Rendering {
        let groups = setup.gateway.as_ref().map_or(0, |g| g.deployments.len());
        Rendering {
            context: serde_json::json!({ "groups": groups }),
            ..Rendering::default()
        }
    }

    /// Its check waits for its render to start: only a render running alongside lets it finish.
    struct Overlapping;
    static OVERLAPPING_RENDERS: AtomicUsize = AtomicUsize::new(0);

    impl Plugin for Overlapping {
        fn manifest() -> Manifest {
            manifest("overlapping")
        }

        fn check(_: &Setup) -> Vec<Diagnostic> {
            let waited = Instant::now();
            while OVERLAPPING_RENDERS.load(Ordering::SeqCst) == 0 && waited.elapsed() < PATIENCE {
                std::thread::sleep(Duration::from_millis(1));
            }
            Vec::new()
        }

        fn render(setup: &Setup) -> Result<Rendering<impl serde::Serialize>, String> {
            OVERLAPPING_RENDERS.fetch_add(1, Ordering::SeqCst);
            Ok(counted(setup))
        }
    }

    #[test]
    fn render_runs_alongside_check_and_once_per_setup() {
        let one = setup_bytes(&["a"]);
        let started = Instant::now();
        assert_eq!(call(check::<Overlapping>, &one), (0, "[]".to_owned()));
        assert!(
            started.elapsed() < PATIENCE,
            "check waited for a render that never ran"
        );
        assert!(KEPT.with_borrow(Option::is_some), "check keeps its setup");

        let (status, rendered) = call(render::<Overlapping>, &one);
        assert_eq!(status, CallStatus::Ok as u32, "{rendered}");
        assert!(rendered.contains(r#""groups":1"#), "{rendered}");
        assert_eq!(
            OVERLAPPING_RENDERS.load(Ordering::SeqCst),
            1,
            "rendered once"
        );
        assert!(KEPT.with_borrow(Option::is_none), "render let it go");

        // Bytes other than the ones checked are read and rendered anew.
        let two = setup_bytes(&["a", "b"]);
        assert_eq!(call(check::<Overlapping>, &one).0, 0);
        let (status, rendered) = call(render::<Overlapping>, &two);
        assert_eq!(status, CallStatus::Ok as u32, "{rendered}");
        assert!(rendered.contains(r#""groups":2"#), "{rendered}");
        assert!(KEPT.with_borrow(Option::is_none));
    }

    /// Finds nothing and renders the number of deployments ([`counted`]).
    struct Counting;

    impl Plugin for Counting {
        fn manifest() -> Manifest {
            manifest("counting")
        }

        fn check(_: &Setup) -> Vec<Diagnostic> {
            Vec::new()
        }

        fn render(setup: &Setup) -> Result<Rendering<impl serde::Serialize>, String> {
            Ok(counted(setup))
        }
    }

    #[test]
    fn the_setup_last_rendered_is_let_go_when_the_next_one_is() {
        let deployments = |setup: &Setup| setup.gateway.as_ref().map(|g| g.deployments.len());
        let rendered = || RENDERED.with_borrow(|kept| kept.as_ref().map(Arc::downgrade));
        let one = setup_bytes(&["a"]);
        call(check::<Counting>, &one);
        assert_eq!(call(render::<Counting>, &one).0, CallStatus::Ok as u32);
        let first = rendered().expect("the rendered setup is kept");
        assert_eq!(first.upgrade().as_deref().and_then(deployments), Some(1));

        let two = setup_bytes(&["a", "b"]);
        call(check::<Counting>, &two);
        assert_eq!(call(render::<Counting>, &two).0, CallStatus::Ok as u32);
        let second = rendered().expect("the rendered setup is kept");
        assert_eq!(second.upgrade().as_deref().and_then(deployments), Some(2));
        // The first render's thread lets go of its own reference after it has sent its outcome.
        let waited = Instant::now();
        while first.upgrade().is_some() && waited.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(first.upgrade().is_none(), "the first setup is freed");
    }

    /// Its render panics; its check finds nothing.
    struct PanicsRendering;

    impl Plugin for PanicsRendering {
        fn manifest() -> Manifest {
            manifest("panics-rendering")
        }

        fn check(_: &Setup) -> Vec<Diagnostic> {
            Vec::new()
        }

        fn render(_: &Setup) -> Result<Rendering<impl serde::Serialize>, String> {
            Ok(unrenderable())
        }
    }

    fn unrenderable() -> Rendering {
        panic!("no context for this setup")
    }

    #[test]
    fn a_render_that_panics_alongside_check_reaches_the_host_as_a_panic() {
        let one = setup_bytes(&["a"]);
        assert_eq!(
            call(check::<PanicsRendering>, &one).0,
            CallStatus::Ok as u32
        );
        let (status, message) = call(render::<PanicsRendering>, &one);
        assert_eq!(status, CallStatus::Panicked as u32);
        assert!(
            message.starts_with("no context for this setup at "),
            "{message}"
        );
        // Called without a check first, the same render panics the same way.
        let (status, message) = call(render::<PanicsRendering>, &one);
        assert_eq!(status, CallStatus::Panicked as u32);
        assert!(
            message.starts_with("no context for this setup at "),
            "{message}"
        );
    }

    #[test]
    fn a_setup_that_does_not_read_is_refused_by_check_and_render() {
        for entry in [check::<Overlapping>, render::<Overlapping>] {
            let (status, message) = call(entry, b"{not json");
            assert_eq!(status, CallStatus::Failed as u32);
            assert!(
                message.starts_with("cannot read the setup the host sent: "),
                "{message}"
            );
        }
    }
}
