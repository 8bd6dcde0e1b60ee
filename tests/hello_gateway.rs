//! The example plugin in `plugins/examples/hello-gateway`, built as its author would build it
//! (cargo, its own workspace, its own lockfile, only the SDK as a dependency), installed through
//! `$GWSCRIPT_PLUGIN_PATH` and driven with the real `gwscript` binary; then the real Claude Code
//! with only the emitted files, against `gwscript mock anthropic` standing in for the gateway.
//!
//! Which tool checks which emitted file:
//! - `hello/gateway.json`: `serde_json`;
//! - `hello/shout.sh`: `bash -n`, then run by bash;
//! - `claude/settings.json`: Claude Code's settings schema (`tests/data/`, with `jsonschema`,
//!   through `gwscript_tests::settings_schema`), and the real Claude Code
//!   (`gwscript_tests::claude`);
//! - `claude/env.sh`: `bash -n`, sourced by bash under `set -u` (`gwscript_tests::shell`), and by
//!   the shell that starts the real Claude Code, whose requests the mock records.
//! - Every output: no secret value, though the secrets are set (`gwscript_tests::emit`).

use gwscript_tests::emit::gwscript;
use gwscript_tests::files::{mode_of, read_repo_file, repo_root};
use gwscript_tests::mock::{credential_fingerprint, describe, find_messages_request, header};
use gwscript_tests::shell::{assert_bash_syntax, run_script, source_env_sh, sourced_env};
use gwscript_tests::{
    Emit, MockProvider, Ran, assert_settings_schema_valid, claude, library_name, run_tool, temp_dir,
};
use serde_json::Value;
use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// Where the example lives and where it is built, relative to the repository root.
const MANIFEST: &str = "plugins/examples/hello-gateway/Cargo.toml";
const TARGET_DIR: &str = "target/hello-gateway";
const LIBRARY_STEM: &str = "gwscript_hello";
const RECIPE: &str = "plugins/examples/hello-gateway/hello.rhai";
const PAGES: &str = "plugins/examples/hello-gateway/diagnostics";

/// The example recipe's gateway URL and greeting, replaced or read by the tests below.
const RECIPE_URL: &str = "url: \"http://127.0.0.1:4000\"";
const GREETING: &str = "Hello from the platform team";

/// Distinctive values for the secrets the recipe names: set while gwscript runs, so a value that
/// shows up in any output leaked.
const SECRETS: &[(&str, &str)] = &[
    ("HELLO_KEY", "hk-leakcheck-hello-2c71"),
    ("ANTHROPIC_API_KEY", "sk-ant-leakcheck-hello-9e04"),
];

/// A cold build of the SDK and the example on a shared machine.
const BUILD_TIMEOUT: Duration = Duration::from_secs(900);

/// The plugin library, built once per test binary with exactly the command its README gives.
fn built_plugin() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["build", "--locked", "--manifest-path", MANIFEST])
            .args(["--target-dir", TARGET_DIR])
            .current_dir(repo_root())
            // The test's own build settings must not leak into the outsider's build.
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET");
        let build = run_tool("cargo build (hello-gateway)", command, BUILD_TIMEOUT);
        assert!(
            build.success(),
            "building the example plugin failed\n{}",
            build.diagnostics()
        );
        let library = repo_root()
            .join(TARGET_DIR)
            .join("debug")
            .join(library_name(LIBRARY_STEM));
        assert!(
            library.is_file(),
            "cargo succeeded but {} is missing",
            library.display()
        );
        library
    })
}

/// The example plugin installed in a plugin directory of its own, and an isolated HOME.
struct Sandbox {
    root: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let root = temp_dir("hello-gateway");
        let plugins = root.path().join("plugins");
        for dir in [&plugins, &root.path().join("home")] {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        let installed = plugins.join(library_name(LIBRARY_STEM));
        std::fs::copy(built_plugin(), &installed)
            .unwrap_or_else(|e| panic!("cannot install {}: {e}", installed.display()));
        Sandbox { root }
    }

    fn plugin_dir(&self) -> PathBuf {
        self.root.path().join("plugins")
    }

