//! The C ABI between the host and a plugin library.
//!
//! The host resolves [`ABI_VERSION_SYMBOL`] first and refuses the library unless it returns
//! [`ABI_VERSION`]. Only then does it resolve [`TABLE_SYMBOL`], and it checks the table's `size`
//! before reading any other field, so a table from an older, shorter layout is refused, not misread.

/// Bumped on any change to the layout or meaning of [`PluginTable`] or [`CallResult`].
pub const ABI_VERSION: u32 = 1;

/// `extern "C" fn() -> u32` returning the plugin's ABI version.
pub const ABI_VERSION_SYMBOL: &[u8] = b"gwscript_plugin_abi_version\0";

/// `extern "C" fn() -> *const PluginTable`; the table lives for the life of the process.
pub const TABLE_SYMBOL: &[u8] = b"gwscript_plugin_table\0";

/// Bytes owned by the side that allocated them; hand them back through [`PluginTable::free`].
#[repr(C)]
#[derive(Debug)]
pub struct Buffer {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
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

    /// # Safety
    /// `self` must come from [`Buffer::from_vec`] in this same library and not be reclaimed twice.
    pub unsafe fn into_vec(self) -> Vec<u8> {
        // SAFETY: the caller guarantees ptr/len/cap came from a Vec<u8> of this allocator.
        unsafe { Vec::from_raw_parts(self.ptr, self.len, self.cap) }
    }

    /// # Safety
    /// `self.ptr` must point at `self.len` initialised bytes.
    pub unsafe fn as_slice(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// How a call ended. The payload is JSON for [`CallStatus::Ok`], a UTF-8 message otherwise.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Ok = 0,
    /// The plugin reported a failure (bad input JSON, a context it cannot build).
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

/// The function table a plugin exports. `size` is the first field and must equal
/// `size_of::<PluginTable>()` of the host's SDK version.
#[repr(C)]
#[derive(Debug)]
pub struct PluginTable {
    pub size: usize,
    /// Returns the [`crate::Manifest`] as JSON.
    pub manifest: extern "C" fn() -> CallResult,
    /// Takes a [`crate::Setup`] as JSON, returns a list of [`crate::Diagnostic`] as JSON.
    pub check: extern "C" fn(input: *const u8, len: usize) -> CallResult,
    /// Takes a [`crate::Setup`] as JSON, returns the template context as JSON.
    pub context: extern "C" fn(input: *const u8, len: usize) -> CallResult,
    /// Frees a payload this library returned.
    pub free: extern "C" fn(Buffer),
}
