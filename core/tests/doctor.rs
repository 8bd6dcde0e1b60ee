//! `gwscript doctor` as people run it: the real binary, a home and a project in a temporary
//! directory, a clean environment. The online checks go to loopback servers this file starts (a
//! plain and a TLS gateway with a self-signed certificate, a server that only speaks old TLS) and
//! to a real tinyproxy; every server stops when its test ends.

mod servers;

use gwscript_tests::proxy::Tinyproxy;
use gwscript_tests::{Ran, free_port, run_tool, temp_dir};
use serde_json::Value;
use servers::{Serve, Server, path_of, tls_server};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// A home, a project and a place for other files, in one temporary directory.
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let machine = Machine {
            dir: temp_dir("doctor"),
        };
        std::fs::create_dir_all(machine.project().join(".claude")).expect("project");
        std::fs::create_dir_all(machine.home().join(".claude")).expect("home");
        machine
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn project(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, path: &Path, text: &str) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    fn project_settings(&self, text: &str) {
        self.write(&self.project().join(".claude/settings.json"), text);
    }

    fn local_settings(&self, text: &str) {
        self.write(&self.project().join(".claude/settings.local.json"), text);
    }

    fn user_settings(&self, text: &str) {
        self.write(&self.home().join(".claude/settings.json"), text);
    }

    /// `gwscript doctor ARGS` in the project, with only `env` (and HOME, PATH) set, and managed
    /// settings read from this machine's directory, never the system's.
    fn doctor(&self, args: &[&str], env: &[(&str, &str)]) -> Ran {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gwscript"));
        command
            .arg("doctor")
            .arg("--managed")
            .arg(self.path("managed-settings.json"))
            .args(args)
            .current_dir(self.project())
            .env_clear()
            .env("HOME", self.home())
            .env("PATH", "/usr/bin:/bin")
            .envs(env.iter().copied());
        run_tool("gwscript doctor", command, RUN_TIMEOUT)
    }

    fn doctor_json(&self, args: &[&str], env: &[(&str, &str)]) -> (Ran, Value) {
        let mut with_json = vec!["--format", "json"];
        with_json.extend_from_slice(args);
        let ran = self.doctor(&with_json, env);
        let report = serde_json::from_str(&ran.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e})\n{}", ran.diagnostics()));
        (ran, report)
    }
}

fn variable<'r>(report: &'r Value, name: &str) -> &'r Value {
    report["variables"]
        .as_array()
        .expect("variables")
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no variable {name} in {report:#}"))
}

/// (layer, line) of a value's origin and of each value it shadows.
fn origins(entry: &Value) -> Vec<(String, Option<u64>)> {
    std::iter::once(entry)
        .chain(entry["shadowed"].as_array().expect("shadowed"))
        .map(|place| {
            (
                place["layer"].as_str().expect("layer").to_owned(),
                place["line"].as_u64(),
            )
        })
        .collect()
}

/// (code, severity, file, line) of each diagnostic.
fn diagnostics(report: &Value) -> Vec<(String, String, String, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["severity"].as_str().expect("severity").to_owned(),
                d["file"].as_str().expect("file").to_owned(),
                d["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

fn codes(report: &Value) -> Vec<String> {
    diagnostics(report).into_iter().map(|d| d.0).collect()
}

/// The one diagnostic with `code`.
fn the<'r>(report: &'r Value, code: &str) -> &'r Value {
    let found: Vec<&Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .collect();
    assert_eq!(found.len(), 1, "one {code} in {report:#}");
    found[0]
}

/// Whether `out` has a line whose words are `words`.
fn has_line(out: &str, words: &[&str]) -> bool {
    out.lines()
        .any(|line| line.split_whitespace().eq(words.iter().copied()))
}

