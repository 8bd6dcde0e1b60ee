//! The MintMCP plugin against the real tools that read its files, with the real `gwscript` binary
//! and plugin libraries. The example recipe makes MintMCP a monitor beside a LiteLLM gateway:
//!
//! - `claude/settings.json`: parsed with `serde_json` and validated against Claude Code's settings
//!   schema (`tests/data/claude-code-settings.schema.json`, `jsonschema`); then loaded by the real
//!   Claude Code (`claude -p --settings`), whose model traffic must reach the mock standing in for
//!   the LiteLLM gateway and whose `UserPromptSubmit` hook must reach a recorder standing in for
//!   MintMCP.
//! - `claude/env.sh`: `bash -n`, then sourced under `set -u` with and without its secrets.
//! - `mintmcp/hook.sh`: `bash -n`, then run with the real curl against a loopback HTTP recorder
//!   (the event and the org key must arrive), against a closed port and a server that never
//!   answers (exit 0 within its time limit), and with `enforce` (exit 2).
//! - `litellm/config.yaml`: parsed with `serde_norway` for the model groups Claude Code is pinned
//!   to (the LiteLLM plugin's own tests run it with the real LiteLLM).
//! - `report.md`: read for both third-party notices, each plugin's part, and, with MintMCP as the
//!   gateway, the unverified facts about its LLM proxy.
//!
//! Every file and every output is also searched for the secrets' values, which must never appear.
//! All traffic stays on 127.0.0.1.

use gwscript_tests::files::mode_of;
use gwscript_tests::shell::assert_bash_syntax;
use gwscript_tests::tool::{installed, run_tool_with_input};
use gwscript_tests::{
    Emit, Emitted, MockProvider, Proc, Ran, SYSTEM_PATH, assert_settings_schema_valid, free_port,
    peers, poll_until, temp_dir,
};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// The values behind the secrets the recipes name. gwscript never reads them; the hook and env.sh
/// do, at run time. The LiteLLM key is what Claude Code sends to the gateway in the example; the
/// MintMCP proxy key only when MintMCP is the gateway.
const ORG_KEY: &str = "mint-org-e2e-4f9a1c";
const LITELLM_KEY: &str = "sk-litellm-e2e-30c6e1";
const PROXY_KEY: &str = "mint-llm-e2e-77d0b2";
const SECRETS: [(&str, &str); 3] = [
    ("MINTMCP_ORG_KEY", ORG_KEY),
    ("LITELLM_VIRTUAL_KEY", LITELLM_KEY),
    ("MINTMCP_LLM_KEY", PROXY_KEY),
];
/// The example's LiteLLM gateway URL, replaced by the mock's where Claude Code runs.
const LITELLM_URL: &str = "https://llm-gateway.corp.example";
const DEVELOPER: &str = "dev.one";
/// A PreToolUse event as Claude Code sends it on stdin.
const EVENT: &str = r#"{"session_id":"e2e-1","transcript_path":"/tmp/t.jsonl","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls -la"}}"#;

const HOOK_TIMEOUT: Duration = Duration::from_secs(30);
const CLAUDE_TIMEOUT: Duration = Duration::from_secs(180);
const RECORD_WAIT: Duration = Duration::from_secs(10);

// --- running recipes ---------------------------------------------------------------------------

/// Runs a recipe that must succeed, with the secrets' values set: none may reach any output.
fn emit(recipe: &str) -> Emitted {
    Emit::new(recipe).secrets(&SECRETS).run()
}

/// Runs a recipe that must be refused, with the same leak check.
fn attempt(recipe: &str) -> Emitted {
    Emit::new(recipe).secrets(&SECRETS).attempt()
}

fn example_recipe() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/mintmcp.rhai"))
        .expect("scripts/mintmcp.rhai")
}

/// The example recipe with the MintMCP monitor's options replaced by `options` (Rhai map
/// entries), so the tests run what users run.
fn recipe_with(options: &str) -> String {
    let example = example_recipe();
    let start = example
        .find("let mint = gateway(")
        .expect("the gateway call");
    let end = start + example[start..].find("});").expect("its end") + 3;
    format!(
        "{}let mint = gateway(\"mintmcp\", #{{ {options} }});{}",
        &example[..start],
        &example[end..]
    )
}

