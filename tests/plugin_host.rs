//! The plugin host against real built libraries: the LiteLLM plugin beside the binary, and the
//! deliberately broken fixtures from `plugins/sdk/examples/`, each refused with its own code.

use gwscript_tests::{fixture_library, gwscript_bin, library_name, temp_dir};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const RECIPE_FOR_KIND: &str = r#"let gw = gateway("KIND", #{ url: "http://127.0.0.1:4000" });
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("MASTER") }));
"#;

/// A plugin directory and an isolated HOME, so the user's data dir holds nothing unexpected.
struct Sandbox {
    root: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let root = temp_dir("plugins");
        std::fs::create_dir_all(root.path().join("path")).expect("plugin dir");
        std::fs::create_dir_all(root.path().join("home")).expect("home");
        Sandbox { root }
    }

    fn plugin_path(&self) -> PathBuf {
        self.root.path().join("path")
    }

    fn data_dir(&self) -> PathBuf {
        self.root.path().join("home/.local/share/gwscript/plugins")
    }

    /// Copies a fixture library into `dir` under its own name.
    fn install_fixture(&self, fixture: &str, dir: &Path) -> PathBuf {
        let name = library_name(fixture);
        let built = fixture_library(fixture);
        std::fs::create_dir_all(dir).expect("plugin dir");
        let target = dir.join(&name);
        std::fs::copy(&built, &target).expect("copy fixture");
        target
    }

    fn gwscript(&self, args: &[&str]) -> Output {
        self.gwscript_with_path(args, self.plugin_path().as_os_str())
    }

    /// Runs gwscript in the sandbox's root with `plugin_path` as `$GWSCRIPT_PLUGIN_PATH`.
    fn gwscript_with_path(&self, args: &[&str], plugin_path: &OsStr) -> Output {
        Command::new(gwscript_bin())
            .args(args)
            .current_dir(self.root.path())
            .env("GWSCRIPT_PLUGIN_PATH", plugin_path)
            .env("HOME", self.root.path().join("home"))
            .env_remove("XDG_DATA_HOME")
            .output()
            .expect("gwscript runs")
    }

    fn list(&self) -> (Value, Output) {
        self.list_with_path(self.plugin_path().as_os_str())
    }

    fn list_with_path(&self, plugin_path: &OsStr) -> (Value, Output) {
        let output = self.gwscript_with_path(&["plugins", "list", "--json"], plugin_path);
        let listing = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "plugins list --json printed no JSON ({e}): {}",
                text(&output.stdout)
            )
        });
        (listing, output)
    }

    fn run_recipe(&self, kind: &str) -> Output {
        let recipe = self.root.path().join("recipe.rhai");
        std::fs::write(&recipe, RECIPE_FOR_KIND.replace("KIND", kind)).expect("write recipe");
        self.gwscript(&["run", "recipe.rhai", "--out", "out"])
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The refusal diagnostics `plugins list --json` reported, as (file name, code).
fn refusals(listing: &Value) -> Vec<(String, String)> {
    listing["refused"]
        .as_array()
        .expect("refused is a list")
        .iter()
        .map(|r| {
            let path = r["path"].as_str().expect("path");
            let name = Path::new(path)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(path);
            (
                name.to_owned(),
                r["diagnostic"]["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

fn loaded_kinds(listing: &Value) -> Vec<String> {
    listing["plugins"]
        .as_array()
        .expect("plugins is a list")
        .iter()
        .map(|p| p["gateway_kind"].as_str().expect("kind").to_owned())
        .collect()
}

/// The gateway kinds of the plugins built in this repository, in discovery order (file name).
const FIRST_PARTY: [&str; 5] = ["custom", "litellm", "mintmcp", "truefoundry", "zuplo"];

/// `FIRST_PARTY` followed by `more`, as `loaded_kinds` lists them.
fn first_party_and(more: &[&str]) -> Vec<String> {
    FIRST_PARTY
        .iter()
        .chain(more)
        .map(|k| (*k).to_owned())
        .collect()
}

#[test]
fn the_first_party_plugins_load_from_beside_the_binary() {
    let sandbox = Sandbox::new();
    let (listing, output) = sandbox.list();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(loaded_kinds(&listing), first_party_and(&[]));
    for plugin in listing["plugins"].as_array().expect("plugins") {
        assert_eq!(plugin["origin"], "binary-dir", "{plugin}");
        assert_eq!(plugin["abi_version"], 2, "{plugin}");
    }
    assert_eq!(refusals(&listing), Vec::<(String, String)>::new());
    let searched: Vec<&str> = listing["searched"]
        .as_array()
        .expect("searched")
        .iter()
        .map(|d| d["origin"].as_str().expect("origin"))
        .collect();
    assert_eq!(searched, ["binary-dir", "plugin-path", "data-dir"]);
}

/// Every way a library can be unfit, each refused with its own code while the good plugins keep
/// working: not a library, missing symbols, another ABI, a short table, a malformed or hostile
/// manifest, a panic=abort build, a feature the host lacks, a bad option schema, a code prefix
/// that is taken, a null payload, and a second claimant of a kind.
#[test]
fn every_broken_library_is_refused_with_its_own_code_and_the_host_survives() {
    let sandbox = Sandbox::new();
    let dir = sandbox.plugin_path();
    std::fs::write(
        dir.join(library_name("gwscript_not_a_library")),
        "#!/bin/sh\necho not an ELF\n",
    )
    .expect("write");
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(dir.join(library_name("gwscript_random_bytes")), noise).expect("write");
    let expected = [
        ("gwscript_fixture_aborts_on_panic", "GW2011"),
        ("gwscript_fixture_bad_manifest", "GW2005"),
        ("gwscript_fixture_bad_option_schema", "GW2012"),
        ("gwscript_fixture_claims_litellm", "GW2007"),
        ("gwscript_fixture_code_collision", "GW2013"),
        ("gwscript_fixture_host_code_prefix", "GW2013"),
        ("gwscript_fixture_needs_newer_host", "GW2010"),
        ("gwscript_fixture_no_symbols", "GW2002"),
        ("gwscript_fixture_null_payload", "GW2009"),
        ("gwscript_fixture_short_table", "GW2004"),
        ("gwscript_fixture_template_claims_host_path", "GW2005"),
        ("gwscript_fixture_template_escapes_out", "GW2005"),
        ("gwscript_fixture_wrong_abi", "GW2003"),
        ("gwscript_not_a_library", "GW2001"),
        ("gwscript_random_bytes", "GW2001"),
    ];
    for (fixture, _) in expected
        .iter()
        .filter(|(f, _)| f.starts_with("gwscript_fixture_"))
    {
        sandbox.install_fixture(fixture, &dir);
    }
    let (listing, output) = sandbox.list();
    assert_eq!(output.status.code(), Some(1), "refusals are findings");
    let mut found = refusals(&listing);
    found.sort();
    let expected = expected.map(|(stem, code)| (library_name(stem), code.to_owned()));
    assert_eq!(found, expected);
    // The first claimant of a kind keeps it: the plugin beside the binary, not the impostor.
    assert_eq!(loaded_kinds(&listing), first_party_and(&[]));
    let stderr = text(&output.stderr);
    for needle in [
        "ABI 100",
        "fixture-feature-from-the-future",
        "panic = \"unwind\"",
        "overlaps litellm's GW40",
        "overlaps gwscript's own GW1xxx codes",
        "null payload",
        "\"../escape.yaml\" must be relative",
        "\"claude/settings.json\" is gwscript's own",
        "unusable gateway_options schema",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in:\n{stderr}");
    }

    // A run that does not need the refused plugins still works.
    let quickstart = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/quickstart.rhai");
    let run = sandbox.gwscript(&[
        "run",
        quickstart.to_str().expect("utf-8 path"),
        "--out",
        "out",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        sandbox
            .root
            .path()
            .join("out/litellm/config.yaml")
            .is_file()
    );
}

/// The ABI grows without refusing plugins that do not need the growth: a table from an older SDK
/// (no `page` entry, a manifest with only the required fields) and one from a newer SDK (longer
/// table, higher JSON version, unknown fields) both load and run.
#[test]
fn plugins_from_older_and_newer_sdks_load_and_run() {
    let sandbox = Sandbox::new();
    let dir = sandbox.plugin_path();
    sandbox.install_fixture("gwscript_fixture_older_sdk", &dir);
    sandbox.install_fixture("gwscript_fixture_newer_sdk", &dir);
    let (listing, output) = sandbox.list();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(loaded_kinds(&listing), first_party_and(&["newer", "older"]));
    let json_versions: Vec<(String, u64)> = listing["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .map(|p| {
            (
                p["gateway_kind"].as_str().expect("kind").to_owned(),
                p["json_version"].as_u64().expect("json_version"),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = first_party_and(&["newer", "older"])
        .into_iter()
        .map(|kind| {
            let version = if kind == "newer" { 2 } else { 1 };
            (kind, version)
        })
        .collect();
    assert_eq!(json_versions, expected);
    for kind in ["older", "newer"] {
        let run = sandbox.run_recipe(kind);
        assert!(run.status.success(), "{kind}: {}", text(&run.stderr));
        assert!(
            sandbox
                .root
                .path()
                .join("out/claude/settings.json")
                .is_file()
        );
    }
}

#[test]
fn a_template_that_does_not_parse_is_named_with_its_line() {
    let sandbox = Sandbox::new();
    sandbox.install_fixture(
        "gwscript_fixture_template_syntax_error",
        &sandbox.plugin_path(),
    );
    let output = sandbox.run_recipe("broken-template");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("error[GW3001]"), "{stderr}");
    assert!(stderr.contains("broken/config.yaml:3"), "{stderr}");
    assert!(
        !sandbox.root.path().join("out").exists(),
        "nothing is written"
    );
}

#[test]
fn a_panicking_plugin_becomes_a_diagnostic_not_a_crash() {
    let sandbox = Sandbox::new();
    sandbox.install_fixture("gwscript_fixture_panics", &sandbox.plugin_path());
    let (listing, _) = sandbox.list();
    assert!(loaded_kinds(&listing).contains(&"panicky".to_owned()));
    let output = sandbox.run_recipe("panicky");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("error[GW2006]"), "{stderr}");
    assert!(stderr.contains("fixture check exploded"), "{stderr}");
    assert!(
        !stderr.contains("fixture render exploded"),
        "render is not reached after errors"
    );
    assert!(
        !sandbox.root.path().join("out").exists(),
        "nothing is written after an error"
    );
}

#[test]
fn a_plugin_that_fails_is_reported() {
    let sandbox = Sandbox::new();
    sandbox.install_fixture("gwscript_fixture_fails", &sandbox.plugin_path());
    let output = sandbox.run_recipe("failing");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[GW2009]") && stderr.contains("cannot build a context"),
        "{stderr}"
    );
}

/// A check result one byte over the ABI's 256 MiB cap is refused without being read (a host
/// that copied it would report unusable JSON instead), and the run stops with nothing written.
#[test]
fn a_payload_over_the_cap_is_refused_unread() {
    let sandbox = Sandbox::new();
    sandbox.install_fixture("gwscript_fixture_huge_payload", &sandbox.plugin_path());
    let output = sandbox.run_recipe("huge-payload");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "error[GW2009]: plugin huge-payload returned 268435457 bytes from `check`, more than the 256 MiB a call may return"
        ),
        "{stderr}"
    );
    assert!(
        !sandbox.root.path().join("out").exists(),
        "nothing is written"
    );
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Like `ssh` with a loose key: a library every user may write, or one in a directory every user
/// may write, is refused (GW2018) before it is opened, by `plugins list` and by `run`. A sticky
/// directory (as `/tmp`) is accepted, since others cannot replace what is not theirs.
#[cfg(unix)]
#[test]
fn a_plugin_others_could_change_is_refused() {
    let sandbox = Sandbox::new();
    let dir = sandbox.plugin_path();
    let library = sandbox.install_fixture("gwscript_fixture_older_sdk", &dir);
    let name = library_name("gwscript_fixture_older_sdk");
    let loose = || [(name.clone(), "GW2018".to_owned())];

    chmod(&library, 0o757);
    let (listing, output) = sandbox.list();
    assert_eq!(output.status.code(), Some(1), "refusals are findings");
    assert_eq!(refusals(&listing), loose());
    assert_eq!(loaded_kinds(&listing), first_party_and(&[]));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "error[GW2018]: {} is writable by every user (mode 757)",
            library.display()
        )),
        "{stderr}"
    );
    let run = sandbox.run_recipe("older");
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains("warning[GW2018]") && stderr.contains("error[GW2008]"),
        "{stderr}"
    );

    chmod(&library, 0o755);
    chmod(&dir, 0o777);
    let (listing, output) = sandbox.list();
    assert_eq!(refusals(&listing), loose());
    assert!(
        text(&output.stderr).contains(&format!(
            "error[GW2018]: {}, a directory above {}, is writable by every user (mode 777)",
            dir.display(),
            library.display()
        )),
        "{}",
        text(&output.stderr)
    );

    chmod(&dir, 0o1777);
    let (listing, output) = sandbox.list();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(loaded_kinds(&listing), first_party_and(&["older"]));
}

/// A relative entry in `$GWSCRIPT_PLUGIN_PATH` would load plugins from whatever directory
/// gwscript runs in: it is refused (GW2018) and the plugin there is not loaded, while the
/// absolute entries around it still are.
#[test]
fn a_relative_plugin_path_entry_is_refused() {
    let sandbox = Sandbox::new();
    let relative = sandbox.root.path().join("plugins");
    sandbox.install_fixture("gwscript_fixture_older_sdk", &relative);
    sandbox.install_fixture("gwscript_fixture_newer_sdk", &sandbox.plugin_path());
    let path =
        std::env::join_paths([Path::new("plugins"), &sandbox.plugin_path()]).expect("a path list");
    let (listing, output) = sandbox.list_with_path(&path);
    assert_eq!(output.status.code(), Some(1), "refusals are findings");
    assert_eq!(
        refusals(&listing),
        [("plugins".to_owned(), "GW2018".to_owned())]
    );
    assert_eq!(loaded_kinds(&listing), first_party_and(&["newer"]));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "error[GW2018]: the plugin directory plugins (from $GWSCRIPT_PLUGIN_PATH) is a relative path"
        ),
        "{stderr}"
    );
}

