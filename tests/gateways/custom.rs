//! The custom plugin against the real tools that read its files, driving the built `gwscript`
//! binary and the plugin library beside it, and end to end: the real Claude Code through the
//! emitted nginx config to `gwscript mock anthropic`. Everything listens on 127.0.0.1.
//!
//! Which tool checks which emitted file:
//! - `nginx/claude-gateway.conf.template`: rendered by `envsubst` with the explicit variable list
//!   (as start.sh does), then `nginx -t` (Debian's nginx-light 1.22.1, from
//!   `tests/peers/install.sh`) under a private prefix, plain and with TLS; then nginx serves real
//!   traffic. nginx resolves the upstream's host name when it loads a config, and this machine has
//!   no DNS, so the configs nginx loads here forward to loopback; `scripts/custom-nginx.rhai`'s
//!   config (upstream api.anthropic.com) is checked for its placeholders and directives only.
//! - `nginx/start.sh`: `bash -n`; run for real: refuses an unset variable, `-t` tests the config,
//!   and it starts nginx unprivileged-style under a private temp directory it removes on stop.
//! - `kong/kong.yaml`: `serde_norway` with structural assertions, and `deck validate` (Debian's
//!   decK 1.4.0, offline: the entity schemas of services, routes, plugins and consumers, not the
//!   plugins' own configs). Kong itself is not in Debian, PyPI or npm and is not run.
//! - `custom/CHECKLIST.md`: text assertions: the 29 s API Gateway limit and every criterion with
//!   a verify line.
//! - `claude/settings.json`: Claude Code's settings schema (`tests/data/`) with `jsonschema`
//!   (`gwscript_tests::settings_schema`).
//! - `claude/env.sh`: `bash -n`, then sourced under `set -u` (`gwscript_tests::shell`).
//! - Every output, `report.md` included: no secret value, though the secrets are set
//!   (`gwscript_tests::emit`).

use gwscript_tests::files::{mode_of, read_repo_file, read_text, write_file};
use gwscript_tests::mock::{
    carries, credential_fingerprint, describe, find_messages_request, header, headers,
};
use gwscript_tests::shell::{assert_bash_syntax, sourced_env};
use gwscript_tests::tool::{installed, run_tool_with_input};
use gwscript_tests::{
    Emitted, MockProvider, Proc, Ran, TOOL_TIMEOUT, assert_settings_schema_valid, claude,
    free_port, http_client, poll_until, run_tool, temp_dir,
};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Distinctive values for the secrets the recipes name: set while gwscript runs, so a value that
/// shows up in any output leaked.
const SECRETS: &[(&str, &str)] = &[
    ("ANTHROPIC_API_KEY", "sk-ant-leakcheck-custom-91c2"),
    ("GATEWAY_TOKEN", "gw-leakcheck-custom-5d7e"),
];
/// The e2e recipe's secrets: the key nginx sends upstream and the token Claude Code sends nginx.
const UPSTREAM_KEY_VAR: &str = "CUSTOM_E2E_UPSTREAM_KEY";
const UPSTREAM_KEY: &str = "sk-ant-custom-e2e-upstream-3f9a";
const TOKEN_VAR: &str = "CUSTOM_E2E_GATEWAY_TOKEN";
const TOKEN: &str = "gw-custom-e2e-token-8b21";

const MODEL: &str = "claude-sonnet-4-5";
/// Long enough (about 40 streamed events, 25 ms apart) to tell streaming from buffering.
const REPLY: &str = "Hello from the gwscript mock provider, by way of nginx: one two three four \
                     five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen \
                     seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three.";

/// The system PATH with the sbin directories, where Debian puts nginx.
const NGINX_PATH: &str = "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const NGINX_READY: Duration = Duration::from_secs(20);

/// Runs `gwscript run` on one of the repository's example recipes with the secrets set.
fn emit_example(name: &str) -> Emitted {
    Emitted::run(&read_repo_file(&format!("scripts/{name}")), SECRETS)
}

