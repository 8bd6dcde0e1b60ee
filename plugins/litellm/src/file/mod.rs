//! `gwscript check config.yaml`: a hand-written LiteLLM proxy config, checked offline.
//!
//! The file is parsed into a spanned YAML tree ([`gwscript_plugin::yaml`]), its `include`s are
//! merged as LiteLLM merges them ([`include`]), and rules that only a file can break run on the
//! tree: YAML-level problems, structure and types, unknown keys ([`structure`]), environment
//! references ([`environment`]), literal credentials anywhere ([`credentials`]), Redis, database
//! and master key ([`services`]). Then the config becomes the SDK's [`Gateway`] model, with the
//! position of every value ([`convert`]), and the same rules a recipe's gateway gets run on it
//! ([`checks::gateway_rules`]): one rule set, two inputs.

mod claude_code;
mod convert;
mod credentials;
mod environment;
mod include;
mod keys;
mod schema;
mod services;
mod structure;

use crate::checks::codes::{BAD_STRUCTURE, LITERAL_SECRET, UNREADABLE_YAML};
use crate::checks::{self, Input};
use gwscript_plugin::model::Span;
use gwscript_plugin::yaml::{self, Node, YamlError};
use gwscript_plugin::{Diagnostic, FileCheck, FileKind};
use std::collections::HashSet;

pub use schema::schema;

/// The file kind this plugin checks.
pub const KIND: &str = "litellm";

/// How the host recognises a LiteLLM config.
pub fn kind() -> FileKind {
    let strings = |items: &[&str]| items.iter().map(|item| (*item).to_owned()).collect();
    FileKind {
        extensions: strings(&["yaml", "yml"]),
        markers: strings(&[
            "model_list",
            "litellm_settings",
            "router_settings",
            "general_settings",
            "include",
        ]),
        default_names: strings(&["config.yaml"]),
        schema: true,
        ..FileKind::new(KIND, "LiteLLM proxy config")
    }
}

/// Every finding about `file` and the files it includes, in file order.
pub fn check(file: &FileCheck) -> Vec<Diagnostic> {
    let root = match yaml::parse(&file.text) {
        Err(error) => return vec![unreadable(&error)],
        Ok(None) => {
            return vec![Diagnostic::error(
                BAD_STRUCTURE,
                "the config is empty: LiteLLM refuses to start (\"Config cannot be None or Empty\")",
                "start from a model_list with one deployment",
            )];
        }
        Ok(Some(root)) => root,
    };
    if root.as_map().is_none() {
        return vec![not_a_mapping(&root, "the config")];
    }
    let mut findings = Vec::new();
    let config = include::resolve(file, root, &mut findings);
    let (gateway, spans) = convert::gateway(&config);
    findings.extend(checks::gateway_rules(&gateway, Input::ConfigFile(&spans)));
    findings.extend(convert::other_fallbacks(&config, &gateway));
    structure::check(&config, &mut findings);
    environment::check(&config, file, &mut findings);
    // After the shared rules, whose findings about the same secret name the option better.
    credentials::check(&config, &mut findings);
    services::check(&config, file, &mut findings);
    claude_code::check(&config, &gateway, &mut findings);
    finish(findings, &config, file)
}

/// The merged config: the top-level pairs LiteLLM ends up with after `include`, and the files
/// they came from.
#[derive(Debug)]
pub struct Config {
    pub root: Node,
    /// The path of every file read, the checked one first.
    pub files: Vec<String>,
}

impl Config {
    /// A top-level section, as LiteLLM sees it.
    pub fn section(&self, name: &str) -> Option<&Node> {
        self.root.get(name)
    }

    /// `section.key`, when the section is a mapping.
    pub fn setting(&self, section: &str, key: &str) -> Option<&Node> {
        self.section(section).and_then(|s| s.get(key))
    }
}

/// The last `(key, value)` pair for `key`, keeping the key's position for findings.
pub fn pair_of<'a>(node: &'a Node, key: &str) -> Option<(&'a Node, &'a Node)> {
    node.as_map()?
        .iter()
        .rev()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(k, v)| (k, v))
}

/// The variable an `os.environ/NAME` string names, as written (checked for a valid name
/// elsewhere).
pub fn env_reference(text: &str) -> Option<&str> {
    text.strip_prefix(crate::params::ENV_REFERENCE_PREFIX)
}

