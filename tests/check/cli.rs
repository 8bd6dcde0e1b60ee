//! `gwscript check` and `gwscript schema` through the real binary: kind detection, the four output
//! formats, exit codes (0 clean or warnings only, 1 errors or `--deny-warnings`, 2 usage), `--env`,
//! the usual places, and the host's GW0007–GW0011.

use gwscript_tests::emit::gwscript;
use gwscript_tests::files::write_file;
use gwscript_tests::{Ran, temp_dir};
use serde_json::Value;
use std::path::Path;

/// A config LiteLLM loads and gwscript finds nothing in.
const CLEAN_CONFIG: &str = "model_list:
  - model_name: claude-sonnet-4-5
    litellm_params:
      model: anthropic/claude-sonnet-4-5-20250929
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: claude-haiku-4-5
    litellm_params:
      model: anthropic/claude-haiku-4-5-20251001
      api_key: os.environ/ANTHROPIC_API_KEY
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
";

/// Two groups falling back to each other: GW4001 on line 11, where the first fallback starts.
const CIRCULAR_CONFIG: &str = "model_list:
  - model_name: a
    litellm_params:
      model: anthropic/claude-sonnet-4-5-20250929
  - model_name: b
    litellm_params:
      model: anthropic/claude-haiku-4-5-20251001
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
router_settings:
  fallbacks: [{a: [b]}, {b: [a]}]
";

fn check_in(dir: &Path, args: &[&str]) -> Ran {
    let mut all = vec!["check"];
    all.extend(args);
    gwscript(dir, &all, [("GWSCRIPT_TEST", "1")])
}

fn json_findings(ran: &Ran) -> Vec<Value> {
    let report: Value = serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", ran.diagnostics()));
    report["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics array: {report}"))
        .clone()
}

fn codes(findings: &[Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["code"].as_str().expect("a code"))
        .collect()
}

