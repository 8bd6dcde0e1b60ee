//! The first-party plugins as `gwscript run` finds them: the libraries built beside the binary.

use gwscript::plugin::{Origin, Registry, SearchDir, Trust};

/// Loads the first-party plugins built beside the binary, refusing a missing or stale one (with
/// the build command) and a run where the LiteLLM plugin did not load.
pub fn load() -> Registry {
    let binary = gwscript_tests::gwscript_bin();
    let dir = SearchDir {
        path: binary
            .parent()
            .expect("the binary's directory")
            .to_path_buf(),
        origin: Origin::BinaryDir,
    };
    let registry = Registry::discover(&[dir], &Trust::Open);
    assert!(
        registry.for_kind("litellm").is_some(),
        "the LiteLLM plugin did not load: {:?}",
        registry.refusals
    );
    registry
}
