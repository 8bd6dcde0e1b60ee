//! Loading one plugin library: ABI version first, then the table's size and flags, then the
//! manifest and the rules it must meet. Every call into the library goes through here.

use super::Origin;
use super::manifest_rules;
use super::trust::Trust;
use gwscript_plugin::abi::{self, Buffer, CallResult, CallStatus, InputFn, PluginTable};
use gwscript_plugin::render::read_context;
use gwscript_plugin::{Diagnostic, FileCheck, Manifest, Rendering, Setup};
use libloading::Library;
use minijinja::value::{Value, ValueKind};
use serde_json::value::RawValue;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A setup as plugins read it, written once for every call of a run: the SDK recognises the same
/// bytes sent to `check` and then `render`, and reads them only once.
#[derive(Debug)]
pub struct SetupInput(Vec<u8>);

impl SetupInput {
    pub fn new(setup: &Setup) -> SetupInput {
        // A setup always serialises (string keys, no fallible types); were that ever to change,
        // the plugin would refuse the empty input with a GW2009 naming the call.
        SetupInput(serde_json::to_vec(setup).unwrap_or_default())
    }
}

/// A plugin whose library stays loaded until the process exits.
#[derive(Debug)]
pub struct LoadedPlugin {
    pub manifest: Manifest,
    pub path: PathBuf,
    pub origin: Origin,
    /// The JSON version the plugin was built with (informational: JSON grows compatibly).
    pub json_version: u32,
    entries: Entries,
}

/// The table entries this host knows, copied out of the plugin's table. Entries the plugin's
/// (older) table does not reach are `None`.
#[derive(Debug, Clone, Copy)]
struct Entries {
    manifest: unsafe extern "C" fn() -> CallResult,
    check: InputFn,
    render: InputFn,
    free: unsafe extern "C" fn(Buffer),
    page: Option<InputFn>,
    check_file: Option<InputFn>,
    file_schema: Option<InputFn>,
}

type AbiVersionFn = unsafe extern "C" fn() -> u32;
type TableFn = unsafe extern "C" fn() -> *const PluginTable;

impl LoadedPlugin {
    /// Loads `path`, refusing it with a `GW2xxx` diagnostic at the first thing that is wrong.
    /// With a pinned `trust`, the library's hash is checked first, on the very bytes loaded.
    pub fn load(path: &Path, origin: Origin, trust: &Trust) -> Result<LoadedPlugin, Diagnostic> {
        let shown = path.display().to_string();
        let not_a_library = |why: String| {
            Diagnostic::error(
                "GW2001",
                format!("{shown} is not a loadable shared library: {why}"),
                "remove the file from the plugin directory, or rebuild the plugin as a cdylib for this platform",
            )
        };
        let library = open_library(path, trust).map_err(|e| match e {
            LoadError::Untrusted(diagnostic) => diagnostic,
            LoadError::Io(e) => not_a_library(e.to_string()),
            LoadError::Library(e) => not_a_library(with_causes(&e)),
        })?;
        // Never unloaded: manifests, tables and any thread a plugin started must outlive every use.
        let library: &'static Library = Box::leak(Box::new(library));
        let missing = |symbol: &[u8]| {
            Diagnostic::error(
                "GW2002",
                format!(
                    "{shown} does not export `{}`",
                    String::from_utf8_lossy(symbol.strip_suffix(b"\0").unwrap_or(symbol))
                ),
                "a plugin exports its symbols through gwscript_plugin::declare_plugin!",
            )
        };
        // SAFETY: the symbol's type is fixed by the ABI; a library exporting the name with another
        // type is the kind of breakage the version check exists for, and it runs first.
        let version: libloading::Symbol<'static, AbiVersionFn> =
            unsafe { library.get(abi::ABI_VERSION_SYMBOL) }
                .map_err(|_| missing(abi::ABI_VERSION_SYMBOL))?;
        // SAFETY: takes nothing and returns a plain integer.
        let found = unsafe { version() };
        if found != abi::ABI_VERSION {
            return Err(Diagnostic::error(
                "GW2003",
                format!(
                    "{shown} speaks plugin ABI {found}; this gwscript speaks ABI {}",
                    abi::ABI_VERSION
                ),
                "install the plugin release built for this gwscript version",
            ));
        }
        // SAFETY: as above; the ABI version matched, so the symbol has the ABI's type.
        let table: libloading::Symbol<'static, TableFn> =
            unsafe { library.get(abi::TABLE_SYMBOL) }.map_err(|_| missing(abi::TABLE_SYMBOL))?;
        // SAFETY: the ABI's table function takes nothing and returns a pointer checked next.
        let (entries, json_version) = read_table(unsafe { table() }, &shown)?;
        let manifest = read_manifest(&entries, &shown)?;
        Ok(LoadedPlugin {
            manifest,
            path: path.to_path_buf(),
            origin,
            json_version,
            entries,
        })
    }

