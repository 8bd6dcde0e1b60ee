//! Loading one plugin library: ABI version first, then the table's size, then the manifest.

use super::Origin;
use gwscript_plugin::abi::{self, CallResult, CallStatus, PluginTable};
use gwscript_plugin::{Diagnostic, Manifest, Setup};
use libloading::Library;
use std::path::{Path, PathBuf};

/// A plugin whose library stays loaded until the process exits.
#[derive(Debug)]
pub struct LoadedPlugin {
    pub manifest: Manifest,
    pub path: PathBuf,
    pub origin: Origin,
    table: &'static PluginTable,
}

type AbiVersionFn = extern "C" fn() -> u32;
type TableFn = extern "C" fn() -> *const PluginTable;

impl LoadedPlugin {
    /// Loads `path`, refusing it with a `GW2xxx` diagnostic at the first thing that is wrong.
    pub fn load(path: &Path, origin: Origin) -> Result<LoadedPlugin, Diagnostic> {
        let shown = path.display();
        // SAFETY: loading runs the library's initialisers. That is the trust a user extends by
        // installing a plugin; everything after this is checked before it is called.
        let library = unsafe { Library::new(path) }.map_err(|e| {
            Diagnostic::error(
                "GW2001",
                format!("{shown} is not a loadable shared library: {}", with_causes(&e)),
                "remove the file from the plugin directory, or rebuild the plugin as a cdylib for this platform",
            )
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
        let found = version();
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
        let table = table_of(table(), &shown.to_string())?;
        let manifest = read_manifest(table, &shown.to_string())?;
        Ok(LoadedPlugin {
            manifest,
            path: path.to_path_buf(),
            origin,
            table,
        })
    }

    /// The plugin's capability checks for `setup`.
    pub fn check(&self, setup: &Setup) -> Result<Vec<Diagnostic>, Diagnostic> {
        let output = self.call_with_setup("check", self.table.check, setup)?;
        serde_json::from_slice(&output).map_err(|e| self.bad_output("check", &e))
    }

    /// The template context for `setup`.
    pub fn context(&self, setup: &Setup) -> Result<serde_json::Value, Diagnostic> {
        let output = self.call_with_setup("context", self.table.context, setup)?;
        serde_json::from_slice(&output).map_err(|e| self.bad_output("context", &e))
    }

    fn call_with_setup(
        &self,
        name: &str,
        function: extern "C" fn(*const u8, usize) -> CallResult,
        setup: &Setup,
    ) -> Result<Vec<u8>, Diagnostic> {
        let input = serde_json::to_vec(setup).map_err(|e| self.bad_output(name, &e))?;
        let result = function(input.as_ptr(), input.len());
        take_result(self.table, result, &self.manifest.name, name)
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

/// Checks the table pointer and its declared size before any other field is read.
fn table_of(pointer: *const PluginTable, shown: &str) -> Result<&'static PluginTable, Diagnostic> {
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
    // that first field is read until the size is known to cover the whole struct.
    let size = unsafe { pointer.cast::<usize>().read() };
    let expected = size_of::<PluginTable>();
    if size < expected {
        return Err(refuse(format!(
            "{size} bytes; this gwscript needs {expected}"
        )));
    }
    // SAFETY: the table declares at least our size and lives as long as the never-unloaded library.
    Ok(unsafe { &*pointer })
}

fn read_manifest(table: &'static PluginTable, shown: &str) -> Result<Manifest, Diagnostic> {
    let output = take_result(table, (table.manifest)(), shown, "manifest")?;
    let manifest: Manifest = serde_json::from_slice(&output).map_err(|e| {
        Diagnostic::error(
            "GW2005",
            format!("{shown} returned a malformed manifest: {e}"),
            "the manifest must be the JSON of gwscript_plugin::Manifest; build it with declare_plugin!",
        )
    })?;
    validate_manifest(&manifest).map_err(|why| {
        Diagnostic::error(
            "GW2005",
            format!("{shown} returned a malformed manifest: {why}"),
            "fix the plugin's manifest()",
        )
    })?;
    Ok(manifest)
}

fn validate_manifest(manifest: &Manifest) -> Result<(), String> {
    let is_slug = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    if !is_slug(&manifest.name) {
        return Err(format!(
            "name {:?} must be lowercase letters, digits, - or _",
            manifest.name
        ));
    }
    if !is_slug(&manifest.gateway_kind) {
        return Err(format!(
            "gateway_kind {:?} must be lowercase letters, digits, - or _",
            manifest.gateway_kind
        ));
    }
    for template in &manifest.templates {
        let path = Path::new(&template.path);
        let inside = path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if template.path.is_empty() || !inside {
            return Err(format!(
                "template path {:?} must be relative, without `..`",
                template.path
            ));
        }
    }
    Ok(())
}

/// Copies a call's payload out, hands the buffer back to the plugin, and maps the status.
fn take_result(
    table: &PluginTable,
    result: CallResult,
    plugin: &str,
    call: &str,
) -> Result<Vec<u8>, Diagnostic> {
    // SAFETY: the payload is a buffer the plugin allocated for this result; it is read once and
    // then returned to the plugin's own `free`.
    let bytes = unsafe { result.payload.as_slice() }.to_vec();
    (table.free)(result.payload);
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