/// Whether a node is a string LiteLLM replaces with an environment variable's value.
pub fn is_env_reference(node: &Node) -> bool {
    node.as_str().and_then(env_reference).is_some()
}

/// What to do about a file the YAML reader refuses.
pub const UNREADABLE_HELP: &str = "fix the YAML at this position (indentation, an unclosed quote or bracket, a tab); \
     gwscript reads at most 256 levels of nesting and 2,000,000 nodes with aliases expanded";

fn unreadable(error: &YamlError) -> Diagnostic {
    Diagnostic::error(
        UNREADABLE_YAML,
        format!("the file is not YAML LiteLLM can read: {}", error.message),
        UNREADABLE_HELP,
    )
    .at(error.span)
}

pub fn not_a_mapping(node: &Node, what: &str) -> Diagnostic {
    Diagnostic::error(
        BAD_STRUCTURE,
        format!(
            "{what} is {}, not a mapping: LiteLLM refuses to start",
            node.type_name()
        ),
        "write it as `key: value` lines",
    )
    .at(Some(node.span))
}

/// Each finding once (a literal secret is seen both by the shared rule, in the gateway, and by
/// the file's own, anywhere in the tree), moved to the included file it is about, sorted by file
/// and position.
fn finish(findings: Vec<Diagnostic>, config: &Config, file: &FileCheck) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut kept: Vec<Diagnostic> = findings
        .into_iter()
        .filter(|d| {
            let message = (d.code != LITERAL_SECRET).then(|| d.message.clone());
            seen.insert((d.code.clone(), d.span.map(span_key), message))
        })
        .map(|d| include::locate(d, config))
        .filter(|d| !environment::answered_by_environment(d, file))
        .collect();
    kept.sort_by_key(|d| (d.file.clone(), d.span.map(span_key)));
    kept
}

fn span_key(span: Span) -> (u32, u32) {
    (span.line, span.column)
}

