//! The C ABI between the host and a plugin library.
//!
//! # Loading order
//!
//! 1. The host resolves [`ABI_VERSION_SYMBOL`] and refuses the library unless it returns
//!    [`ABI_VERSION`]. The major version changes only when the existing layout or meaning changes;
//!    additions never bump it.
//! 2. It resolves [`TABLE_SYMBOL`] and reads the table's first field, `size`. A table smaller than
//!    [`CORE_TABLE_SIZE`] is refused before any other field is read.
//! 3. It checks [`PluginTable::flags`] ([`FLAG_UNWINDS`]) and reads the manifest.
//!
//! # How the ABI grows
//!
//! - New entry points are appended to [`PluginTable`] as `Option<unsafe extern "C" fn …>` (a null
//!   pointer is `None`). The host reads an appended entry only when the plugin's `size` covers it,
//!   so a plugin built against an older SDK simply lacks it, and is still loaded.
//! - A plugin built against a newer SDK exports a longer table; the host reads the part it knows.
//! - JSON shapes grow by optional fields only; both sides ignore fields they do not know.
//!   [`JSON_VERSION`] says which additions a side knows.
//! - When a plugin cannot work without something newer than the host, it names that in the
//!   manifest's `requires` list; the host refuses it with a diagnostic naming what is missing.

/// The major ABI version; bumped only by an incompatible change to what already exists.
pub const ABI_VERSION: u32 = 2;

/// The version of the JSON shapes (manifest, setup, rendering, diagnostics) this SDK speaks.
pub const JSON_VERSION: u32 = 1;

/// `extern "C" fn() -> u32` returning the plugin's ABI version.
pub const ABI_VERSION_SYMBOL: &[u8] = b"gwscript_plugin_abi_version\0";

/// `extern "C" fn() -> *const PluginTable`; the table lives for the life of the process.
pub const TABLE_SYMBOL: &[u8] = b"gwscript_plugin_table\0";

/// Set in [`PluginTable::flags`] when the plugin was built with `panic = "unwind"`, so the
/// `catch_unwind` at its boundary works. Without it a plugin panic would abort the host.
pub const FLAG_UNWINDS: u32 = 1;

/// The table's size up to and including `free`: what every ABI 2 plugin exports.
pub const CORE_TABLE_SIZE: usize =
    std::mem::offset_of!(PluginTable, free) + size_of::<unsafe extern "C" fn(Buffer)>();

/// The most bytes one call's payload may hold. The host refuses a larger payload without reading
/// it, and still hands it back to `free`; the SDK's exports refuse to return one.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024 * 1024;

/// Bytes owned by the side that allocated them; hand them back through [`PluginTable::free`].
///
/// The fields are private so safe code cannot forge a buffer that points anywhere.
#[repr(C)]
#[derive(Debug)]
pub struct Buffer {
    ptr: *mut u8,
    len: usize,
    cap: usize,
}

impl Buffer {
    /// Gives up ownership of `bytes`; reclaim it with [`Buffer::into_vec`] in the same library.
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        let mut bytes = std::mem::ManuallyDrop::new(bytes);
        Buffer {
            ptr: bytes.as_mut_ptr(),
            len: bytes.len(),
            cap: bytes.capacity(),
        }
    }

    /// The number of bytes the buffer claims to hold.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// # Safety
    /// `self` must come from [`Buffer::from_vec`] in this same library and not be reclaimed twice.
    pub unsafe fn into_vec(self) -> Vec<u8> {
        // SAFETY: the caller guarantees ptr/len/cap came from a Vec<u8> of this allocator.
        unsafe { Vec::from_raw_parts(self.ptr, self.len, self.cap) }
    }

    /// The bytes, or `None` when the buffer is malformed (a null pointer with a non-zero length).
    ///
    /// # Safety
    /// A non-null `ptr` must point at `len` initialised bytes that stay valid while the slice lives.
    pub unsafe fn as_slice(&self) -> Option<&[u8]> {
        if self.len == 0 {
            return Some(&[]);
        }
        if self.ptr.is_null() {
            return None;
        }
        // SAFETY: non-null, and the caller guarantees `len` readable bytes.
        Some(unsafe { std::slice::from_raw_parts(self.ptr, self.len) })
    }
}

