//! The glue [`crate::declare_plugin!`] instantiates: JSON in and out, panics caught at the boundary.

use crate::abi::{self, Buffer, CallResult, CallStatus};
use crate::{FileCheck, Plugin, Setup};
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Once;

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

/// Runs `body` with panics contained; `Err` becomes [`CallStatus::Failed`].
fn guarded(body: impl FnOnce() -> Result<Vec<u8>, String>) -> CallResult {
    install_quiet_panic_hook();
    match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(json)) => result(CallStatus::Ok, json),
        Ok(Err(message)) => result(CallStatus::Failed, message.into_bytes()),
        Err(_) => {
            let message = LAST_PANIC
                .with(|slot| slot.borrow_mut().take())
                .unwrap_or_else(|| "plugin panicked".to_owned());
            result(CallStatus::Panicked, message.into_bytes())
        }
    }
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
    /// The setup `check` read, and the bytes it was read from. The host sends one setup to
    /// `check` and then, byte for byte, to `render`: with thousands of deployments, reading it
    /// again would cost more than the checks themselves.
    static LAST_SETUP: RefCell<Option<(Vec<u8>, Rc<Setup>)>> = const { RefCell::new(None) };
}

/// Whether the setup a call reads is kept for the call after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    /// `check`: the `render` that follows reads the same bytes.
    Keep,
    /// `render`: the last use, so nothing stays behind in the plugin.
    Release,
}

/// # Safety
/// As [`read_input`].
unsafe fn read_setup(input: *const u8, len: usize, then: Then) -> Result<Rc<Setup>, String> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { read_input(input, len) }?;
    let cached = LAST_SETUP
        .take()
        .filter(|(read_from, _)| read_from.as_slice() == bytes)
        .map(|(_, setup)| setup);
    let setup = match cached {
        Some(setup) => setup,
        None => Rc::new(
            serde_json::from_slice(bytes)
                .map_err(|e| format!("cannot read the setup the host sent: {e}"))?,
        ),
    };
    if then == Then::Keep {
        LAST_SETUP.set(Some((bytes.to_vec(), Rc::clone(&setup))));
    }
    Ok(setup)
}

/// # Safety
/// Called by the host through the plugin table; takes no input.
pub unsafe extern "C" fn manifest<P: Plugin>() -> CallResult {
    guarded(|| to_json(&P::manifest()))
}

/// # Safety
/// `input` is null or points at `len` bytes that stay valid for the call.
pub unsafe extern "C" fn check<P: Plugin>(input: *const u8, len: usize) -> CallResult {
    // SAFETY: forwarded from the caller.
    guarded(|| to_json(&P::check(&*unsafe { read_setup(input, len, Then::Keep) }?)))
}

/// # Safety
/// `input` is null or points at `len` bytes that stay valid for the call.
pub unsafe extern "C" fn render<P: Plugin>(input: *const u8, len: usize) -> CallResult {
    // SAFETY: forwarded from the caller.
    guarded(|| {
        to_json(&P::render(&*unsafe {
            read_setup(input, len, Then::Release)
        }?)?)
    })
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
    use crate::testing::{anthropic, gateway, setup_for};

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

    fn read(bytes: &[u8], then: Then) -> Rc<Setup> {
        // SAFETY: `bytes` is live for the call.
        unsafe { read_setup(bytes.as_ptr(), bytes.len(), then) }.expect("reads")
    }

    #[test]
    fn the_setup_check_read_is_what_render_gets_and_then_let_go() {
        let mut one = setup_for(gateway("litellm", vec![], vec![]));
        let first = serde_json::to_vec(&one).expect("serialises");
        let checked = read(&first, Then::Keep);
        assert!(Rc::ptr_eq(&checked, &read(&first.clone(), Then::Release)));
        assert!(LAST_SETUP.with_borrow(Option::is_none), "render let it go");
        assert!(!Rc::ptr_eq(&checked, &read(&first, Then::Keep)));

        one.gateway
            .as_mut()
            .expect("has a gateway")
            .deployments
            .push(anthropic("g", "claude-sonnet-4-5"));
        let changed = serde_json::to_vec(&one).expect("serialises");
        let rendered = read(&changed, Then::Release);
        assert_eq!(*rendered, one, "changed bytes are read anew");
        assert!(LAST_SETUP.with_borrow(Option::is_none));
    }
}