/// `bash -n` on the shell files, then env.sh sourced under `set -u` with the token set: it exports
/// the token and unsets a stray API key.
fn assert_shell_files(run: &Emitted, token_var: &str) {
    for file in ["claude/env.sh", "nginx/start.sh"] {
        let path = run.out(file);
        if path.exists() {
            assert_bash_syntax(&path);
        }
    }
    let env = sourced_env(
        &run.out("claude/env.sh"),
        &[
            (token_var, "tok-sourced"),
            ("ANTHROPIC_API_KEY", "must-be-unset"),
        ],
    );
    assert_eq!(
        env.get("ANTHROPIC_AUTH_TOKEN").map(String::as_str),
        Some("tok-sourced")
    );
    assert!(
        !env.contains_key("ANTHROPIC_API_KEY"),
        "env.sh unsets ANTHROPIC_API_KEY"
    );
}

// ---------------------------------------------------------------------------------------------
// nginx

/// Renders the emitted template with envsubst restricted to `vars`, as start.sh does, into a
/// prefix directory of its own, and runs `nginx -t` there.
fn nginx_t(run: &Emitted, vars: &[(&str, &str)], label: &str) -> Ran {
    let prefix = run.dir().join(label);
    std::fs::create_dir_all(prefix.join("temp")).expect("create the prefix");
    let list: Vec<String> = vars.iter().map(|(name, _)| format!("${name}")).collect();
    let mut envsubst = Command::new(installed("/usr/bin/envsubst"));
    envsubst
        .arg(list.join(" "))
        .env_clear()
        .envs(vars.iter().copied());
    let rendered = run_tool_with_input(
        "envsubst",
        envsubst,
        run.read("nginx/claude-gateway.conf.template").as_bytes(),
        TOOL_TIMEOUT,
    );
    assert!(rendered.success(), "{}", rendered.output());
    write_file(&prefix.join("nginx.conf"), &rendered.stdout);
    let mut command = Command::new(installed("/usr/sbin/nginx"));
    command
        .arg("-t")
        .arg("-p")
        .arg(format!("{}/", prefix.display()))
        .args(["-c", "nginx.conf", "-e", "stderr"])
        .env_clear();
    run_tool("nginx -t", command, TOOL_TIMEOUT)
}

/// The emitted start.sh, with only the given environment and a temp directory of its own.
fn start_script(run: &Emitted, args: &[&str], env: &[(&str, &str)]) -> Command {
    let tmp = run.dir().join("tmp");
    std::fs::create_dir_all(&tmp).expect("create the temp directory");
    let mut command = Command::new("bash");
    command
        .arg(run.out("nginx/start.sh"))
        .args(args)
        .current_dir(run.dir())
        .env_clear()
        .env("PATH", NGINX_PATH)
        .env("TMPDIR", &tmp)
        .envs(env.iter().copied());
    command
}