// --- running the hook --------------------------------------------------------------------------

/// Runs the emitted hook as Claude Code would: `bash hook.sh`, the event on stdin, the variables in
/// a clean environment; it fails the test if it outlives [`HOOK_TIMEOUT`]. The hook posts with
/// curl from the system PATH, so curl must be installed.
fn run_hook(emitted: &Emitted, env: &[(&str, &str)]) -> Ran {
    installed("/usr/bin/curl");
    let mut command = Command::new("bash");
    command
        .arg(emitted.out("mintmcp/hook.sh"))
        .env_clear()
        .env("PATH", SYSTEM_PATH)
        .envs(env.iter().copied());
    run_tool_with_input("mintmcp hook", command, EVENT.as_bytes(), HOOK_TIMEOUT)
}

/// The environment the managed rollout gives the hook: the settings' literal variables, and the
/// key and user from the developer's provisioned environment.
fn hook_env(emitted: &Emitted) -> Vec<(String, String)> {
    let settings = emitted.settings();
    let base_url = settings["env"]["MINTMCP_BASE_URL"]
        .as_str()
        .expect("MINTMCP_BASE_URL in the settings env")
        .to_owned();
    vec![
        ("MINTMCP_BASE_URL".into(), base_url),
        ("MINTMCP_ORG_KEY".into(), ORG_KEY.into()),
        ("USER".into(), DEVELOPER.into()),
    ]
}

fn as_refs(env: &[(String, String)]) -> Vec<(&str, &str)> {
    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

// --- a loopback HTTP recorder ------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the recorder treats a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// Record it and answer `200 {}`.
    Ok,
    /// Hold the connection open and never answer, until the recorder stops.
    Never,
}