    /// The plugin's capability checks for `setup`.
    pub fn check(&self, setup: &SetupInput) -> Result<Vec<Diagnostic>, Diagnostic> {
        let output = self.call_with_setup("check", self.entries.check, setup)?;
        serde_json::from_slice(&output).map_err(|e| self.bad_output("check", &e))
    }

    /// The template context, read into template values as [`read_context`] does, and the report
    /// contribution for `setup`.
    pub fn render(&self, setup: &SetupInput) -> Result<Rendering<Value>, Diagnostic> {
        let output = self.call_with_setup("render", self.entries.render, setup)?;
        let rendering: Rendering<&RawValue> =
            serde_json::from_slice(&output).map_err(|e| self.bad_output("render", &e))?;
        let context =
            read_context(rendering.context.get()).map_err(|e| self.bad_output("render", &e))?;
        let rendering = Rendering {
            context,
            report: rendering.report,
            omit: rendering.omit,
            client: rendering.client,
        };
        if rendering.context.kind() != ValueKind::Map {
            return Err(Diagnostic::error(
                "GW2009",
                format!(
                    "plugin {} returned a template context that is not an object",
                    self.manifest.name
                ),
                "report this to the plugin's author",
            ));
        }
        Ok(rendering)
    }

    /// The markdown page of one of the plugin's codes, if it has one.
    pub fn page(&self, code: &str) -> Option<String> {
        self.manifest.diagnostics.get(code)?;
        let page = self.entries.page?;
        // SAFETY: `page` comes from a table whose size covers it; the input lives for the call.
        let result = unsafe { page(code.as_ptr(), code.len()) };
        let bytes = take_result(&self.entries, result, &self.manifest.name, "page").ok()?;
        String::from_utf8(bytes).ok()
    }

    /// The plugin's findings on one hand-written file of a kind its manifest declares.
    pub fn check_file(&self, file: &FileCheck) -> Result<Vec<Diagnostic>, Diagnostic> {
        let input = serde_json::to_vec(file).unwrap_or_default();
        let output = self.call_optional("check_file", self.entries.check_file, &input)?;
        serde_json::from_slice(&output).map_err(|e| self.bad_output("check_file", &e))
    }

    /// The JSON Schema the plugin gives editors for files of kind `id`.
    pub fn file_schema(&self, id: &str) -> Result<serde_json::Value, Diagnostic> {
        let output = self.call_optional("file_schema", self.entries.file_schema, id.as_bytes())?;
        serde_json::from_slice(&output).map_err(|e| self.bad_output("file_schema", &e))
    }

    /// Calls an entry point the plugin's table may lack (a plugin built before it existed).
    fn call_optional(
        &self,
        name: &str,
        function: Option<InputFn>,
        input: &[u8],
    ) -> Result<Vec<u8>, Diagnostic> {
        let Some(function) = function else {
            return Err(Diagnostic::error(
                "GW2009",
                format!(
                    "plugin {} declares file kinds but has no `{name}` entry point",
                    self.manifest.name
                ),
                "rebuild the plugin against this gwscript's SDK",
            ));
        };
        // SAFETY: an entry of a checked table; `input` outlives the call.
        let result = unsafe { function(input.as_ptr(), input.len()) };
        take_result(&self.entries, result, &self.manifest.name, name)
    }

