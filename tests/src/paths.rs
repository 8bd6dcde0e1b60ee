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

/// The built `gwscript` binary; panics with the build command if it is missing.
pub fn gwscript_bin() -> PathBuf {
    let bin = profile_dir().join(format!("gwscript{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} does not exist: {BUILD_HINT}",
        bin.display()
    );
    bin
}

/// The real tools the end-to-end tests drive.
#[derive(Debug, Clone)]
pub struct Peers {
    /// The LiteLLM venv's `bin/` directory (holds `litellm`; goes first on PATH).
    pub litellm_bin_dir: PathBuf,
    /// The Claude Code CLI executable.
    pub claude: PathBuf,
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
    };
    for required in [&peers.litellm_bin_dir.join("litellm"), &peers.claude] {
        assert!(
            required.is_file(),
            "end-to-end peer missing: {} does not exist; {INSTALL_HINT}",
            required.display()
        );
    }
    peers
}
