//! The TrueFoundry plugin through the real `gwscript` binary, every emitted file checked by the
//! tool that reads it:
//!
//! - `truefoundry/*.yaml`: every YAML document parsed (serde_norway), then validated by
//!   TrueFoundry's own manifest models, truefoundry-sdk 0.6.0 (pydantic; its venv comes from
//!   `tests/peers/install.sh`), chosen by the document's `type`. Those models accept unknown
//!   fields, so the validator also walks each parsed model and refuses any field it does not
//!   declare (only the configs' documented `name` is allowed). `tfy apply` itself cannot check the
//!   files offline: the truefoundry 0.17.5 CLI checks only `type` and `name` locally and sends the
//!   rest to a TrueFoundry control plane, which needs a tenant and credentials.
//! - `claude/settings.json`: the vendored SchemaStore schema (`jsonschema`, through
//!   `gwscript_tests::settings_schema`).
//! - `claude/env.sh`: `bash -n`, then sourced under `set -u` (`gwscript_tests::shell`): it refuses
//!   to run without the key and exports the Bearer key and the `<account>/<model>` names with it.
//! - `report.md`: the `tfy apply` command it prints, run by bash against a stub `tfy`, names
//!   exactly the emitted manifests, accounts first.
//!
//! - Every output: no secret value, though the secrets are set (`gwscript_tests::emit`).
//!
//! And the real Claude Code (`claude -p`, through `gwscript_tests::claude`) with only the emitted
//! settings.json and env.sh, against
//! `gwscript mock anthropic` standing in for the gateway URL (TrueFoundry itself cannot run here):
//! the request goes to `/v1/messages` under the base URL with `Authorization: Bearer <key>` and
//! the TrueFoundry model id. Everything listens on 127.0.0.1; no cloud credential is used.