    fn call_with_setup(
        &self,
        name: &str,
        function: InputFn,
        setup: &SetupInput,
    ) -> Result<Vec<u8>, Diagnostic> {
        let input = &setup.0;
        // SAFETY: an entry of a checked table; `input` outlives the call.
        let result = unsafe { function(input.as_ptr(), input.len()) };
        take_result(&self.entries, result, &self.manifest.name, name)
    }

    fn bad_output(&self, call: &str, error: &serde_json::Error) -> Diagnostic {
        Diagnostic::error(
            "GW2009",
            format!(
                "plugin {} returned unusable output from `{call}`: {error}",
                self.manifest.name
            ),
            "report this to the plugin's author; rebuilding it against this SDK version may help",
        )
    }
}

/// Opens the library. With a pinned trust file, the file is read and hashed through one open
/// descriptor, and that same descriptor is what gets loaded, so the file cannot be swapped between
/// the check and the load.
fn open_library(path: &Path, trust: &Trust) -> Result<Library, LoadError> {
    if trust.is_open() {
        // SAFETY: loading runs the library's initialisers. That is the trust a user extends by
        // installing a plugin; everything after this is checked before it is called.
        return unsafe { Library::new(path) }.map_err(LoadError::Library);
    }
    let mut file = std::fs::File::open(path).map_err(LoadError::Io)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(LoadError::Io)?;
    trust.admits(path, &bytes).map_err(LoadError::Untrusted)?;
    let loaded_from = descriptor_path(&file, path);
    // SAFETY: as above; the bytes behind this descriptor are the ones the trust file admitted.
    let library = unsafe { Library::new(&loaded_from) }.map_err(LoadError::Library);
    // The loader remembers libraries by the name they were opened under: were this descriptor
    // closed, its number, and so the name, would be reused for the next plugin, and the loader
    // would hand back this library instead. Libraries are never unloaded, so neither is this.
    std::mem::forget(file);
    library
}

/// The path that names `file`'s open descriptor (Linux), else the file's own path.
#[cfg(target_os = "linux")]
fn descriptor_path(file: &std::fs::File, _path: &Path) -> PathBuf {
    use std::os::fd::AsRawFd;
    PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()))
}

#[cfg(not(target_os = "linux"))]
fn descriptor_path(_file: &std::fs::File, path: &Path) -> PathBuf {
    path.to_path_buf()
}

/// Why a library could not be opened.
#[derive(Debug)]
enum LoadError {
    Io(std::io::Error),
    Library(libloading::Error),
    Untrusted(Diagnostic),
}

/// Checks the table pointer, its declared size and its flags, then copies out the entries the
/// size covers. Nothing past `size` is ever read.
fn read_table(pointer: *const PluginTable, shown: &str) -> Result<(Entries, u32), Diagnostic> {
    let refuse = |why: String| {
        Diagnostic::error(
            "GW2004",
            format!("{shown} exports a plugin table that is {why}"),
            "rebuild the plugin against the gwscript-plugin SDK this gwscript ships with",
        )
    };
    if pointer.is_null() {
        return Err(refuse("null".to_owned()));
    }
    // SAFETY: non-null and, per the ABI, pointing at a table whose first field is its size; only
    // that field is read until the size is known.
    let size = unsafe { pointer.cast::<usize>().read() };
    if size < abi::CORE_TABLE_SIZE {
        return Err(refuse(format!(
            "{size} bytes; ABI {} needs at least {}",
            abi::ABI_VERSION,
            abi::CORE_TABLE_SIZE
        )));
    }
    // SAFETY: `size` covers every core field, so each read below stays inside the table, which
    // lives as long as the never-unloaded library. Fields are read one by one through raw
    // pointers because the plugin's table may be shorter than this host's struct.
    let (flags, json_version, entries) = unsafe {
        let flags = (&raw const (*pointer).flags).read();
        let json_version = (&raw const (*pointer).json_version).read();
        let entries = Entries {
            manifest: (&raw const (*pointer).manifest).read(),
            check: (&raw const (*pointer).check).read(),
            render: (&raw const (*pointer).render).read(),
            free: (&raw const (*pointer).free).read(),
            page: if PluginTable::covers(size, PluginTable::PAGE_END) {
                (&raw const (*pointer).page).read()
            } else {
                None
            },
            check_file: if PluginTable::covers(size, PluginTable::CHECK_FILE_END) {
                (&raw const (*pointer).check_file).read()
            } else {
                None
            },
            file_schema: if PluginTable::covers(size, PluginTable::FILE_SCHEMA_END) {
                (&raw const (*pointer).file_schema).read()
            } else {
                None
            },
        };
        (flags, json_version, entries)
    };
    if flags & abi::FLAG_UNWINDS == 0 {
        return Err(Diagnostic::error(
            "GW2011",
            format!("{shown} was not built to unwind on panic"),
            "build the plugin with panic = \"unwind\" (the default): with \"abort\", a panic inside it would end gwscript",
        ));
    }
    Ok((entries, json_version))
}