#[test]
fn every_layer_in_claude_codes_order_each_value_with_its_origin() {
    let machine = Machine::new();
    machine.write(
        &machine.path("managed-settings.json"),
        "{\n  \"env\": {\n    \"ANTHROPIC_MODEL\": \"managed-model\"\n  }\n}\n",
    );
    machine.write(
        &machine.path("cli.json"),
        "{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"600000\",\n    \"ANTHROPIC_MODEL\": \"cli-model\"\n  }\n}\n",
    );
    machine.local_settings(
        "{\n  \"env\": {\n    \"ANTHROPIC_MODEL\": \"local-model\",\n    \"ANTHROPIC_API_KEY\": \"\"\n  }\n}\n",
    );
    machine.project_settings(
        "{\n  \"model\": \"opus\",\n  \"env\": {\n    \"ANTHROPIC_MODEL\": \"project-model\",\n    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:4000\"\n  }\n}\n",
    );
    machine.user_settings(
        "{\n  \"model\": \"sonnet\",\n  \"env\": {\n    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:5000\",\n    \"ANTHROPIC_MODEL\": \"user-model\"\n  }\n}\n",
    );
    let cli = machine.path("cli.json");
    let cli = cli.to_str().expect("UTF-8 path");
    let shell = [
        ("ANTHROPIC_API_KEY", "shell-key-0001"),
        ("ANTHROPIC_AUTH_TOKEN", "shell-token-0002"),
        ("AWS_REGION", "eu-west-1"),
        ("UNRELATED_SETTING", "x"),
    ];
    let (ran, report) = machine.doctor_json(&["--settings", cli], &shell);
    assert_eq!(ran.code(), Some(0), "warnings only\n{}", ran.diagnostics());

    let layers: Vec<(&str, bool)> = report["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| (l["source"].as_str().expect("source"), l["present"] == true))
        .collect();
    assert_eq!(
        layers,
        [
            ("managed", true),
            ("command line", true),
            ("local", true),
            ("project", true),
            ("user", true),
            ("env", true)
        ]
    );
    let model = variable(&report, "ANTHROPIC_MODEL");
    assert_eq!(model["value"], "managed-model");
    assert_eq!(
        model["source"],
        machine
            .path("managed-settings.json")
            .to_str()
            .expect("UTF-8")
    );
    let owned = |s: &str, line: u64| (s.to_owned(), Some(line));
    assert_eq!(
        origins(model),
        [
            owned("managed", 3),
            owned("command line", 4),
            owned("local", 3),
            owned("project", 4),
            owned("user", 5)
        ]
    );
    let key = variable(&report, "ANTHROPIC_API_KEY");
    assert_eq!(
        key["value"], "\"\"",
        "settings' \"\" cancels the shell's export"
    );
    assert_eq!(origins(key), [owned("local", 4), ("env".to_owned(), None)]);
    let region = variable(&report, "AWS_REGION");
    assert_eq!(
        (region["value"].as_str(), region["source"].as_str()),
        (Some("eu-west-1"), Some("env"))
    );
    assert!(region.get("line").is_none(), "the shell has no lines");
    assert!(
        report["variables"]
            .as_array()
            .expect("variables")
            .iter()
            .all(|v| v["name"] != "UNRELATED_SETTING" && v["name"] != "PATH"),
        "only what Claude Code reads from the shell"
    );
    let model_setting = &report["settings"][0];
    assert_eq!(
        (
            model_setting["name"].as_str(),
            model_setting["value"].as_str()
        ),
        (Some("model"), Some("opus"))
    );
    assert_eq!(
        origins(model_setting),
        [owned("project", 2), owned("user", 2)]
    );

    // The user's gateway replaced by the project's: GW5050, at the project's line.
    assert_eq!(
        diagnostics(&report),
        [(
            "GW5050".to_owned(),
            "warning".to_owned(),
            ".claude/settings.json".to_owned(),
            5
        )]
    );
    let gw5050 = the(&report, "GW5050");
    let mut keys: Vec<&str> = gw5050
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "code", "column", "file", "help", "line", "message", "severity"
        ],
        "check's entries"
    );
    assert!(
        ran.stdout
            .starts_with("{\"diagnostics\":[{\"code\":\"GW5050\",\"severity\":\"warning\","),
        "check's own entries, in check's order: {}",
        ran.stdout
    );
    let user = machine.home().join(".claude/settings.json");
    assert_eq!(
        gw5050["message"],
        format!(
            "ANTHROPIC_BASE_URL is http://127.0.0.1:4000 in the project settings, which replaces http://127.0.0.1:5000 from {}:4: Claude Code uses the project settings' value",
            user.display()
        )
    );

    let human = machine.doctor(&["--settings", cli], &shell);
    assert_eq!(human.code(), Some(0), "{}", human.diagnostics());
    let out = &human.stdout;
    assert!(
        has_line(
            out,
            &[
                "file:.claude/settings.json:5",
                "ANTHROPIC_BASE_URL=http://127.0.0.1:4000"
            ]
        ),
        "{out}"
    );
    assert!(
        has_line(out, &["shadows", &format!("file:{}:4", user.display())]),
        "{out}"
    );
    assert!(has_line(out, &["env", "AWS_REGION=eu-west-1"]), "{out}");
    assert!(
        has_line(
            out,
            &[
                "file:.claude/settings.local.json:4",
                "ANTHROPIC_API_KEY=\"\""
            ]
        ),
        "{out}"
    );
    assert!(has_line(out, &["shadows", "env"]), "{out}");
    assert!(out.contains("warning[GW5050]"), "{out}");
    assert!(
        out.trim_end().ends_with("doctor: 0 errors, 1 warning"),
        "{out}"
    );
}

