//! The LiteLLM plugin's emitted files and report, checked with the real tools they name: the real
//! LiteLLM 1.102.4 (from `target/peers/litellm-venv`), Prisma Client Python 0.11.0
//! (`prisma-venv`), the AWS CLI (`awscli-venv`) and curl, all against 127.0.0.1 only.
//!
//! What cannot run here: a database-backed proxy end to end. Prisma's query and schema engines
//! come only from Prisma's own download server (npm's `@prisma/engines` holds a postinstall
//! script that fetches them, no binaries), so these tests go as far as the Prisma CLI download:
//! with npm offline, `prisma generate` stops there. `gcloud` is in none of the registries, so the
//! Vertex credential step is checked only as text (plugin unit tests).

use gwscript_tests::files::read_text;
use gwscript_tests::shell::assert_bash_syntax;
use gwscript_tests::tool::{installed, run_bounded};
use gwscript_tests::{
    Emit, Emitted, MockProvider, Ran, SYSTEM_PATH, free_port, peers, run_tool, temp_dir,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const MASTER_KEY: &str = "sk-gwscript-litellm-test-master";
/// LiteLLM's own failure without Prisma takes a few seconds; its import alone is slow.
const LITELLM_EXIT: Duration = Duration::from_secs(180);
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// A DB-backed LiteLLM gateway on `port`.
fn database_recipe(port: u16) -> String {
    format!(
        r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{port}", master_key: secret("LITELLM_MASTER_KEY"), database_url: secret("DATABASE_URL") }});
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY") }}));
emit(pattern("gateway", #{{ gateway: gw, model: "claude-sonnet-4-5", auth_token: secret("LITELLM_MASTER_KEY") }}));
"#
    )
}

/// `gwscript run --format json`: the emitted files and the report as data.
fn emit_json(recipe: &str) -> (Emitted, Value) {
    let emitted = Emit::new(recipe)
        .secrets(&[("LITELLM_MASTER_KEY", MASTER_KEY)])
        .args(&["--format", "json"])
        .run();
    let report = serde_json::from_str(&emitted.stdout)
        .unwrap_or_else(|e| panic!("the JSON report does not parse: {e}\n{}", emitted.stdout));
    (emitted, report)
}

/// The body of the report's configuration block titled `title`.
fn block<'a>(report: &'a Value, title: &str) -> &'a str {
    report["configuration"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|block| block["title"] == title)
        .and_then(|block| block["body"].as_str())
        .unwrap_or_else(|| panic!("no {title:?} block in {report}"))
}

/// The report's verification steps as (title, command).
fn verification(report: &Value) -> Vec<(String, String)> {
    report["verification"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|step| {
            Some((
                step["title"].as_str()?.to_owned(),
                step["command"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

/// `lib/python3.X/site-packages` of a venv.
fn site_packages(venv: &Path) -> PathBuf {
    let lib = venv.join("lib");
    std::fs::read_dir(&lib)
        .unwrap_or_else(|e| panic!("{}: {e}", lib.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("site-packages"))
        .find(|path| path.is_dir())
        .unwrap_or_else(|| panic!("no site-packages under {}", lib.display()))
}

/// A venv of the peers directory (`target/peers/NAME`).
fn peer_venv(name: &str) -> PathBuf {
    let litellm_bin = peers().litellm_bin_dir;
    let root = litellm_bin
        .ancestors()
        .nth(2)
        .unwrap_or_else(|| panic!("unexpected peer layout {}", litellm_bin.display()));
    let venv = root.join(name);
    assert!(
        venv.join("bin/python").exists(),
        "{} is missing; install it with `bash tests/peers/install.sh`",
        venv.display()
    );
    venv
}

fn litellm_site() -> PathBuf {
    let site = site_packages(&peers().litellm_bin_dir.join(".."));
    std::fs::canonicalize(&site).unwrap_or_else(|e| panic!("{}: {e}", site.display()))
}

/// `bash SCRIPT` (or `bash -c COMMAND`) in `dir` with only `env`, bounded.
fn bash(name: &str, dir: &Path, args: &[&str], env: &[(&str, &str)], timeout: Duration) -> Ran {
    let mut command = Command::new("bash");
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied());
    run_bounded(name, command, timeout).unwrap_or_else(|e| panic!("{e}"))
}

/// What the proxy needs to start offline, with the database pointed at a closed loopback port.
fn proxy_env<'a>(path: &'a str, home: &'a str, database_url: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("PATH", path),
        ("HOME", home),
        ("LITELLM_MASTER_KEY", MASTER_KEY),
        ("ANTHROPIC_API_KEY", "sk-ant-gwscript-unused"),
        ("DATABASE_URL", database_url),
        ("LITELLM_LOCAL_MODEL_COST_MAP", "True"),
        ("LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS", "True"),
    ]
}

/// The version a `NAME==VERSION` pin in `text` names.
fn pinned(text: &str, name: &str) -> String {
    let marker = format!("'{name}==");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} pin in {text}"))
        + marker.len();
    text[start..]
        .split('\'')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Whether `version` meets a PEP 440 specifier of plain comparisons (`>=0.11.0,<1.0`).
fn satisfies(version: &str, specifier: &str) -> bool {
    let parse = |v: &str| -> Vec<u64> {
        v.trim()
            .split('.')
            .map(|part| {
                part.parse()
                    .unwrap_or_else(|_| panic!("not a release: {v}"))
            })
            .collect()
    };
    let have = parse(version);
    specifier.split(',').all(|clause| {
        let clause = clause.trim();
        let (op, wanted) = ["==", ">=", "<=", "!=", ">", "<"]
            .iter()
            .find_map(|op| clause.strip_prefix(op).map(|rest| (*op, parse(rest))))
            .unwrap_or_else(|| panic!("unsupported clause {clause:?}"));
        let width = have.len().max(wanted.len());
        let pad = |v: &[u64]| -> Vec<u64> {
            let mut v = v.to_vec();
            v.resize(width, 0);
            v
        };
        let ordering = pad(&have).cmp(&pad(&wanted));
        match op {
            "==" => ordering.is_eq(),
            "!=" => !ordering.is_eq(),
            ">=" => ordering.is_ge(),
            "<=" => ordering.is_le(),
            ">" => ordering.is_gt(),
            _ => ordering.is_lt(),
        }
    })
}

/// LiteLLM's own requirement on `package`, from its installed metadata: `(specifier, marker)`.
fn litellm_requirement(package: &str) -> (String, String) {
    let metadata = read_text(&litellm_site().join("litellm-1.102.4.dist-info/METADATA"));
    let prefix = format!("Requires-Dist: {package}");
    let line = metadata
        .lines()
        .find(|line| {
            line.strip_prefix(&prefix)
                .is_some_and(|rest| rest.starts_with(['>', '<', '=', '!', ' ']))
        })
        .unwrap_or_else(|| panic!("LiteLLM 1.102.4 declares no {package}"));
    let rest = &line[prefix.len()..];
    let (specifier, marker) = rest.split_once(';').unwrap_or((rest, ""));
    (specifier.trim().to_owned(), marker.trim().to_owned())
}

#[test]
fn specifier_check_is_itself_sound() {
    assert!(satisfies("0.11.0", ">=0.11.0,<1.0"));
    assert!(!satisfies("1.0.0", ">=0.11.0,<1.0"));
    assert!(!satisfies("0.10.9", ">=0.11.0,<1.0"));
    assert!(satisfies("0.4.97", "==0.4.97"));
}

/// Item 6, statically: the install line pins a Prisma that LiteLLM's own metadata accepts (and
/// that the peers install), the schema the generate step names is the installed LiteLLM's, and
/// start.sh runs its steps in order.
#[test]
fn database_setup_pins_what_litellm_requires_and_prepares_prisma_in_order() {
    let (emitted, report) = emit_json(&database_recipe(4000));
    let install = block(&report, "Install LiteLLM");
    let version = pinned(install, "prisma");
    let (specifier, marker) = litellm_requirement("prisma");
    assert_eq!(marker, "extra == 'extra-proxy'", "LiteLLM moved prisma");
    assert!(
        satisfies(&version, &specifier),
        "prisma=={version} does not meet LiteLLM 1.102.4's prisma{specifier}"
    );
    assert_eq!(pinned(install, "litellm[proxy]"), "1.102.4");
    let prisma_dist =
        site_packages(&peer_venv("prisma-venv")).join(format!("prisma-{version}.dist-info"));
    assert!(
        prisma_dist.is_dir(),
        "the peers install another prisma than {version}"
    );
    // The migrations LiteLLM applies at start come with litellm[proxy].
    let (extras, extras_marker) = litellm_requirement("litellm-proxy-extras");
    assert_eq!(extras_marker, "extra == 'proxy'");
    let extras_version = extras.trim_start_matches("==");
    assert!(
        litellm_site()
            .join(format!("litellm_proxy_extras-{extras_version}.dist-info"))
            .is_dir()
    );
    assert!(
        litellm_site()
            .join("litellm_proxy_extras/migrations")
            .is_dir()
    );

    // The generate step's schema locator, run with LiteLLM's own Python, finds the real schema.
    let generate = install
        .lines()
        .find(|line| line.starts_with("prisma generate --schema "))
        .unwrap_or_else(|| panic!("no generate step in {install}"));
    let locate = generate
        .split_once("$(")
        .and_then(|(_, rest)| rest.strip_suffix(")\""))
        .unwrap_or_else(|| panic!("unexpected generate step {generate}"));
    let path = format!("{}:{SYSTEM_PATH}", peers().litellm_bin_dir.display());
    let ran = bash(
        "schema locator",
        emitted.dir(),
        &["-c", locate],
        &[("PATH", &path)],
        SCRIPT_TIMEOUT,
    );
    assert!(ran.success(), "{}", ran.diagnostics());
    let schema = litellm_site().join("litellm/proxy/schema.prisma");
    assert_eq!(Path::new(ran.stdout.trim()), schema);
    assert!(schema.is_file());

    let start_command = block(&report, "Start LiteLLM");
    assert!(
        start_command.ends_with(" --enforce_prisma_migration_check"),
        "{start_command}"
    );

    let start_sh = emitted.out("litellm/start.sh");
    assert_bash_syntax(&start_sh);
    let script = read_text(&start_sh);
    let line_of = |needle: &str| {
        script
            .lines()
            .position(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("start.sh lacks {needle:?}:\n{script}"))
    };
    let order = [
        line_of(&format!(
            "#   {}",
            install.lines().next().unwrap_or_default()
        )),
        line_of("require_env 'DATABASE_URL'"),
        line_of("pip install 'prisma==0.11.0'\" >&2"),
        line_of("-m prisma generate --schema \"$schema\""),
        line_of("exec litellm --config"),
    ];
    assert!(
        order.is_sorted(),
        "start.sh steps out of order {order:?}:\n{script}"
    );
    assert!(
        script
            .lines()
            .nth(order[4])
            .unwrap_or_default()
            .ends_with(" --enforce_prisma_migration_check")
    );
}

/// Item 6 on the real LiteLLM without Prisma: what the old start.sh ran (`exec litellm …` after
/// the variable checks) dies at startup on the missing module; the new one stops before LiteLLM
/// with the install line.
#[test]
fn without_prisma_litellm_dies_and_start_sh_refuses_first() {
    let (emitted, _) = emit_json(&database_recipe(free_port()));
    let home = temp_dir("litellm-home");
    let database_url = format!(
        "postgresql://gwscript:unused@127.0.0.1:{}/litellm",
        free_port()
    );
    let path = format!("{}:{SYSTEM_PATH}", peers().litellm_bin_dir.display());
    let home_text = home.path().to_string_lossy().into_owned();
    let env = proxy_env(&path, &home_text, &database_url);

    let config = emitted.out("litellm/config.yaml").display().to_string();
    let old = bash(
        "litellm (as the old start.sh ran it)",
        emitted.dir(),
        &[
            "-c",
            &format!(
                "exec litellm --config '{config}' --host 127.0.0.1 --port {}",
                free_port()
            ),
        ],
        &env,
        LITELLM_EXIT,
    );
    assert!(
        !old.success(),
        "LiteLLM started without Prisma\n{}",
        old.diagnostics()
    );
    assert!(
        old.output().contains("No module named 'prisma'"),
        "LiteLLM failed otherwise\n{}",
        old.diagnostics()
    );

    let new = bash(
        "start.sh",
        emitted.dir(),
        &[&emitted.out("litellm/start.sh").to_string_lossy()],
        &env,
        SCRIPT_TIMEOUT,
    );
    assert_eq!(new.code(), Some(1), "{}", new.diagnostics());
    assert!(
        new.stderr
            .contains("database_url needs Prisma Client Python beside LiteLLM")
            && new.stderr.contains("pip install 'prisma==0.11.0'"),
        "{}",
        new.diagnostics()
    );
    assert!(
        !new.output().contains("No module named"),
        "{}",
        new.diagnostics()
    );
}

/// An environment holding LiteLLM 1.102.4 and prisma 0.11.0 together, as the install line makes
/// one: a venv whose path file adds the two peer venvs' packages (LiteLLM's first, so its pinned
/// dependencies win), with the console scripts pip would write for both.
fn litellm_with_prisma(dir: &Path) -> PathBuf {
    let venv = dir.join("litellm-db-venv");
    // LiteLLM's own interpreter, so the compiled packages of its venv load.
    let mut command = Command::new(peers().litellm_bin_dir.join("python3"));
    command
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .env_clear()
        .env("PATH", SYSTEM_PATH);
    let ran = run_tool("python3 -m venv", command, SCRIPT_TIMEOUT);
    assert!(ran.success(), "{}", ran.diagnostics());
    let paths = format!(
        "{}\n{}\n",
        litellm_site().display(),
        site_packages(&peer_venv("prisma-venv")).display()
    );
    std::fs::write(site_packages(&venv).join("peers.pth"), paths).expect("path file written");
    let python = venv.join("bin/python");
    for (script, call) in [
        (
            "litellm",
            "from litellm.proxy.proxy_cli import run_server as main",
        ),
        ("prisma", "from prisma.cli import main"),
        ("prisma-client-py", "from prisma.cli import main"),
    ] {
        let path = venv.join("bin").join(script);
        std::fs::write(
            &path,
            format!(
                "#!{}\nimport sys\n{call}\nsys.exit(main())\n",
                python.display()
            ),
        )
        .expect("script written");
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("script made executable");
    }
    venv
}

/// Item 6 as far as the registries allow: with prisma beside LiteLLM, start.sh gets past the
/// missing module and generates the client from the installed LiteLLM's schema; the Prisma CLI
/// download (npm, then Prisma's engine server) is where it stops here, with npm kept offline.
#[test]
fn with_prisma_beside_litellm_start_sh_generates_from_litellms_schema() {
    installed("/usr/bin/node"); // prisma runs its CLI on Node.js; without one it would fetch one
    let (emitted, _) = emit_json(&database_recipe(free_port()));
    let home = temp_dir("litellm-db-home");
    let venv = litellm_with_prisma(home.path());
    let path = format!("{}:{SYSTEM_PATH}", venv.join("bin").display());
    let database_url = format!(
        "postgresql://gwscript:unused@127.0.0.1:{}/litellm",
        free_port()
    );
    let home_text = home.path().to_string_lossy().into_owned();
    let npm_cache = home.path().join("npm-cache").to_string_lossy().into_owned();
    let mut env = proxy_env(&path, &home_text, &database_url);
    env.extend([
        ("npm_config_offline", "true"),
        ("npm_config_cache", npm_cache.as_str()),
    ]);

    let ran = bash(
        "start.sh (LiteLLM with prisma)",
        emitted.dir(),
        &[&emitted.out("litellm/start.sh").to_string_lossy()],
        &env,
        SCRIPT_TIMEOUT,
    );
    let schema = litellm_site().join("litellm/proxy/schema.prisma");
    let said = ran.output();
    for step in [
        format!(
            "generating LiteLLM's Prisma client from {}",
            schema.display()
        ),
        "Installing Prisma CLI".to_owned(),
        "ENOTCACHED".to_owned(),
        "start.sh: prisma generate failed".to_owned(),
    ] {
        assert!(
            said.contains(&step),
            "missing {step:?}\n{}",
            ran.diagnostics()
        );
    }
    assert_eq!(ran.code(), Some(1), "{}", ran.diagnostics());
    assert!(!said.contains("No module named"), "{}", ran.diagnostics());
    assert!(
        !said.contains("Proxy initialized"),
        "LiteLLM started without its client"
    );
}

/// Item 12: every curl step of the report, run as printed against the real LiteLLM on the emitted
/// config (in front of the mock provider).
#[test]
fn report_curl_steps_work_against_the_real_litellm() {
    const GROUP: &str = "claude-sonnet-4-5";
    installed("/usr/bin/curl");
    let mock = MockProvider::start("OK");
    let port = free_port();
    let (emitted, report) = emit_json(&format!(
        r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{port}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("{GROUP}", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY"), api_base: "{}" }}));
emit(pattern("gateway", #{{ gateway: gw, model: "{GROUP}", auth_token: secret("CLAUDE_GATEWAY_KEY") }}));
"#,
        mock.url
    ));
    let mut litellm = gwscript_tests::litellm::start(
        &emitted,
        port,
        &[
            ("LITELLM_MASTER_KEY", MASTER_KEY),
            ("ANTHROPIC_API_KEY", "sk-ant-gwscript-unused"),
        ],
    );

    // Without a database the client's variable must hold the master key itself.
    let shell_env = [
        ("PATH", SYSTEM_PATH),
        ("LITELLM_MASTER_KEY", MASTER_KEY),
        ("CLAUDE_GATEWAY_KEY", MASTER_KEY),
    ];
    let steps: Vec<(String, String)> = verification(&report)
        .into_iter()
        .filter(|(_, command)| command.starts_with("curl "))
        .collect();
    let run = |command: &str| {
        bash(
            "report step",
            emitted.dir(),
            &["-c", command],
            &shell_env,
            SCRIPT_TIMEOUT,
        )
    };
    let mut seen = Vec::new();
    for (title, command) in &steps {
        let ran = run(command);
        let context = format!(
            "{title}: {command}\n{}\n{}",
            ran.diagnostics(),
            litellm.diagnostics()
        );
        if command.contains("/health/liveliness") {
            assert!(ran.success(), "{context}");
            seen.push("liveness");
        } else if command.contains("/health'") {
            assert!(ran.success(), "{context}");
            let health: Value =
                serde_json::from_str(&ran.stdout).unwrap_or_else(|e| panic!("{e}: {}", context));
            assert_eq!(health["healthy_count"], 1, "{context}");
            assert_eq!(health["unhealthy_count"], 0, "{context}");
            seen.push("health");
        } else if command.contains("/key/generate") {
            // Without a database LiteLLM 1.102.4 answers a bare 500 (curl -f: exit 22); its log
            // names the cause.
            assert_eq!(ran.code(), Some(22), "{context}");
            let log = format!("{}{}", litellm.stdout(), litellm.stderr());
            assert!(log.contains("DB not connected"), "{context}");
            seen.push("key");
        } else if command.contains("/v1/models") {
            assert!(ran.success(), "{context}");
            let models: Value =
                serde_json::from_str(&ran.stdout).unwrap_or_else(|e| panic!("{e}: {}", context));
            let ids: Vec<&str> = models["data"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["id"].as_str())
                .collect();
            assert!(ids.contains(&GROUP), "{ids:?}\n{}", context);
            seen.push("models");
        } else {
            panic!("an unexpected curl step: {}", context);
        }
    }
    assert_eq!(seen, ["liveness", "health", "key", "models"]);
    // The same steps fail with a wrong key: they check something.
    let wrong = [
        ("PATH", SYSTEM_PATH),
        ("LITELLM_MASTER_KEY", "sk-wrong"),
        ("CLAUDE_GATEWAY_KEY", "sk-wrong"),
    ];
    for (_, command) in steps.iter().filter(|(_, c)| c.contains("Bearer")) {
        let ran = bash(
            "report step, wrong key",
            emitted.dir(),
            &["-c", command],
            &wrong,
            SCRIPT_TIMEOUT,
        );
        assert!(!ran.success(), "{command} passed with a wrong key");
    }
    litellm.stop();
}

/// Item 12: the report's AWS steps are real AWS CLI invocations: run as printed, they reach the
/// service operations they name (STS GetCallerIdentity, Bedrock GetFoundationModelAvailability in
/// the deployment's region) at a loopback endpoint, with made-up credentials.
#[test]
fn report_aws_steps_are_real_cli_invocations() {
    let (emitted, report) = emit_json(
        r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000", master_key: secret("LITELLM_MASTER_KEY") });
gw.deploy("claude-sonnet-4-5", provider("bedrock", #{ region: "eu-central-1", model: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0" }));
emit(pattern("gateway", #{ gateway: gw, model: "claude-sonnet-4-5", auth_token: secret("LITELLM_MASTER_KEY") }));
"#,
    );
    let aws: Vec<String> = verification(&report)
        .into_iter()
        .map(|(_, command)| command)
        .filter(|command| command.starts_with("aws "))
        .collect();
    assert_eq!(aws.len(), 2, "{aws:?}");
    let mock = MockProvider::start("OK");
    let home = temp_dir("aws-home");
    let home_text = home.path().to_string_lossy().into_owned();
    let path = format!(
        "{}:{SYSTEM_PATH}",
        peer_venv("awscli-venv").join("bin").display()
    );
    let env = [
        ("PATH", path.as_str()),
        ("HOME", home_text.as_str()),
        ("AWS_ACCESS_KEY_ID", "AKIAGWSCRIPTTEST"),
        ("AWS_SECRET_ACCESS_KEY", "gwscript-made-up-secret"),
        ("AWS_ENDPOINT_URL", mock.url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_DEFAULT_REGION", "us-west-2"),
        ("AWS_MAX_ATTEMPTS", "1"),
    ];
    let run = |command: &str| bash("aws", emitted.dir(), &["-c", command], &env, SCRIPT_TIMEOUT);
    // A misspelt operation is refused before anything is sent: the check below can fail.
    let typo = run("aws bedrock get-foundation-model-availabilty --model-id x");
    assert_eq!(typo.code(), Some(2), "{}", typo.diagnostics());
    assert!(mock.records().is_empty());
    for command in &aws {
        // The mock is no AWS service: the CLI sends the request, then fails on the answer.
        let ran = run(command);
        assert_ne!(
            ran.code(),
            Some(2),
            "the AWS CLI refused {command}\n{}",
            ran.diagnostics()
        );
    }
    let sent: Vec<(String, String, String)> = mock
        .records()
        .iter()
        .map(|r| {
            let authorization = r["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|h| h[0] == "authorization")
                .and_then(|h| h[1].as_str())
                .unwrap_or_default();
            let scope = authorization
                .split('/')
                .skip(2)
                .take(2)
                .collect::<Vec<_>>()
                .join("/");
            (
                r["method"].as_str().unwrap_or_default().to_owned(),
                format!(
                    "{} {}",
                    r["path"].as_str().unwrap_or_default(),
                    r["body"].as_str().unwrap_or_default()
                ),
                scope,
            )
        })
        .collect();
    assert!(
        sent.iter()
            .any(|(method, what, _)| method == "POST" && what.contains("Action=GetCallerIdentity")),
        "{sent:?}"
    );
    assert!(
        sent.iter().any(|(method, what, scope)| method == "GET"
            && what.starts_with(
                "/foundation-model-availability/anthropic.claude-sonnet-4-5-20250929-v1%3A0 "
            )
            && scope == "eu-central-1/bedrock"),
        "{sent:?}"
    );
}

/// The "How to fix" snippets of the LiteLLM pages, each run as a recipe: a page's own fix must
/// not raise that page's code, nor any recipe error (GW1xxx). A snippet is completed the way a
/// reader would: a gateway when it uses `gw` without declaring one and, unless it emits itself,
/// a deployment for every model group it names without deploying, and an emit.
#[test]
fn every_fix_on_the_litellm_pages_passes_the_current_checks() {
    let pages = gwscript_tests::files::repo_root().join("plugins/litellm/diagnostics");
    let mut checked = 0;
    let mut problems = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&pages)
        .expect("the pages are readable")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    entries.sort();
    for page in entries {
        let code = page
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let text = read_text(&page);
        let fix = text
            .split("## How to fix")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .unwrap_or_default();
        for snippet in rhai_blocks(fix) {
            let recipe = completed(&snippet);
            let emitted = Emit::new(&recipe).attempt();
            let said = format!("{}{}", emitted.stdout, emitted.stderr);
            if said.contains(&format!("[{code}]")) {
                problems.push(format!("{code}'s own fix raises {code}:\n{recipe}\n{said}"));
            }
            if said.contains("error[GW1") {
                problems.push(format!(
                    "{code}'s fix is not a valid recipe:\n{recipe}\n{said}"
                ));
            }
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} snippets found");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The ```rhai blocks of a markdown section.
fn rhai_blocks(markdown: &str) -> Vec<String> {
    markdown
        .split("```rhai\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .map(str::to_owned)
        .collect()
}

/// `snippet` made a whole recipe (see the test above).
fn completed(snippet: &str) -> String {
    let quoted = |prefix: &str| -> Vec<String> {
        snippet
            .split(prefix)
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_owned)
            .collect()
    };
    let deployed = quoted("deploy(\"");
    let mut named: Vec<String> = quoted("\"claude-");
    named = named
        .into_iter()
        .map(|rest| format!("claude-{rest}"))
        .collect();
    named.retain(|name| !name.contains('*'));
    named.dedup();
    let mut recipe = String::new();
    if !snippet.contains("let gw") {
        recipe.push_str(
            "let gw = gateway(\"litellm\", #{ url: \"http://127.0.0.1:4000\", master_key: secret(\"LITELLM_MASTER_KEY\") });\n",
        );
    }
    recipe.push_str(snippet);
    if snippet.contains("emit(") {
        return recipe; // a whole recipe already
    }
    let mut served = deployed.clone();
    for name in named.iter().filter(|name| !deployed.contains(name)) {
        if !served.contains(name) {
            recipe.push_str(&format!(
                "gw.deploy(\"{name}\", provider(\"anthropic\", #{{ api_key: secret(\"ANTHROPIC_API_KEY\") }}));\n"
            ));
            served.push(name.clone());
        }
    }
    if served.is_empty() {
        recipe.push_str(
            "gw.deploy(\"claude-sonnet-4-5\", provider(\"anthropic\", #{ api_key: secret(\"ANTHROPIC_API_KEY\") }));\n",
        );
        served.push("claude-sonnet-4-5".into());
    }
    let model = served
        .iter()
        .find(|name| !name.contains('*'))
        .cloned()
        .unwrap_or_else(|| "claude-haiku-4-5".into());
    recipe.push_str(&format!(
        "emit(pattern(\"gateway\", #{{ gateway: gw, model: \"{model}\", auth_token: secret(\"LITELLM_MASTER_KEY\") }}));\n"
    ));
    recipe
}
