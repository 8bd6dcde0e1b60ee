//! Where plugins are looked for, in order: beside the `gwscript` binary, in
//! `$GWSCRIPT_PLUGIN_PATH`, then in the user's data directory.

use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    BinaryDir,
    PluginPath,
    DataDir,
}

impl Origin {
    pub fn describe(self) -> &'static str {
        match self {
            Origin::BinaryDir => "beside the gwscript binary",
            Origin::PluginPath => "from $GWSCRIPT_PLUGIN_PATH",
            Origin::DataDir => "from the user data directory",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchDir {
    pub path: PathBuf,
    pub origin: Origin,
}

/// The search order. Directories that do not exist are kept: listing them tells users where to
/// install a plugin.
pub fn search_dirs() -> Vec<SearchDir> {
    let mut dirs = Vec::new();
    if let Some(bin) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        dirs.push(SearchDir {
            path: bin,
            origin: Origin::BinaryDir,
        });
    }
    if let Some(paths) = std::env::var_os("GWSCRIPT_PLUGIN_PATH") {
        dirs.extend(
            std::env::split_paths(&paths)
                .filter(|p| !p.as_os_str().is_empty())
                .map(|path| SearchDir {
                    path,
                    origin: Origin::PluginPath,
                }),
        );
    }
    if let Some(data) = dirs::data_dir() {
        dirs.push(SearchDir {
            path: data.join("gwscript").join("plugins"),
            origin: Origin::DataDir,
        });
    }
    dirs
}

/// Plugin libraries in `dir`, sorted by name. Only files named like a gwscript plugin are
/// considered, so unrelated libraries beside the binary are never loaded.
pub fn candidates(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_plugin_file_name(p))
        .collect();
    found.sort();
    found
}

fn is_plugin_file_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let (prefix, suffix) = (std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    name.strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
        .is_some_and(|stem| stem.starts_with("gwscript_") && stem.len() > "gwscript_".len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_gwscript_libraries_are_candidates() {
        let lib = |stem: &str| {
            PathBuf::from(format!(
                "{}{stem}{}",
                std::env::consts::DLL_PREFIX,
                std::env::consts::DLL_SUFFIX
            ))
        };
        assert!(is_plugin_file_name(&lib("gwscript_litellm")));
        assert!(!is_plugin_file_name(&lib("gwscript_")));
        assert!(!is_plugin_file_name(&lib("ssl")));
        assert!(!is_plugin_file_name(Path::new("libgwscript_litellm.rlib")));
    }
}