use gwscript_tests::files::{read_repo_file, read_text};
use gwscript_tests::mock::{credential_fingerprint, find_messages_request, header};
use gwscript_tests::shell::{assert_bash_syntax, source_env_sh, sourced_env};
use gwscript_tests::tool::run_tool_with_input;
use gwscript_tests::{
    Emit, Emitted, MockProvider, Ran, TOOL_TIMEOUT, assert_settings_schema_valid, claude, peers,
    run_tool,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const RECIPE: &str = "scripts/truefoundry.rhai";
/// Distinctive values for the secrets the recipes name: set while gwscript runs, so a value that
/// shows up in any output leaked.
const SECRETS: &[(&str, &str)] = &[
    ("TFY_API_KEY", "tfy-leakcheck-5e21c9"),
    ("ANTHROPIC_API_KEY", "sk-ant-leakcheck-truefoundry-8a0d"),
];
const MANIFESTS: [&str; 4] = [
    "truefoundry/provider-accounts.yaml",
    "truefoundry/load-balancing.yaml",
    "truefoundry/rate-limiting.yaml",
    "truefoundry/budgets.yaml",
];

/// Validates manifests given on stdin as `[{"where": …, "doc": {…}}]` with truefoundry-sdk's
/// models; prints one line per document and exits 1 if any is refused.
const VALIDATOR: &str = r#"
import json, sys
import pydantic
from truefoundry_sdk.types.anthropic_provider_account import AnthropicProviderAccount
from truefoundry_sdk.types.aws_bedrock_provider_account import AwsBedrockProviderAccount
from truefoundry_sdk.types.google_vertex_provider_account import GoogleVertexProviderAccount
from truefoundry_sdk.types.load_balancing_config import LoadBalancingConfig
from truefoundry_sdk.types.rate_limit_config import RateLimitConfig
from truefoundry_sdk.types.budget_config import BudgetConfig

MODELS = {
    "provider-account/anthropic": AnthropicProviderAccount,
    "provider-account/aws-bedrock": AwsBedrockProviderAccount,
    "provider-account/google-vertex": GoogleVertexProviderAccount,
    "gateway-load-balancing-config": LoadBalancingConfig,
    "gateway-rate-limiting-config": RateLimitConfig,
    "gateway-budget-config": BudgetConfig,
}
# TrueFoundry's docs give every gateway config a `name` (used in logs); the 0.6.0 models omit it.
ROOT_EXTRAS = {"gateway-load-balancing-config", "gateway-rate-limiting-config", "gateway-budget-config"}

def extras(value, path):
    if isinstance(value, pydantic.BaseModel):
        found = [f"{path}.{key}" for key in (value.model_extra or {})]
        for name in type(value).model_fields:
            found += extras(getattr(value, name), f"{path}.{name}")
        return found
    if isinstance(value, list):
        return [e for i, item in enumerate(value) for e in extras(item, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [e for key, item in value.items() for e in extras(item, f"{path}.{key}")]
    return []

failed = False
for entry in json.load(sys.stdin):
    where, doc = entry["where"], entry["doc"]
    model = MODELS.get(doc.get("type") if isinstance(doc, dict) else None)
    if model is None:
        print(f"FAIL {where}: no truefoundry-sdk model for type {doc.get('type')!r}")
        failed = True
        continue
    try:
        parsed = model.model_validate(doc)
    except pydantic.ValidationError as error:
        print(f"FAIL {where}: {error}")
        failed = True
        continue
    unknown = extras(parsed, "$")
    if doc["type"] in ROOT_EXTRAS:
        unknown = [path for path in unknown if path != "$.name"]
    if unknown:
        print(f"FAIL {where}: fields {model.__name__} does not declare: {unknown}")
        failed = True
    else:
        print(f"ok {where}: {model.__name__}")
sys.exit(1 if failed else 0)
"#;

fn emit_recipe() -> Emitted {
    Emitted::run(&read_repo_file(RECIPE), SECRETS)
}

/// Every YAML document of a file, as JSON. (`singleton_map::deserialize` is
/// `Value::deserialize` for one document without naming serde's trait, which this crate does not
/// depend on: its wrapper only changes how enums read, and `Value` has none.)
fn documents(path: &Path) -> Vec<Value> {
    let text = read_text(path);
    serde_norway::Deserializer::from_str(&text)
        .map(|document| {
            serde_norway::with::singleton_map::deserialize::<Value, _>(document)
                .unwrap_or_else(|e| panic!("{} is not YAML: {e}\n{text}", path.display()))
        })
        .collect()
}

/// truefoundry-sdk's verdict on `(where, document)` pairs.
fn validate(documents: &[(String, Value)]) -> Ran {
    let input: Vec<Value> = documents
        .iter()
        .map(|(place, doc)| json!({ "where": place, "doc": doc }))
        .collect();
    let mut command = Command::new(peers().truefoundry_bin_dir.join("python"));
    command.args(["-c", VALIDATOR]).env_clear();
    run_tool_with_input(
        "the truefoundry-sdk validator",
        command,
        Value::from(input).to_string().as_bytes(),
        TOOL_TIMEOUT,
    )
}

/// Every document of every emitted manifest, labelled `file#index`.
fn emitted_documents(emitted: &Emitted) -> Vec<(String, Value)> {
    MANIFESTS
        .iter()
        .flat_map(|file| {
            documents(&emitted.out(file))
                .into_iter()
                .enumerate()
                .map(move |(i, doc)| (format!("{file}#{i}"), doc))
        })
        .collect()
}

#[test]
fn truefoundrys_models_accept_every_emitted_manifest() {
    let emitted = emit_recipe();
    let documents = emitted_documents(&emitted);
    let types: Vec<&str> = documents
        .iter()
        .map(|(_, doc)| doc["type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        types,
        [
            "provider-account/anthropic",
            "provider-account/aws-bedrock",
            "gateway-load-balancing-config",
            "gateway-rate-limiting-config",
            "gateway-budget-config",
        ]
    );
    let validated = validate(&documents);
    let verdict = validated.output();
    assert!(
        validated.success(),
        "truefoundry-sdk refused a manifest:\n{verdict}"
    );
    let accepted = verdict
        .lines()
        .filter(|line| line.starts_with("ok "))
        .count();
    assert_eq!(accepted, documents.len(), "{verdict}");
}

/// The validator is not a rubber stamp: what TrueFoundry's models refuse, it refuses.
#[test]
fn the_validator_refuses_broken_manifests() {
    let emitted = emit_recipe();
    let documents = emitted_documents(&emitted);
    let find = |kind: &str| {
        documents
            .iter()
            .find(|(_, doc)| doc["type"] == kind)
            .unwrap_or_else(|| panic!("no {kind} document"))
            .clone()
    };
    let mut no_region = find("provider-account/aws-bedrock");
    no_region.1.as_object_mut().unwrap().remove("region");
    let mut weight_in_priority = find("gateway-load-balancing-config");
    weight_in_priority.1["rules"][0]["load_balance_targets"][0]["weight"] = json!(50);
    let mut bad_unit = find("gateway-rate-limiting-config");
    bad_unit.1["rules"][0]["limit_to"] = json!("sixty");
    let mut unknown_type = find("provider-account/anthropic");
    unknown_type.1["type"] = json!("provider-account/anthropic-messages");
    for broken in [no_region, weight_in_priority, bad_unit, unknown_type] {
        let refused = validate(std::slice::from_ref(&broken));
        let verdict = refused.output();
        assert!(
            !refused.success() && verdict.starts_with("FAIL "),
            "accepted {}: {verdict}",
            broken.1
        );
    }
}

/// The manifests agree with each other and with Claude Code's side: every model the rules and
/// Claude Code name is an integration of an emitted account, and credentials are references.
#[test]
fn rules_and_claude_code_name_only_models_the_accounts_serve() {
    let emitted = emit_recipe();
    let accounts = documents(&emitted.out(MANIFESTS[0]));
    let served: BTreeSet<String> = accounts
        .iter()
        .flat_map(|account| {
            let name = account["name"].as_str().unwrap_or_default().to_owned();
            account["integrations"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |model| format!("{name}/{}", model["name"].as_str().unwrap_or_default()))
        })
        .collect();
    let mut named: Vec<String> = Vec::new();
    for config in &MANIFESTS[1..] {
        for doc in documents(&emitted.out(config)) {
            for rule in doc["rules"].as_array().into_iter().flatten() {
                let models = rule["when"]["models"].as_array().into_iter().flatten();
                let targets = rule["load_balance_targets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| &t["target"]);
                named.extend(
                    models
                        .chain(targets)
                        .filter_map(|v| v.as_str().map(str::to_owned)),
                );
            }
        }
    }
    let env = emitted.settings_env();
    for variable in [
        "ANTHROPIC_MODEL",
        "ANTHROPIC_DEFAULT_HAIKU_MODEL",
        "ANTHROPIC_DEFAULT_SONNET_MODEL",
        "ANTHROPIC_DEFAULT_OPUS_MODEL",
    ] {
        let model = env[variable]
            .as_str()
            .unwrap_or_else(|| panic!("{variable} is not set"));
        named.push(model.to_owned());
    }
    assert!(named.len() > 8, "{named:?}");
    for model in &named {
        assert!(
            served.contains(model),
            "{model} is not served; served: {served:?}"
        );
    }
    for account in &accounts {
        for (field, value) in account["auth_data"].as_object().into_iter().flatten() {
            if [
                "api_key",
                "access_key_id",
                "secret_access_key",
                "key_file_content",
            ]
            .contains(&field.as_str())
            {
                assert!(
                    value
                        .as_str()
                        .is_some_and(|v| v.starts_with("tfy-secret://")),
                    "{field}: {value}"
                );
            }
        }
    }
}

#[test]
fn claude_settings_match_the_schema_and_env_sh_sources_under_set_u() {
    let emitted = emit_recipe();
    let settings = emitted.settings();
    assert_settings_schema_valid(&settings);
    assert!(
        !settings.to_string().contains("AUTH_TOKEN"),
        "the key reference stays out of settings.json: {settings}"
    );

    let env_sh = emitted.out("claude/env.sh");
    assert_bash_syntax(&env_sh);

    let without_key = source_env_sh(&env_sh, &[]);
    let text = without_key.output();
    assert!(
        !without_key.success() && text.contains("TFY_API_KEY"),
        "env.sh ran without its key: {text}"
    );

    let exported = sourced_env(
        &env_sh,
        &[
            ("TFY_API_KEY", "tfy-test-key"),
            ("ANTHROPIC_API_KEY", "sk-ant-must-be-unset"),
        ],
    );
    let variable = |name: &str| exported.get(name).map(String::as_str);
    assert_eq!(
        [
            "ANTHROPIC_BASE_URL",
            "ANTHROPIC_AUTH_TOKEN",
            "ANTHROPIC_MODEL",
            "ANTHROPIC_API_KEY"
        ]
        .map(variable),
        [
            Some("https://gateway.truefoundry.ai"),
            Some("tfy-test-key"),
            Some("anthropic-main/claude-sonnet-4-6"),
            None
        ]
    );
}

#[test]
fn the_reports_apply_command_names_exactly_the_emitted_manifests() {
    let emitted = emit_recipe();
    let report = emitted.read("report.md");
    let apply = report
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("tfy apply -f "))
        .unwrap_or_else(|| panic!("no tfy apply command in report.md:\n{report}"));
    // A stub `tfy` prints its arguments, one per line: the command's words as bash reads them.
    let script = format!("tfy() {{ printf '%s\\n' \"$@\"; }}\n{apply}");
    let mut command = Command::new("bash");
    command.args(["-c", &script]).env_clear();
    let ran = run_tool("the report's apply command", command, TOOL_TIMEOUT);
    let words = ran.output();
    assert!(ran.success(), "{apply}: {words}");
    let files: Vec<&str> = words.lines().skip(1).filter(|word| *word != "-f").collect();
    assert_eq!(files, MANIFESTS, "{apply}");
    for file in files {
        assert!(
            emitted.out(file).is_file(),
            "{file} is applied but not written"
        );
    }
    assert!(
        report.contains("pip install 'truefoundry==0.17.5'"),
        "{report}"
    );
}

/// Checks run in the loaded plugin: a recipe TrueFoundry cannot serve stops with its codes and
/// writes nothing.
#[test]
fn gw4101_and_gw4103_stop_the_run() {
    let refused = Emit::new(
        r#"let gw = gateway("truefoundry", #{ url: "https://gateway.truefoundry.ai", secret_group: "acme:keys" });
gw.deploy("claude-sonnet-4-6", provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }));
gw.deploy("openai-main/gpt-4o", provider("raw", #{ model: "openai/gpt-4o" }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("TFY_API_KEY") }));
"#,
    )
    .secrets(SECRETS)
    .attempt();
    let stderr = &refused.stderr;
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    for code in ["error[GW4103]", "error[GW4101]"] {
        assert!(stderr.contains(code), "{code} missing:\n{stderr}");
    }
    assert!(
        !refused.out_dir().exists(),
        "nothing is written after an error"
    );
}

#[test]
fn claude_code_sends_the_truefoundry_model_with_the_bearer_key() {
    const REPLY: &str = "Hello from the gwscript mock, standing in for TrueFoundry.";
    const MODEL: &str = "anthropic-main/claude-sonnet-4-6";
    let key = format!("tfy-e2e-{}", std::process::id());
    let mut mock = MockProvider::start(REPLY);

    let emitted = Emitted::run(
        &format!(
            r#"let gw = gateway("truefoundry", #{{ url: "{url}", secret_group: "acme:keys" }});
gw.deploy("{MODEL}", provider("anthropic", #{{ model: "claude-sonnet-4-6", api_key: secret("ANTHROPIC_API_KEY") }}));
emit(pattern("gateway", #{{ gateway: gw, scope: "user", auth_token: secret("TFY_API_KEY"), disable_nonessential_traffic: true }}));
"#,
            url = mock.url
        ),
        SECRETS,
    );

    // Only what the recipe emitted: settings.json as the user settings, env.sh sourced under
    // set -u, from an empty project directory.
    let reply = claude::through_emitted(&emitted, &[("TFY_API_KEY", &key)])
        .unwrap_or_else(|claude| panic!("{claude}\n{}", mock.diagnostics()));
    assert!(reply.stdout.contains(REPLY), "reply: {}", reply.stdout);

    let records = mock.records();
    let request = find_messages_request(&records, "claude-cli/")
        .unwrap_or_else(|| panic!("no /v1/messages from Claude Code\n{}", mock.diagnostics()));
    assert_eq!(
        request["path"], "/v1/messages",
        "under the base URL, not a prefix"
    );
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Bearer {}", credential_fingerprint(&key)).as_str()),
        "the TrueFoundry key as Bearer"
    );
    assert_eq!(header(request, "x-api-key"), None, "no second credential");
    assert_eq!(request["body"]["model"], MODEL, "the TrueFoundry model id");
}

/// A recipe of `groups` groups of two deployments (Anthropic, then Bedrock), each falling back to
/// the next one unless its index is a multiple of `chain`: fallback chains of `chain` groups.
fn chained_groups(groups: usize, chain: usize) -> String {
    format!(
        r#"let gw = gateway("truefoundry", #{{ url: "https://gateway.truefoundry.ai", secret_group: "acme:keys" }});
for i in 0..{groups} {{
    let group = "anthropic-main/claude-team" + i;
    gw.deploy(group, provider("anthropic", #{{ model: "claude-sonnet-4-6", api_key: secret("ANTHROPIC_API_KEY") }}), #{{ order: 1 }});
    gw.deploy(group, provider("bedrock", #{{ account: "bedrock-main", region: "us-east-1", aws_role_arn: "arn:aws:iam::123456789012:role/tfy", model: "us.anthropic.claude-sonnet-4-6" }}), #{{ order: 2 }});
    if i % {chain} != 0 {{
        gw.fallback("anthropic-main/claude-team" + (i - 1), [group]);
    }}
}}
emit(pattern("gateway", #{{ gateway: gw, model: "anthropic-main/claude-team0", auth_token: secret("TFY_API_KEY") }}));
"#
    )
}

/// Every group's rule flattens its fallback chain, so one chain through 400 groups would write
/// 160,000 targets: GW4119 refuses it. Chains of 50 groups of two (98 fallback targets after the
/// first group's own 2) are within the bound and render. (The recipe's one-second budget keeps
/// the gateways small in a debug build; the bound's speed at scale is timed in the unit tests.)
#[test]
fn gw4119_refuses_a_long_fallback_chain_and_short_chains_render() {
    let refused = Emit::new(&chained_groups(400, 400))
        .secrets(SECRETS)
        .attempt();
    let stderr = &refused.stderr;
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[GW4119]") && stderr.contains("`anthropic-main/claude-team0`"),
        "{}",
        &stderr[..stderr.len().min(2_000)]
    );

    let rendered = Emit::new(&chained_groups(200, 50)).secrets(SECRETS).run();
    let rules = documents(&rendered.out("truefoundry/load-balancing.yaml"))[0]["rules"].clone();
    let rules = rules.as_array().expect("rules");
    assert_eq!(rules.len(), 200);
    let first = &rules[0];
    assert_eq!(first["id"], "route-anthropic-main-claude-team0");
    assert_eq!(
        first["load_balance_targets"].as_array().map(Vec::len),
        Some(100)
    );
}