#[test]
fn the_search_order_decides_which_of_two_claimants_is_used() {
    let sandbox = Sandbox::new();
    sandbox.install_fixture("gwscript_fixture_panics", &sandbox.plugin_path());
    // The same kind again, later in the order (the user data dir), under another file name.
    let data = sandbox.data_dir();
    let copy = sandbox.install_fixture("gwscript_fixture_panics", &data);
    std::fs::rename(&copy, data.join(library_name("gwscript_panics_again"))).expect("rename");
    let (listing, _) = sandbox.list();
    let panicky: Vec<&Value> = listing["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .filter(|p| p["gateway_kind"] == "panicky")
        .collect();
    assert_eq!(panicky.len(), 1);
    assert_eq!(panicky[0]["origin"], "plugin-path");
    assert_eq!(
        refusals(&listing),
        [(library_name("gwscript_panics_again"), "GW2007".to_owned())]
    );
}

#[test]
fn a_recipe_naming_an_unknown_gateway_kind_points_at_it() {
    let sandbox = Sandbox::new();
    let output = sandbox.run_recipe("kong");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[GW2008]: no plugin serves gateway kind \"kong\""),
        "{stderr}"
    );
    assert!(stderr.contains("recipe.rhai:1:10"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "installed gateway kinds: {}",
            FIRST_PARTY.join(", ")
        )),
        "{stderr}"
    );
}

