//! What `gwscript run` writes for Claude Code and the gateway, across patterns, endpoints and
//! scopes: schema-valid settings, working shell files, private modes, and no secret values.

use gwscript_tests::{gwscript_bin, temp_dir};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Distinctive values for every secret the recipes name. gwscript must never read them; if one
/// shows up in any output, a value leaked.
const SECRETS: &[(&str, &str)] = &[
    ("LITELLM_MASTER_KEY", "sk-leakcheck-master-7f3a9c"),
    ("ANTHROPIC_API_KEY", "sk-ant-leakcheck-4b1e77"),
    ("TEAM_KEY", "sk-leakcheck-team-c0ffee"),
    ("PROXY_USER", "leakcheck-user-8d2f"),
    ("PROXY_PASS", "leakcheck-pass-91aa"),
];

/// Claude Code's settings schema from SchemaStore, vendored (see tests/data/README.md).
const SCHEMA: &str = include_str!("data/claude-code-settings.schema.json");

struct Emitted {
    dir: tempfile::TempDir,
    stdout: String,
    stderr: String,
}

impl Emitted {
    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("out").join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}\nstderr: {}", self.stderr))
    }

    fn settings(&self) -> Value {
        serde_json::from_str(&self.read("claude/settings.json")).expect("settings.json is JSON")
    }

    fn env(&self) -> serde_json::Map<String, Value> {
        self.settings()["env"]
            .as_object()
            .expect("env block")
            .clone()
    }
}

fn gwscript(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(gwscript_bin());
    command.args(args).current_dir(dir);
    for (name, value) in SECRETS {
        command.env(name, value);
    }
    command.output().expect("gwscript runs")
}

fn run(recipe: &str, format: &str) -> Emitted {
    let dir = temp_dir("emit");
    std::fs::write(dir.path().join("recipe.rhai"), recipe).expect("write recipe");
    let output = gwscript(
        dir.path(),
        &["run", "recipe.rhai", "--out", "out", "--format", format],
    );
    let emitted = Emitted {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        dir,
    };
    assert!(
        output.status.success(),
        "gwscript run failed:\n{}",
        emitted.stderr
    );
    assert_no_secret_values(&emitted);
    emitted
}

