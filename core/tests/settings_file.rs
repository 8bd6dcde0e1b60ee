//! One rule set, two inputs: a recipe's `env` and a hand-written settings file holding the same
//! variables get the same verdict (GW5001 and GW1024 ↔ GW5015, GW5009 ↔ GW5016, GW5031 ↔ GW5031),
//! and the settings gwscript emits for every pattern, endpoint and scope pass the settings-file
//! check, alone and together with the environment their `env.sh` exports.

use gwscript::client::settings_file::{self, SettingsCheck, SettingsScope};
use gwscript::client::{EnvValue, client_env, client_files, env_findings};
use gwscript::script::{Limits, run};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Endpoint;
use serde_json::{Map, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every code a recipe gets: from the run itself, or the client checks on its setup.
fn recipe_codes(source: &str) -> BTreeSet<String> {
    let setup = match run(source, None, Limits::default()) {
        Ok(setup) => setup,
        Err(found) => return found.into_iter().map(|d| d.code).collect(),
    };
    let env = client_env(&setup, None, &[]).expect("builds");
    gwscript::client::check(&setup, None)
        .into_iter()
        .chain(env_findings(&setup, None, &[], &env))
        .map(|d| d.code)
        .collect()
}

/// The findings on `text` as the project's `.claude/settings.json`, or (`emitted`) as the
/// `out/claude/settings.json` that `gwscript run` writes.
fn file_findings(
    text: &str,
    scope: SettingsScope,
    environment: Option<&BTreeMap<String, String>>,
    emitted: bool,
) -> Vec<Diagnostic> {
    let dir = Path::new(if emitted { "out/claude" } else { ".claude" });
    let path = dir.join("settings.json");
    settings_file::check(&SettingsCheck {
        path: path.to_str().expect("UTF-8"),
        text,
        scope,
        environment,
        base_dir: dir,
    })
}

#[test]
fn a_recipes_env_and_a_settings_files_env_get_the_same_verdict() {
    // (variable, value, the recipe's code, the file's code)
    let cases = [
        ("MY_SERVICE_TOKEN", "abc", Some("GW5001"), Some("GW5015")),
        (
            "ANTHROPIC_CUSTOM_HEADERS",
            "Authorization: Bearer abc",
            Some("GW5001"),
            Some("GW5015"),
        ),
        (
            "HTTPS_PROXY",
            "http://user:pw@proxy.corp.example:3128",
            Some("GW1024"),
            Some("GW5015"),
        ),
        (
            "ANTHROPIC_BASE_URL",
            "https://llm.corp.example",
            Some("GW5009"),
            Some("GW5016"),
        ),
        (
            "CLAUDE_CODE_USE_VERTEX",
            "1",
            Some("GW5009"),
            Some("GW5016"),
        ),
        (
            "GOOGLE_APPLICATION_CREDENTIALS",
            "/etc/gcp/claude.json",
            None,
            None,
        ),
        (
            "ANTHROPIC_BEDROCK_BASE_URL",
            "https://bedrock.vpce.example",
            None,
            None,
        ),
        ("DISABLE_AUTOUPDATER", "1", None, None),
        // A header line Claude Code cannot send, and one that replaces its own beta list.
        (
            "ANTHROPIC_CUSTOM_HEADERS",
            "x-team a",
            Some("GW5031"),
            Some("GW5031"),
        ),
        (
            "ANTHROPIC_CUSTOM_HEADERS",
            "x-team: a\nanthropic-beta: files-api-2025-04-14",
            Some("GW5031"),
            Some("GW5031"),
        ),
        ("ANTHROPIC_CUSTOM_HEADERS", "x-team: a", None, None),
    ];
    for (name, value, in_recipe, in_file) in cases {
        let recipe = format!(
            "emit(pattern(\"direct\", #{{ provider: provider(\"bedrock\", #{{ region: \"us-east-1\" }}), env: #{{ {name}: {value:?} }} }}));"
        );
        let recipe_found = recipe_codes(&recipe);
        assert_eq!(
            recipe_found,
            in_recipe.into_iter().map(str::to_owned).collect(),
            "{name} in a recipe"
        );
        let text = json!({ "env": {
            "CLAUDE_CODE_USE_BEDROCK": "1",
            "AWS_REGION": "us-east-1",
            name: value,
        }})
        .to_string();
        let file_found: BTreeSet<String> =
            file_findings(&text, SettingsScope::Project, None, false)
                .into_iter()
                .map(|d| d.code)
                .collect();
        assert_eq!(
            file_found,
            in_file.into_iter().map(str::to_owned).collect(),
            "{name} in a settings file"
        );
    }
}

/// Recipes for every pattern and endpoint the client side emits without a plugin of its own (the
/// gateway ones use the SDK's test manifest, which serves every endpoint).
const RECIPES: &[&str] = &[
    r#"emit(pattern("direct", #{ provider: provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }), SCOPE }));"#,
    r#"emit(pattern("direct", #{ provider: provider("bedrock", #{ region: "eu-central-1" }), model: "claude-sonnet-4-5", SCOPE }));"#,
    r#"emit(pattern("direct", #{ provider: provider("vertex", #{ project: "p", region: "us-east5" }), SCOPE }));"#,
    r#"emit(pattern("proxy", #{ provider: provider("anthropic", #{ api_key: secret("ANTHROPIC_API_KEY") }),
        proxy: #{ url: "http://proxy.corp.example:3128", no_proxy: ["localhost"], ca_cert: "/etc/ssl/corp.pem" }, SCOPE }));"#,
    r#"let gw = gateway("kong", #{ url: "http://127.0.0.1:4000" });
        gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("A") }));
        emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K"), disable_nonessential_traffic: true, SCOPE }));"#,
    r#"let gw = gateway("kong", #{ url: "https://llm.corp.example" });
        gw.deploy("claude-sonnet-4-5", provider("bedrock", #{ region: "us-east-1" }));
        emit(pattern("gateway", #{ gateway: gw, endpoint: "bedrock", auth_token: secret("K"), SCOPE }));"#,
    r#"let gw = gateway("kong", #{ url: "https://llm.corp.example" });
        gw.deploy("claude-sonnet-4-5", provider("vertex", #{ project: "p", location: "us-east5" }));
        emit(pattern("gateway", #{ gateway: gw, endpoint: "vertex", api_key_helper: #{ command: "vault kv get -field=key secret/claude" }, SCOPE }));"#,
    r#"let gw = gateway("kong", #{ url: "http://10.0.0.8:4000" });
        gw.deploy("claude-sonnet-4-5", provider("anthropic", #{ api_key: secret("A") }));
        emit(pattern("proxy+gateway", #{ gateway: gw, auth_token: secret("K"),
            proxy: #{ url: "http://proxy.corp.example:3128", no_proxy: ["localhost", "10.0.0.8"] }, SCOPE }));"#,
];

#[test]
fn the_settings_gwscript_emits_pass_alone_and_with_the_environment_env_sh_exports() {
    let mut manifest = gwscript_plugin::testing::manifest("kong");
    manifest.client.endpoints = [
        (Endpoint::Unified, String::new()),
        (Endpoint::Bedrock, "/bedrock".to_owned()),
        (Endpoint::Vertex, "/vertex_ai/v1".to_owned()),
    ]
    .into();
    for recipe in RECIPES {
        for scope in ["user", "project", "local", "managed"] {
            let source = recipe.replace("SCOPE", &format!("scope: \"{scope}\""));
            let setup = run(&source, None, Limits::default()).unwrap_or_else(|d| panic!("{d:#?}"));
            let manifest = setup.gateway.as_ref().map(|_| &manifest);
            let vars = client_env(&setup, manifest, &[]).expect("builds");
            let settings = client_files(&setup, &vars, Map::new()).settings;
            let text = serde_json::to_string_pretty(&settings).expect("JSON");
            let scope = SettingsScope::from(setup.client.scope);
            let alone = file_findings(&text, scope, None, true);
            assert!(alone.is_empty(), "{source}\n{text}\n{alone:#?}");
            // What sourcing env.sh exports: every secret has a value, unset variables are gone.
            let exported: BTreeMap<String, String> = vars
                .iter()
                .filter_map(|var| {
                    let value = match &var.value {
                        EnvValue::Literal(value) => value.clone(),
                        EnvValue::Secret(_) => "secret-value".to_owned(),
                        EnvValue::Template(_) => {
                            "http://user:pw@proxy.corp.example:3128".to_owned()
                        }
                        EnvValue::Unset => return None,
                    };
                    Some((var.name.clone(), value))
                })
                .collect();
            let with_shell = file_findings(&text, scope, Some(&exported), true);
            assert!(with_shell.is_empty(), "{source}\n{text}\n{with_shell:#?}");
        }
    }
}

#[test]
fn the_schema_printed_is_the_one_checked() {
    let schema: serde_json::Value =
        serde_json::from_str(settings_file::schema()).expect("the schema is JSON");
    assert_eq!(
        schema["$id"],
        "https://json.schemastore.org/claude-code-settings.json"
    );
    let rejected = r#"{"env": {"API_TIMEOUT_MS": 600000}}"#;
    let found = file_findings(rejected, SettingsScope::Project, None, false);
    assert_eq!(
        found.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["GW5013"]
    );
}
