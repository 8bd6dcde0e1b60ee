//! The glue [`crate::declare_plugin!`] instantiates: JSON in and out, panics caught at the boundary.

use crate::Plugin;
use crate::abi::{Buffer, CallResult, CallStatus};
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
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

/// # Safety contract (upheld by the host)
/// `input` points at `len` bytes that stay valid for the call.
fn read_setup(input: *const u8, len: usize) -> Result<crate::Setup, String> {
    if input.is_null() {
        return Err("host passed no setup".to_owned());
    }
    // SAFETY: the host passes a pointer to `len` live bytes for the duration of the call.
    let bytes = unsafe { std::slice::from_raw_parts(input, len) };
    serde_json::from_slice(bytes).map_err(|e| format!("cannot read the setup the host sent: {e}"))
}

pub extern "C" fn manifest<P: Plugin>() -> CallResult {
    guarded(|| to_json(&P::manifest()))
}

pub extern "C" fn check<P: Plugin>(input: *const u8, len: usize) -> CallResult {
    guarded(|| to_json(&P::check(&read_setup(input, len)?)))
}

pub extern "C" fn context<P: Plugin>(input: *const u8, len: usize) -> CallResult {
    guarded(|| to_json(&P::context(&read_setup(input, len)?)?))
}

pub extern "C" fn free(buffer: Buffer) {
    // SAFETY: the host only hands back buffers this library produced, once each.
    drop(unsafe { buffer.into_vec() });
}
