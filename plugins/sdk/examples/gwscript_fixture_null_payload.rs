//! Refusal fixture (GW2009): a table whose `manifest` reports success with a malformed payload,
//! a null pointer with a non-zero length. The host must refuse it without reading through the
//! pointer (which would crash it), and hand the buffer back to `free`, which leaves it alone.

mod handmade;

use gwscript_plugin::abi::{Buffer, CallResult, CallStatus};

/// The layout of `abi::Buffer`, whose fields are private so that safe code cannot forge one.
#[repr(C)]
struct ForgedBuffer {
    ptr: *mut u8,
    len: usize,
    cap: usize,
}

const _: () = {
    assert!(size_of::<ForgedBuffer>() == size_of::<Buffer>());
    assert!(align_of::<ForgedBuffer>() == align_of::<Buffer>());
};

extern "C" fn manifest() -> CallResult {
    let forged = ForgedBuffer {
        ptr: std::ptr::null_mut(),
        len: 64,
        cap: 64,
    };
    CallResult {
        status: CallStatus::Ok as u32,
        // SAFETY: `Buffer` is `#[repr(C)]` with the fields `ptr: *mut u8, len: usize, cap: usize`
        // in this order, the layout the ABI fixes for every plugin, so `ForgedBuffer` has the same
        // layout (size and alignment asserted above). A `Buffer` has no validity invariant beyond
        // its field types, and a null `*mut u8` is a valid value of that type; what is malformed
        // is only what the buffer claims, which is the point of this fixture.
        payload: unsafe { std::mem::transmute::<ForgedBuffer, Buffer>(forged) },
    }
}

handmade::table_with_manifest!(manifest);
