//! What `gwscript run` writes for Claude Code and the gateway, across patterns, endpoints and
//! scopes: schema-valid settings (Claude Code's settings schema with `jsonschema`, through
//! `gwscript_tests::settings_schema`), shell files that bash parses and sources under `set -u`
//! (`gwscript_tests::shell`), private modes, and no secret values (`gwscript_tests::emit`).

use gwscript_tests::files::mode_of;
use gwscript_tests::shell::{assert_bash_syntax, source_env_sh, sourced_env};
use gwscript_tests::{Emit, Emitted, Ran, TOOL_TIMEOUT, assert_settings_schema_valid, run_tool};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

/// Distinctive values for every secret the recipes name. gwscript must never read them; if one
/// shows up in any output, a value leaked.
const SECRETS: &[(&str, &str)] = &[
    ("LITELLM_MASTER_KEY", "sk-leakcheck-master-7f3a9c"),
    ("ANTHROPIC_API_KEY", "sk-ant-leakcheck-4b1e77"),
    ("TEAM_KEY", "sk-leakcheck-team-c0ffee"),
    ("PROXY_USER", "leakcheck-user-8d2f"),
    ("PROXY_PASS", "leakcheck-pass-91aa"),
];

/// Runs `recipe` with the secrets set and the report in `format`; it must succeed, leaking nothing.
fn run(recipe: &str, format: &str) -> Emitted {
    Emit::new(recipe)
        .secrets(SECRETS)
        .args(&["--format", format])
        .run()
}

/// Sources env.sh under `set -u` with the secrets set (and stray credentials it must unset), and
/// returns the exported environment.
fn sourced(emitted: &Emitted) -> BTreeMap<String, String> {
    let mut env = vec![
        ("ANTHROPIC_API_KEY", "must-be-unset"),
        ("AWS_BEARER_TOKEN_BEDROCK", "must-be-unset"),
    ];
    env.extend(
        SECRETS
            .iter()
            .copied()
            .filter(|(name, _)| *name != "ANTHROPIC_API_KEY"),
    );
    sourced_env(&emitted.out("claude/env.sh"), &env)
}

/// Runs an emitted apiKeyHelper directly (by its shebang) with only `env` set.
fn run_helper(emitted: &Emitted, env: &[(&str, &str)]) -> Ran {
    let mut command = Command::new(emitted.out("claude/api-key-helper.sh"));
    command.env_clear().envs(env.iter().copied());
    run_tool("api-key-helper.sh", command, TOOL_TIMEOUT)
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
        assert_settings_schema_valid(&emitted.settings());
        let env = emitted.settings_env();
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
    assert_bash_syntax(&emitted.out("claude/env.sh"));
    let env = sourced(&emitted);
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
    for (name, value) in emitted.settings_env() {
        assert_eq!(env.get(&name).map(String::as_str), value.as_str(), "{name}");
    }
}

#[test]
fn sourcing_without_the_secret_fails_loudly() {
    let emitted = run(&recipe("", ""), "text");
    let refused = source_env_sh(&emitted.out("claude/env.sh"), &[]);
    assert!(!refused.success());
    assert!(
        refused.stderr.contains("set TEAM_KEY"),
        "{}",
        refused.stderr
    );
}

#[test]
fn bedrock_pass_through_uses_the_skip_auth_flags() {
    let emitted = run(
        // Its own group: a pass-through route serves one provider (GW4015).
        &recipe(
            "endpoint: \"bedrock\", model: \"claude-haiku-4-5\"",
            "gw.deploy(\"claude-haiku-4-5\", provider(\"bedrock\", #{ region: \"eu-west-1\" }));",
        ),
        "text",
    );
    assert_settings_schema_valid(&emitted.settings());
    let env = emitted.settings_env();
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
    let sourced = sourced(&emitted);
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
            "endpoint: \"vertex\", model: \"claude-haiku-4-5\"",
            "gw.deploy(\"claude-haiku-4-5\", provider(\"vertex\", #{ project: \"acme-ml\", location: \"us-east5\" }));",
        ),
        "text",
    );
    assert_settings_schema_valid(&emitted.settings());
    let env = emitted.settings_env();
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
    assert_settings_schema_valid(&settings);
    assert_eq!(
        settings["apiKeyHelper"],
        ".claude/gwscript-api-key-helper.sh"
    );
    assert_eq!(
        emitted.settings_env()["CLAUDE_CODE_API_KEY_HELPER_TTL_MS"],
        "3600000"
    );
    assert!(
        !emitted
            .read("claude/env.sh")
            .contains("ANTHROPIC_AUTH_TOKEN")
    );
    assert_bash_syntax(&emitted.out("claude/api-key-helper.sh"));
    let output = run_helper(&emitted, &[("TEAM_KEY", "sk-from-the-shell")]);
    assert_eq!(output.stdout, "sk-from-the-shell\n", "one line: the key");
    let unset = run_helper(&emitted, &[]);
    assert!(
        !unset.success(),
        "an unset secret must fail, not print an empty key"
    );
}