#[test]
fn json_output_has_the_documented_shape_and_errors_exit_1() {
    let dir = temp_dir("check");
    write_file(&dir.path().join("config.yaml"), CIRCULAR_CONFIG);
    let ran = check_in(dir.path(), &["--format", "json", "config.yaml"]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let findings = json_findings(&ran);
    let cycle = findings
        .iter()
        .find(|f| f["code"] == "GW4001")
        .unwrap_or_else(|| panic!("no GW4001 in {findings:?}"));
    assert_eq!(cycle["severity"], "error");
    assert_eq!(cycle["file"], "config.yaml");
    assert_eq!(cycle["line"], 11);
    assert!(cycle["column"].as_u64().is_some_and(|c| c >= 3));
    assert!(
        cycle["message"]
            .as_str()
            .is_some_and(|m| m.contains("a -> b -> a") || m.contains("b -> a -> b"))
    );
    assert!(cycle["help"].as_str().is_some_and(|h| !h.is_empty()));
    for finding in &findings {
        let keys: Vec<&String> = finding.as_object().expect("an object").keys().collect();
        assert_eq!(
            keys,
            [
                "code", "column", "file", "help", "line", "message", "severity"
            ]
        );
    }
    // The documented key order, as printed.
    assert!(
        ran.stdout.starts_with(r#"{"diagnostics":[{"code":"#),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains(r#""severity":"error","file":"config.yaml","line":11,"column":"#),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_clean_config_exits_0_and_says_so() {
    let dir = temp_dir("check");
    write_file(&dir.path().join("config.yaml"), CLEAN_CONFIG);
    let ran = check_in(dir.path(), &["config.yaml"]);
    assert_eq!(ran.code(), Some(0), "{}", ran.diagnostics());
    assert!(
        ran.stdout
            .ends_with("\nchecked 1 file: 0 errors, 0 warnings\n"),
        "{}",
        ran.stdout
    );
    assert!(
        !ran.stdout.contains("error[") && !ran.stdout.contains("warning["),
        "{}",
        ran.stdout
    );
    let denied = check_in(dir.path(), &["--deny-warnings", "config.yaml"]);
    assert_eq!(
        denied.code(),
        Some(0),
        "notes never fail a check: {}",
        denied.stdout
    );
}

#[test]
fn human_output_shows_the_line_with_a_caret() {
    let dir = temp_dir("check");
    write_file(&dir.path().join("config.yaml"), CIRCULAR_CONFIG);
    let ran = check_in(dir.path(), &["config.yaml"]);
    assert_eq!(ran.code(), Some(1));
    let out = &ran.stdout;
    assert!(out.contains("error[GW4001]"), "{out}");
    assert!(out.contains("--> config.yaml:11:"), "{out}");
    assert!(
        out.contains("11 |   fallbacks: [{a: [b]}, {b: [a]}]"),
        "{out}"
    );
    let caret_line = out
        .lines()
        .skip_while(|l| !l.starts_with("11 |"))
        .nth(1)
        .expect("a caret line");
    assert!(caret_line.trim_end().ends_with('^'), "{out}");
    assert!(
        out.ends_with("error, 0 warnings\n") || out.contains(" errors, "),
        "{out}"
    );
}

#[test]
fn short_output_is_one_line_per_finding() {
    let dir = temp_dir("check");
    write_file(&dir.path().join("config.yaml"), CIRCULAR_CONFIG);
    let ran = check_in(dir.path(), &["--format", "short", "config.yaml"]);
    let json = check_in(dir.path(), &["--format", "json", "config.yaml"]);
    let findings = json_findings(&json);
    assert_eq!(ran.stdout.lines().count(), findings.len(), "{}", ran.stdout);
    for (line, finding) in ran.stdout.lines().zip(&findings) {
        let expected = format!(
            "config.yaml:{}:{}: {}[{}]: {}",
            finding["line"],
            finding["column"],
            finding["severity"].as_str().unwrap(),
            finding["code"].as_str().unwrap(),
            finding["message"].as_str().unwrap()
        );
        assert_eq!(line, expected);
    }
}

#[test]
fn sarif_output_is_sarif_2_1_0_with_a_rule_per_code() {
    let dir = temp_dir("check");
    write_file(&dir.path().join("config.yaml"), CIRCULAR_CONFIG);
    let ran = check_in(dir.path(), &["--format", "sarif", "config.yaml"]);
    assert_eq!(ran.code(), Some(1));
    let log: Value = serde_json::from_str(&ran.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "gwscript");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "config.yaml");
        assert!(
            location["region"]["startLine"]
                .as_u64()
                .is_some_and(|l| l >= 1)
        );
    }
    let cycle = results
        .iter()
        .find(|r| r["ruleId"] == "GW4001")
        .expect("GW4001");
    assert_eq!(cycle["level"], "error");
    let rule = &rules[cycle["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["shortDescription"]["text"], "circular fallback");
}

#[test]
fn usage_errors_exit_2() {
    let dir = temp_dir("check");
    let missing = check_in(dir.path(), &["nope.yaml"]);
    assert_eq!(missing.code(), Some(2));
    assert!(
        missing
            .stderr
            .contains("error[GW0007]: cannot read nope.yaml"),
        "{}",
        missing.stderr
    );
    write_file(&dir.path().join("config.yaml"), CLEAN_CONFIG);
    let unknown_kind = check_in(dir.path(), &["--kind", "kong", "config.yaml"]);
    assert_eq!(unknown_kind.code(), Some(2));
    assert!(
        unknown_kind
            .stderr
            .contains("error[GW0010]: no file kind `kong`"),
        "{}",
        unknown_kind.stderr
    );
    assert!(
        unknown_kind.stderr.contains("claude-settings, litellm"),
        "{}",
        unknown_kind.stderr
    );
    let bad_flag = check_in(dir.path(), &["--format", "xml", "config.yaml"]);
    assert_eq!(bad_flag.code(), Some(2));
}

#[test]
fn files_that_are_not_text_or_of_no_known_kind_are_findings() {
    let dir = temp_dir("check");
    std::fs::write(
        dir.path().join("config.yaml"),
        b"model_list:\n  - \xff\xfe\n",
    )
    .expect("write");
    write_file(&dir.path().join("notes.txt"), "hello\n");
    let ran = check_in(
        dir.path(),
        &["--format", "json", "config.yaml", "notes.txt"],
    );
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let findings = json_findings(&ran);
    assert_eq!(codes(&findings), ["GW0008", "GW0009"]);
    assert_eq!(
        (findings[0]["line"].as_u64(), findings[0]["column"].as_u64()),
        (Some(2), Some(5))
    );
    assert_eq!(findings[1]["file"], "notes.txt");
    // Named, the kind is no longer guessed.
    let forced = check_in(
        dir.path(),
        &["--kind", "litellm", "--format", "json", "notes.txt"],
    );
    assert!(
        !codes(&json_findings(&forced)).contains(&"GW0009"),
        "{}",
        forced.stdout
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = temp_dir("check");
    // Nothing to check in an empty directory (HOME is the directory too): GW0011, a warning.
    let nothing = check_in(dir.path(), &["--format", "json"]);
    assert_eq!(nothing.code(), Some(0), "{}", nothing.diagnostics());
    assert_eq!(codes(&json_findings(&nothing)), ["GW0011"]);
    let denied = check_in(dir.path(), &["--deny-warnings", "--format", "json"]);
    assert_eq!(denied.code(), Some(1));
}

#[test]
fn without_files_the_usual_places_are_checked() {
    let dir = temp_dir("check");
    write_file(&dir.path().join("config.yaml"), CIRCULAR_CONFIG);
    write_file(&dir.path().join(".claude/settings.json"), "{\"env\": {}}\n");
    // HOME is the directory, so ~/.claude/settings.json is the same file, checked once.
    let ran = check_in(dir.path(), &["--format", "json"]);
    assert_eq!(ran.code(), Some(1));
    let findings = json_findings(&ran);
    let files: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(files.contains("config.yaml"), "{files:?}");
    let human = check_in(dir.path(), &[]);
    assert!(human.stdout.contains("checked 2 files"), "{}", human.stdout);
}

#[test]
fn schemas_are_printed_for_known_kinds_only() {
    let dir = temp_dir("check");
    let settings = gwscript(dir.path(), &["schema", "claude-settings"], [("X", "")]);
    assert!(settings.success(), "{}", settings.diagnostics());
    let schema: Value = serde_json::from_str(&settings.stdout).expect("JSON");
    assert!(schema["properties"]["env"].is_object());
    let litellm = gwscript(dir.path(), &["schema", "litellm"], [("X", "")]);
    assert!(litellm.success(), "{}", litellm.diagnostics());
    let schema: Value = serde_json::from_str(&litellm.stdout).expect("JSON");
    assert!(schema["properties"]["model_list"].is_object(), "{schema}");
    let unknown = gwscript(dir.path(), &["schema", "kong"], [("X", "")]);
    assert_eq!(unknown.code(), Some(2));
    assert!(unknown.stderr.contains("GW0010"));
}

/// FR-029's boundary conditions: a model name with quotes, non-ASCII and a terminal escape, in a
/// config three thousand characters deep in directories. The finding names the group, the
/// escape reaches the terminal only as text.
#[test]
fn special_characters_in_names_and_a_long_path() {
    let dir = temp_dir("check");
    let mut deep = dir.path().to_path_buf();
    for i in 0..120 {
        deep.push(format!("level-{i:03}-of-a-long-path"));
    }
    assert!(deep.as_os_str().len() > 3000);
    let config = "model_list:
  - model_name: \"claude ✓ \\\"q\\\" \\e[31m\"
    litellm_params:
      model: anthropic/claude-sonnet-4-5-20250929
      api_key: os.environ/ANTHROPIC_API_KEY
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
router_settings:
  fallbacks: [{\"claude ✓ \\\"q\\\" \\e[31m\": [claude-nope]}]
";
    let file = deep.join("config.yaml");
    write_file(&file, config);
    let shown = file.display().to_string();
    let ran = check_in(dir.path(), &["--format", "json", &shown]);
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    let findings = json_findings(&ran);
    let missing = findings
        .iter()
        .find(|f| f["code"] == "GW4002")
        .unwrap_or_else(|| panic!("no GW4002: {findings:?}"));
    assert_eq!(missing["file"], shown.as_str());
    assert_eq!(missing["line"], 9);
    let human = check_in(dir.path(), &[&shown]);
    assert!(human.stdout.contains("claude-nope"), "{}", human.stdout);
    assert!(
        !human.stdout.contains('\u{1b}'),
        "a raw escape reached the terminal"
    );
}

/// Secrets written as literals, in a config and a settings file: every one is reported, and none
/// appears in any format of `check` or in `doctor`, source lines included (YAML values are mostly
/// unquoted, so they are masked by the line's shape).
#[test]
fn no_secret_value_reaches_any_output() {
    const SECRETS: [&str; 10] = [
        "pw-leak-0001",
        "tok-leak-0002",
        "sk-ant-leak-0003",
        "leak-0004",
        "leak-0005",
        "sk-ant-api03-leak-0006",
        "leak-0007",
        "leak-0008",
        "leak-0009",
        "leak-0010",
    ];
    let dir = temp_dir("check");
    write_file(
        &dir.path().join(".claude/settings.json"),
        &format!(
            r#"{{
  "env": {{
    "HTTPS_PROXY": "http://corp:{}@proxy.corp.example:3128",
    "ANTHROPIC_AUTH_TOKEN": "{}",
    "ANTHROPIC_API_KEY": "{}",
    "ANTHROPIC_CUSTOM_HEADERS": "x-litellm-api-key {}"
  }},
  "apiKeyHelper": "echo {}"
}}
"#,
            SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[3], SECRETS[4]
        ),
    );
    write_file(
        &dir.path().join("config.yaml"),
        &format!(
            "model_list:
  - model_name: a
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_key: {}
      api_base: https://u:{}@host.example
general_settings:
  master_key: {}
  database_url: postgresql://u:{}@db/x
router_settings:
  redis_host: redis.internal
  redis_password: {}
",
            SECRETS[5], SECRETS[6], SECRETS[7], SECRETS[8], SECRETS[9]
        ),
    );
    let files = ["config.yaml", ".claude/settings.json"];
    let mut outputs = Vec::new();
    for format in ["human", "short", "json", "sarif"] {
        let mut args = vec!["--format", format];
        args.extend(files);
        let ran = check_in(dir.path(), &args);
        assert_eq!(ran.code(), Some(1), "{format}: {}", ran.diagnostics());
        outputs.push((format.to_owned(), ran.output()));
    }
    for args in [&["doctor"][..], &["doctor", "--format", "json"]] {
        let ran = gwscript(dir.path(), args, [("GWSCRIPT_TEST", "1")]);
        outputs.push((args.join(" "), ran.output()));
    }
    let json = check_in(dir.path(), &["--format", "json", files[0], files[1]]);
    let reported = codes(&json_findings(&json)).len();
    assert!(reported >= 8, "the literals are reported: {}", json.stdout);
    for (what, output) in outputs {
        for secret in SECRETS {
            assert!(!output.contains(secret), "{what} shows {secret}:\n{output}");
        }
    }
}
