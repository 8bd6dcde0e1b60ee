//! The Zuplo plugin against the real tools that read its files, driving the built `gwscript`
//! binary and the plugin library beside it. Zuplo itself is a hosted service and cannot run here.
//!
//! Which tool checks which emitted file:
//! - `zuplo/config/routes.oas.json`: the OpenAPI validator `openapi-spec-validator` 0.9.0 (from
//!   `tests/peers/install.sh`, `target/peers/tools-venv`), plus `serde_json` for Zuplo's own
//!   `x-zuplo-route` extension, which OpenAPI leaves free.
//! - `zuplo/config/policies.json`: `serde_json`; every policy a route names is defined there and
//!   every defined policy is used, each with Zuplo's policy shape, and the upstream key is a
//!   `$env(NAME)` reference.
//! - `claude/settings.json`: Claude Code's settings schema (`tests/data/`) with `jsonschema`
//!   (`gwscript_tests::settings_schema`).
//! - `claude/env.sh`: `bash -n`, then sourced under `set -u` with and without the key variable
//!   (`gwscript_tests::shell`).
//! - The Claude Code side as a whole: the real Claude Code CLI (`claude -p`, from the peers) with
//!   only the emitted settings.json and env.sh (`gwscript_tests::claude`), against `gwscript mock
//!   anthropic` standing in for the Zuplo URL: the request path, the Bearer key and the model id
//!   it sends.
//! - Every output, `report.md` included: no secret value, though the secrets are set
//!   (`gwscript_tests::emit`).

use gwscript_tests::files::read_repo_file;
use gwscript_tests::mock::{credential_fingerprint, describe, find_messages_request, header};
use gwscript_tests::shell::{assert_bash_syntax, source_env_sh, sourced_env};
use gwscript_tests::{
    Emit, Emitted, MockProvider, Ran, SYSTEM_PATH, TOOL_TIMEOUT, assert_settings_schema_valid,
    claude, peers, run_tool,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Distinctive values for the secrets the recipes name: set while gwscript runs, so a value that
/// shows up in any output leaked.
const SECRETS: &[(&str, &str)] = &[
    ("ZUPLO_API_KEY", "zpka_leakcheck_7f3a9c"),
    ("ANTHROPIC_API_KEY", "sk-ant-leakcheck-zuplo-4b1e77"),
];

fn scripts_recipe() -> String {
    read_repo_file("scripts/zuplo.rhai")
}

/// `openapi-spec-validator` from the peers' tools venv on `file`.
fn validate_openapi(file: &Path) -> Ran {
    let mut command = Command::new(peers().tools_bin_dir.join("openapi-spec-validator"));
    command.arg(file).env_clear().env("PATH", SYSTEM_PATH);
    run_tool("openapi-spec-validator", command, TOOL_TIMEOUT)
}

#[test]
fn routes_oas_json_is_valid_openapi_and_forwards_to_anthropic() {
    let run = Emitted::run(&scripts_recipe(), SECRETS);
    let validated = validate_openapi(&run.out("zuplo/config/routes.oas.json"));
    let output = validated.output();
    assert!(
        validated.success(),
        "openapi-spec-validator refused routes.oas.json:\n{output}"
    );
    assert!(output.contains("OK"), "{output}");

    // The validator does check: the same file without its required `info` is refused.
    let mut broken = run.json("zuplo/config/routes.oas.json");
    broken.as_object_mut().expect("an object").remove("info");
    let broken_file = run.dir().join("broken.oas.json");
    std::fs::write(&broken_file, broken.to_string()).expect("write");
    let refused = validate_openapi(&broken_file);
    assert!(
        !refused.success(),
        "the validator accepted a document without info:\n{}",
        refused.output()
    );

    let spec = run.json("zuplo/config/routes.oas.json");
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().expect("paths");
    assert_eq!(
        paths.keys().map(String::as_str).collect::<Vec<_>>(),
        ["/v1/messages", "/v1/messages/count_tokens"]
    );
    for (path, item) in paths {
        assert_eq!(
            item.as_object().map(|o| o.len()),
            Some(1),
            "{path}: POST only"
        );
        let route = &item["post"]["x-zuplo-route"];
        assert_eq!(route["handler"]["export"], "urlForwardHandler", "{path}");
        assert_eq!(
            route["handler"]["module"], "$import(@zuplo/runtime)",
            "{path}"
        );
        assert_eq!(
            route["handler"]["options"],
            serde_json::json!({ "baseUrl": "https://api.anthropic.com" }),
            "{path}: nothing but the base URL, so the body streams through untouched"
        );
    }
}

#[test]
fn every_policy_a_route_names_is_defined_once_and_used() {
    let run = Emitted::run(&scripts_recipe(), SECRETS);
    let spec = run.json("zuplo/config/routes.oas.json");
    let policies = run.json("zuplo/config/policies.json");
    let entries = policies["policies"].as_array().expect("a policies list");

    let mut defined = BTreeSet::new();
    for entry in entries {
        let name = entry["name"].as_str().expect("a name");
        assert!(defined.insert(name), "policy {name} defined twice");
        assert!(
            entry["policyType"]
                .as_str()
                .is_some_and(|t| t.ends_with("-inbound"))
        );
        assert_eq!(
            entry["handler"]["module"], "$import(@zuplo/runtime)",
            "{name}"
        );
        assert!(entry["handler"]["export"].is_string(), "{name}");
        assert!(entry["handler"]["options"].is_object(), "{name}");
    }
    let mut referenced = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        let inbound = item["post"]["x-zuplo-route"]["policies"]["inbound"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} has no inbound policies"));
        for name in inbound {
            let name = name.as_str().expect("a policy name");
            assert!(
                defined.contains(name),
                "{path} names undefined policy {name}"
            );
            referenced.insert(name);
        }
        // Authenticate first; the upstream key is added last, after Claude Code's key is dropped.
        assert_eq!(
            inbound.first().and_then(Value::as_str),
            Some("claude-code-api-key")
        );
        assert_eq!(
            inbound.last().and_then(Value::as_str),
            Some("anthropic-upstream-key")
        );
    }
    assert_eq!(referenced, defined, "a defined policy is never used");

    let by_type = |policy_type: &str| {
        entries
            .iter()
            .find(|e| e["policyType"] == policy_type)
            .unwrap_or_else(|| panic!("no {policy_type} policy"))
    };
    assert_eq!(
        by_type("rate-limit-inbound")["handler"]["options"],
        serde_json::json!({ "rateLimitBy": "user", "requestsAllowed": 120, "timeWindowMinutes": 1 })
    );
    assert_eq!(
        by_type("set-headers-inbound")["handler"]["options"]["headers"],
        serde_json::json!([{ "name": "x-api-key", "value": "$env(ANTHROPIC_API_KEY)", "overwrite": true }])
    );
    assert_eq!(
        by_type("remove-headers-inbound")["handler"]["options"]["names"],
        serde_json::json!(["authorization"])
    );
    assert_eq!(
        by_type("api-key-inbound")["handler"]["options"]["allowUnauthenticatedRequests"],
        false
    );
}