    /// `gwscript ARGS` with the example plugin on the plugin path.
    fn gwscript(&self, args: &[&str]) -> Ran {
        gwscript(
            self.root.path(),
            args,
            [
                ("HOME", self.root.path().join("home")),
                ("GWSCRIPT_PLUGIN_PATH", self.plugin_dir()),
            ],
        )
    }

    /// `gwscript run` on `recipe` with the example plugin on the plugin path and the secrets set.
    fn emit(&self, recipe: &str) -> Emit {
        Emit::new(recipe)
            .secrets(SECRETS)
            .env("GWSCRIPT_PLUGIN_PATH", self.plugin_dir())
    }
}

/// The example recipe with `from` replaced by `to` (which must occur in it).
fn example_recipe_with(from: &str, to: &str) -> String {
    let recipe = read_repo_file(RECIPE);
    assert!(
        recipe.contains(from),
        "{RECIPE} no longer contains {from:?}"
    );
    recipe.replacen(from, to, 1)
}

#[test]
fn plugins_list_shows_it_loaded_with_its_abi_and_json_versions() {
    let sandbox = Sandbox::new();
    let listed = sandbox.gwscript(&["plugins", "list", "--json"]);
    let listing: Value = serde_json::from_str(&listed.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}\n{}", listed.stdout, listed.stderr));
    let hello = listing["plugins"]
        .as_array()
        .expect("plugins is a list")
        .iter()
        .find(|p| p["name"] == "hello")
        .unwrap_or_else(|| panic!("hello is not loaded: {listing:#}"));
    assert_eq!(hello["gateway_kind"], "hello");
    assert_eq!(hello["display_name"], "Hello Gateway");
    assert_eq!(hello["abi_version"], 2);
    assert_eq!(hello["json_version"], 1);
    assert_eq!(hello["origin"], "plugin-path");
    let installed = sandbox.plugin_dir().join(library_name(LIBRARY_STEM));
    assert_eq!(hello["path"], installed.to_str().expect("UTF-8 path"));
    // Whatever else sits beside the binary, nothing from the example's directory is refused.
    let refused_here: Vec<&Value> = listing["refused"]
        .as_array()
        .expect("refused is a list")
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| Path::new(p).starts_with(sandbox.plugin_dir()))
        })
        .collect();
    assert!(refused_here.is_empty(), "{refused_here:#?}");
}

#[test]
fn plugins_info_shows_its_options_auth_header_templates_and_codes() {
    let sandbox = Sandbox::new();
    let info = sandbox.gwscript(&["plugins", "info", "hello"]);
    assert!(info.status.success(), "{}", info.stderr);
    for line in [
        "Hello Gateway 0.1.0 (hello)",
        "ABI 2, JSON 1; third party: yes",
        "Claude Code authenticates with: x-hello-key",
        "  unified: <gateway url>",
        "gateway options:",
        "  greeting: what the gateway answers on /hello and in the x-hello-greeting response header",
        "  shout: greet in capitals; also writes hello/shout.sh, which prints the banner",
        "  api_key: secret(\"NAME\") holding the Anthropic API key the gateway forwards requests with",
        "  hello/gateway.json (json): Hello Gateway configuration",
        "  hello/shout.sh (shell): prints the banner the Hello Gateway shouts",
        "codes (prefix HELLO; `gwscript explain CODE`):",
        "  HELLO0001 error: greeting too long",
        "  HELLO0002 warning: shout without a greeting",
        "  HELLO0003 warning: deployments are not used",
    ] {
        assert!(
            info.stdout.lines().any(|l| l == line),
            "missing {line:?} in:\n{}",
            info.stdout
        );
    }
    assert!(
        !info.stdout.contains("deploy options:"),
        "it declares no deployment options"
    );

    let json = sandbox.gwscript(&["plugins", "info", "hello", "--json"]);
    let manifest: Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        manifest["client"]["auth"],
        serde_json::json!({ "kind": "header", "name": "x-hello-key", "prefix": "" })
    );
    assert_eq!(manifest["client"]["model_names"], "provider");
    assert_eq!(manifest["liveness_path"], "/healthz");
    assert_eq!(
        manifest["gateway_options"]["properties"]["api_key"]["required"],
        serde_json::json!(["$secret"])
    );
}

