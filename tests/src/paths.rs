//! The built `gwscript` binary and the peers installed by `tests/peers/install.sh`.

use std::path::{Path, PathBuf};

const BUILD_HINT: &str =
    "run `cargo build --workspace --all-targets` first (the README test command does)";
const INSTALL_HINT: &str =
    "install them with `bash tests/peers/install.sh` (GWSCRIPT_PEERS_DIR overrides the location)";

/// The cargo profile directory (`target/<profile>/`) this test binary was built into; the
/// `gwscript` binary and the plugin libraries live there.
pub fn profile_dir() -> PathBuf {
    let exe =
        std::env::current_exe().unwrap_or_else(|e| panic!("cannot locate the test binary: {e}"));
    // Test binaries live in target/<profile>/deps/.
    exe.parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("unexpected test binary location {}", exe.display()))
        .to_path_buf()
}

/// The built `gwscript` binary, with the plugin libraries beside it; panics with the build
/// command if any of them is missing or older than a source it is built from. Checked once per
/// test process: every CLI test calls this.
pub fn gwscript_bin() -> PathBuf {
    static CHECKED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CHECKED.get_or_init(checked_gwscript_bin).clone()
}

fn checked_gwscript_bin() -> PathBuf {
    let dir = profile_dir();
    let prefix = format!("{}gwscript_", std::env::consts::DLL_PREFIX);
    for entry in std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.ends_with(std::env::consts::DLL_SUFFIX) {
            built(&entry.path());
        }
    }
    built(&dir.join(format!("gwscript{}", std::env::consts::EXE_SUFFIX)))
}

/// A refusal fixture from `plugins/sdk/examples/`, built as a library.
pub fn fixture_library(stem: &str) -> PathBuf {
    built(&profile_dir().join("examples").join(library_name(stem)))
}

/// `libSTEM.so` (or the platform's equivalent).
pub fn library_name(stem: &str) -> String {
    format!(
        "{}{stem}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// `artifact`, after checking it exists and is newer than every source cargo recorded for it in
/// its dep-info file (`libNAME.d` for `libNAME.so`, `gwscript.d` for `gwscript`): a test must
/// never drive a binary or plugin left over from an earlier build.
fn built(artifact: &Path) -> PathBuf {
    let modified = std::fs::metadata(artifact)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| panic!("{} does not exist: {BUILD_HINT}", artifact.display()));
    let dep_info = match artifact.extension() {
        Some(_) => artifact.with_extension("d"),
        None => PathBuf::from(format!("{}.d", artifact.display())),
    };
    let listed = std::fs::read_to_string(&dep_info)
        .unwrap_or_else(|e| panic!("{}: {e}: {BUILD_HINT}", dep_info.display()));
    for source in sources_in(&listed) {
        let newer = std::fs::metadata(&source)
            .and_then(|m| m.modified())
            .is_ok_and(|time| time > modified);
        assert!(
            !newer,
            "{} is older than {}: {BUILD_HINT}",
            artifact.display(),
            source.display()
        );
    }
    artifact.to_path_buf()
}

/// The sources of the first rule of a make-style dep-info file (`target: a.rs b\\ c.rs`).
fn sources_in(dep_info: &str) -> Vec<PathBuf> {
    let first = dep_info.lines().next().unwrap_or_default();
    let Some((_, sources)) = first.split_once(": ") else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut chars = sources.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            ' ' if !current.is_empty() => paths.push(PathBuf::from(std::mem::take(&mut current))),
            ' ' => {}
            other => current.push(other),
        }
    }
    if !current.is_empty() {
        paths.push(PathBuf::from(current));
    }
    paths
}

/// The real tools the end-to-end tests drive.
#[derive(Debug, Clone)]
pub struct Peers {
    /// The LiteLLM venv's `bin/` directory (holds `litellm`; goes first on PATH).
    pub litellm_bin_dir: PathBuf,
    /// The Claude Code CLI executable.
    pub claude: PathBuf,
    /// The tools venv's `bin/` directory (`openapi-spec-validator`, …).
    pub tools_bin_dir: PathBuf,
    /// The truefoundry-sdk venv's `bin/` directory (its `python` validates TrueFoundry manifests).
    pub truefoundry_bin_dir: PathBuf,
}

/// The installed peers; panics with the install command if any is missing (never skips).
pub fn peers() -> Peers {
    let root = std::env::var_os("GWSCRIPT_PEERS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/peers"),
        PathBuf::from,
    );
    let peers = Peers {
        litellm_bin_dir: root.join("litellm-venv/bin"),
        claude: root.join("claude-code/node_modules/.bin/claude"),
        tools_bin_dir: root.join("tools-venv/bin"),
        truefoundry_bin_dir: root.join("truefoundry-venv/bin"),
    };
    for required in [
        &peers.litellm_bin_dir.join("litellm"),
        &peers.claude,
        &peers.tools_bin_dir.join("openapi-spec-validator"),
        &peers.truefoundry_bin_dir.join("python"),
    ] {
        assert!(
            required.is_file(),
            "end-to-end peer missing: {} does not exist; {INSTALL_HINT}",
            required.display()
        );
    }
    peers
}