#[test]
fn claude_code_files_pass_the_schema_and_the_shell() {
    let run = Emitted::run(&scripts_recipe(), SECRETS);
    let settings = run.settings();
    assert_settings_schema_valid(&settings);
    let env = &settings["env"];
    assert_eq!(
        env["ANTHROPIC_BASE_URL"],
        "https://claude-code-main-1a2b3c.zuplo.app"
    );
    assert_eq!(env["ANTHROPIC_MODEL"], "claude-sonnet-4-5");
    assert!(
        env.get("ANTHROPIC_AUTH_TOKEN").is_none(),
        "a credential in settings.json"
    );

    let env_sh = run.out("claude/env.sh");
    assert_bash_syntax(&env_sh);
    let stray_key = ("ANTHROPIC_API_KEY", "must-be-unset");
    let exported = sourced_env(&env_sh, &[("ZUPLO_API_KEY", "zpka_test_key"), stray_key]);
    let variable = |name: &str| exported.get(name).map(String::as_str);
    assert_eq!(
        variable("ANTHROPIC_BASE_URL"),
        Some("https://claude-code-main-1a2b3c.zuplo.app")
    );
    assert_eq!(variable("ANTHROPIC_AUTH_TOKEN"), Some("zpka_test_key"));
    assert_eq!(variable("ANTHROPIC_API_KEY"), None, "env.sh unsets it");
    let refused = source_env_sh(&env_sh, &[stray_key]);
    let output = refused.output();
    assert!(
        !refused.success(),
        "env.sh sourced without its key variable: {output}"
    );
    assert!(output.contains("ZUPLO_API_KEY"), "{output}");

    let report = run.read("report.md");
    for expected in [
        "THIRD-PARTY NOTICE",
        "npm install -g zuplo",
        "zuplo deploy --project 'claude-code'",
        "$env(ANTHROPIC_API_KEY)",
        "/__zuplo/ping",
    ] {
        assert!(report.contains(expected), "report.md lacks {expected:?}");
    }
}

