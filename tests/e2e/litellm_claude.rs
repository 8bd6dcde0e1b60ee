//! End to end: a recipe's emitted LiteLLM config and Claude Code settings, with the real LiteLLM
//! proxy (run by the emitted `litellm/start.sh`, reading `litellm/config.yaml`) and the real
//! Claude Code CLI (with only the emitted `claude/settings.json` and `claude/env.sh`, through
//! `gwscript_tests::claude`), and gwscript's mock Anthropic provider as the upstream. Everything
//! listens on 127.0.0.1; no cloud credential or token is used.

use gwscript_tests::files::read_text;
use gwscript_tests::mock::{
    carries, credential_fingerprint, describe, find_messages_request, header,
};
use gwscript_tests::{Emitted, MockProvider, Proc, claude, free_port, litellm};
use serde_json::Value;
use std::hash::{BuildHasher, RandomState};
use std::path::Path;
use std::time::Instant;

const MODEL: &str = "claude-sonnet-4-5";
const REPLY: &str = "Hello from the gwscript mock provider, by way of LiteLLM.";
/// The deployment's provider key as LiteLLM holds it; the mock must see it, never the master key.
const DEPLOYMENT_KEY: &str = "sk-ant-gwscript-e2e-deployment";

#[test]
fn claude_code_reaches_the_mock_provider_through_litellm() {
    let master_key = format!(
        "sk-gwscript-e2e-{:016x}",
        RandomState::new().hash_one(std::process::id())
    );

    // 1. The mock provider, on a port it picks itself.
    let mut mock = MockProvider::start(REPLY);

    // 2. The recipe, run for real.
    let litellm_port = free_port();
    let emitted = emit(&mock.url, litellm_port);

    // 3. LiteLLM from the emitted start script.
    let started = Instant::now();
    let mut litellm = litellm::start(
        &emitted,
        litellm_port,
        &[
            ("LITELLM_MASTER_KEY", &master_key),
            ("ANTHROPIC_API_KEY", DEPLOYMENT_KEY),
        ],
    );
    let litellm_startup = started.elapsed();

    // 4. Baseline: the same client settings pointed straight at the mock, to learn the exact
    //    headers this Claude Code version sends for this model; then 5. through LiteLLM with only
    //    what the recipe emitted: env.sh sourced, settings.json as the user settings (the
    //    recipe's scope).
    let compared = claude::compare_with_baseline(
        &emitted,
        &[("LITELLM_MASTER_KEY", &master_key)],
        &mut mock,
        &mut litellm,
        REPLY,
    );
    let sent = find_messages_request(&compared.baseline, "claude-cli/")
        .unwrap_or_else(|| panic!("no baseline request recorded\n{}", mock.diagnostics()));

    // 6. What arrived upstream, after the baseline's requests.
    let context = |litellm: &mut Proc, mock: &mut MockProvider| {
        format!("{}\n{}", litellm.diagnostics(), mock.diagnostics())
    };
    assert!(
        find_messages_request(&compared.through_gateway, "claude-cli/").is_none(),
        "Claude Code bypassed the gateway\n{}",
        context(&mut litellm, &mut mock)
    );
    let Some(upstream) = find_messages_request(&compared.through_gateway, "litellm/") else {
        panic!(
            "no /v1/messages from LiteLLM reached the mock\n{}",
            context(&mut litellm, &mut mock)
        );
    };
    let deployed = deployed_model(&emitted.out("litellm/config.yaml"));
    assert_forwarded(sent, upstream, &deployed, &master_key);
    println!(
        "litellm live after {litellm_startup:?}; claude via LiteLLM took {:?}\n\
         sent by claude:  {}\nsent by litellm: {}",
        compared.gateway_run.elapsed,
        describe(sent),
        describe(upstream),
    );

    // 7. The guards stop LiteLLM and the mock; the temp dir goes with `emitted`.
}

/// The e2e recipe, run for real: LiteLLM on `litellm_port` in front of the mock at `mock_url`.
fn emit(mock_url: &str, litellm_port: u16) -> Emitted {
    Emitted::run(
        &format!(
            r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{litellm_port}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("{MODEL}", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY"), api_base: "{mock_url}" }}));
emit(pattern("gateway", #{{ gateway: gw, scope: "user", model: "{MODEL}", auth_token: secret("LITELLM_MASTER_KEY") }}));
"#
        ),
        &[],
    )
}

/// The provider model id of the config's only deployment (`anthropic/<id>`): the catalog may
/// have resolved the recipe's name to a dated id.
fn deployed_model(config_yaml: &Path) -> String {
    let config: Value = serde_norway::from_str(&read_text(config_yaml))
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", config_yaml.display()));
    let model = config["model_list"][0]["litellm_params"]["model"].as_str();
    let id = model.and_then(|m| m.strip_prefix("anthropic/"));
    id.unwrap_or_else(|| {
        panic!(
            "no anthropic deployment in {}: {config}",
            config_yaml.display()
        )
    })
    .to_owned()
}

/// The gateway's upstream request against what Claude Code sent: the deployment's model and key,
/// streaming kept, `anthropic-*` headers passed through, the master key nowhere.
fn assert_forwarded(sent: &Value, upstream: &Value, deployed_model: &str, master_key: &str) {
    assert_eq!(
        upstream["body"]["model"], deployed_model,
        "the deployment's model id goes upstream"
    );
    assert_eq!(
        upstream["body"]["stream"], true,
        "LiteLLM streams from the provider"
    );
    assert_eq!(
        header(upstream, "anthropic-version"),
        header(sent, "anthropic-version"),
        "anthropic-version must pass through unchanged"
    );
    assert_betas_pass_through(
        header(sent, "anthropic-beta"),
        header(upstream, "anthropic-beta"),
    );
    assert_eq!(
        header(upstream, "x-api-key"),
        Some(credential_fingerprint(DEPLOYMENT_KEY).as_str()),
        "upstream uses the deployment key"
    );
    // Headers and body: the gateway's own key must never reach the provider.
    assert!(
        !carries(upstream, master_key),
        "the master key leaked upstream: {}",
        upstream["headers"]
    );
}

/// Every beta value Claude Code sent must arrive, and nothing else. Order: verbatim, except that
/// LiteLLM 1.102.4 rebuilds the header as a sorted set (`_update_headers_with_anthropic_beta` in
/// its anthropic messages transformation), which the API treats the same; any other change fails.
fn assert_betas_pass_through(sent: Option<&str>, upstream: Option<&str>) {
    let split = |header: Option<&str>| -> Vec<String> {
        header
            .into_iter()
            .flat_map(|h| h.split(','))
            .map(|v| v.trim().to_owned())
            .collect()
    };
    let (sent_values, upstream_values) = (split(sent), split(upstream));
    assert!(
        !sent_values.is_empty(),
        "Claude Code sent no anthropic-beta header"
    );
    if upstream_values == sent_values {
        return;
    }
    let mut sorted = sent_values;
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        upstream_values, sorted,
        "anthropic-beta changed on the way: sent {sent:?}, upstream got {upstream:?}"
    );
    println!("note: LiteLLM sorted anthropic-beta: sent {sent:?}, upstream got {upstream:?}");
}