/// An HTTP/1.1 server on 127.0.0.1 that records each request. Stopped (and its thread joined)
/// on drop.
struct Recorder {
    url: String,
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Recorder {
    fn start(answer: Answer) -> Recorder {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a loopback port");
        let port = listener.local_addr().expect("the bound address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopping) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                if stopping.load(Ordering::Acquire) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                match answer {
                    Answer::Never => held.push(stream),
                    Answer::Ok => {
                        if let Some(request) = serve(stream) {
                            seen.lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push(request);
                        }
                    }
                }
            }
        });
        Recorder {
            url: format!("http://127.0.0.1:{port}"),
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The first request matching `wanted`, waiting at most [`RECORD_WAIT`].
    fn wait_for(&self, wanted: impl Fn(&Recorded) -> bool) -> Option<Recorded> {
        poll_until(RECORD_WAIT, Duration::from_millis(50), || {
            self.requests().into_iter().find(|r| wanted(r))
        })
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request (answering `Expect: 100-continue`), answers `200 {}`.
fn serve(mut stream: TcpStream) -> Option<Recorded> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let request = Recorded {
        method,
        target,
        headers,
        body: String::new(),
    };
    if request
        .header("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").ok()?;
    }
    let length: usize = request
        .header("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
        .ok()?;
    let _ = stream.shutdown(Shutdown::Both);
    Some(Recorded {
        body: String::from_utf8_lossy(&body).into_owned(),
        ..request
    })
}

// --- the tests ---------------------------------------------------------------------------------

#[test]
fn the_example_recipe_emits_files_the_real_tools_accept() {
    let emitted = emit(&example_recipe());
    for code in ["GW4302", "GW4303", "GW4304"] {
        assert!(
            !emitted.stderr.contains(code),
            "a managed monitor: {}",
            emitted.stderr
        );
    }

    // settings.json: Claude Code's schema, the hooks, the gateway's variables, and no key.
    let settings = emitted.settings();
    assert_settings_schema_valid(&settings);
    let handler = json!([{ "type": "command", "command": "bash '/etc/claude-code/mintmcp-hook.sh'", "timeout": 10 }]);
    assert_eq!(
        settings["hooks"],
        json!({
            "PreToolUse": [{ "matcher": "*", "hooks": handler }],
            "PostToolUse": [{ "matcher": "*", "hooks": handler }],
            "UserPromptSubmit": [{ "hooks": handler }],
        })
    );
    let env = settings["env"].as_object().expect("an env block");
    assert_eq!(env["MINTMCP_BASE_URL"], "https://app.mintmcp.com");
    assert_eq!(
        env["ANTHROPIC_BASE_URL"], LITELLM_URL,
        "the model traffic goes to LiteLLM, never to MintMCP"
    );
    assert_eq!(env["ANTHROPIC_MODEL"], "claude-sonnet-4-5");
    for credential in [
        "MINTMCP_ORG_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_API_KEY",
    ] {
        assert!(
            !env.contains_key(credential),
            "{credential} in settings.json"
        );
    }

    // env.sh: valid bash that exports both keys from the environment, and refuses to run without
    // the org key.
    let env_sh = emitted.out("claude/env.sh");
    assert_bash_syntax(&env_sh);
    let sourced = Command::new("bash")
        .args(["-c", r#"set -u; . "$1"; printf '%s\n' "$MINTMCP_ORG_KEY" "$MINTMCP_BASE_URL" "$ANTHROPIC_AUTH_TOKEN" "$ANTHROPIC_BASE_URL""#, "bash"])
        .arg(&env_sh)
        .env_clear()
        .env("PATH", SYSTEM_PATH)
        .envs(SECRETS)
        .output()
        .expect("bash runs");
    assert!(sourced.status.success(), "{sourced:?}");
    assert_eq!(
        String::from_utf8_lossy(&sourced.stdout),
        format!("{ORG_KEY}\nhttps://app.mintmcp.com\n{LITELLM_KEY}\n{LITELLM_URL}\n")
    );
    let unset = Command::new("bash")
        .args(["-c", r#"set -u; . "$1""#, "bash"])
        .arg(&env_sh)
        .env_clear()
        .env("PATH", SYSTEM_PATH)
        .env("LITELLM_VIRTUAL_KEY", LITELLM_KEY)
        .output()
        .expect("bash runs");
    assert!(!unset.status.success());
    assert!(String::from_utf8_lossy(&unset.stderr).contains("set MINTMCP_ORG_KEY"));

    // hook.sh: valid bash, executable, and its own.
    let hook = emitted.out("mintmcp/hook.sh");
    assert_bash_syntax(&hook);
    let mode = mode_of(&hook);
    assert_eq!(mode, 0o700, "{mode:o}");

    // config.yaml: LiteLLM serves the model groups Claude Code is pinned to.
    let config: serde_norway::Value =
        serde_norway::from_str(&emitted.read("litellm/config.yaml")).expect("config.yaml is YAML");
    let groups: Vec<&str> = config["model_list"]
        .as_sequence()
        .expect("a model list")
        .iter()
        .filter_map(|model| model["model_name"].as_str())
        .collect();
    assert_eq!(groups, ["claude-sonnet-4-5", "claude-haiku-4-5"]);

    // The report: each plugin's part under its own name, a notice for each, nothing about
    // MintMCP's proxy.
    let report = emitted.read("report.md");
    for expected in [
        "# Claude Code via LiteLLM, monitored by MintMCP (gateway pattern)",
        "MintMCP monitors Claude Code without carrying its model traffic",
        "**Install LiteLLM**",
        "**Start LiteLLM**",
        "**Install MintMCP**",
        "sudo install -m 0755 'mintmcp/hook.sh' '/etc/claude-code/mintmcp-hook.sh'",
        "This configuration uses LiteLLM, a third-party solution",
        "This configuration uses MintMCP, a third-party solution",
        "/Library/Application Support/ClaudeCode/managed-settings.json",
        "MintMCP is a monitor here",
    ] {
        assert!(report.contains(expected), "report.md lacks {expected:?}");
    }
    assert!(
        !report.contains("MintMCP's LLM proxy"),
        "a monitor carries no model traffic"
    );
}

/// Any pattern takes the monitor, and it never touches the model traffic: direct Bedrock stays
/// direct Bedrock.
#[test]
fn a_direct_bedrock_setup_gets_the_hooks_and_keeps_its_provider() {
    let recipe = example_recipe();
    let start = recipe.find("emit(pattern(").expect("the emit call");
    let direct = format!(
        "{}emit(pattern(\"direct\", #{{ provider: provider(\"bedrock\", #{{ region: \"us-east-1\" }}), scope: \"managed\", monitors: [mint] }}));\n",
        &recipe[..start]
    );
    let emitted = emit(&direct);
    let settings = emitted.settings();
    assert_settings_schema_valid(&settings);
    let env = settings["env"].as_object().expect("an env block");
    assert_eq!(env["CLAUDE_CODE_USE_BEDROCK"], "1");
    assert_eq!(env["AWS_REGION"], "us-east-1");
    assert_eq!(env["MINTMCP_BASE_URL"], "https://app.mintmcp.com");
    assert!(!env.contains_key("ANTHROPIC_BASE_URL"), "{env:?}");
    assert_eq!(settings["hooks"].as_object().map(|h| h.len()), Some(3));
    assert!(!emitted.out("litellm").exists());
    let report = emitted.read("report.md");
    assert!(report.starts_with("# Claude Code, direct pattern, monitored by MintMCP\n"));
}

/// MintMCP as the gateway still sends Claude Code's model traffic to its LLM proxy, warned about.
#[test]
fn as_the_gateway_mintmcp_proxies_the_traffic_with_gw4303() {
    let recipe = r#"let mint = gateway("mintmcp", #{ url: "https://llm.mintmcp.example", org_key: secret("MINTMCP_ORG_KEY") });
mint.deploy("claude-sonnet-4-5", provider("anthropic"));
emit(pattern("gateway", #{ gateway: mint, scope: "managed", auth_token: secret("MINTMCP_LLM_KEY") }));
"#;
    let emitted = emit(recipe);
    assert!(
        emitted.stderr.contains("warning[GW4303]"),
        "{}",
        emitted.stderr
    );
    let settings = emitted.settings();
    assert_settings_schema_valid(&settings);
    assert_eq!(
        settings["env"]["ANTHROPIC_BASE_URL"],
        "https://llm.mintmcp.example"
    );
    assert_eq!(
        settings["env"]["MINTMCP_BASE_URL"], "https://app.mintmcp.com",
        "the proxy's URL is not where events go"
    );
    let report = emitted.read("report.md");
    assert!(report.contains("MintMCP's LLM proxy is not publicly documented"));
    assert!(report.contains("https://llm.mintmcp.example/v1/messages"));
}

#[test]
fn the_hook_posts_each_event_to_mintmcp_with_the_org_key() {
    let recorder = Recorder::start(Answer::Ok);
    let emitted = emit(&recipe_with(&format!("url: \"{}\"", recorder.url)));
    let env = hook_env(&emitted);
    let run = run_hook(&emitted, &as_refs(&env));
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));

    let expected_target = format!("/h/{ORG_KEY},{DEVELOPER}/claudecode");
    let request = recorder
        .wait_for(|r| r.target == expected_target)
        .unwrap_or_else(|| panic!("no event at {expected_target}: {:?}", recorder.requests()));
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("content-type"), Some("application/json"));
    let posted: Value = serde_json::from_str(&request.body).expect("the body is JSON");
    let sent: Value = serde_json::from_str(EVENT).unwrap();
    assert_eq!(posted, sent, "the event arrives unchanged");
}

#[test]
fn the_org_key_travels_in_a_header_when_the_recipe_names_one() {
    let recorder = Recorder::start(Answer::Ok);
    let emitted = emit(&recipe_with(&format!(
        "url: \"{}\", events_path: \"/events/{{user}}\", org_key_header: \"X-MintMCP-Org-Key\"",
        recorder.url
    )));
    let env = hook_env(&emitted);
    let run = run_hook(&emitted, &as_refs(&env));
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    let request = recorder
        .wait_for(|r| r.method == "POST")
        .unwrap_or_else(|| panic!("no event arrived"));
    assert_eq!(request.target, format!("/events/{DEVELOPER}"));
    assert_eq!(request.header("x-mintmcp-org-key"), Some(ORG_KEY));
}

#[test]
fn the_hook_never_blocks_claude_code_when_mintmcp_is_down_or_silent() {
    let closed_port = free_port();
    let silent = Recorder::start(Answer::Never);
    for (url, says, at_least) in [
        (
            format!("http://127.0.0.1:{closed_port}"),
            "cannot reach",
            Duration::ZERO,
        ),
        (
            silent.url.clone(),
            "did not answer within 1 s",
            Duration::from_secs(1),
        ),
    ] {
        let emitted = emit(&recipe_with(&format!("url: \"{url}\", event_timeout: 1")));
        let env = hook_env(&emitted);
        let run = run_hook(&emitted, &as_refs(&env));
        assert_eq!(run.code(), Some(0), "{url}: {}", run.stderr);
        assert_eq!(run.stdout, "", "nothing for Claude Code to act on");
        assert!(run.stderr.starts_with("mintmcp hook: "), "{}", run.stderr);
        assert!(run.stderr.contains(says), "{}", run.stderr);
        assert!(
            !run.stderr.contains(ORG_KEY),
            "the key leaked: {}",
            run.stderr
        );
        // curl's --max-time bounds the wait, well inside Claude Code's own hook timeout (6 s).
        assert!(
            run.elapsed >= at_least && run.elapsed < Duration::from_secs(5),
            "{url}: took {:?}",
            run.elapsed
        );
    }
}

#[test]
fn with_enforce_an_undeliverable_event_blocks_the_tool_call() {
    let emitted = emit(&recipe_with(&format!(
        "url: \"http://127.0.0.1:{}\", event_timeout: 1, enforce: true",
        free_port()
    )));
    let env = hook_env(&emitted);
    let run = run_hook(&emitted, &as_refs(&env));
    assert_eq!(
        run.code(),
        Some(2),
        "exit 2 blocks the tool call: {}",
        run.stderr
    );
    assert!(run.stderr.contains("cannot reach"), "{}", run.stderr);
}

#[test]
fn gw4304_mintmcp_as_a_gateway_without_deployments_points_at_monitors() {
    let recipe = r#"let mint = gateway("mintmcp", #{ url: "https://llm.mintmcp.example" });
emit(pattern("gateway", #{ gateway: mint, scope: "managed", auth_token: secret("MINTMCP_LLM_KEY") }));
"#;
    let output = attempt(recipe);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stderr.contains("error[GW4304]"), "{}", output.stderr);
    assert!(
        output.stderr.contains("`monitors: [ … ]`"),
        "{}",
        output.stderr
    );
    assert!(
        !output.out_dir().exists(),
        "nothing is written after an error"
    );
}

#[test]
fn gw4301_and_gw4302_reach_the_user_through_the_binary() {
    let literal_key = recipe_with(&format!(
        "url: \"https://app.mintmcp.com\", org_key: \"{ORG_KEY}\""
    ));
    let output = attempt(&literal_key);
    let stderr = output.stderr;
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[GW4301]"), "{stderr}");
    assert!(
        !stderr.contains(ORG_KEY),
        "the literal key is masked: {stderr}"
    );

    let user_scope = recipe_with("url: \"https://app.mintmcp.com\"")
        .replace("scope: \"managed\"", "scope: \"user\"");
    let emitted = emit(&user_scope);
    assert!(
        emitted.stderr.contains("warning[GW4302]"),
        "{}",
        emitted.stderr
    );
    assert_settings_schema_valid(&emitted.settings());
    assert_eq!(
        emitted.settings()["hooks"]["UserPromptSubmit"][0]["hooks"][0]["command"],
        "bash \"$HOME\"/'.claude/mintmcp-hook.sh'"
    );
}

/// The real Claude Code, loading the emitted settings from the command line (as managed settings
/// would be, without writing /etc), with its model traffic on gwscript's mock standing in for the
/// LiteLLM gateway and the hook's events on the recorder standing in for MintMCP. Only the
/// settings file supplies `ANTHROPIC_BASE_URL` and `MINTMCP_BASE_URL`, the host's normal
/// variables for the gateway and the plugin's for the hook; the credentials come from env.sh, as
/// a developer's provisioned environment would give them.
#[test]
fn claude_code_talks_to_its_gateway_while_the_hooks_post_to_mintmcp() {
    const PROMPT: &str = "say hello to mintmcp";
    const REPLY: &str = "Hello from the gwscript mock gateway, monitored by MintMCP.";
    let peers = peers();
    installed("/usr/bin/curl");
    let mut mock = MockProvider::start(REPLY);
    let recorder = Recorder::start(Answer::Ok);
    let work = temp_dir("mintmcp-claude");
    let hook_path = work.path().join("managed/mintmcp-hook.sh");
    let emitted = emit(
        &recipe_with(&format!(
            "url: \"{}\", hook_path: \"{}\"",
            recorder.url,
            hook_path.display()
        ))
        .replace(LITELLM_URL, &mock.url),
    );
    let settings = emitted.out("claude/settings.json");
    assert_settings_schema_valid(&emitted.settings());
    assert_eq!(emitted.settings()["env"]["ANTHROPIC_BASE_URL"], mock.url);

    // Install the hook where the settings run it, readable by all, as the report says.
    std::fs::create_dir_all(hook_path.parent().unwrap()).expect("the managed directory");
    std::fs::copy(emitted.out("mintmcp/hook.sh"), &hook_path).expect("install the hook");
    std::fs::set_permissions(&hook_path, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    let home = work.path().join("home");
    let project = work.path().join("project");
    for dir in [&home, &project] {
        std::fs::create_dir_all(dir).expect("a directory");
    }
    let mut command = Command::new("bash");
    command
        .args([
            "-c",
            r#". "$1" && unset ANTHROPIC_BASE_URL MINTMCP_BASE_URL && exec "$2" --settings "$3" -p "$4""#,
            "bash",
        ])
        .arg(emitted.out("claude/env.sh"))
        .arg(&peers.claude)
        .arg(&settings)
        .arg(PROMPT)
        .current_dir(&project)
        .env_clear()
        .env("HOME", &home)
        .env("PATH", SYSTEM_PATH)
        .env("USER", DEVELOPER)
        .envs(SECRETS);
    let mut claude = Proc::spawn("claude", command);
    let status = claude.wait(CLAUDE_TIMEOUT);
    assert!(
        status.is_some_and(|s| s.success()),
        "claude failed or timed out\n{}\n{}",
        claude.diagnostics(),
        mock.diagnostics()
    );
    assert!(claude.stdout().contains(REPLY), "{}", claude.diagnostics());

    // The hook event reached MintMCP's route with the org key and the developer.
    let target = format!("/h/{ORG_KEY},{DEVELOPER}/claudecode");
    let event = recorder
        .wait_for(|r| r.target == target)
        .unwrap_or_else(|| {
            panic!(
                "no event reached MintMCP's route: {:?}\n{}",
                recorder.requests(),
                claude.diagnostics()
            )
        });
    let posted: Value = serde_json::from_str(&event.body).expect("the event is JSON");
    assert_eq!(posted["hook_event_name"], "UserPromptSubmit");
    assert_eq!(posted["prompt"], PROMPT);
    assert!(
        posted["session_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    // MintMCP saw hook events only, never a model request.
    let stray: Vec<String> = recorder
        .requests()
        .iter()
        .filter(|r| !r.target.starts_with("/h/"))
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert!(stray.is_empty(), "MintMCP got model traffic: {stray:?}");

    // The model traffic went to the gateway (the mock) with the LiteLLM key as Bearer and a
    // model group LiteLLM serves.
    let records = mock.records();
    let messages = gwscript_tests::mock::find_messages_request(&records, "claude-cli/")
        .unwrap_or_else(|| panic!("no /v1/messages reached the mock\n{}", mock.diagnostics()));
    assert_eq!(
        gwscript_tests::mock::header(messages, "authorization"),
        Some(
            format!(
                "Bearer {}",
                gwscript_tests::mock::credential_fingerprint(LITELLM_KEY)
            )
            .as_str()
        )
    );
    let model = messages["body"]["model"].as_str();
    assert!(
        matches!(model, Some("claude-sonnet-4-5" | "claude-haiku-4-5")),
        "{}",
        gwscript_tests::mock::describe(messages)
    );
}
