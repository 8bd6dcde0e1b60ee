//! Optional pinning of plugin libraries by SHA-256. When a trust file exists, a library whose
//! hash it does not list is refused before it is loaded, so a plugin directory that someone else
//! can write to cannot slip a library in.
//!
//! The file is `$GWSCRIPT_TRUST_FILE`, else `trusted-plugins` in gwscript's config directory
//! (`~/.config/gwscript/` on Linux). Its lines are what `sha256sum` prints (`HASH  NAME`); the
//! name is for people, only the hash decides. `#` starts a comment.

use gwscript_plugin::Diagnostic;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Trust files are short: a line per plugin. Anything larger is not one.
const MAX_TRUST_FILE_BYTES: u64 = 1024 * 1024;

/// What the trust file says, if there is one.
#[derive(Debug, Clone)]
pub enum Trust {
    /// No trust file: every plugin that passes the host's checks loads.
    Open,
    /// Only libraries with these hashes load.
    Pinned {
        file: PathBuf,
        hashes: HashSet<String>,
    },
    /// The trust file exists but cannot be used: no plugin loads (fail closed).
    Broken(Diagnostic),
}

impl Trust {
    /// The trust file named by `$GWSCRIPT_TRUST_FILE` or found in the config directory.
    pub fn from_environment() -> Trust {
        let named = std::env::var_os("GWSCRIPT_TRUST_FILE").map(PathBuf::from);
        let default = || dirs::config_dir().map(|d| d.join("gwscript").join("trusted-plugins"));
        match named.or_else(default) {
            Some(file) if file.exists() || std::env::var_os("GWSCRIPT_TRUST_FILE").is_some() => {
                Trust::read(&file)
            }
            _ => Trust::Open,
        }
    }

    pub fn read(file: &Path) -> Trust {
        let broken = |why: String| {
            Trust::Broken(Diagnostic::error(
                "GW2015",
                format!("the plugin trust file {} {why}", file.display()),
                "fix or remove the trust file; until then no plugin is loaded",
            ))
        };
        let text = match read_bounded(file) {
            Ok(text) => text,
            Err(e) => return broken(format!("cannot be read: {e}")),
        };
        let mut hashes = HashSet::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let hash = line.split_whitespace().next().unwrap_or_default();
            if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return broken(format!(
                    "has no SHA-256 hash at line {} (lines are `sha256sum` output)",
                    n + 1
                ));
            }
            hashes.insert(hash.to_ascii_lowercase());
        }
        Trust::Pinned {
            file: file.to_path_buf(),
            hashes,
        }
    }

    /// Whether the library in `bytes` (read from `path`) may be loaded.
    pub fn admits(&self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        match self {
            Trust::Open => Ok(()),
            Trust::Broken(diagnostic) => Err(diagnostic.clone()),
            Trust::Pinned { file, hashes } => {
                let hash = sha256_hex(bytes);
                if hashes.contains(&hash) {
                    return Ok(());
                }
                Err(Diagnostic::error(
                    "GW2014",
                    format!(
                        "{} (SHA-256 {hash}) is not listed in the plugin trust file {}",
                        path.display(),
                        file.display()
                    ),
                    "if you trust this build, add it: sha256sum PLUGIN >> TRUST_FILE; otherwise remove the library",
                ))
            }
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, Trust::Open)
    }

    /// The trust file in force, if any.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Trust::Pinned { file, .. } => Some(file),
            Trust::Open | Trust::Broken(_) => None,
        }
    }
}

fn read_bounded(file: &Path) -> std::io::Result<String> {
    let mut text = String::new();
    std::fs::File::open(file)?
        .take(MAX_TRUST_FILE_BYTES)
        .read_to_string(&mut text)?;
    Ok(text)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trust_file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("trusted-plugins");
        std::fs::write(&file, text).expect("write");
        (dir, file)
    }

    #[test]
    fn only_listed_hashes_load() {
        let good = b"the trusted library";
        let listing = format!("# pinned\n{}  libgwscript_good.so\n", sha256_hex(good));
        let (_dir, file) = trust_file(&listing);
        let trust = Trust::read(&file);
        assert!(trust.admits(Path::new("good.so"), good).is_ok());
        let refused = trust
            .admits(Path::new("evil.so"), b"something else")
            .expect_err("not listed");
        assert_eq!(refused.code, "GW2014");
        assert!(refused.message.contains("evil.so"));
    }

    #[test]
    fn a_malformed_trust_file_fails_closed() {
        let (_dir, file) = trust_file("not-a-hash  lib.so\n");
        let trust = Trust::read(&file);
        assert_eq!(
            trust
                .admits(Path::new("any.so"), b"x")
                .expect_err("closed")
                .code,
            "GW2015"
        );
        let missing = Trust::read(Path::new("/nonexistent/trusted-plugins"));
        assert!(matches!(missing, Trust::Broken(_)));
    }

    #[test]
    fn the_hash_is_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