#[test]
fn explain_prints_the_pages_the_plugin_embeds() {
    let sandbox = Sandbox::new();
    for code in ["HELLO0001", "HELLO0002", "HELLO0003"] {
        let explained = sandbox.gwscript(&["explain", code]);
        assert!(explained.status.success(), "{code}: {}", explained.stderr);
        let page = read_repo_file(&format!("{PAGES}/{code}.md"));
        assert_eq!(explained.stdout, page, "{code}");
    }
    let unknown = sandbox.gwscript(&["explain", "HELLO0999"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", unknown.stderr);
    assert!(unknown.stderr.contains("GW0002"), "{}", unknown.stderr);
}

#[test]
fn the_example_recipe_writes_the_gateway_config_and_claude_codes_side() {
    let emitted = Sandbox::new().emit(&read_repo_file(RECIPE)).run();

    let config = emitted.json("hello/gateway.json");
    assert_eq!(
        config,
        serde_json::json!({
            "url": "http://127.0.0.1:4000",
            "greeting": GREETING,
            "shout": true,
            "client_key": { "header": "x-hello-key", "env": "HELLO_KEY" },
            "upstream": { "url": "https://api.anthropic.com", "api_key_env": "ANTHROPIC_API_KEY" },
        })
    );

    // Shouting: the script is written, executable, and prints the banner.
    let shout = emitted.out("hello/shout.sh");
    assert_eq!(mode_of(&shout), 0o700);
    assert_bash_syntax(&shout);
    let shouted = run_script(&shout, &[]);
    assert!(shouted.success(), "{}", shouted.output());
    assert_eq!(shouted.stdout, format!("{}\n", GREETING.to_uppercase()));

    let settings = emitted.settings();
    assert_settings_schema_valid(&settings);
    assert_eq!(settings["env"]["HELLO_GREETING"], GREETING);
    assert_eq!(
        settings["env"]["ANTHROPIC_BASE_URL"],
        "http://127.0.0.1:4000"
    );
    for secret_bearing in ["ANTHROPIC_CUSTOM_HEADERS", "ANTHROPIC_AUTH_TOKEN"] {
        assert!(
            settings["env"].get(secret_bearing).is_none(),
            "{secret_bearing} belongs in env.sh only"
        );
    }

    let env_sh = emitted.out("claude/env.sh");
    let exports = emitted.read("claude/env.sh");
    for line in [
        "export ANTHROPIC_CUSTOM_HEADERS='x-hello-key: '\"${HELLO_KEY}\"",
        &format!("export HELLO_GREETING='{GREETING}'"),
    ] {
        assert!(
            exports.lines().any(|l| l == line),
            "missing {line:?}:\n{exports}"
        );
    }
    assert_bash_syntax(&env_sh);
    let env = sourced_env(&env_sh, &[("HELLO_KEY", "hk-test-value")]);
    for (name, expected) in [
        ("ANTHROPIC_CUSTOM_HEADERS", "x-hello-key: hk-test-value"),
        ("HELLO_GREETING", GREETING),
    ] {
        assert_eq!(
            env.get(name).map(String::as_str),
            Some(expected),
            "{name} in {env:#?}"
        );
    }
    assert!(
        !source_env_sh(&env_sh, &[]).success(),
        "sourcing without HELLO_KEY must fail"
    );

    let report = emitted.read("report.md");
    for needle in [
        "hello/gateway.json",
        "hello/shout.sh",
        "THIRD-PARTY NOTICE",
        "curl -fsS -H \"x-hello-key: $HELLO_KEY\" 'http://127.0.0.1:4000/hello'",
        "fictional",
    ] {
        assert!(report.contains(needle), "report lacks {needle:?}");
    }
    assert!(!report.contains("hk-test-value"));
}

#[test]
fn without_shout_the_omitted_template_is_not_written() {
    let emitted = Sandbox::new()
        .emit(&example_recipe_with("shout: true", "shout: false"))
        .run();
    assert!(emitted.out("hello/gateway.json").is_file());
    assert!(
        !emitted.out("hello/shout.sh").exists(),
        "hello/shout.sh is omitted while the gateway does not shout"
    );
    assert_eq!(emitted.json("hello/gateway.json")["shout"], false);
    assert!(!emitted.read("report.md").contains("hello/shout.sh"));
}

#[test]
fn a_greeting_over_the_limit_is_hello0001_at_the_option() {
    let long = "Hello and welcome to the platform team's gateway, where every request is greeted";
    let ran = Sandbox::new()
        .emit(&example_recipe_with(GREETING, long))
        .attempt();
    assert_eq!(ran.status.code(), Some(1), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&format!(
            "error[HELLO0001]: the greeting is {} characters; the Hello Gateway takes at most 64",
            long.len()
        )),
        "{}",
        ran.stderr
    );
    // Line 12, column 5: the `greeting` key in the example recipe.
    assert!(
        ran.stderr.contains("--> recipe.rhai:12:5"),
        "{}",
        ran.stderr
    );
    assert!(!ran.out_dir().exists(), "nothing is written after an error");
}

#[test]
fn a_misspelt_option_is_the_hosts_gw1013_with_a_suggestion_from_the_plugins_schema() {
    let ran = Sandbox::new()
        .emit(&example_recipe_with("greeting:", "greting:"))
        .attempt();
    assert_eq!(ran.status.code(), Some(1), "{}", ran.stderr);
    for needle in [
        "error[GW1013]: gateway has no option `greting` for gateway kind \"hello\"",
        "--> recipe.rhai:12:5",
        "help: did you mean `greeting`? `gwscript plugins info hello` lists every option",
    ] {
        assert!(
            ran.stderr.contains(needle),
            "{needle:?} not in:\n{}",
            ran.stderr
        );
    }
    assert!(!ran.out_dir().exists());
}

/// The real Claude Code, with only the emitted settings.json (user scope) and env.sh, against the
/// mock provider at the gateway's URL: the mock must see the key in `x-hello-key`.
#[test]
fn claude_code_sends_the_key_in_the_hello_header() {
    const REPLY: &str = "Hello from the gwscript mock, standing in for the Hello Gateway.";
    let mut mock = MockProvider::start(REPLY);
    let emitted = Sandbox::new()
        .emit(&example_recipe_with(
            RECIPE_URL,
            &format!("url: \"{}\"", mock.url),
        ))
        .run();

    let key = format!(
        "hk-gwscript-e2e-{:016x}",
        RandomState::new().hash_one(std::process::id())
    );
    let claude = claude::through_emitted(&emitted, &[("HELLO_KEY", &key)])
        .unwrap_or_else(|claude| panic!("{claude}\n{}", mock.diagnostics()));
    let context =
        |mock: &mut MockProvider| format!("{}\n{}", claude.diagnostics(), mock.diagnostics());
    assert!(
        claude.stdout.contains(REPLY),
        "Claude Code did not print the mock's reply\n{}",
        context(&mut mock)
    );

    let records = mock.records();
    let Some(request) = find_messages_request(&records, "claude-cli/") else {
        panic!(
            "no /v1/messages from Claude Code reached the mock\n{}",
            context(&mut mock)
        );
    };
    let fingerprint = credential_fingerprint(&key);
    assert_eq!(
        header(request, "x-hello-key"),
        Some(fingerprint.as_str()),
        "the key must arrive in x-hello-key: {}",
        request["headers"]
    );
    // Every request Claude Code made carries the header, not only the first.
    let from_claude: Vec<&Value> = records
        .iter()
        .filter(|r| header(r, "user-agent").is_some_and(|ua| ua.starts_with("claude-cli/")))
        .collect();
    for record in &from_claude {
        assert_eq!(
            header(record, "x-hello-key"),
            Some(fingerprint.as_str()),
            "{}",
            describe(record)
        );
    }
    println!(
        "{} request(s) from Claude Code, each with x-hello-key; the first: {}\n  authorization: {}",
        from_claude.len(),
        describe(request),
        if header(request, "authorization").is_some() {
            "present"
        } else {
            "absent"
        }
    );
}