#[test]
fn a_direct_key_helper_prints_the_provider_key() {
    let emitted = run(
        r#"emit(pattern("direct", #{ provider: provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }), api_key_helper: true }));"#,
        "text",
    );
    assert_settings_schema_valid(&emitted.settings());
    assert!(
        !emitted
            .read("claude/env.sh")
            .contains("export ANTHROPIC_API_KEY"),
        "the helper supplies it"
    );
    let output = run_helper(&emitted, &[("ANTHROPIC_API_KEY", "sk-ant-from-shell")]);
    assert_eq!(output.stdout, "sk-ant-from-shell\n");
}

#[test]
fn a_corporate_proxy_with_credentials_is_assembled_in_the_shell_only() {
    let proxy = "proxy: #{ url: \"http://proxy.corp.example:3128\", username: secret(\"PROXY_USER\"), password: secret(\"PROXY_PASS\"), no_proxy: [\"localhost\", \"127.0.0.1\"], ca_cert: \"/etc/ssl/corp-ca.pem\" }";
    let source = recipe(proxy, "").replace("pattern(\"gateway\"", "pattern(\"proxy+gateway\"");
    let emitted = run(&source, "text");
    assert_settings_schema_valid(&emitted.settings());
    let env = emitted.settings_env();
    assert!(
        !env.contains_key("HTTPS_PROXY"),
        "a credentialed proxy URL stays out of settings"
    );
    assert!(
        !env.contains_key("NODE_EXTRA_CA_CERTS"),
        "read before settings apply: shell only"
    );
    assert_eq!(env["NO_PROXY"], "localhost,127.0.0.1");
    let sourced = sourced(&emitted);
    assert_eq!(
        sourced.get("HTTPS_PROXY").map(String::as_str),
        Some("http://leakcheck-user-8d2f:leakcheck-pass-91aa@proxy.corp.example:3128")
    );
    assert_eq!(
        sourced.get("NODE_EXTRA_CA_CERTS").map(String::as_str),
        Some("/etc/ssl/corp-ca.pem")
    );
}