/// The sha256sum line for `path`, as a trust file holds it.
fn trust_line(path: &Path) -> String {
    let output = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum (coreutils) runs");
    assert!(output.status.success());
    text(&output.stdout)
}

/// With a trust file, only the listed builds load: an unlisted library and a listed one changed
/// after pinning are refused (GW2014); an unusable trust file loads nothing (GW2015).
#[test]
fn a_trust_file_pins_plugins_by_hash() {
    let sandbox = Sandbox::new();
    let dir = sandbox.plugin_path();
    let older = sandbox.install_fixture("gwscript_fixture_older_sdk", &dir);
    let newer = sandbox.install_fixture("gwscript_fixture_newer_sdk", &dir);
    // Every first-party plugin beside the binary, and the older fixture; not the newer one.
    let bin_dir = gwscript_bin().parent().expect("binary dir").to_path_buf();
    let mut pinned = String::from("# reviewed builds\n");
    for kind in FIRST_PARTY {
        pinned.push_str(&trust_line(
            &bin_dir.join(library_name(&format!("gwscript_{kind}"))),
        ));
    }
    pinned.push_str(&trust_line(&older));
    let trust = sandbox.root.path().join("trusted-plugins");
    std::fs::write(&trust, pinned).expect("write trust file");
    let listed = |sandbox: &Sandbox| {
        let output = Command::new(gwscript_bin())
            .args(["plugins", "list", "--json"])
            .env("GWSCRIPT_PLUGIN_PATH", sandbox.plugin_path())
            .env("HOME", sandbox.root.path().join("home"))
            .env("GWSCRIPT_TRUST_FILE", &trust)
            .output()
            .expect("gwscript runs");
        let listing: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        (listing, output)
    };

    let (listing, output) = listed(&sandbox);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(loaded_kinds(&listing), first_party_and(&["older"]));
    assert_eq!(
        refusals(&listing),
        [(
            library_name("gwscript_fixture_newer_sdk"),
            "GW2014".to_owned()
        )]
    );
    assert!(text(&output.stderr).contains(&newer.display().to_string()));
    assert_eq!(listing["trust_file"], trust.display().to_string());

    // A pinned library changed afterwards is no longer the build that was reviewed.
    let mut bytes = std::fs::read(&older).expect("read");
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&older, bytes).expect("tamper");
    let (listing, _) = listed(&sandbox);
    assert_eq!(loaded_kinds(&listing), first_party_and(&[]));

    std::fs::write(&trust, "deadbeef  libgwscript_litellm.so\n").expect("break the trust file");
    let (listing, output) = listed(&sandbox);
    assert!(loaded_kinds(&listing).is_empty(), "fails closed");
    assert!(
        text(&output.stderr).contains("error[GW2015]") && text(&output.stderr).contains("line 1"),
        "{}",
        text(&output.stderr)
    );
}

