//! How long the plugin host takes: loading one plugin (dlopen, the ABI, table and manifest
//! checks), and discovering and loading every first-party plugin, as `gwscript` does at start.
//!
//! A library already loaded in a process loads again from cache, so every sample loads fresh
//! copies under their own paths. Run with `bash tests/bench/run.sh`.

use gwscript::plugin::{LoadedPlugin, Origin, Registry, SearchDir, Trust};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SAMPLES: usize = 100;

fn main() {
    let plugins = first_party_plugins();
    let litellm = plugins
        .iter()
        .find(|p| p.to_string_lossy().contains("gwscript_litellm"))
        .expect("the LiteLLM plugin is built");
    let scratch = tempfile::tempdir().expect("temp dir");

    let one: Vec<Duration> = (0..SAMPLES)
        .map(|i| {
            let path = scratch.path().join(format!("libgwscript_copy{i}.so"));
            std::fs::copy(litellm, &path).expect("copy the plugin");
            let started = Instant::now();
            let loaded =
                LoadedPlugin::load(&path, Origin::PluginPath, &Trust::Open).expect("it loads");
            let elapsed = started.elapsed();
            assert_eq!(loaded.manifest.gateway_kind, "litellm");
            elapsed
        })
        .collect();
    report("load one plugin (LiteLLM)", one, "2 ms");

    let all: Vec<Duration> = (0..SAMPLES)
        .map(|i| {
            let dir = scratch.path().join(format!("set{i}"));
            std::fs::create_dir(&dir).expect("plugin dir");
            for plugin in &plugins {
                std::fs::copy(plugin, dir.join(plugin.file_name().expect("a file")))
                    .expect("copy the plugin");
            }
            let dirs = [SearchDir {
                path: dir,
                origin: Origin::PluginPath,
            }];
            let started = Instant::now();
            let registry = Registry::discover(&dirs, &Trust::Open);
            let elapsed = started.elapsed();
            assert!(registry.refusals.is_empty(), "{:?}", registry.refusals);
            assert_eq!(registry.plugins.len(), plugins.len());
            elapsed
        })
        .collect();
    report(
        &format!(
            "discover and load all {} first-party plugins",
            plugins.len()
        ),
        all,
        "5 ms",
    );
}

fn report(what: &str, mut samples: Vec<Duration>, target: &str) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    println!(
        "{what}: median {:?}, p90 {:?}, max {:?} over {} samples (target <= {target})",
        at(0.5),
        at(0.9),
        at(1.0),
        samples.len()
    );
}

/// The plugin libraries built for this profile: `target/<profile>/`, beside `deps/` holding
/// this bench.
fn first_party_plugins() -> Vec<PathBuf> {
    let exe = std::env::current_exe().expect("bench path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/");
    let prefix = format!("{}gwscript_", std::env::consts::DLL_PREFIX);
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("profile dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&prefix) && n.ends_with(std::env::consts::DLL_SUFFIX)
            })
        })
        .collect();
    found.sort();
    assert!(
        !found.is_empty(),
        "no plugins in {}: build the workspace first",
        dir.display()
    );
    found
}