fn read_manifest(entries: &Entries, shown: &str) -> Result<Manifest, Diagnostic> {
    // SAFETY: an entry of a checked table; it takes no input.
    let result = unsafe { (entries.manifest)() };
    let output = take_result(entries, result, shown, "manifest")?;
    let manifest: Manifest = serde_json::from_slice(&output).map_err(|e| {
        Diagnostic::error(
            "GW2005",
            format!("{shown} returned a malformed manifest: {e}"),
            "the manifest must be the JSON of gwscript_plugin::Manifest; build it with declare_plugin!",
        )
    })?;
    manifest_rules::check(&manifest, shown)?;
    Ok(manifest)
}

/// Copies a call's payload out, hands the buffer back to the plugin, and maps the status.
fn take_result(
    entries: &Entries,
    result: CallResult,
    plugin: &str,
    call: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let bytes = copy_payload(&result.payload, plugin, call);
    // SAFETY: handing the plugin's own buffer back to its own `free`, once, whether or not it
    // was read.
    unsafe { (entries.free)(result.payload) };
    let bytes = bytes?;
    let text = || String::from_utf8_lossy(&bytes).into_owned();
    match result.status {
        s if s == CallStatus::Ok as u32 => Ok(bytes),
        s if s == CallStatus::Panicked as u32 => Err(Diagnostic::error(
            "GW2006",
            format!("plugin {plugin} panicked in `{call}`: {}", text()),
            "the panic was contained; report it to the plugin's author with the recipe that triggered it",
        )),
        s if s == CallStatus::Failed as u32 => Err(Diagnostic::error(
            "GW2009",
            format!("plugin {plugin} failed in `{call}`: {}", text()),
            "check the recipe against the plugin's documentation",
        )),
        other => Err(Diagnostic::error(
            "GW2009",
            format!("plugin {plugin} returned unknown status {other} from `{call}`"),
            "rebuild the plugin against the gwscript-plugin SDK this gwscript ships with",
        )),
    }
}

/// The payload's bytes, refused without reading any when it claims more than the ABI allows or
/// is malformed.
fn copy_payload(payload: &Buffer, plugin: &str, call: &str) -> Result<Vec<u8>, Diagnostic> {
    if payload.len() > abi::MAX_PAYLOAD_BYTES {
        return Err(Diagnostic::error(
            "GW2009",
            format!(
                "plugin {plugin} returned {} bytes from `{call}`, more than the {} MiB a call may return",
                payload.len(),
                abi::MAX_PAYLOAD_BYTES >> 20
            ),
            "report this to the plugin's author with the recipe; a setup this size needs a smaller output",
        ));
    }
    // SAFETY: the payload is a buffer the plugin allocated for this result, within the cap; a
    // null pointer with a length is caught by `as_slice` before any read.
    unsafe { payload.as_slice() }.map(<[u8]>::to_vec).ok_or_else(|| {
        Diagnostic::error(
            "GW2009",
            format!("plugin {plugin} returned a null payload with a length from `{call}`"),
            "report this to the plugin's author; plugins built with declare_plugin! never do this",
        )
    })
}

/// libloading's own message is only "dlopen failed"; the loader's reason is in the source chain.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}