/// Within one directory, the library named after the kind it claims wins that kind, whatever
/// sorts first; and `run` loads only the libraries its recipe needs, so a broken library it does
/// not need is not even opened (no warning), while `plugins list` still reports it.
#[test]
fn a_library_named_after_its_kind_wins_and_run_loads_only_what_it_needs() {
    let sandbox = Sandbox::new();
    let dir = sandbox.plugin_path();
    let fixture = fixture_library("gwscript_fixture_panics");
    // Both claim the kind "panicky"; only one is named after it.
    std::fs::copy(&fixture, dir.join(library_name("gwscript_a_claimant"))).expect("copy");
    std::fs::copy(&fixture, dir.join(library_name("gwscript_panicky"))).expect("copy");
    sandbox.install_fixture("gwscript_fixture_wrong_abi", &dir);

    let (listing, _) = sandbox.list();
    let panicky: Vec<&Value> = listing["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .filter(|p| p["gateway_kind"] == "panicky")
        .collect();
    assert_eq!(panicky.len(), 1);
    assert!(
        panicky[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with(&library_name("gwscript_panicky")))
    );
    let mut refused = refusals(&listing);
    refused.sort();
    assert_eq!(
        refused,
        [
            (library_name("gwscript_a_claimant"), "GW2007".to_owned()),
            (
                library_name("gwscript_fixture_wrong_abi"),
                "GW2003".to_owned()
            ),
        ]
    );

    let quickstart = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/quickstart.rhai");
    let run = sandbox.gwscript(&[
        "run",
        quickstart.to_str().expect("utf-8 path"),
        "--out",
        "out",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        !text(&run.stderr).contains("GW20"),
        "libraries the recipe does not need are not loaded: {}",
        text(&run.stderr)
    );
    // A recipe that names the kind gets the library named after it, and only that one.
    let output = sandbox.run_recipe("panicky");
    let stderr = text(&output.stderr);
    assert!(stderr.contains("error[GW2006]"), "{stderr}");
    assert!(
        !stderr.contains("GW2007") && !stderr.contains("GW2003"),
        "{stderr}"
    );
}