fn assert_no_secret_values(emitted: &Emitted) {
    let mut texts = vec![
        ("stdout".to_owned(), emitted.stdout.clone()),
        ("stderr".to_owned(), emitted.stderr.clone()),
    ];
    for entry in walk(&emitted.dir.path().join("out")) {
        texts.push((
            entry.display().to_string(),
            std::fs::read_to_string(&entry).expect("read"),
        ));
    }
    for (name, text) in &texts {
        for (secret, value) in SECRETS {
            assert!(
                !text.contains(value),
                "the value of {secret} leaked into {name}"
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn validate_settings(settings: &Value) {
    let schema: Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(settings)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "settings.json fails the Claude Code schema: {errors:#?}\n{settings:#}"
    );
}

/// Sources env.sh in bash with the secrets set, and returns the resulting environment.
fn sourced_env(emitted: &Emitted) -> std::collections::BTreeMap<String, String> {
    let script = emitted.dir.path().join("out/claude/env.sh");
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg(format!(". '{}' && env", script.display()))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("ANTHROPIC_API_KEY", "must-be-unset")
        .env("AWS_BEARER_TOKEN_BEDROCK", "must-be-unset");
    for (name, value) in SECRETS {
        if *name != "ANTHROPIC_API_KEY" {
            command.env(name, value);
        }
    }
    let output = command.output().expect("bash runs");
    assert!(
        output.status.success(),
        "sourcing env.sh failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn bash_syntax_ok(path: &Path) {
    let output = Command::new("bash")
        .arg("-n")
        .arg(path)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{} is not valid bash: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn recipe(pattern_options: &str, extra_deploys: &str) -> String {
    format!(
        r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:4000", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY") }}));
{extra_deploys}
emit(pattern("gateway", #{{ gateway: gw, auth_token: secret("TEAM_KEY"), {pattern_options} }}));
"#
    )
}

#[test]
fn settings_are_schema_valid_for_every_scope_and_never_hold_credentials() {
    for scope in ["user", "project", "local", "managed"] {
        let emitted = run(&recipe(&format!("scope: \"{scope}\""), ""), "text");
        let settings = emitted.settings();
        validate_settings(&settings);
        let env = emitted.env();
        assert_eq!(env["ANTHROPIC_BASE_URL"], "http://127.0.0.1:4000");
        assert_eq!(env["ANTHROPIC_MODEL"], "claude-sonnet-4-5");
        for credential in ["ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_API_KEY"] {
            assert!(
                !env.contains_key(credential),
                "{scope}: {credential} in settings"
            );
        }
        assert!(
            emitted
                .read("report.md")
                .contains(&format!("{scope} scope")),
            "{scope}"
        );
    }
}

#[test]
fn shell_exports_carry_the_credential_by_reference_and_work_when_sourced() {
    let emitted = run(&recipe("disable_nonessential_traffic: true", ""), "text");
    let env_sh = emitted.read("claude/env.sh");
    assert!(
        env_sh.contains("export ANTHROPIC_AUTH_TOKEN=\"${TEAM_KEY}\""),
        "{env_sh}"
    );
    bash_syntax_ok(&emitted.dir.path().join("out/claude/env.sh"));
    let env = sourced_env(&emitted);
    assert_eq!(
        env.get("ANTHROPIC_AUTH_TOKEN").map(String::as_str),
        Some("sk-leakcheck-team-c0ffee")
    );
    assert_eq!(
        env.get("ANTHROPIC_BASE_URL").map(String::as_str),
        Some("http://127.0.0.1:4000")
    );
    assert_eq!(
        env.get("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC")
            .map(String::as_str),
        Some("1")
    );
    assert!(
        !env.contains_key("ANTHROPIC_API_KEY"),
        "env.sh unsets ANTHROPIC_API_KEY"
    );
    // Every literal in settings.json is also exported, so either delivery works on its own.
    for (name, value) in emitted.env() {
        assert_eq!(env.get(&name).map(String::as_str), value.as_str(), "{name}");
    }
}

#[test]
fn sourcing_without_the_secret_fails_loudly() {
    let emitted = run(&recipe("", ""), "text");
    let script = emitted.dir.path().join("out/claude/env.sh");
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!(". '{}'", script.display()))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("bash runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("set TEAM_KEY"));
}

#[test]
fn bedrock_pass_through_uses_the_skip_auth_flags() {
    let emitted = run(
        &recipe(
            "endpoint: \"bedrock\"",
            "gw.deploy(\"claude-sonnet-4-5\", provider(\"bedrock\", #{ region: \"eu-west-1\" }));",
        ),
        "text",
    );
    validate_settings(&emitted.settings());
    let env = emitted.env();
    assert_eq!(env["CLAUDE_CODE_USE_BEDROCK"], "1");
    assert_eq!(env["CLAUDE_CODE_SKIP_BEDROCK_AUTH"], "1");
    assert_eq!(
        env["ANTHROPIC_BEDROCK_BASE_URL"],
        "http://127.0.0.1:4000/bedrock"
    );
    assert_eq!(env["AWS_REGION"], "eu-west-1");
    assert!(
        !env.contains_key("ANTHROPIC_BASE_URL"),
        "ignored beside USE_BEDROCK; don't emit it"
    );
    let sourced = sourced_env(&emitted);
    assert!(
        !sourced.contains_key("AWS_BEARER_TOKEN_BEDROCK"),
        "it would replace the gateway token"
    );
    assert_eq!(
        sourced.get("ANTHROPIC_AUTH_TOKEN").map(String::as_str),
        Some("sk-leakcheck-team-c0ffee")
    );
}

#[test]
fn vertex_pass_through_uses_the_skip_auth_flags() {
    let emitted = run(
        &recipe(
            "endpoint: \"vertex\"",
            "gw.deploy(\"claude-sonnet-4-5\", provider(\"vertex\", #{ project: \"acme-ml\", location: \"us-east5\" }));",
        ),
        "text",
    );
    validate_settings(&emitted.settings());
    let env = emitted.env();
    assert_eq!(env["CLAUDE_CODE_USE_VERTEX"], "1");
    assert_eq!(env["CLAUDE_CODE_SKIP_VERTEX_AUTH"], "1");
    assert_eq!(
        env["ANTHROPIC_VERTEX_BASE_URL"],
        "http://127.0.0.1:4000/vertex_ai/v1"
    );
    assert_eq!(env["ANTHROPIC_VERTEX_PROJECT_ID"], "acme-ml");
    assert_eq!(env["CLOUD_ML_REGION"], "us-east5");
    let config: serde_norway::Value =
        serde_norway::from_str(&emitted.read("litellm/config.yaml")).expect("yaml");
    let vertex = &config["model_list"][1]["litellm_params"];
    assert_eq!(
        vertex["vertex_project"],
        serde_norway::Value::from("acme-ml")
    );
    assert_eq!(
        vertex["vertex_location"],
        serde_norway::Value::from("us-east5")
    );
}

#[test]
fn an_api_key_helper_replaces_the_exported_token() {
    let emitted = run(
        &recipe(
            "scope: \"project\", api_key_helper: #{ ttl_ms: 3600000 }",
            "",
        ),
        "text",
    );
    let settings = emitted.settings();
    validate_settings(&settings);
    assert_eq!(
        settings["apiKeyHelper"],
        ".claude/gwscript-api-key-helper.sh"
    );
    assert_eq!(
        emitted.env()["CLAUDE_CODE_API_KEY_HELPER_TTL_MS"],
        "3600000"
    );
    assert!(
        !emitted
            .read("claude/env.sh")
            .contains("ANTHROPIC_AUTH_TOKEN")
    );
    let helper = emitted.dir.path().join("out/claude/api-key-helper.sh");
    bash_syntax_ok(&helper);
    let output = Command::new(&helper)
        .env_clear()
        .env("TEAM_KEY", "sk-from-the-shell")
        .output()
        .expect("helper runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "sk-from-the-shell\n",
        "one line: the key"
    );
    let unset = Command::new(&helper)
        .env_clear()
        .output()
        .expect("helper runs");
    assert!(
        !unset.status.success(),
        "an unset secret must fail, not print an empty key"
    );
}

#[test]
fn a_direct_key_helper_prints_the_provider_key() {
    let emitted = run(
        r#"emit(pattern("direct", #{ provider: provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }), api_key_helper: true }));"#,
        "text",
    );
    validate_settings(&emitted.settings());
    assert!(
        !emitted
            .read("claude/env.sh")
            .contains("export ANTHROPIC_API_KEY"),
        "the helper supplies it"
    );
    let helper = emitted.dir.path().join("out/claude/api-key-helper.sh");
    let output = Command::new(&helper)
        .env_clear()
        .env("ANTHROPIC_API_KEY", "sk-ant-from-shell")
        .output()
        .expect("helper runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "sk-ant-from-shell\n"
    );
}

#[test]
fn a_corporate_proxy_with_credentials_is_assembled_in_the_shell_only() {
    let proxy = "proxy: #{ url: \"http://proxy.corp.example:3128\", username: secret(\"PROXY_USER\"), password: secret(\"PROXY_PASS\"), no_proxy: [\"localhost\", \"127.0.0.1\"], ca_cert: \"/etc/ssl/corp-ca.pem\" }";
    let source = recipe(proxy, "").replace("pattern(\"gateway\"", "pattern(\"proxy+gateway\"");
    let emitted = run(&source, "text");
    validate_settings(&emitted.settings());
    let env = emitted.env();
    assert!(
        !env.contains_key("HTTPS_PROXY"),
        "a credentialed proxy URL stays out of settings"
    );
    assert!(
        !env.contains_key("NODE_EXTRA_CA_CERTS"),
        "read before settings apply: shell only"
    );
    assert_eq!(env["NO_PROXY"], "localhost,127.0.0.1");
    let sourced = sourced_env(&emitted);
    assert_eq!(
        sourced.get("HTTPS_PROXY").map(String::as_str),
        Some("http://leakcheck-user-8d2f:leakcheck-pass-91aa@proxy.corp.example:3128")
    );
    assert_eq!(
        sourced.get("NODE_EXTRA_CA_CERTS").map(String::as_str),
        Some("/etc/ssl/corp-ca.pem")
    );
}

#[test]
fn direct_patterns_need_no_gateway_plugin() {
    let emitted = run(
        r#"emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "us-west-2" }), scope: "user", model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" }));"#,
        "text",
    );
    validate_settings(&emitted.settings());
    let env = emitted.env();
    assert_eq!(env["CLAUDE_CODE_USE_BEDROCK"], "1");
    assert_eq!(env["AWS_REGION"], "us-west-2");
    assert!(!emitted.dir.path().join("out/litellm").exists());
    assert!(emitted.additional_context_without_notice());
}

impl Emitted {
    fn additional_context_without_notice(&self) -> bool {
        let report = self.read("report.md");
        report.contains("## Additional Context")
            && !report.contains("THIRD-PARTY NOTICE")
            && report.contains("Security practices")
    }
}

#[test]
fn emitted_files_are_private_and_scripts_executable() {
    use std::os::unix::fs::PermissionsExt;
    let emitted = run(&recipe("api_key_helper: true", ""), "text");
    for file in walk(&emitted.dir.path().join("out")) {
        let mode = std::fs::metadata(&file).expect("stat").permissions().mode() & 0o777;
        let expected = if file.extension().is_some_and(|e| e == "sh") && !file.ends_with("env.sh") {
            0o700
        } else {
            0o600
        };
        assert_eq!(mode, expected, "{}", file.display());
    }
    bash_syntax_ok(&emitted.dir.path().join("out/litellm/start.sh"));
}

#[test]
fn rerunning_keeps_a_backup_only_of_what_changed() {
    let emitted = run(&recipe("", ""), "text");
    let dir = emitted.dir.path();
    let again = gwscript(dir, &["run", "recipe.rhai", "--out", "out"]);
    assert!(again.status.success());
    assert!(
        !dir.join("out/litellm/config.yaml.bak").exists(),
        "unchanged files are not backed up"
    );
    std::fs::write(dir.join("recipe.rhai"), recipe("", "gw.deploy(\"claude-haiku-4-5\", provider(\"anthropic\", #{ api_key: secret(\"ANTHROPIC_API_KEY\") }));")).expect("write");
    let changed = gwscript(dir, &["run", "recipe.rhai", "--out", "out"]);
    assert!(changed.status.success());
    let backup =
        std::fs::read_to_string(dir.join("out/litellm/config.yaml.bak")).expect("backup kept");
    assert!(!backup.contains("claude-haiku-4-5"));
    assert!(
        emitted
            .read("litellm/config.yaml")
            .contains("claude-haiku-4-5")
    );
}

#[test]
fn the_report_has_the_four_sections_in_every_format() {
    let source = recipe("", "");
    for format in ["text", "md"] {
        let emitted = run(&source, format);
        for section in [
            "Quick Answer",
            "Configuration Block",
            "Verification Steps",
            "Additional Context",
        ] {
            assert!(emitted.stdout.contains(section), "{format}: no {section}");
        }
        for needle in [
            "claude /status",
            "ANTHROPIC_LOG=debug",
            "curl -fsS 'http://127.0.0.1:4000/health/liveliness'",
            "THIRD-PARTY NOTICE",
            "LiteLLM, a third-party solution",
            "Never hardcode API keys",
        ] {
            assert!(emitted.stdout.contains(needle), "{format}: no {needle:?}");
        }
    }
    let json: Value = serde_json::from_str(&run(&source, "json").stdout).expect("json report");
    assert!(
        json["quick_answer"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert!(
        json["configuration"]
            .as_array()
            .is_some_and(|a| a.len() >= 3)
    );
    let commands: Vec<&str> = json["verification"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|step| step["command"].as_str())
        .collect();
    assert_eq!(
        commands[0], "curl -fsS 'http://127.0.0.1:4000/health/liveliness'",
        "the gateway's liveness first"
    );
    assert!(
        commands[1].contains("/v1/models"),
        "then the plugin's own step"
    );
    assert_eq!(commands[2], "claude /status", "then Claude Code's side");
    let routes = json["additional_context"]["routes"]
        .as_array()
        .expect("routes");
    assert_eq!(routes.len(), 4, "{routes:?}");
    assert!(
        json["additional_context"]["third_party_notice"]
            .as_str()
            .is_some_and(|n| n.contains("LiteLLM"))
    );
    assert!(
        json["additional_context"]["security"]
            .as_array()
            .is_some_and(|a| a.len() >= 5)
    );
}

#[test]
fn findings_stop_the_run_before_anything_is_written() {
    let dir = temp_dir("emit-fail");
    let source = recipe(
        "",
        "gw.fallback(\"claude-sonnet-4-5\", [\"claude-sonnet-4-5\"]);",
    )
    .replace("auth_token: secret(\"TEAM_KEY\"), ", "");
    std::fs::write(dir.path().join("recipe.rhai"), source).expect("write");
    let output = gwscript(dir.path(), &["run", "recipe.rhai", "--out", "out"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[GW4001]"), "{stderr}");
    assert!(stderr.contains("error[GW5004]"), "{stderr}");
    assert!(stderr.contains("--> recipe.rhai:3:4"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}