#[test]
fn a_planted_secret_never_appears_in_human_or_json_output() {
    let machine = Machine::new();
    let secrets = [
        "sk-ant-planted-project-0001",
        "planted-proxy-password-0002",
        "planted-header-key-0003",
        "planted-shell-key-0004",
        "planted-helper-key-0005",
        "planted-query-token-0006",
    ];
    machine.project_settings(&format!(
        r#"{{
  "env": {{
    "ANTHROPIC_AUTH_TOKEN": "{}",
    "HTTPS_PROXY": "http://bob:{}@127.0.0.1:9",
    "ANTHROPIC_CUSTOM_HEADERS": "x-team: a\nx-api-key: {}",
    "ANTHROPIC_BASE_URL": "http://127.0.0.1:9/?token={}"
  }}
}}"#,
        secrets[0], secrets[1], secrets[2], secrets[5]
    ));
    machine.user_settings(&format!(
        "{{\n  \"apiKeyHelper\": \"echo {}\",\n  \"env\": {{\"HTTPS_PROXY\": \"http://alice:{}@127.0.0.1:8\"}}\n}}",
        secrets[4], secrets[1]
    ));
    let shell = [("ANTHROPIC_API_KEY", secrets[3]), ("NO_PROXY", "localhost")];
    for args in [vec![], vec!["--online"]] {
        let human = machine.doctor(&args, &shell);
        let (json, report) = machine.doctor_json(&args, &shell);
        assert_eq!(
            human.code(),
            Some(1),
            "GW5015: a credential in the project file\n{}",
            human.diagnostics()
        );
        assert!(codes(&report).contains(&"GW5015".to_owned()), "{report:#}");
        for ran in [&human, &json] {
            for secret in secrets {
                assert!(
                    !ran.output().contains(secret),
                    "{secret} leaked with {args:?}\n{}",
                    ran.output()
                );
            }
        }
        assert_eq!(
            variable(&report, "ANTHROPIC_AUTH_TOKEN")["value"],
            "<set, 27 chars>"
        );
        assert_eq!(
            variable(&report, "HTTPS_PROXY")["value"],
            "http://***@127.0.0.1:9"
        );
        assert_eq!(
            variable(&report, "ANTHROPIC_BASE_URL")["value"],
            "http://127.0.0.1:9/?***"
        );
        assert_eq!(
            variable(&report, "ANTHROPIC_API_KEY")["value"],
            "<set, 22 chars>"
        );
    }
}

#[test]
fn gw5016_the_projects_provider_switch_ignores_the_users_gateway() {
    let machine = Machine::new();
    machine.user_settings(
        "{\n  \"env\": {\n    \"ANTHROPIC_BASE_URL\": \"https://llm.corp.example\"\n  }\n}\n",
    );
    machine.project_settings(
        "{\n  \"env\": {\n    \"AWS_REGION\": \"us-east-1\",\n    \"CLAUDE_CODE_USE_BEDROCK\": \"1\"\n  }\n}\n",
    );
    let (ran, report) = machine.doctor_json(&[], &[("ANTHROPIC_AUTH_TOKEN", "t")]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let user = machine.home().join(".claude/settings.json");
    assert_eq!(
        diagnostics(&report),
        [(
            "GW5016".to_owned(),
            "error".to_owned(),
            user.display().to_string(),
            3
        )],
        "found in the merged view, pointing at the user's line"
    );
    assert_eq!(
        the(&report, "GW5016")["message"],
        "Claude Code ignores ANTHROPIC_BASE_URL: CLAUDE_CODE_USE_BEDROCK is on, so it talks to Bedrock"
    );
    let human = machine.doctor(&[], &[("ANTHROPIC_AUTH_TOKEN", "t")]);
    assert!(
        human
            .stdout
            .contains(&format!("--> {}:3:5", user.display())),
        "the user's file, with its line\n{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("\"ANTHROPIC_BASE_URL\": \"https://llm.corp.example\"")
    );
}

