//! End to end: a recipe's emitted LiteLLM config and Claude Code settings, with the real LiteLLM
//! proxy and the real Claude Code CLI, and gwscript's mock Anthropic provider as the upstream.
//! Everything listens on 127.0.0.1; no cloud credential or token is used.

use gwscript_tests::mock::{describe, find_messages_request, header};
use gwscript_tests::{
    MockProvider, Peers, Proc, free_port, gwscript_bin, http_client, peers, poll_until, temp_dir,
};
use serde_json::Value;
use std::ffi::OsStr;
use std::hash::{BuildHasher, RandomState};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const MODEL: &str = "claude-sonnet-4-5";
const PROMPT: &str = "say hello";
const REPLY: &str = "Hello from the gwscript mock provider, by way of LiteLLM.";
/// The deployment's provider key as LiteLLM holds it; the mock must see it, never the master key.
const DEPLOYMENT_KEY: &str = "sk-ant-gwscript-e2e-deployment";
/// No proxy variables, nothing from the developer's shell; node is here for npm-installed tools.
const SYSTEM_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

const RUN_TIMEOUT: Duration = Duration::from_secs(60);
const LITELLM_READY: Duration = Duration::from_secs(120);
const CLAUDE_TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn claude_code_reaches_the_mock_provider_through_litellm() {
    let peers = peers();
    let work = temp_dir("e2e-litellm-claude");
    let master_key = format!(
        "sk-gwscript-e2e-{:016x}",
        RandomState::new().hash_one(std::process::id())
    );

    // 1. The mock provider, on a port it picks itself.
    let mut mock = MockProvider::start(REPLY);

    // 2. The recipe, run for real.
    let litellm_port = free_port();
    let out = work.path().join("out");
    emit(work.path(), &mock.url, litellm_port, &out);
    let settings_json = out.join("claude/settings.json");

    // 3. LiteLLM from the emitted start script.
    let started = Instant::now();
    let mut litellm = start_litellm(
        &peers,
        &out.join("litellm/start.sh"),
        work.path(),
        &master_key,
    );
    wait_until_live(&mut litellm, litellm_port);
    let litellm_startup = started.elapsed();

    // 4. Baseline: the same client settings pointed straight at the mock, to learn the exact
    //    headers this Claude Code version sends for this model.
    let baseline_home = work.path().join("home-baseline");
    write_baseline_settings(&read_json(&settings_json), &mock.url, &baseline_home);
    let mut baseline = claude_command(&peers.claude, &baseline_home);
    baseline
        .args(["-p", PROMPT])
        .env("ANTHROPIC_API_KEY", "sk-ant-gwscript-e2e-baseline");
    let (baseline_out, _) = run_claude("claude (baseline)", baseline)
        .unwrap_or_else(|claude| panic!("{claude}\n{}", mock.diagnostics()));
    assert!(
        baseline_out.contains(REPLY),
        "baseline reply: {baseline_out}"
    );
    let baseline_records = mock.records();
    let sent = find_messages_request(&baseline_records, "claude-cli/")
        .unwrap_or_else(|| panic!("no baseline request recorded\n{}", mock.diagnostics()));

    // 5. Through LiteLLM with only what the recipe emitted: env.sh sourced, settings.json as the
    //    user settings (the recipe's scope).
    let gateway_home = work.path().join("home-gateway");
    write_file(
        &gateway_home.join(".claude/settings.json"),
        &read_text(&settings_json),
    );
    let mut via_gateway = claude_command("bash", &gateway_home);
    via_gateway
        .args(["-c", r#"source "$1" && exec "$2" -p "$3""#, "bash"])
        .arg(out.join("claude/env.sh"))
        .arg(&peers.claude)
        .arg(PROMPT)
        .env("LITELLM_MASTER_KEY", &master_key);
    let context = |litellm: &mut Proc, mock: &mut MockProvider| {
        format!("{}\n{}", litellm.diagnostics(), mock.diagnostics())
    };
    let (gateway_out, claude_elapsed) = run_claude("claude (via LiteLLM)", via_gateway)
        .unwrap_or_else(|claude| panic!("{claude}\n{}", context(&mut litellm, &mut mock)));
    assert!(
        gateway_out.contains(REPLY),
        "reply via LiteLLM: {gateway_out}\n{}",
        context(&mut litellm, &mut mock)
    );

    // 6. What arrived upstream, after the baseline's requests.
    let records = mock.records();
    let last_baseline_seq = baseline_records.last().and_then(|r| r["seq"].as_u64());
    let after_baseline = || {
        records
            .iter()
            .filter(move |r| r["seq"].as_u64() > last_baseline_seq)
    };
    assert!(
        find_messages_request(after_baseline(), "claude-cli/").is_none(),
        "Claude Code bypassed the gateway\n{}",
        context(&mut litellm, &mut mock)
    );
    let Some(upstream) = find_messages_request(after_baseline(), "litellm/") else {
        panic!(
            "no /v1/messages from LiteLLM reached the mock\n{}",
            context(&mut litellm, &mut mock)
        );
    };
    let deployed = deployed_model(&out.join("litellm/config.yaml"));
    assert_forwarded(sent, upstream, &deployed, &master_key);
    println!(
        "litellm live after {litellm_startup:?}; claude via LiteLLM took {claude_elapsed:?}\n\
         sent by claude:  {}\nsent by litellm: {}",
        describe(sent),
        describe(upstream),
    );

    // 7. The guards stop LiteLLM and the mock; the temp dir goes with `work`.
}

fn emit(dir: &Path, mock_url: &str, litellm_port: u16, out: &Path) {
    let recipe = dir.join("e2e.rhai");
    let text = format!(
        r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{litellm_port}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("{MODEL}", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY"), api_base: "{mock_url}" }}));
emit(pattern("gateway", #{{ gateway: gw, scope: "user", model: "{MODEL}", auth_token: secret("LITELLM_MASTER_KEY") }}));
"#
    );
    write_file(&recipe, &text);
    let mut command = Command::new(gwscript_bin());
    command
        .arg("run")
        .arg(&recipe)
        .arg("--out")
        .arg(out)
        .env_clear()
        .env("HOME", dir)
        .env("PATH", SYSTEM_PATH);
    let mut run = Proc::spawn("gwscript run", command);
    let status = run.wait(RUN_TIMEOUT);
    assert!(
        status.is_some_and(|s| s.success()),
        "`gwscript run` failed\n{}",
        run.diagnostics()
    );
}

fn start_litellm(peers: &Peers, start_sh: &Path, dir: &Path, master_key: &str) -> Proc {
    let home = dir.join("home-litellm");
    std::fs::create_dir_all(&home)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", home.display()));
    let mut command = Command::new("bash");
    command
        .arg(start_sh)
        .current_dir(dir)
        .env_clear()
        .env("HOME", &home)
        .env(
            "PATH",
            format!("{}:{SYSTEM_PATH}", peers.litellm_bin_dir.display()),
        )
        .env("LITELLM_MASTER_KEY", master_key)
        .env("ANTHROPIC_API_KEY", DEPLOYMENT_KEY)
        // Offline: LiteLLM would otherwise fetch its cost map and beta-header table at start.
        .env("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        .env("LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS", "True");
    Proc::spawn("litellm", command)
}

fn wait_until_live(litellm: &mut Proc, port: u16) {
    let url = format!("http://127.0.0.1:{port}/health/liveliness");
    let client = http_client();
    let live = poll_until(LITELLM_READY, Duration::from_millis(250), || {
        if client
            .get(&url)
            .send()
            .is_ok_and(|r| r.status().is_success())
        {
            return Some(true);
        }
        // A dead proxy never becomes live: stop waiting instead of running into the timeout.
        litellm.try_status().map(|_| false)
    });
    assert!(
        live == Some(true),
        "LiteLLM did not become live at {url} within {LITELLM_READY:?}\n{}",
        litellm.diagnostics()
    );
}

/// The emitted settings with only the destination and credentials changed: same model and flags,
/// so Claude Code sends the same betas as through the gateway.
fn write_baseline_settings(settings: &Value, mock_url: &str, home: &Path) {
    let mut baseline = settings.clone();
    let env = baseline["env"]
        .as_object_mut()
        .unwrap_or_else(|| panic!("the emitted settings.json has no env object: {settings}"));
    env.retain(|name, _| name != "ANTHROPIC_API_KEY" && name != "ANTHROPIC_AUTH_TOKEN");
    env.insert("ANTHROPIC_BASE_URL".to_owned(), Value::from(mock_url));
    write_file(&home.join(".claude/settings.json"), &baseline.to_string());
}

/// Claude Code with a clean environment: isolated HOME, fixed PATH, no proxy variables, no
/// nonessential traffic, run from an empty project directory (so no project settings apply).
fn claude_command(program: impl AsRef<OsStr>, home: &Path) -> Command {
    let project = home.with_extension("project");
    std::fs::create_dir_all(&project)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", project.display()));
    let mut command = Command::new(program);
    command
        .current_dir(&project)
        .env_clear()
        .env("HOME", home)
        .env("PATH", SYSTEM_PATH)
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    command
}

/// Runs Claude Code to completion (killed on timeout): stdout and the elapsed time, or its
/// diagnostics.
fn run_claude(name: &str, command: Command) -> Result<(String, Duration), String> {
    let started = Instant::now();
    let mut claude = Proc::spawn(name, command);
    let status = claude.wait(CLAUDE_TIMEOUT);
    let elapsed = started.elapsed();
    let failure = match status {
        Some(status) if status.success() => return Ok((claude.stdout(), elapsed)),
        Some(status) => format!("{name} failed ({status}) after {elapsed:?}"),
        None => format!("{name} timed out after {CLAUDE_TIMEOUT:?}"),
    };
    Err(format!("{failure}\n{}", claude.diagnostics()))
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
        Some(DEPLOYMENT_KEY),
        "upstream uses the deployment key"
    );
    // Headers and body: the gateway's own key must never reach the provider.
    assert!(
        !upstream.to_string().contains(master_key),
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

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn read_json(path: &Path) -> Value {
    let text = read_text(path);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}\n{text}", path.display()))
}

fn write_file(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