/// The private directories start.sh created under the run's temp directory.
fn run_dirs(run: &Emitted) -> Vec<PathBuf> {
    std::fs::read_dir(run.dir().join("tmp"))
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// Waits until nginx answers on `port`: a request without a token gets 401.
fn wait_until_serving(nginx: &mut Proc, base: &str) {
    let client = http_client();
    let refused = poll_until(NGINX_READY, Duration::from_millis(100), || {
        if let Ok(response) = client.post(format!("{base}/v1/messages")).body("{}").send() {
            return Some(Some(response.status().as_u16()));
        }
        nginx.try_status().map(|_| None)
    });
    assert_eq!(
        refused.flatten(),
        Some(401),
        "nginx did not come up at {base}\n{}",
        nginx.diagnostics()
    );
}

#[test]
fn the_nginx_recipe_emits_a_template_a_start_script_and_claude_codes_side() {
    let run = emit_example("custom-nginx.rhai");
    let settings = run.settings();
    assert_settings_schema_valid(&settings);
    assert_eq!(
        settings["env"]["ANTHROPIC_BASE_URL"],
        "http://127.0.0.1:8080"
    );
    assert_shell_files(&run, "GATEWAY_TOKEN");
    assert!(
        !run.out("kong").exists() && !run.out("custom").exists(),
        "only nginx's files"
    );

    let conf = run.read("nginx/claude-gateway.conf.template");
    for directive in [
        "proxy_buffering off;",
        "proxy_set_header x-api-key \"${ANTHROPIC_API_KEY}\";",
        "if ($http_authorization != \"Bearer ${GATEWAY_TOKEN}\") {",
        "proxy_pass \"https://api.anthropic.com/v1/messages\";",
        "proxy_ssl_server_name on;",
    ] {
        assert!(conf.contains(directive), "missing {directive}\n{conf}");
    }

    // Without its variables the script refuses to start, before touching anything.
    let refused = run_tool(
        "start.sh without its variables",
        start_script(&run, &[], &[("GATEWAY_TOKEN", "tok")]),
        TOOL_TIMEOUT,
    );
    assert_eq!(refused.code(), Some(1));
    assert!(
        refused.output().contains("ANTHROPIC_API_KEY is not set"),
        "{}",
        refused.output()
    );
    assert!(
        run_dirs(&run).is_empty(),
        "nothing rendered before the check"
    );
}

#[test]
fn nginx_serves_tls_1_2_and_1_3_with_the_given_certificate() {
    let port = free_port();
    let dir = temp_dir("custom-tls-cert");
    let (cert, key) = (dir.path().join("gw.pem"), dir.path().join("gw.key"));
    let mut openssl = Command::new(installed("/usr/bin/openssl"));
    openssl
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .args(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .env_clear();
    let made = run_tool("openssl req", openssl, TOOL_TIMEOUT);
    assert!(made.success(), "{}", made.output());

    // The upstream is never reached: every request here stops at the token check.
    let recipe = format!(
        r#"let gw = gateway("custom", #{{ url: "https://127.0.0.1:{port}", upstream: "http://127.0.0.1:9", upstream_api_key: secret("ANTHROPIC_API_KEY"), tls_certificate: "{}", tls_certificate_key: "{}" }});
gw.deploy("{MODEL}", provider("anthropic"));
emit(pattern("gateway", #{{ gateway: gw, auth_token: secret("GATEWAY_TOKEN") }}));
"#,
        cert.display(),
        key.display()
    );
    let run = Emitted::run(&recipe, SECRETS);
    let conf = run.read("nginx/claude-gateway.conf.template");
    assert!(
        conf.contains(&format!("listen \"127.0.0.1:{port}\" ssl;")),
        "{conf}"
    );
    assert!(conf.contains("ssl_protocols TLSv1.2 TLSv1.3;"), "{conf}");

    let vars = [
        ("ANTHROPIC_API_KEY", "sk-tls-test"),
        ("GATEWAY_TOKEN", "tok-tls-test"),
    ];
    let tested = nginx_t(&run, &vars, "prefix-tls");
    assert!(
        tested.success(),
        "nginx -t refused the TLS config:\n{}",
        tested.output()
    );
    assert!(tested.output().contains("test is successful"));

    let mut nginx = Proc::spawn("nginx (start.sh, TLS)", start_script(&run, &[], &vars));
    let base = format!("https://127.0.0.1:{port}");
    let curl = |tls: &[&str]| {
        let mut command = Command::new(installed("/usr/bin/curl"));
        command
            .args([
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--noproxy",
                "*",
                "--cacert",
            ])
            .arg(&cert)
            .args(tls)
            .args(["-X", "POST", "-d", "{}", &format!("{base}/v1/messages")])
            .env_clear();
        run_tool("curl", command, TOOL_TIMEOUT)
    };
    let up = poll_until(NGINX_READY, Duration::from_millis(100), || {
        let output = curl(&[]);
        output
            .success()
            .then_some(())
            .or_else(|| nginx.try_status().map(|_| ()))
    });
    assert!(
        up.is_some() && nginx.try_status().is_none(),
        "{}",
        nginx.diagnostics()
    );
    for tls in [
        ["--tlsv1.2", "--tls-max", "1.2"],
        ["--tlsv1.3", "--tls-max", "1.3"],
    ] {
        let output = curl(&tls);
        assert_eq!(output.stdout, "401", "{tls:?}: {}", output.output());
    }
}

// ---------------------------------------------------------------------------------------------
// Kong and the checklist

#[test]
fn the_kong_recipe_emits_a_deck_config_decks_validator_accepts() {
    let run = emit_example("custom-kong.rhai");
    assert_settings_schema_valid(&run.settings());
    assert_shell_files(&run, "GATEWAY_TOKEN");
    assert!(!run.out("nginx").exists(), "only Kong's file");

    let yaml = run.read("kong/kong.yaml");
    let config: Value = serde_norway::from_str(&yaml).expect("kong.yaml is YAML");
    assert_eq!(config["_format_version"], "3.0");
    let service = &config["services"][0];
    assert!(
        service["read_timeout"].as_i64() >= Some(600_000),
        "{service}"
    );
    assert!(
        service["write_timeout"].as_i64() >= Some(600_000),
        "{service}"
    );
    let route = &service["routes"][0];
    assert_eq!(route["paths"][0], "~/v1/messages$");
    let plugins: Vec<&str> = route["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .map(|p| p["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(plugins, ["key-auth", "ai-proxy"]);
    let ai = &route["plugins"][1]["config"];
    assert_eq!(ai["llm_format"], "anthropic");
    assert_eq!(ai["route_type"], "llm/v1/chat");
    assert_eq!(ai["auth"]["header_name"], "x-api-key");
    assert_eq!(
        ai["auth"]["header_value"],
        "{vault://env/ANTHROPIC_API_KEY}"
    );
    assert_eq!(ai["model"]["name"], MODEL);
    assert_eq!(ai["model"]["options"]["anthropic_version"], "2023-06-01");
    assert_eq!(
        route["plugins"][0]["config"]["key_names"][0],
        "authorization"
    );
    assert_eq!(
        config["consumers"][0]["keyauth_credentials"][0]["key"],
        "Bearer ${{ env `DECK_GATEWAY_TOKEN` }}"
    );

    let deck = |file: &Path| {
        let mut command = Command::new(installed("/usr/bin/deck"));
        command
            .args(["validate", "--no-color", "-s"])
            .arg(file)
            .env_clear()
            .env("HOME", run.dir())
            .env("PATH", NGINX_PATH);
        run_tool("deck validate", command, TOOL_TIMEOUT)
    };
    let validated = deck(&run.out("kong/kong.yaml"));
    assert!(
        validated.success(),
        "deck refused kong.yaml:\n{}",
        validated.output()
    );
    // The validator does check: the same file with a timeout of the wrong type is refused.
    let broken = run.dir().join("broken.yaml");
    write_file(
        &broken,
        &yaml.replace("read_timeout: 600000", "read_timeout: \"600000\""),
    );
    assert!(!deck(&broken).success(), "deck accepted a string timeout");
}

#[test]
fn the_checklist_names_the_29_second_limit_and_every_criterion() {
    let recipe = format!(
        r#"let gw = gateway("custom", #{{ url: "https://claude.corp.example/llm", server: "checklist" }});
gw.deploy("{MODEL}", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY") }}));
emit(pattern("gateway", #{{ gateway: gw, auth_token: secret("GATEWAY_TOKEN") }}));
"#
    );
    let run = Emitted::run(&recipe, SECRETS);
    assert_settings_schema_valid(&run.settings());
    assert!(
        !run.out("nginx").exists() && !run.out("kong").exists(),
        "only the checklist"
    );
    let checklist = run.read("custom/CHECKLIST.md");
    assert!(checklist.contains("29 s by default"), "{checklist}");
    assert!(checklist.contains("responseTransferMode: STREAM"));
    assert!(checklist.contains("response.streaming.enabled"));
    assert!(checklist.contains("https://claude.corp.example/llm/v1/messages"));
    // The spec's criteria, each with a way to verify it.
    for criterion in [
        "Messages API route",
        "Authentication: Bearer token",
        "Headers pass through verbatim",
        "Request body unchanged",
        "Streaming (server-sent events)",
        "Timeouts of at least 600 s",
        "Status codes and error bodies unchanged",
    ] {
        let section = checklist
            .split(criterion)
            .nth(1)
            .unwrap_or_else(|| panic!("no section for {criterion}"));
        let section = section.split("\n## ").next().unwrap_or_default();
        assert!(
            section.contains("- Verify:"),
            "{criterion} says not how to verify it"
        );
    }
    // The verify commands are shell: each code block parses.
    for block in checklist.split("```sh\n").skip(1) {
        let command_text = block.split("```").next().unwrap_or_default();
        let mut command = Command::new("bash");
        command.args(["-n", "-c", command_text]).env_clear();
        let output = run_tool("bash -n", command, TOOL_TIMEOUT);
        assert!(output.success(), "{command_text}: {}", output.output());
    }
}

// ---------------------------------------------------------------------------------------------
// End to end

#[test]
fn claude_code_reaches_the_mock_provider_through_nginx() {
    let mut mock = MockProvider::start(REPLY);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let recipe = format!(
        r#"let gw = gateway("custom", #{{ url: "{base}", upstream: "{}", upstream_api_key: secret("{UPSTREAM_KEY_VAR}") }});
gw.deploy("{MODEL}", provider("anthropic"));
emit(pattern("gateway", #{{ gateway: gw, scope: "user", model: "{MODEL}", auth_token: secret("{TOKEN_VAR}") }}));
"#,
        mock.url
    );
    let run = Emitted::run(&recipe, SECRETS);
    assert_settings_schema_valid(&run.settings());
    assert_shell_files(&run, TOKEN_VAR);
    let vars = [(UPSTREAM_KEY_VAR, UPSTREAM_KEY), (TOKEN_VAR, TOKEN)];

    // 1. nginx accepts the config: directly, and through the start script's own -t.
    let tested = nginx_t(&run, &vars, "prefix-e2e");
    assert!(tested.success(), "nginx -t:\n{}", tested.output());
    let script_tested = run_tool(
        "start.sh -t",
        start_script(&run, &["-t"], &vars),
        TOOL_TIMEOUT,
    );
    assert!(
        script_tested.success(),
        "start.sh -t:\n{}",
        script_tested.output()
    );
    assert!(
        run_dirs(&run).is_empty(),
        "start.sh -t left its directory behind"
    );

    // 2. nginx from the emitted start script; the rendered config is private and complete.
    let mut nginx = Proc::spawn("nginx (start.sh)", start_script(&run, &[], &vars));
    wait_until_serving(&mut nginx, &base);
    let [private] = <[PathBuf; 1]>::try_from(run_dirs(&run)).expect("one private directory");
    let rendered = private.join("nginx.conf");
    assert_eq!(
        mode_of(&rendered),
        0o600,
        "the rendered config holds the key"
    );
    assert_eq!(
        mode_of(&private) & 0o066,
        0,
        "no one else may list or change the directory"
    );
    let rendered_text = read_text(&rendered);
    assert!(rendered_text.contains(UPSTREAM_KEY), "{rendered_text}");
    for (name, _) in vars {
        let placeholder = format!("${{{name}}}");
        assert!(
            !rendered_text.contains(&placeholder),
            "{placeholder} left in {rendered_text}"
        );
    }

    // 3. A wrong token gets nginx's 401, and nothing reaches the upstream.
    let before = mock.records().len();
    let wrong = http_client()
        .post(format!("{base}/v1/messages"))
        .bearer_auth("not-the-token")
        .body("{}")
        .send()
        .expect("nginx answers");
    assert_eq!(wrong.status().as_u16(), 401);
    let body: Value = wrong.json().expect("a JSON error body");
    assert_eq!(body["error"]["type"], "authentication_error");
    assert_eq!(
        mock.records().len(),
        before,
        "a refused request reached the upstream"
    );

    // 4. The stream is not buffered (nor compressed): events arrive as the mock paces them.
    assert_streams_unbuffered(&base);

    // 5. The report's own verification commands, run as a person would, say the same.
    assert_report_steps_pass(&run, &vars, &mock);

    // 6. Baseline: the same client settings pointed straight at the mock, to learn the exact
    //    headers this Claude Code version sends for this model; then 7. through nginx with only
    //    what the recipe emitted: env.sh sourced, settings.json as the user settings (the
    //    recipe's scope).
    let compared =
        claude::compare_with_baseline(&run, &[(TOKEN_VAR, TOKEN)], &mut mock, &mut nginx, REPLY);
    let sent = find_messages_request(&compared.baseline, "claude-cli/")
        .unwrap_or_else(|| panic!("no baseline request recorded\n{}", mock.diagnostics()));

    // 8. What arrived upstream after the baseline: Claude Code's request, as nginx forwarded it.
    let forwarded =
        find_messages_request(&compared.through_gateway, "claude-cli/").unwrap_or_else(|| {
            panic!(
                "no /v1/messages reached the mock via nginx\n{}\n{}",
                nginx.diagnostics(),
                mock.diagnostics()
            )
        });
    assert_forwarded(sent, forwarded);
    println!(
        "sent by claude:  {}\nsent by nginx:   {}",
        describe(sent),
        describe(forwarded)
    );

    // 9. Stopping nginx removes the rendered config with the key in it.
    nginx.stop();
    assert!(
        !private.exists(),
        "start.sh left {} behind",
        private.display()
    );
}

/// The command of the report step titled `title`: the `sh` block after its heading.
fn report_command(report: &str, title: &str) -> String {
    let step = report
        .split_once(&format!(". {title}\n"))
        .unwrap_or_else(|| panic!("the report has no step {title:?}"))
        .1;
    let block = step.split_once("```sh\n").expect("a command block").1;
    block
        .split_once("\n```")
        .expect("a closed block")
        .0
        .to_owned()
}

/// Runs the report's verification commands from the output directory, with the secrets in the
/// environment, against the running nginx and mock.
fn assert_report_steps_pass(run: &Emitted, vars: &[(&str, &str)], mock: &MockProvider) {
    let report = run.read("report.md");
    let step = |title: &str| {
        let mut command = Command::new("bash");
        command
            .args(["-c", &report_command(&report, title)])
            .current_dir(run.out_dir())
            .env_clear()
            .env("PATH", NGINX_PATH)
            .env("TMPDIR", run.dir().join("tmp"))
            .envs(vars.iter().copied());
        let output = run_tool(title, command, TOOL_TIMEOUT);
        assert!(output.success(), "{title}: {}", output.output());
        output.stdout
    };
    let tested = step("nginx accepts the rendered configuration");
    assert!(tested.is_empty(), "nginx -t reports on stderr: {tested}");
    assert_eq!(
        step("A request without the gateway token is refused").trim(),
        "401"
    );

    let arrivals: Vec<f64> = step("Answers stream through unbuffered")
        .lines()
        .filter_map(|line| seconds_of_day(line.split_whitespace().next()?))
        .collect();
    let span = arrivals.last().zip(arrivals.first()).map(|(l, f)| l - f);
    assert!(
        arrivals.len() >= 10 && span.is_some_and(|s| s >= 0.3),
        "the report's streaming check sees a buffered stream: {arrivals:?}"
    );

    let before = mock.records().len();
    step("anthropic-beta reaches the upstream");
    let records = mock.records();
    let probe = records[before..]
        .iter()
        .find(|r| header(r, "anthropic-beta").is_some())
        .expect("the beta check reached the upstream");
    assert_eq!(
        header(probe, "anthropic-beta"),
        Some("gwscript-probe-unknown-beta")
    );
}

/// `HH:MM:SS.ffffff` (curl's --trace-time) as seconds since midnight.
fn seconds_of_day(time: &str) -> Option<f64> {
    let mut parts = time.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    Some(h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?)
}

/// A streamed request through nginx, read as it arrives: the first event must come long before
/// the last, as the mock spaces them 25 ms apart.
fn assert_streams_unbuffered(base: &str) {
    let body = serde_json::json!({
        "model": MODEL, "max_tokens": 64, "stream": true,
        "messages": [{ "role": "user", "content": "stream please" }],
    });
    let started = Instant::now();
    let mut response = http_client()
        .post(format!("{base}/v1/messages"))
        .bearer_auth(TOKEN)
        .header("anthropic-version", "2023-06-01")
        // A compressing hop buffers the whole stream; ask for it as a client would.
        .header("accept-encoding", "gzip")
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .expect("nginx answers");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("x-accel-buffering")
            .and_then(|v| v.to_str().ok()),
        Some("no")
    );
    assert!(
        response.headers().get("content-encoding").is_none(),
        "the stream was compressed"
    );
    let mut text = Vec::new();
    let mut first_event = None;
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = response.read(&mut chunk).expect("read the stream");
        if n == 0 {
            break;
        }
        first_event.get_or_insert_with(|| started.elapsed());
        text.extend_from_slice(&chunk[..n]);
    }
    let total = started.elapsed();
    let text = String::from_utf8_lossy(&text);
    assert!(text.starts_with("event: message_start\n"), "{text}");
    assert!(
        text.contains("event: ping\n") && text.trim_end().ends_with(r#"{"type":"message_stop"}"#),
        "{text}"
    );
    let first_event = first_event.expect("a body");
    assert!(
        total >= Duration::from_millis(500),
        "the mock paces ~40 events 25 ms apart: {total:?}"
    );
    assert!(
        first_event * 3 < total,
        "buffered: the first event came after {first_event:?} of {total:?}"
    );
}

/// The request nginx forwarded against the one Claude Code sends: same route and query, the
/// upstream key instead of the token, every anthropic-* header verbatim, the body's model kept.
fn assert_forwarded(sent: &Value, forwarded: &Value) {
    assert_eq!(forwarded["path"], "/v1/messages");
    assert_eq!(
        forwarded["query"], sent["query"],
        "the query string must pass"
    );
    assert_eq!(
        header(forwarded, "x-api-key"),
        Some(credential_fingerprint(UPSTREAM_KEY).as_str()),
        "the upstream key is injected"
    );
    assert_eq!(
        header(forwarded, "authorization"),
        None,
        "the client's Authorization is removed"
    );
    assert!(
        !carries(forwarded, TOKEN),
        "the gateway token leaked upstream"
    );
    let anthropic = |record: &Value| -> Vec<(String, String)> {
        headers(record)
            .filter(|(name, _)| name.starts_with("anthropic-"))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()
    };
    assert!(
        header(sent, "anthropic-beta").is_some(),
        "Claude Code sent no anthropic-beta"
    );
    assert_eq!(
        anthropic(forwarded),
        anthropic(sent),
        "anthropic-* headers must pass verbatim"
    );
    assert_eq!(forwarded["body"]["model"], MODEL);
    assert_eq!(forwarded["body"]["stream"], true);
    assert_eq!(
        header(forwarded, "user-agent"),
        header(sent, "user-agent"),
        "nginx passes the client's user-agent"
    );
}