#[test]
fn the_ai_gateway_writes_no_zuplo_files_and_reports_the_portal_steps() {
    let recipe = r#"
let gw = gateway("zuplo", #{
    url: "https://acme-ai.zuplo.app",
    product: "ai-gateway",
    usage_limits: [
        #{ scope: "gateway", kind: "cost", period: "monthly", limit: 5000 },
        #{ scope: "team", name: "platform", kind: "cost", period: "monthly", limit: 1000 },
        #{ scope: "app", name: "claude-code", team: "platform", kind: "tokens", period: "daily", limit: 2000000 },
    ],
});
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("ZUPLO_API_KEY") }));
"#;
    let run = Emitted::run(recipe, SECRETS);
    assert!(
        !run.out("zuplo").exists(),
        "AI Gateway setups have no Zuplo files"
    );
    let report = run.read("report.md");
    for expected in [
        "Portal step 2 of 4: Teams > the root team (the whole gateway) > Usage & Limits: monthly cost $5000 (USD), enforce.",
        "Teams > Create Team `platform`, then its Usage & Limits: monthly cost $1000 (USD), enforce.",
        "Apps > Create App `claude-code` owned by team `platform`",
    ] {
        assert!(
            report.contains(expected),
            "report.md lacks {expected:?}\n{report}"
        );
    }
    assert_eq!(
        run.settings()["env"]["ANTHROPIC_BASE_URL"],
        "https://acme-ai.zuplo.app"
    );
}

#[test]
fn gw4209_a_child_limit_above_its_parent_stops_the_run() {
    let recipe = r#"
let gw = gateway("zuplo", #{
    url: "https://acme-ai.zuplo.app",
    product: "ai-gateway",
    usage_limits: [
        #{ scope: "team", name: "platform", kind: "cost", period: "monthly", limit: 100 },
        #{ scope: "app", name: "claude-code", team: "platform", kind: "cost", period: "monthly", limit: 250 },
    ],
});
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("ZUPLO_API_KEY") }));
"#;
    let run = Emit::new(recipe).secrets(SECRETS).attempt();
    let stderr = &run.stderr;
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[GW4209]: app `claude-code` monthly limit of $250 (USD) exceeds team `platform`"
        ),
        "{stderr}"
    );
    assert!(
        !run.out("claude").exists(),
        "nothing is written when a check fails"
    );
}

#[test]
fn claude_code_sends_the_bearer_key_and_model_to_the_zuplo_url() {
    const REPLY: &str = "Hello from the gwscript mock, standing in for Zuplo.";
    const CLIENT_KEY: &str = "zpka_gwscript_e2e_claude_code";
    let mut mock = MockProvider::start(REPLY);

    // The example recipe, with the mock's URL as the Zuplo project URL.
    let recipe = scripts_recipe().replace("https://claude-code-main-1a2b3c.zuplo.app", &mock.url);
    assert!(
        recipe.contains(&mock.url),
        "the recipe's url was not replaced"
    );
    let run = Emitted::run(&recipe, SECRETS);
    let settings = run.settings();
    let model = settings["env"]["ANTHROPIC_MODEL"]
        .as_str()
        .expect("a model")
        .to_owned();

    // Claude Code with only what the recipe emitted: settings.json as the user settings (the
    // recipe's scope) in an isolated HOME, env.sh sourced, run from an empty project directory.
    let reply = claude::through_emitted(&run, &[("ZUPLO_API_KEY", CLIENT_KEY)])
        .unwrap_or_else(|claude| panic!("{claude}\n{}", mock.diagnostics()));
    assert!(reply.stdout.contains(REPLY), "reply: {}", reply.stdout);

    let records = mock.records();
    let Some(sent) = find_messages_request(&records, "claude-cli/") else {
        panic!(
            "no POST /v1/messages reached the Zuplo URL\n{}",
            mock.diagnostics()
        );
    };
    println!("claude sent: {}", describe(sent));
    assert_eq!(
        sent["path"], "/v1/messages",
        "Claude Code appends /v1/messages to the Zuplo URL"
    );
    assert_eq!(
        header(sent, "authorization"),
        Some(format!("Bearer {}", credential_fingerprint(CLIENT_KEY)).as_str()),
        "api-key-inbound reads the consumer key from Authorization: Bearer"
    );
    assert_eq!(
        header(sent, "x-api-key"),
        None,
        "env.sh unsets ANTHROPIC_API_KEY"
    );
    assert_eq!(
        sent["body"]["model"],
        model.as_str(),
        "the model id Zuplo forwards unchanged"
    );
    assert_eq!(model, "claude-sonnet-4-5");
    assert!(
        header(sent, "anthropic-version").is_some() && header(sent, "anthropic-beta").is_some(),
        "the headers the route must pass through are sent"
    );
}
