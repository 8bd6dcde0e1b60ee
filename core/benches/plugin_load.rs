//! How long loading one plugin takes: dlopen, the ABI and table checks, and the manifest.
//!
//! A library already loaded in a process loads again from cache, so each sample loads a fresh
//! copy of the LiteLLM plugin under its own path. Run with `bash tests/bench/run.sh`.

use gwscript::plugin::{LoadedPlugin, Origin};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SAMPLES: usize = 200;

fn main() {
    let plugin = built_plugin();
    let copies = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = (0..SAMPLES)
        .map(|i| {
            let path = copies.path().join(format!("libgwscript_copy{i}.so"));
            std::fs::copy(&plugin, &path).expect("copy the plugin");
            path
        })
        .collect();
    let mut samples: Vec<Duration> = paths
        .iter()
        .map(|path| {
            let started = Instant::now();
            let loaded = LoadedPlugin::load(path, Origin::PluginPath).expect("the plugin loads");
            let elapsed = started.elapsed();
            assert_eq!(loaded.manifest.gateway_kind, "litellm");
            elapsed
        })
        .collect();
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    println!(
        "plugin load ({SAMPLES} fresh copies of {}): median {:?}, p90 {:?}, max {:?}",
        plugin.display(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}

/// The LiteLLM plugin built for this profile: `target/<profile>/`, beside `deps/` holding this bench.
fn built_plugin() -> PathBuf {
    let exe = std::env::current_exe().expect("bench path");
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>/deps/");
    let plugin = dir.join(format!(
        "{}gwscript_litellm{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    assert!(
        plugin.is_file(),
        "{} missing: build the workspace first",
        plugin.display()
    );
    plugin
}