#[test]
fn the_settings_rules_judge_each_finding_by_the_scope_of_its_file() {
    let machine = Machine::new();
    let literal = "{\n  \"env\": {\n    \"ANTHROPIC_AUTH_TOKEN\": \"sk-team-0001\"\n  }\n}\n";
    machine.user_settings(literal);
    let (ran, report) = machine.doctor_json(&[], &[]);
    assert_eq!(
        ran.code(),
        Some(0),
        "a warning in the user's file\n{}",
        ran.diagnostics()
    );
    assert_eq!(the(&report, "GW5015")["severity"], "warning");
    machine.project_settings(literal);
    let (ran, report) = machine.doctor_json(&[], &[]);
    assert_eq!(
        ran.code(),
        Some(1),
        "an error in the committed file\n{}",
        ran.diagnostics()
    );
    let gw5015 = the(&report, "GW5015");
    assert_eq!(
        (gw5015["severity"].as_str(), gw5015["file"].as_str()),
        (Some("error"), Some(".claude/settings.json"))
    );
}

#[test]
fn gw5030_an_api_key_helper_that_cannot_run_here_is_an_error() {
    let machine = Machine::new();
    machine.project_settings("{\n  \"apiKeyHelper\": \"./bin/key.sh\"\n}\n");
    let (ran, report) = machine.doctor_json(&[], &[]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let gw5030 = the(&report, "GW5030");
    assert_eq!(
        (gw5030["severity"].as_str(), gw5030["line"].as_u64()),
        (Some("error"), Some(2))
    );
    let script = machine.project().join("bin/key.sh");
    std::fs::create_dir_all(script.parent().expect("bin")).expect("bin");
    machine.write(&script, "#!/bin/sh\necho k\n");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let (ran, report) = machine.doctor_json(&[], &[]);
    assert_eq!(ran.code(), Some(0), "{}", ran.diagnostics());
    assert!(codes(&report).is_empty(), "{report:#}");
}

#[test]
fn gw5012_a_layer_claude_code_cannot_parse_counts_for_nothing() {
    let machine = Machine::new();
    machine.project_settings(
        "{\n  \"env\": {\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:4000\",}\n}\n",
    );
    machine.user_settings("{\"env\": {\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:5000\"}}");
    let (ran, report) = machine.doctor_json(&[], &[("ANTHROPIC_AUTH_TOKEN", "t")]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    assert_eq!(
        diagnostics(&report),
        [(
            "GW5012".to_owned(),
            "error".to_owned(),
            ".claude/settings.json".to_owned(),
            2
        )]
    );
    let url = variable(&report, "ANTHROPIC_BASE_URL");
    assert_eq!(
        (url["value"].as_str(), url["layer"].as_str()),
        (Some("http://127.0.0.1:5000"), Some("user"))
    );
}

#[test]
fn gw5051_an_unreadable_layer_is_skipped_and_a_bad_argument_is_a_usage_error() {
    let machine = Machine::new();
    std::fs::create_dir(machine.project().join(".claude/settings.json")).expect("a directory");
    let (ran, report) = machine.doctor_json(&[], &[]);
    assert_eq!(ran.code(), Some(0), "a warning\n{}", ran.diagnostics());
    let gw5051 = the(&report, "GW5051");
    assert_eq!(gw5051["severity"], "warning");
    assert!(
        gw5051["message"]
            .as_str()
            .expect("message")
            .starts_with("cannot read .claude/settings.json: it is not a regular file"),
        "{gw5051:#}"
    );

    let missing = machine.doctor(&["--settings", "nope.json"], &[]);
    assert_eq!(missing.code(), Some(2), "{}", missing.diagnostics());
    assert!(
        missing
            .stderr
            .contains("error[GW5051]: cannot read nope.json: it does not exist"),
        "{}",
        missing.stderr
    );
    assert!(missing.stdout.is_empty());
    let no_project = machine.doctor(&["--project", "elsewhere"], &[]);
    assert_eq!(no_project.code(), Some(2));
    assert!(
        no_project
            .stderr
            .contains("error[GW5051]: --project elsewhere is not a directory"),
        "{}",
        no_project.stderr
    );
    let bad_flag = machine.doctor(&["--format", "sarif"], &[]);
    assert_eq!(bad_flag.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Online checks, against loopback servers.

/// A LiteLLM-like gateway: an open liveness route, `/v1/models` for `Bearer good-token` only.
fn checks_keys(head: &str) -> u16 {
    match path_of(head) {
        "/health/liveliness" => 200,
        "/v1/models"
            if head
                .to_ascii_lowercase()
                .contains("authorization: bearer good-token\r\n") =>
        {
            200
        }
        "/v1/models" => 401,
        _ => 404,
    }
}

/// A gateway that lets anyone in.
fn lets_anyone_in(head: &str) -> u16 {
    match path_of(head) {
        "/health" | "/v1/models" => 200,
        _ => 404,
    }
}

fn not_found(_: &str) -> u16 {
    404
}

fn gateway_settings(machine: &Machine, url: &str) {
    machine.project_settings(&format!(
        "{{\n  \"env\": {{\n    \"ANTHROPIC_BASE_URL\": \"{url}\"\n  }}\n}}\n"
    ));
}

#[test]
fn gw5052_gw5054_gw5055_health_and_keys_against_a_loopback_gateway() {
    let machine = Machine::new();
    let gateway = Server::start(Serve::Http(checks_keys, None));
    gateway_settings(&machine, &gateway.url("http"));

    let (ran, report) =
        machine.doctor_json(&["--online"], &[("ANTHROPIC_AUTH_TOKEN", "good-token")]);
    assert_eq!(ran.code(), Some(0), "{}", ran.diagnostics());
    let severities: Vec<(String, String)> = diagnostics(&report)
        .into_iter()
        .map(|(code, severity, file, line)| {
            assert_eq!(
                (file.as_str(), line),
                (".claude/settings.json", 3),
                "at the base URL"
            );
            (code, severity)
        })
        .collect();
    let info = |code: &str| (code.to_owned(), "info".to_owned());
    assert_eq!(severities, [info("GW5052"), info("GW5054"), info("GW5055")]);
    assert!(
        the(&report, "GW5052")["message"]
            .as_str()
            .expect("message")
            .ends_with("(ANTHROPIC_BASE_URL) answers GET /health/liveliness with 200")
    );
    assert_eq!(
        the(&report, "GW5054")["message"],
        "the gateway refuses a made-up token: GET /v1/models answers 401"
    );
    let heads = gateway.heads();
    assert!(
        heads
            .iter()
            .any(|h| h.contains("authorization: Bearer good-token\r\n")),
        "the configured token went in its header: {heads:#?}"
    );
    assert!(!ran.output().contains("good-token"), "never shown");

    let (ran, report) =
        machine.doctor_json(&["--online"], &[("ANTHROPIC_AUTH_TOKEN", "expired-token")]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let gw5055 = the(&report, "GW5055");
    assert_eq!(gw5055["severity"], "error");
    assert_eq!(
        gw5055["message"],
        "the gateway refuses the configured ANTHROPIC_AUTH_TOKEN: GET /v1/models answers 401"
    );
    assert!(!ran.output().contains("expired-token"));

    let (_, report) = machine.doctor_json(&["--online"], &[]);
    let gw5055 = the(&report, "GW5055");
    assert_eq!(gw5055["severity"], "info", "nothing configured to try");
    assert!(
        gw5055["message"]
            .as_str()
            .expect("message")
            .starts_with("no ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY")
    );

    let open = Server::start(Serve::Http(lets_anyone_in, None));
    gateway_settings(&machine, &open.url("http"));
    let (ran, report) = machine.doctor_json(&["--online"], &[("ANTHROPIC_API_KEY", "any-key")]);
    assert_eq!(ran.code(), Some(0), "a warning\n{}", ran.diagnostics());
    assert!(
        the(&report, "GW5052")["message"]
            .as_str()
            .expect("message")
            .ends_with("answers GET /health with 200")
    );
    let gw5054 = the(&report, "GW5054");
    assert_eq!(gw5054["severity"], "warning");
    assert!(
        gw5054["message"]
            .as_str()
            .expect("message")
            .starts_with("the gateway accepts a made-up token")
    );
    assert!(
        open.heads()
            .iter()
            .any(|h| h.contains("x-api-key: gwscript-doctor-made-up-token\r\n")),
        "the made-up token goes in the configured one's header"
    );

    let lost = Server::start(Serve::Http(not_found, None));
    gateway_settings(&machine, &format!("{}/litellm", lost.url("http")));
    let (ran, report) = machine.doctor_json(&["--online"], &[("ANTHROPIC_AUTH_TOKEN", "t")]);
    assert_eq!(ran.code(), Some(0), "{}", ran.diagnostics());
    let gw5052 = the(&report, "GW5052");
    assert_eq!(gw5052["severity"], "warning");
    assert!(
        gw5052["message"].as_str().expect("message").ends_with(
            "answers, but no health route with 2xx: /health/liveliness 404, /health 404, / 404"
        ),
        "{gw5052:#}"
    );
    assert!(
        lost.heads()
            .iter()
            .any(|h| path_of(h) == "/litellm/health/liveliness"),
        "the base URL's path is kept"
    );

    gateway_settings(&machine, &format!("http://127.0.0.1:{}", free_port()));
    let (ran, report) = machine.doctor_json(&["--online"], &[("ANTHROPIC_AUTH_TOKEN", "t")]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    assert_eq!(
        codes(&report),
        ["GW5052"],
        "no key checks against a gateway that is not there"
    );
    assert!(
        the(&report, "GW5052")["message"]
            .as_str()
            .expect("message")
            .contains("cannot be reached: ")
    );
}

#[test]
fn gw5053_the_tls_version_a_gateway_negotiates_and_whether_it_is_trusted() {
    let machine = Machine::new();
    let ca = machine.path("ca.pem");
    let ca_var = ca.to_str().expect("UTF-8").to_owned();
    for (versions, expected) in [
        (&[&rustls::version::TLS13][..], "TLS 1.3"),
        (&[&rustls::version::TLS12][..], "TLS 1.2"),
    ] {
        let (config, pem) = tls_server(versions);
        machine.write(&ca, &pem);
        let gateway = Server::start(Serve::Http(checks_keys, Some(config)));
        gateway_settings(&machine, &gateway.url("https"));
        let shell = [
            ("NODE_EXTRA_CA_CERTS", ca_var.as_str()),
            ("ANTHROPIC_AUTH_TOKEN", "good-token"),
        ];
        let (ran, report) = machine.doctor_json(&["--online"], &shell);
        assert_eq!(ran.code(), Some(0), "{}", ran.diagnostics());
        let gw5053 = the(&report, "GW5053");
        assert_eq!(gw5053["severity"], "info");
        assert_eq!(
            gw5053["message"],
            format!(
                "{} (ANTHROPIC_BASE_URL) negotiates {expected} with a trusted certificate",
                gateway.url("https")
            )
        );
        assert_eq!(
            the(&report, "GW5052")["severity"],
            "info",
            "health over https"
        );
        assert_eq!(
            the(&report, "GW5055")["severity"],
            "info",
            "the key over https"
        );

        // Without the CA Node would not trust the gateway either.
        let (ran, report) = machine.doctor_json(&["--online"], &[]);
        assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
        let gw5053 = the(&report, "GW5053");
        assert_eq!(gw5053["severity"], "error");
        assert!(
            gw5053["message"]
                .as_str()
                .expect("message")
                .contains(&format!(
                    "negotiates {expected}, but its certificate is not trusted"
                )),
            "{gw5053:#}"
        );
    }

    // A fatal protocol_version alert: what a server that speaks only TLS 1.0 or 1.1 answers.
    let old = Server::start(Serve::Raw(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]));
    gateway_settings(&machine, &old.url("https"));
    let (ran, report) = machine.doctor_json(&["--online"], &[]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let gw5053 = the(&report, "GW5053");
    assert_eq!(gw5053["severity"], "error");
    assert!(
        gw5053["message"]
            .as_str()
            .expect("message")
            .contains("offers no TLS version Claude Code accepts (1.2 or later)"),
        "{gw5053:#}"
    );

    machine.write(&ca, "not a certificate\n");
    let (_, report) =
        machine.doctor_json(&["--online"], &[("NODE_EXTRA_CA_CERTS", ca_var.as_str())]);
    assert!(
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == "GW5053"
                && d["severity"] == "warning"
                && d["message"].as_str().is_some_and(
                    |m| m.starts_with("NODE_EXTRA_CA_CERTS names a file doctor cannot use")
                )),
        "{report:#}"
    );
}

#[test]
fn gw5056_gw5057_the_corporate_proxy_through_a_real_tinyproxy() {
    let machine = Machine::new();
    let gateway = Server::start(Serve::Http(checks_keys, None));
    gateway_settings(&machine, &gateway.url("http"));
    let proxy = Tinyproxy::start("corp", "proxy-pass-0001");
    let with_user = |user: &str| proxy.url.replacen("http://", &format!("http://{user}@"), 1);

    let good = with_user("corp:proxy-pass-0001");
    let shell = [
        ("HTTPS_PROXY", good.as_str()),
        ("ANTHROPIC_AUTH_TOKEN", "good-token"),
    ];
    let (ran, report) = machine.doctor_json(&["--online"], &shell);
    assert_eq!(ran.code(), Some(0), "{}", ran.diagnostics());
    let gw5056 = the(&report, "GW5056");
    assert_eq!(gw5056["severity"], "info");
    assert_eq!(
        gw5056["message"],
        format!(
            "the proxy {} (HTTPS_PROXY) opens a tunnel to 127.0.0.1:{}",
            with_user("***"),
            gateway.port
        )
    );
    assert_eq!(
        the(&report, "GW5055")["severity"],
        "info",
        "the gateway, through the proxy"
    );
    assert!(
        gateway
            .heads()
            .iter()
            .any(|h| path_of(h) == "/v1/models" && h.contains("(tinyproxy/")),
        "the key check went through the proxy: {:#?}",
        gateway.heads()
    );
    assert!(!ran.output().contains("proxy-pass-0001"));

    let wrong = with_user("corp:wrong-pass");
    let (ran, report) = machine.doctor_json(&["--online"], &[("HTTPS_PROXY", wrong.as_str())]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let gw5057 = the(&report, "GW5057");
    assert_eq!(gw5057["severity"], "error");
    // tinyproxy answers wrong credentials with 401 where the standard says 407.
    assert!(
        gw5057["message"]
            .as_str()
            .expect("message")
            .contains(&format!(
                "the proxy {} (HTTPS_PROXY) refuses the credentials in its URL: 40",
                with_user("***")
            )),
        "{gw5057:#}"
    );

    let (ran, report) = machine.doctor_json(&["--online"], &[("HTTPS_PROXY", proxy.url.as_str())]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    assert!(
        the(&report, "GW5057")["message"]
            .as_str()
            .expect("message")
            .contains(
                "asks for credentials (407 Proxy Authentication Required), and its URL has none"
            )
    );

    // NO_PROXY covering the gateway: the gateway is reached directly, the proxy still checked.
    let (ran, report) = machine.doctor_json(
        &["--online"],
        &[
            ("HTTPS_PROXY", proxy.url.as_str()),
            ("NO_PROXY", "127.0.0.1"),
            ("ANTHROPIC_AUTH_TOKEN", "good-token"),
        ],
    );
    assert_eq!(
        ran.code(),
        Some(1),
        "the proxy still asks for credentials\n{}",
        ran.diagnostics()
    );
    assert_eq!(
        the(&report, "GW5052")["severity"],
        "info",
        "straight to the gateway"
    );
    assert!(
        !gateway
            .heads()
            .last()
            .expect("a request")
            .to_ascii_lowercase()
            .contains("via:"),
        "not through the proxy"
    );

    let closed = format!("http://127.0.0.1:{}", free_port());
    let (ran, report) = machine.doctor_json(&["--online"], &[("HTTPS_PROXY", closed.as_str())]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let gw5056 = the(&report, "GW5056");
    assert_eq!(gw5056["severity"], "error");
    assert!(
        gw5056["message"]
            .as_str()
            .expect("message")
            .starts_with(&format!("cannot reach the proxy {closed} (HTTPS_PROXY)"))
    );
}