/// What a command left in `dir`: a hostile value that ran would leave a file there.
fn entries(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .expect("scratch dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect()
}

/// Proxy credentials with URL-breaking and shell-active characters, and a proxy URL whose path
/// tries a command substitution: sourcing env.sh (with bash and with dash, Debian's POSIX sh)
/// runs nothing and percent-encodes the credentials.
#[test]
fn hostile_proxy_values_are_quoted_and_encoded_not_run() {
    let proxy = "proxy: #{ url: \"http://proxy.corp.example:3128/$(touch PWNED-url)`touch PWNED-tick`\", username: secret(\"PROXY_USER\"), password: secret(\"PROXY_PASS\") }";
    let source = recipe(proxy, "").replace("pattern(\"gateway\"", "pattern(\"proxy+gateway\"");
    let emitted = run(&source, "text");
    let scratch = gwscript_tests::temp_dir("hostile");
    let user = "al@ice:\"x";
    let password = "p:ss w$(touch PWNED-secret);&&`touch PWNED-b` #é";
    for shell in ["bash", "dash"] {
        let mut command = Command::new(shell);
        command
            .args([
                "-c",
                r#"set -u; . "$1" && printf '%s' "$HTTPS_PROXY""#,
                shell,
            ])
            .arg(emitted.out("claude/env.sh"))
            .current_dir(scratch.path())
            .env_clear()
            .env("PATH", gwscript_tests::SYSTEM_PATH)
            .env("TEAM_KEY", "k")
            .env("PROXY_USER", user)
            .env("PROXY_PASS", password);
        let ran = run_tool(shell, command, TOOL_TIMEOUT);
        assert!(ran.success(), "{}", ran.diagnostics());
        assert_eq!(
            ran.stdout,
            "http://al%40ice%3A%22x:p%3Ass%20w%24%28touch%20PWNED-secret%29%3B%26%26%60touch%20PWNED-b%60%20%23%C3%A9@proxy.corp.example:3128/$(touch PWNED-url)`touch PWNED-tick`",
            "{shell}"
        );
        let planted = entries(scratch.path());
        assert!(planted.is_empty(), "{shell} ran a command: {planted:?}");
    }
}

/// A gateway URL that tries command substitution, backticks and a stray quote: the report's
/// commands, run as printed, and env.sh, sourced, run none of it.
#[test]
fn a_hostile_gateway_url_runs_nothing_in_the_reports_commands_or_env_sh() {
    let hostile = "http://127.0.0.1:9/x$(touch PWNED-a)`touch PWNED-b`'q;touch PWNED-c";
    let source = recipe("", "").replace("http://127.0.0.1:4000", hostile);
    let emitted = run(&source, "json");
    let report: Value = serde_json::from_str(&emitted.stdout).expect("JSON report");
    let scratch = gwscript_tests::temp_dir("hostile-url");
    let mut commands: Vec<String> = report["verification"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["command"].as_str())
        .filter(|c| c.starts_with("curl "))
        .map(|c| format!("{c} --max-time 5 || true"))
        .collect();
    assert!(!commands.is_empty(), "no curl step to try");
    commands.push(format!(
        ". '{}' && test \"$ANTHROPIC_BASE_URL\" = \"$EXPECTED\"",
        emitted.out("claude/env.sh").display()
    ));
    for command in &commands {
        let mut bash = Command::new("bash");
        bash.args(["-c", &format!("set -u; {command}")])
            .current_dir(scratch.path())
            .env_clear()
            .env("PATH", gwscript_tests::SYSTEM_PATH)
            .env("LITELLM_MASTER_KEY", "k")
            .env("TEAM_KEY", "k")
            .env("EXPECTED", hostile);
        let ran = run_tool("bash", bash, TOOL_TIMEOUT);
        assert!(ran.success(), "{command}\n{}", ran.diagnostics());
        let planted = entries(scratch.path());
        assert!(planted.is_empty(), "{command} ran a command: {planted:?}");
    }
}

#[test]
fn direct_patterns_need_no_gateway_plugin() {
    let emitted = run(
        r#"emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "us-west-2" }), scope: "user", model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" }));"#,
        "text",
    );
    assert_settings_schema_valid(&emitted.settings());
    let env = emitted.settings_env();
    assert_eq!(env["CLAUDE_CODE_USE_BEDROCK"], "1");
    assert_eq!(env["AWS_REGION"], "us-west-2");
    assert!(!emitted.out("litellm").exists());
    assert!(additional_context_without_notice(&emitted));
}

fn additional_context_without_notice(emitted: &Emitted) -> bool {
    let report = emitted.read("report.md");
    report.contains("## Additional Context")
        && !report.contains("THIRD-PARTY NOTICE")
        && report.contains("Security practices")
}

#[test]
fn emitted_files_are_private_and_scripts_executable() {
    let emitted = run(&recipe("api_key_helper: true", ""), "text");
    for file in emitted.files() {
        let mode = mode_of(&file);
        let expected = if file.extension().is_some_and(|e| e == "sh") && !file.ends_with("env.sh") {
            0o700
        } else {
            0o600
        };
        assert_eq!(mode, expected, "{}", file.display());
    }
    assert_bash_syntax(&emitted.out("litellm/start.sh"));
}

#[test]
fn rerunning_keeps_a_backup_only_of_what_changed() {
    let emitted = run(&recipe("", ""), "text");
    let again = emitted.rerun(&recipe("", ""));
    assert!(again.success(), "{}", again.stderr);
    assert!(
        !emitted.out("litellm/config.yaml.bak").exists(),
        "unchanged files are not backed up"
    );
    let changed = emitted.rerun(&recipe("", "gw.deploy(\"claude-haiku-4-5\", provider(\"anthropic\", #{ api_key: secret(\"ANTHROPIC_API_KEY\") }));"));
    assert!(changed.success(), "{}", changed.stderr);
    let backup = emitted.read("litellm/config.yaml.bak");
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
    let status = commands
        .iter()
        .position(|c| *c == "claude /status")
        .expect("Claude Code's side is checked");
    assert!(
        commands[1..status].iter().any(|c| c.contains("/v1/models"))
            && commands[1..status].iter().any(|c| c.contains("/health")),
        "then the plugin's own steps: {commands:#?}"
    );
    let routes = json["additional_context"]["routes"]
        .as_array()
        .expect("routes");
    assert_eq!(routes.len(), 4, "{routes:?}");
    assert!(
        json["additional_context"]["third_party_notices"]
            .as_array()
            .is_some_and(|notices| notices.len() == 1
                && notices[0].as_str().is_some_and(|n| n.contains("LiteLLM")))
    );
    assert!(
        json["additional_context"]["security"]
            .as_array()
            .is_some_and(|a| a.len() >= 5)
    );
}

#[test]
fn findings_stop_the_run_before_anything_is_written() {
    let source = recipe(
        "",
        "gw.fallback(\"claude-sonnet-4-5\", [\"claude-sonnet-4-5\"]);",
    )
    .replace("auth_token: secret(\"TEAM_KEY\"), ", "");
    let refused = Emit::new(&source).secrets(SECRETS).attempt();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = &refused.stderr;
    assert!(stderr.contains("error[GW4001]"), "{stderr}");
    assert!(stderr.contains("error[GW5004]"), "{stderr}");
    assert!(stderr.contains("--> recipe.rhai:3:4"), "{stderr}");
    assert!(!refused.out_dir().exists());
}