/// How a call ended. The payload is the call's output for [`CallStatus::Ok`], a UTF-8 message
/// otherwise.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Ok = 0,
    /// The plugin reported a failure (bad input JSON, a rendering it cannot build).
    Failed = 1,
    /// The plugin panicked; the panic was caught at the boundary.
    Panicked = 2,
}

#[repr(C)]
#[derive(Debug)]
pub struct CallResult {
    /// A [`CallStatus`] as `u32`, so an unknown value from a broken plugin is not undefined behaviour.
    pub status: u32,
    pub payload: Buffer,
}

/// A call taking UTF-8 input bytes (JSON or a plain string) that stay valid for the call.
pub type InputFn = unsafe extern "C" fn(input: *const u8, len: usize) -> CallResult;

/// The function table a plugin exports. `size` is the first field; see the module docs for how
/// the table grows.
#[repr(C)]
#[derive(Debug)]
pub struct PluginTable {
    /// `size_of::<PluginTable>()` in the SDK the plugin was built with.
    pub size: usize,
    /// [`FLAG_UNWINDS`] and future flags.
    pub flags: u32,
    /// The [`JSON_VERSION`] the plugin was built with.
    pub json_version: u32,
    /// Returns the [`crate::Manifest`] as JSON.
    pub manifest: unsafe extern "C" fn() -> CallResult,
    /// Takes a [`crate::Setup`] as JSON, returns a list of [`crate::Diagnostic`] as JSON.
    pub check: InputFn,
    /// Takes a [`crate::Setup`] as JSON, returns a [`crate::Rendering`] as JSON.
    pub render: InputFn,
    /// Frees a payload this library returned.
    pub free: unsafe extern "C" fn(Buffer),
    /// Takes a diagnostic code (UTF-8), returns its markdown page. Optional: a plugin without
    /// codes has no pages.
    pub page: Option<InputFn>,
    /// Takes a [`crate::files::FileCheck`] as JSON, returns a list of [`crate::Diagnostic`] as
    /// JSON, spans being positions in the file. Optional: for plugins whose manifest declares
    /// `file_kinds`.
    pub check_file: Option<InputFn>,
    /// Takes a file kind's id (UTF-8), returns a JSON Schema for files of that kind.
    pub file_schema: Option<InputFn>,
}

impl PluginTable {
    /// Whether a table that declares `size` bytes includes the field that ends at `end`.
    pub fn covers(size: usize, end: usize) -> bool {
        size >= end
    }

    /// Where the `page` entry ends; the host reads it only from tables at least this long.
    pub const PAGE_END: usize =
        std::mem::offset_of!(PluginTable, page) + size_of::<Option<InputFn>>();

    /// Where the `check_file` entry ends (added with file checks).
    pub const CHECK_FILE_END: usize =
        std::mem::offset_of!(PluginTable, check_file) + size_of::<Option<InputFn>>();

    /// Where the `file_schema` entry ends (added with file checks).
    pub const FILE_SCHEMA_END: usize =
        std::mem::offset_of!(PluginTable, file_schema) + size_of::<Option<InputFn>>();
}

// Appended entries follow each other: each ends after the one before it.
const _: () = assert!(PluginTable::PAGE_END < PluginTable::CHECK_FILE_END);
const _: () = assert!(PluginTable::CHECK_FILE_END < PluginTable::FILE_SCHEMA_END);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_is_a_prefix_of_the_table() {
        assert!(CORE_TABLE_SIZE < size_of::<PluginTable>());
        assert_eq!(PluginTable::FILE_SCHEMA_END, size_of::<PluginTable>());
        assert!(PluginTable::covers(
            size_of::<PluginTable>(),
            CORE_TABLE_SIZE
        ));
        assert!(!PluginTable::covers(CORE_TABLE_SIZE, PluginTable::PAGE_END));
    }

    #[test]
    fn a_null_buffer_with_a_length_is_malformed() {
        let forged = Buffer {
            ptr: std::ptr::null_mut(),
            len: 3,
            cap: 3,
        };
        // SAFETY: null is checked before any read.
        assert!(unsafe { forged.as_slice() }.is_none());
        let empty = Buffer {
            ptr: std::ptr::null_mut(),
            len: 0,
            cap: 0,
        };
        // SAFETY: an empty buffer is never read.
        assert_eq!(unsafe { empty.as_slice() }, Some(&[][..]));
    }
}
