//! End to end: a recipe's emitted LiteLLM config and Claude Code settings, with the real LiteLLM
//! proxy and the real Claude Code CLI, and gwscript's mock Anthropic provider as the upstream.
//! Everything listens on 127.0.0.1; no cloud credential or token is used.

use gwscript_tests::process::tail;
use gwscript_tests::{
    Peers, Proc, free_port, gwscript_bin, http_client, peers, poll_until, temp_dir,
};
use serde_json::Value;
use std::hash::{BuildHasher, RandomState};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const MODEL: &str = "claude-sonnet-4-5";
const PROMPT: &str = "say hello";
const REPLY: &str = "Hello from the gwscript mock provider, by way of LiteLLM.";
/// The deployment's provider key as LiteLLM holds it; the mock must see this, never the master key.
const DEPLOYMENT_KEY: &str = "sk-ant-gwscript-e2e-deployment";
/// Claude Code's native binary needs nothing else; node is on this PATH for npm's wrapper.
const SYSTEM_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

const MOCK_START: Duration = Duration::from_secs(20);
const RUN_TIMEOUT: Duration = Duration::from_secs(60);
const LITELLM_READY: Duration = Duration::from_secs(120);
const CLAUDE_TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn claude_code_reaches_the_mock_provider_through_litellm() {
    let peers = peers();
    let gwscript = gwscript_bin();
    let work = temp_dir("e2e-litellm-claude");
    let master_key = format!(
        "sk-gwscript-e2e-{:016x}",
        RandomState::new().hash_one(std::process::id())
    );

    // 1. The mock provider, on a port it picks itself.
    let (mut mock, mock_url) = start_mock(&gwscript);

    // 2. The recipe, run for real.
    let litellm_port = free_port();
    let out = work.path().join("out");
    emit(&gwscript, work.path(), &mock_url, litellm_port, &out);
    let settings_json = out.join("claude/settings.json");
    let settings: Value = read_json(&settings_json);

    // 3. LiteLLM from the emitted start script.
    let litellm_url = format!("http://127.0.0.1:{litellm_port}");
    let started = Instant::now();
    let mut litellm = start_litellm(
        &peers,
        &out.join("litellm/start.sh"),
        work.path(),
        &master_key,
    );
    wait_until_live(&mut litellm, &litellm_url);
    let litellm_startup = started.elapsed();

    // 4. Baseline: the same client settings pointed straight at the mock, to learn the exact
    //    headers this Claude Code version sends for this model.
    let baseline_home = work.path().join("home-baseline");
    write_baseline_settings(&settings, &mock_url, &baseline_home);
    let mut baseline = claude_command(&peers.claude, &baseline_home);
    baseline
        .args(["-p", PROMPT])
        .env("ANTHROPIC_API_KEY", "sk-ant-gwscript-e2e-baseline");
    let (baseline_out, _) = run_claude("claude (baseline)", baseline);
    assert!(
        baseline_out.contains(REPLY),
        "baseline reply: {baseline_out}"
    );
    let baseline_records = mock_records(&mock_url);
    let sent = find_messages_request(&baseline_records, "claude-cli/").unwrap_or_else(|| {
        panic!(
            "no baseline request recorded:\n{}",
            summarize(&baseline_records)
        )
    });

    // 5. Through LiteLLM with only what the recipe emitted: env.sh sourced, settings.json as the
    //    user settings.
    let gateway_home = work.path().join("home-gateway");
    install_user_settings(&settings_json, &gateway_home);
    let mut via_gateway = claude_command("bash", &gateway_home);
    via_gateway
        .args(["-c", r#"source "$1" && exec "$2" -p "$3""#, "bash"])
        .arg(out.join("claude/env.sh"))
        .arg(&peers.claude)
        .arg(PROMPT)
        .env("LITELLM_MASTER_KEY", &master_key);
    let (gateway_out, claude_elapsed) = run_claude("claude (via LiteLLM)", via_gateway);

    // 6. What arrived upstream.
    let records = mock_records(&mock_url);
    let diagnostics = |litellm: &mut Proc| {
        format!(
            "{}\n--- mock records:\n{}",
            litellm.diagnostics(),
            summarize(&records)
        )
    };
    assert!(
        gateway_out.contains(REPLY),
        "reply via LiteLLM: {gateway_out}\n{}",
        diagnostics(&mut litellm)
    );
    let last_baseline_seq = baseline_records.last().and_then(|r| r["seq"].as_u64());
    let after_baseline = || {
        records
            .iter()
            .filter(move |r| r["seq"].as_u64() > last_baseline_seq)
    };
    assert!(
        find_messages_request(after_baseline(), "claude-cli/").is_none(),
        "Claude Code bypassed the gateway\n{}",
        diagnostics(&mut litellm)
    );
    let upstream = find_messages_request(after_baseline(), "litellm/").unwrap_or_else(|| {
        panic!(
            "no /v1/messages from LiteLLM reached the mock\n{}",
            diagnostics(&mut litellm)
        )
    });

    assert_eq!(
        upstream["body"]["model"], MODEL,
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
    assert!(
        headers(upstream).all(|(_, value)| !value.contains(&master_key)),
        "the master key leaked upstream: {:?}",
        upstream["headers"]
    );

    println!(
        "litellm live after {litellm_startup:?}; claude via LiteLLM took {claude_elapsed:?}\n\
         sent by claude:  {}\nsent by litellm: {}",
        describe(sent),
        describe(upstream),
    );
    // 7. Guards stop LiteLLM and the mock; the temp dir goes with `work`.
    litellm.stop();
    mock.stop();
}

fn start_mock(gwscript: &Path) -> (Proc, String) {
    let mut command = Command::new(gwscript);
    command
        .args([
            "mock",
            "anthropic",
            "--listen",
            "127.0.0.1:0",
            "--reply",
            REPLY,
        ])
        .env_clear();
    let mut mock = Proc::spawn("gwscript mock", command);
    let line = mock
        .wait_for_line(MOCK_START, |line| line.starts_with("listening on "))
        .unwrap_or_else(|| {
            panic!(
                "the mock did not report its address\n{}",
                mock.diagnostics()
            )
        });
    let url = line["listening on ".len()..].to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "mock listens off loopback: {line}"
    );
    (mock, url)
}

fn emit(gwscript: &Path, dir: &Path, mock_url: &str, litellm_port: u16, out: &Path) {
    let recipe = dir.join("e2e.rhai");
    let text = format!(
        r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{litellm_port}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("{MODEL}", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY"), api_base: "{mock_url}" }}));
emit(pattern("gateway", #{{ gateway: gw, scope: "user", model: "{MODEL}", auth_token: secret("LITELLM_MASTER_KEY") }}));
"#
    );
    std::fs::write(&recipe, text)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", recipe.display()));
    if std::env::var_os("E2E_FIXTURE").is_some() {
        return fixture_emit(mock_url, litellm_port, out);
    }
    let mut command = Command::new(gwscript);
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

fn wait_until_live(litellm: &mut Proc, url: &str) {
    let client = http_client();
    let live = poll_until(LITELLM_READY, Duration::from_millis(250), || {
        let ok = client
            .get(format!("{url}/health/liveliness"))
            .send()
            .is_ok_and(|r| r.status().is_success());
        // A dead proxy never becomes live: stop waiting (Some(false)) instead of timing out.
        if ok {
            Some(true)
        } else {
            litellm.try_status().map(|_| false)
        }
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
        .unwrap_or_else(|| panic!("emitted settings.json has no env object: {settings}"));
    env.retain(|name, _| name != "ANTHROPIC_API_KEY" && name != "ANTHROPIC_AUTH_TOKEN");
    env.insert("ANTHROPIC_BASE_URL".to_owned(), Value::from(mock_url));
    let path = home.join(".claude/settings.json");
    write_file(&path, &baseline.to_string());
}

fn install_user_settings(settings_json: &Path, home: &Path) {
    let text = std::fs::read_to_string(settings_json)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", settings_json.display()));
    write_file(&home.join(".claude/settings.json"), &text);
}

/// Claude Code with a clean environment: isolated HOME, fixed PATH, no proxy variables, no
/// nonessential traffic, run from an empty project directory (no project settings).
fn claude_command(program: impl AsRef<std::ffi::OsStr>, home: &Path) -> Command {
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

/// Runs a Claude Code command to completion; returns stdout and the elapsed time, or panics with
/// diagnostics (the guard kills it on timeout).
fn run_claude(name: &str, command: Command) -> (String, Duration) {
    let started = Instant::now();
    let mut claude = Proc::spawn(name, command);
    let status = claude.wait(CLAUDE_TIMEOUT);
    let elapsed = started.elapsed();
    assert!(
        status.is_some_and(|s| s.success()),
        "{name} did not succeed within {CLAUDE_TIMEOUT:?}\n{}",
        claude.diagnostics()
    );
    (claude.stdout(), elapsed)
}

fn mock_records(mock_url: &str) -> Vec<Value> {
    let response = http_client()
        .get(format!("{mock_url}/_mock/requests"))
        .send()
        .unwrap_or_else(|e| panic!("cannot read the mock's records: {e}"));
    response
        .json()
        .unwrap_or_else(|e| panic!("the mock's records are not JSON: {e}"))
}

/// The first recorded `POST /v1/messages` whose user-agent starts with `agent`.
fn find_messages_request<'a>(
    records: impl IntoIterator<Item = &'a Value>,
    agent: &str,
) -> Option<&'a Value> {
    records.into_iter().find(|r| {
        r["method"] == "POST"
            && r["path"] == "/v1/messages"
            && header(r, "user-agent").is_some_and(|ua| ua.starts_with(agent))
    })
}

fn headers(record: &Value) -> impl Iterator<Item = (&str, &str)> {
    record["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| Some((pair[0].as_str()?, pair[1].as_str()?)))
}

fn header<'a>(record: &'a Value, name: &str) -> Option<&'a str> {
    headers(record).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Every beta value Claude Code sent must arrive, and nothing else. Order: verbatim, except that
/// LiteLLM 1.102.4 rebuilds the header as a sorted set (`_update_headers_with_anthropic_beta`),
/// which the API treats the same; any other reordering fails.
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
    let mut sorted = sent_values.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        upstream_values, sorted,
        "anthropic-beta changed on the way: sent {sent:?}, upstream got {upstream:?}"
    );
    println!("note: LiteLLM reordered anthropic-beta: sent {sent:?}, upstream got {upstream:?}");
}

/// One line per recorded request: enough to see who called what, without the large bodies.
fn summarize(records: &[Value]) -> String {
    let lines: Vec<String> = records.iter().map(describe).collect();
    tail(&lines.join("\n"), 50)
}

fn describe(record: &Value) -> String {
    format!(
        "#{} {} {}{} ua={:?} anthropic-version={:?} anthropic-beta={:?}",
        record["seq"],
        record["method"].as_str().unwrap_or_default(),
        record["path"].as_str().unwrap_or_default(),
        record["query"]
            .as_str()
            .map(|q| format!("?{q}"))
            .unwrap_or_default(),
        header(record, "user-agent").unwrap_or_default(),
        header(record, "anthropic-version").unwrap_or_default(),
        header(record, "anthropic-beta").unwrap_or_default(),
    )
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
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

// TEMPORARY: hand-written artifacts in the shape `gwscript run` will emit; delete once it exists.
fn fixture_emit(mock_url: &str, litellm_port: u16, out: &Path) {
    write_file(
        &out.join("litellm/config.yaml"),
        &format!(
            "model_list:\n  - model_name: {MODEL}\n    litellm_params:\n      model: anthropic/{MODEL}\n      api_key: os.environ/ANTHROPIC_API_KEY\n      api_base: {mock_url}\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"
        ),
    );
    write_file(
        &out.join("litellm/start.sh"),
        &format!(
            "#!/usr/bin/env bash\nset -euo pipefail\nhere=\"$(cd \"$(dirname \"${{BASH_SOURCE[0]}}\")\" && pwd)\"\nexec litellm --config \"$here/config.yaml\" --host 127.0.0.1 --port {litellm_port}\n"
        ),
    );
    write_file(
        &out.join("claude/settings.json"),
        &format!(
            "{{\"env\": {{\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:{litellm_port}\", \"ANTHROPIC_MODEL\": \"{MODEL}\"}}}}"
        ),
    );
    write_file(
        &out.join("claude/env.sh"),
        &format!(
            "export ANTHROPIC_AUTH_TOKEN=\"${{LITELLM_MASTER_KEY}}\"\nexport ANTHROPIC_BASE_URL=\"http://127.0.0.1:{litellm_port}\"\nexport ANTHROPIC_MODEL=\"{MODEL}\"\n"
        ),
    );
}