/// `check_file` against the shared corpus (what LiteLLM 1.109.1 did with each file), hostile
/// YAML, includes, `--env`, the schema, and the recipe equivalence: one rule set, two inputs.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::LiteLlm;
    use crate::test_support::{gateway_with, ordered, routed};
    use gwscript_plugin::model::Gateway;
    use gwscript_plugin::testing::{
        anthropic, bedrock, fallback, literal, raw, render, setup_for, vertex, with_gateway_option,
        with_option, with_routing,
    };
    use gwscript_plugin::{Plugin, Severity};
    use std::path::{Path, PathBuf};

    /// `../shared/corpus` beside the repository, as CI has it.
    fn corpus(dir: &str) -> PathBuf {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus"
        ))
        .join(dir);
        assert!(
            path.is_dir(),
            "the LiteLLM corpus is missing: expected {} (the shared/ directory beside the repository)",
            path.display()
        );
        path
    }

    fn input(path: &Path, environment: Option<Vec<String>>) -> FileCheck {
        FileCheck {
            kind: KIND.into(),
            path: path.display().to_string(),
            text: std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            environment,
        }
    }

    fn text(text: &str) -> FileCheck {
        FileCheck {
            kind: KIND.into(),
            path: "config.yaml".into(),
            text: text.into(),
            environment: None,
        }
    }

    fn codes(found: &[Diagnostic]) -> Vec<(&str, Severity)> {
        found
            .iter()
            .map(|d| (d.code.as_str(), d.severity))
            .collect()
    }

    fn errors(found: &[Diagnostic]) -> Vec<&str> {
        found
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str())
            .collect()
    }

    const E: Severity = Severity::Error;
    const W: Severity = Severity::Warning;
    const N: Severity = Severity::Note;

    /// Every case of `litellm-cases/`: LiteLLM's exit code (from the corpus README, or the reference
    /// for the few it does not list), whether to check as with `--env` in an empty environment,
    /// the findings it must get, and every error allowed beside them.
    #[test]
    fn every_corpus_case_gets_its_code() {
        type Case = (
            &'static str,
            u8,
            bool,
            &'static [(&'static str, Severity)],
            &'static [&'static str],
        );
        const CASES: &[Case] = &[
            ("bad_provider.yaml", 0, false, &[("GW4004", E)], &[]),
            ("bad_strategy.yaml", 1, false, &[("GW4003", E)], &[]),
            ("bad_yaml.yaml", 1, false, &[("GW4017", E)], &[]),
            ("base_ok.yaml", 0, false, &[], &[]),
            ("cache_redis.yaml", 0, false, &[("GW4027", N)], &[]),
            (
                "content_policy_bad.yaml",
                1,
                false,
                &[("GW4018", E)],
                &["GW4002"],
            ),
            ("cwf_bad.yaml", 0, false, &[("GW4018", E)], &["GW4002"]),
            (
                "default_fallbacks_str.yaml",
                1,
                false,
                &[("GW4018", E)],
                &[],
            ),
            ("dup_id.yaml", 0, false, &[("GW4013", W)], &[]),
            ("empty.yaml", 1, false, &[("GW4018", E)], &[]),
            (
                "empty_model_list.yaml",
                0,
                false,
                &[("GW4014", E)],
                &["GW4005"],
            ),
            ("env_section.yaml", 0, false, &[("GW4032", W)], &[]),
            ("fallback_bad_shape.yaml", 1, false, &[("GW4018", E)], &[]),
            ("fallback_circular.yaml", 0, false, &[("GW4001", E)], &[]),
            (
                "fallback_unknown_target.yaml",
                0,
                false,
                &[("GW4002", E)],
                &[],
            ),
            ("fallbacks_multikey.yaml", 1, false, &[("GW4018", E)], &[]),
            (
                "gs_unknown.yaml",
                0,
                false,
                &[("GW4021", W), ("GW4020", W), ("GW4026", W)],
                &[],
            ),
            ("hc_in_router.yaml", 1, false, &[("GW4022", E)], &[]),
            // The included model is served (no GW4014); the master key is a literal.
            ("include_main.yaml", 0, false, &[("GW4005", E)], &[]),
            (
                "include_missing.yaml",
                1,
                false,
                &[("GW4024", E)],
                &["GW4014"],
            ),
            ("include_models.yaml", 0, false, &[("GW4010", W)], &[]),
            ("list_top.yaml", 1, false, &[("GW4018", E)], &[]),
            ("ls_fallbacks.yaml", 0, false, &[("GW4002", E)], &[]),
            (
                "ls_master.yaml",
                0,
                false,
                &[("GW4023", W), ("GW4010", W)],
                &["GW4005"],
            ),
            (
                "master_default.yaml",
                0,
                false,
                &[("GW4030", E)],
                &["GW4005"],
            ),
            ("master_nosk.yaml", 0, false, &[("GW4005", E)], &[]),
            (
                "missing_env.yaml",
                0,
                true,
                &[("GW4031", W), ("GW4030", E)],
                &[],
            ),
            (
                "missing_litellm_params.yaml",
                1,
                false,
                &[("GW4018", E)],
                &["GW4014"],
            ),
            (
                "missing_model.yaml",
                1,
                false,
                &[("GW4018", E)],
                &["GW4014", "GW4005"],
            ),
            (
                "missing_model_name.yaml",
                1,
                false,
                &[("GW4018", E)],
                &["GW4014"],
            ),
            (
                "model_list_not_list.yaml",
                1,
                false,
                &[("GW4018", E)],
                &["GW4014"],
            ),
            ("no_provider_prefix.yaml", 0, false, &[("GW4033", W)], &[]),
            ("num_retries_str.yaml", 0, false, &[("GW4020", W)], &[]),
            // Every deployment is ordered, and weights apply within a tier: sound.
            ("order_weight.yaml", 0, false, &[("GW4010", W)], &[]),
            (
                "retry_policy_bad.yaml",
                1,
                false,
                &[("GW4019", E), ("GW4021", W)],
                &[],
            ),
            ("retry_policy_unknown.yaml", 0, false, &[("GW4021", W)], &[]),
            (
                "timeout_str_router.yaml",
                0,
                false,
                &[("GW4020", W), ("GW4019", E)],
                &[],
            ),
            ("tpm_str.yaml", 0, false, &[("GW4019", E)], &[]),
            (
                "unknown_litellm_param.yaml",
                0,
                false,
                &[("GW4011", W)],
                &[],
            ),
            (
                "unknown_litellm_settings.yaml",
                0,
                false,
                &[("GW4021", W)],
                &[],
            ),
            ("unknown_router_key.yaml", 0, false, &[("GW4021", W)], &[]),
            (
                "unknown_toplevel.yaml",
                0,
                false,
                &[("GW4021", W)],
                &["GW4005"],
            ),
        ];
        // Most cases have no master key, and base_ok.yaml shows a sound config has no other warning.
        const SIDE_WARNINGS: &[&str] = &["GW4010"];
        let dir = corpus("litellm-cases");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("reads the cases")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = CASES.iter().map(|case| case.0).collect();
        assert_eq!(on_disk, listed, "every case file has a row, in name order");
        let mut problems = Vec::new();
        for (name, rc, env, expected, also) in CASES {
            let found = check(&input(&dir.join(name), env.then(Vec::new)));
            let got = codes(&found);
            for want in *expected {
                if !got.contains(want) {
                    problems.push(format!("{name}: expected {want:?}, got {got:?}"));
                }
            }
            if *rc == 1 && errors(&found).is_empty() {
                problems.push(format!(
                    "{name}: LiteLLM refuses it, so it is an error: {got:?}"
                ));
            }
            for error in errors(&found) {
                if !expected.iter().any(|(code, _)| *code == error) && !also.contains(&error) {
                    problems.push(format!("{name}: unexpected error {error}"));
                }
            }
            // Nothing but what is expected rises above a note.
            for warning in found.iter().filter(|d| d.severity == W) {
                let wanted = expected.iter().any(|(code, _)| *code == warning.code)
                    || SIDE_WARNINGS.contains(&warning.code.as_str());
                if !wanted {
                    problems.push(format!(
                        "{name}: unexpected warning {}: {}",
                        warning.code, warning.message
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// LiteLLM's own examples: those it loads get no error (load_balancer.yaml is loaded with one of
    /// its four deployments dropped: that drop is an error), those it refuses get the right one,
    /// checked as with `--env` in LiteLLM's environment, where no variable was set.
    #[test]
    fn the_examples_litellm_loads_have_no_false_error() {
        const REFUSED: &[(&str, &str)] = &[
            ("enterprise_config.yaml", "GW4025"),
            ("langfuse_config.yaml", "GW4018"),
            ("multi_instance_simple_config.yaml", "GW4025"),
            ("otel_test_config.yaml", "GW4025"),
            ("spend_tracking_config.yaml", "GW4025"),
        ];
        // The README's rc=124: LiteLLM hung on its MCP servers; no verdict to compare with.
        const NO_VERDICT: &[&str] = &["proxy_config.yaml"];
        let dir = corpus("litellm-examples");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("reads the examples")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        assert!(names.len() >= 27, "{names:?}");
        for name in &names {
            let path = dir.join(name);
            if let Some((_, code)) = REFUSED.iter().find(|(refused, _)| refused == name) {
                let found = check(&input(&path, Some(Vec::new())));
                assert!(
                    errors(&found).contains(code),
                    "{name}: expected {code}: {found:#?}"
                );
                continue;
            }
            let found = check(&input(&path, None));
            let errors = errors(&found);
            match name.as_str() {
                // `mistralai/` is no provider (LiteLLM loaded 3 of 4), and two keys are literals.
                "load_balancer.yaml" => {
                    assert_eq!(errors, ["GW4005", "GW4005", "GW4004"], "{found:#?}")
                }
                name if NO_VERDICT.contains(&name) => {}
                _ => assert!(errors.is_empty(), "{name}: {found:#?}"),
            }
        }
    }

    #[test]
    fn findings_point_at_the_line_and_column() {
        let found = check(&text(
            "model_list:\n  - model_name: a\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5\n      rpm: ten\nrouter_setings: {}\n",
        ));
        let rpm = found.iter().find(|d| d.code == "GW4019").expect("GW4019");
        assert_eq!(
            rpm.span,
            Some(Span {
                line: 5,
                column: 12
            })
        );
        let typo = found.iter().find(|d| d.code == "GW4021").expect("GW4021");
        assert_eq!(typo.span, Some(Span { line: 6, column: 1 }));
        assert_eq!(typo.help, "did you mean `router_settings`?");
    }

    #[test]
    fn camel_case_keys_get_their_snake_case_name() {
        let found = check(&text(
            "model_list:\n  - modelName: a\n    model_name: a\n    litellm_params: {model: anthropic/claude-sonnet-4-5}\nrouter_settings:\n  routingStrategy: least-busy\n",
        ));
        let helps: Vec<&str> = found
            .iter()
            .filter(|d| d.code == "GW4021")
            .map(|d| d.help.as_str())
            .collect();
        assert_eq!(
            helps,
            [
                "LiteLLM's keys are snake_case: write `model_name`",
                "LiteLLM's keys are snake_case: write `routing_strategy`"
            ]
        );
    }

    #[test]
    fn duplicate_keys_and_misplaced_keys_are_reported() {
        let found = check(&text(
            "model_list:\n  - model_name: a\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5\n      model: anthropic/claude-haiku-4-5\ngeneral_settings:\n  routing_strategy: least-busy\n  master_key: os.environ/K\n",
        ));
        let duplicate = found.iter().find(|d| d.code == "GW4028").expect("GW4028");
        assert_eq!(duplicate.span.map(|s| s.line), Some(5));
        assert!(duplicate.message.contains("also on line 4"));
        let misplaced = found.iter().find(|d| d.code == "GW4023").expect("GW4023");
        assert!(
            misplaced.message.contains("reads it from router_settings"),
            "{}",
            misplaced.message
        );
    }

    #[test]
    fn env_references_are_checked_against_the_environment() {
        let config = "model_list:\n  - model_name: a\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5\n      api_key: os.environ/ANTHROPIC_API_KEY\n      api_base: os.environ/BASE\n      tags: [os.environ/TAG]\n      headers: {x: \"Bearer os.environ/TOKEN\"}\n      organization: os.environ/1BAD\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n";
        let without = check(&text(config));
        let codes_without: Vec<&str> = without.iter().map(|d| d.code.as_str()).collect();
        assert!(
            !codes_without.contains(&"GW4031"),
            "no --env, no unset findings: {codes_without:?}"
        );
        assert_eq!(without.iter().filter(|d| d.code == "GW4032").count(), 2);
        assert!(codes_without.contains(&"GW4016"));
        let mut input = text(config);
        input.environment = Some(vec![
            "ANTHROPIC_API_KEY".into(),
            "LITELLM_MASTER_KEY".into(),
        ]);
        let with = check(&input);
        let unset: Vec<&str> = with
            .iter()
            .filter(|d| d.code == "GW4031")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unset.len(), 1, "{unset:?}");
        assert!(unset[0].contains("BASE"));
        assert!(!with.iter().any(|d| d.code == "GW4030"));
    }

    #[test]
    fn literal_credentials_anywhere_are_errors_without_their_value() {
        const LEAKS: [&str; 4] = [
            "sk-ant-api03-LEAKLEAKLEAKLEAKLEAK01",
            "hunter2-leak-02",
            "postgresql://litellm:leak03@db:5432/litellm",
            "AKIALEAKLEAKLEAK0004",
        ];
        let config = format!(
            "model_list:\n  - model_name: a\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5\n      api_key: {}\nlitellm_settings:\n  cache: true\n  cache_params: {{type: redis, host: redis, password: {}}}\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n  database_url: \"{}\"\nenvironment_variables:\n  SOME_VALUE: {}\n  OPENAI_API_KEY: fake-key\n",
            LEAKS[0], LEAKS[1], LEAKS[2], LEAKS[3]
        );
        let found = check(&text(&config));
        let secrets: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "GW4005").collect();
        let lines: Vec<u32> = secrets
            .iter()
            .filter_map(|d| d.span.map(|s| s.line))
            .collect();
        // api_key (once, though two rules see it), the cache password, the URL, the AWS key id;
        // the placeholder `fake-key` is no leak.
        assert_eq!(lines, [5, 8, 11, 13], "{secrets:#?}");
        assert!(secrets.iter().all(|d| d.sensitive && d.is_error()));
        assert!(
            secrets[0]
                .message
                .contains("`litellm_params.api_key` of model group `a`")
        );
        for diagnostic in &found {
            for leak in LEAKS {
                let secret = leak.rsplit(':').next().unwrap_or(leak);
                assert!(
                    !diagnostic.message.contains(secret) && !diagnostic.help.contains(secret),
                    "{diagnostic:?}"
                );
            }
        }
    }

    #[test]
    fn redis_without_a_host_is_an_error() {
        let found = check(&text(
            "model_list:\n  - model_name: a\n    litellm_params: {model: anthropic/claude-sonnet-4-5}\nrouter_settings:\n  redis_password: os.environ/REDIS_PASSWORD\n  redis_port: 6379\ngeneral_settings:\n  coordination_redis: {port: 6379}\n",
        ));
        let redis: Vec<u32> = found
            .iter()
            .filter(|d| d.code == "GW4025")
            .filter_map(|d| d.span.map(|s| s.line))
            .collect();
        assert_eq!(redis, [5, 8]);
    }

    #[test]
    fn includes_merge_and_findings_name_the_included_file() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let write =
            |name: &str, body: &str| std::fs::write(dir.path().join(name), body).expect("writes");
        write(
            "config.yaml",
            "include: [models.yaml]\nmodel_list:\n  - model_name: main\n    litellm_params: {model: anthropic/claude-sonnet-4-5}\n",
        );
        write(
            "models.yaml",
            "include: [nested/more.yaml]\nmodel_list:\n  - model_name: inc\n    litellm_params: {model: anthropic/claude-haiku-4-5, rpm: x}\n",
        );
        std::fs::create_dir(dir.path().join("nested")).expect("mkdir");
        write(
            "nested/more.yaml",
            "router_settings:\n  fallbacks: [{main: [inc, nowhere]}]\n",
        );
        let found = check(&input(&dir.path().join("config.yaml"), None));
        let rpm = found
            .iter()
            .find(|d| d.code == "GW4019")
            .expect("the included file's GW4019");
        assert!(
            rpm.file
                .as_deref()
                .is_some_and(|f| f.ends_with("models.yaml")),
            "{rpm:?}"
        );
        assert_eq!(
            rpm.span,
            Some(Span {
                line: 4,
                column: 62
            })
        );
        let unserved = found
            .iter()
            .find(|d| d.code == "GW4002")
            .expect("GW4002 in the nested file");
        assert!(unserved.message.contains("`nowhere`"));
        assert!(
            unserved
                .file
                .as_deref()
                .is_some_and(|f| f.ends_with("more.yaml"))
        );
        assert_eq!(unserved.span.map(|s| s.line), Some(2));
        // The main file's findings carry no file of their own.
        assert!(
            found
                .iter()
                .filter(|d| d.code == "GW4010")
                .all(|d| d.file.is_none())
        );
        // A file including itself is read once, as LiteLLM does.
        write("loop.yaml", "include: [loop.yaml]\nmodel_list: []\n");
        let looped = check(&input(&dir.path().join("loop.yaml"), None));
        assert!(!looped.iter().any(|d| d.code == "GW4024"), "{looped:#?}");
    }

    #[test]
    fn hostile_yaml_ends_in_a_diagnostic() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for level in 1..9 {
            let items = vec![format!("*{}", (b'a' + level - 1) as char); 9].join(",");
            bomb.push_str(&format!(
                "{}: &{} [{items}]\n",
                (b'a' + level) as char,
                (b'a' + level) as char
            ));
        }
        let deep = format!("model_list: {}", "[".repeat(10_000));
        let huge = format!("model_list: []\nbig: \"{}\"\n", "x".repeat(8 << 20));
        for (what, text_of, code) in [
            ("alias bomb", bomb.as_str(), "GW4017"),
            ("10,000-deep nesting", deep.as_str(), "GW4017"),
            ("NUL byte", "model_list: []\nx: \"a\0b\"\n", "GW4017"),
            ("control character", "\u{1b}[2J: 1\n", "GW4017"),
            (
                "two documents",
                "model_list: []\n---\nmodel_list: []\n",
                "GW4017",
            ),
            ("a huge scalar", huge.as_str(), "GW4021"),
            ("a scalar", "just text\n", "GW4018"),
        ] {
            let found = check(&text(text_of));
            assert!(
                found.iter().any(|d| d.code == code),
                "{what}: {:?}",
                codes(&found)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Config-shaped text, mangled: every input ends in findings, never a panic.
        #[test]
        fn mangled_configs_never_panic(
            text_of in "(model_list|litellm_params|model|router_settings|fallbacks|include|os.environ/X|[-:{}\\[\\],&*!\"' \n]|[a-z0-9]{1,4}){0,60}"
        ) {
            let _ = check(&text(&text_of));
        }
    }

    /// A recipe's gateway checked through `checks::run`, and the config.yaml the plugin renders for
    /// it checked as a file, give the same codes: the rules are one set.
    #[test]
    fn a_rendered_recipe_and_its_config_file_get_the_same_codes() {
        let deployments = vec![
            // Claude Code's default ids, served through a wildcard group.
            anthropic("claude-*", "claude-*"),
            with_routing(anthropic("sonnet", "claude-sonnet-4-5"), "rpm", literal(60)),
            ordered(anthropic("opus", "claude-opus-4-5"), 1),
            bedrock("opus", "us.anthropic.claude-opus-4-5-20251101-v1:0", None),
            vertex("haiku", "claude-haiku-4-5@20251001", Some("acme"), None),
            with_option(
                anthropic("haiku", "claude-haiku-4-5"),
                "api_kye",
                literal("x"),
            ),
            with_option(
                anthropic("keyed", "claude-haiku-4-5"),
                "api_key",
                literal("sk-ant-api03-REALLOOKINGKEY0001"),
            ),
            anthropic("twice", "claude-sonnet-4-5"),
            anthropic("twice", "claude-sonnet-4-5"),
            raw("gpt", "notaprovider/gpt"),
            raw("bare", "gpt-4o"),
        ];
        let fallbacks = vec![
            fallback("sonnet", &["opus"]),
            fallback("opus", &["sonnet"]),
            fallback("haiku", &["nowhere"]),
        ];
        let gateway: Gateway = with_gateway_option(
            routed(gateway_with(deployments, fallbacks), "simple_shuffle"),
            "master_key",
            literal("sk-1234"),
        );
        let setup = setup_for(gateway.clone());
        let sorted = |found: Vec<Diagnostic>| {
            let mut codes: Vec<String> = found.into_iter().map(|d| d.code).collect();
            codes.sort();
            codes.dedup();
            codes
        };
        let from_recipe = sorted(LiteLlm::check(&setup));
        let config = render::<LiteLlm>(&setup, crate::manifest::CONFIG_PATH);
        let from_file = sorted(check(&text(&config)));
        assert_eq!(from_recipe, from_file, "the rendered config:\n{config}");
        for code in [
            "GW4001", "GW4002", "GW4003", "GW4004", "GW4005", "GW4007", "GW4008", "GW4009",
            "GW4011", "GW4013", "GW4027", "GW4030", "GW4033",
        ] {
            assert!(
                from_file.iter().any(|c| c == code),
                "{code} in {from_file:?}"
            );
        }
    }

    #[test]
    fn a_sound_rendered_config_passes_clean() {
        let mut setup = setup_for(gateway_with(
            vec![
                anthropic("claude-sonnet-4-6", "claude-sonnet-4-6"),
                anthropic("claude-opus-4-8", "claude-opus-4-8"),
                bedrock(
                    "claude-haiku-4-5",
                    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                    Some("us-east-1"),
                ),
            ],
            vec![fallback("claude-opus-4-8", &["claude-sonnet-4-6"])],
        ));
        setup.client.model = None;
        assert_eq!(LiteLlm::check(&setup), []);
        let config = render::<LiteLlm>(&setup, crate::manifest::CONFIG_PATH);
        assert_eq!(check(&text(&config)), [], "{config}");
    }

    /// Without its client, a config is told which of Claude Code's defaults it does not serve,
    /// and that other backends need drop_params: notes, since the client may pin its models.
    #[test]
    fn gw4029_notes_what_claude_code_would_miss() {
        let found = check(&text(
            "model_list:\n  - model_name: claude-sonnet-4-6\n    litellm_params: {model: anthropic/claude-sonnet-4-6}\n  - model_name: gpt\n    litellm_params: {model: openai/gpt-4o}\n",
        ));
        let notes: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "GW4029").collect();
        assert_eq!(notes.len(), 2, "{found:#?}");
        assert!(notes.iter().all(|d| d.severity == N));
        assert!(notes[0].message.contains("claude-opus-4-8"));
        assert!(
            !notes[0].message.contains("claude-sonnet-4-6 "),
            "{}",
            notes[0].message
        );
        assert!(notes[1].message.contains("model group `gpt`"));
        assert_eq!(notes[1].span.map(|s| s.line), Some(4));
        let served = check(&text(
            "model_list:\n  - model_name: claude-*\n    litellm_params: {model: anthropic/claude-*}\nlitellm_settings: {drop_params: true}\n",
        ));
        assert!(!served.iter().any(|d| d.code == "GW4029"), "{served:#?}");
    }

    #[test]
    fn the_plugin_answers_for_its_kind_only() {
        assert!(LiteLlm::check_file(&text("model_list: []\n")).is_ok());
        let mut other = text("{}");
        other.kind = "claude-settings".into();
        assert!(LiteLlm::check_file(&other).is_err());
        assert!(LiteLlm::file_schema("litellm").is_ok());
        assert!(LiteLlm::file_schema("other").is_err());
        let kinds = LiteLlm::manifest().file_kinds;
        assert_eq!(kinds.len(), 1);
        assert_eq!(kinds[0].id, "litellm");
        assert!(kinds[0].schema && kinds[0].markers.contains(&"model_list".to_owned()));
    }

    #[test]
    fn the_schema_is_valid_and_accepts_every_example_litellm_loads() {
        let schema = schema();
        assert!(jsonschema::meta::is_valid(&schema), "{schema}");
        let validator = jsonschema::validator_for(&schema).expect("compiles");
        const REFUSED: &[&str] = &[
            "enterprise_config.yaml",
            "langfuse_config.yaml",
            "multi_instance_simple_config.yaml",
            "otel_test_config.yaml",
            "spend_tracking_config.yaml",
            "proxy_config.yaml",
        ];
        let dir = corpus("litellm-examples");
        for entry in std::fs::read_dir(&dir).expect("reads") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if REFUSED.contains(&name.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("reads");
            let json = yaml::parse(&text)
                .expect("parses")
                .expect("a document")
                .to_json();
            let problems: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(problems.is_empty(), "{name}: {problems:#?}");
        }
        // What the checks call errors, the schema refuses.
        for (what, bad) in [
            (
                "no model",
                "model_list: [{model_name: a, litellm_params: {api_key: x}}]",
            ),
            (
                "rpm text",
                "model_list: [{model_name: a, litellm_params: {model: m, rpm: abc}}]",
            ),
            (
                "strategy",
                "router_settings: {routing_strategy: usage-based-routing-v3}",
            ),
            (
                "refused key",
                "router_settings: {health_check_interval: 30}",
            ),
            (
                "fallback shape",
                "router_settings: {fallbacks: [{a: [b], c: [d]}]}",
            ),
            ("public key", "general_settings: {master_key: sk-1234}"),
        ] {
            let json = yaml::parse(bad)
                .expect("parses")
                .expect("a document")
                .to_json();
            assert!(!validator.is_valid(&json), "{what}: {json}");
        }
    }

    /// Typed keys are known keys: the tables the schema and the rules read agree.
    #[test]
    fn every_typed_setting_is_a_known_one() {
        for section in [keys::GENERAL, keys::LITELLM, keys::PARAMS] {
            for field in section.typed {
                assert!(
                    (section.knows)(field.name),
                    "{}: {}",
                    section.path,
                    field.name
                );
            }
        }
    }

    /// 20,000 deployments and a 5,000-edge fallback chain: linear work, bounded suggestions.
    #[test]
    fn a_large_config_is_checked_in_one_pass() {
        let mut config = String::from("model_list:\n");
        for i in 0..20_000 {
            config.push_str(&format!(
                "  - model_name: g{}\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5\n      api_key: os.environ/ANTHROPIC_API_KEY\n      rpm: {i}\n      typo_{i}: 1\n",
                i % 10_000
            ));
        }
        config.push_str("router_settings:\n  fallbacks:\n");
        for i in 0..5_000 {
            config.push_str(&format!("    - g{i}: [g{}]\n", i + 1));
        }
        let started = std::time::Instant::now();
        let found = check(&text(&config));
        // Generous for a debug build on a loaded machine; release takes a few tens of milliseconds.
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
        assert_eq!(found.iter().filter(|d| d.code == "GW4011").count(), 20_000);
        assert!(!found.iter().any(|d| d.code == "GW4001"));
    }
}
