//! Claude Code's side of `direct` and `proxy` setups on Bedrock and Vertex AI, run for real: the
//! recipe through `gwscript run`, then the real Claude Code with only the emitted files (settings
//! as the user settings, `env.sh` sourced), its provider endpoint on gwscript's mock, which
//! records every request, including the paths it answers with 404. Claude Code sends the model
//! variables verbatim as the provider's model id, so the path it requests shows whether gwscript
//! wrote an id the cloud has (`/model/eu.anthropic.…-v1:0/…`, `…/models/…@20250805:…`).
//!
//! The provider options are shown to take effect where Claude Code can show it: `api_base` is
//! the endpoint the requests reach; `aws_profile_name`, `region` and the AWS keys by reference
//! sign the requests (the SigV4 credential scope names the key and the region); `credentials`
//! is the service-account file whose key signs the Vertex token; `project` and `region` are in
//! the Vertex path. Everything stays on 127.0.0.1; the keys are throwaway ones.

use gwscript_tests::claude::{CLAUDE_TIMEOUT, Isolated, PROMPT, UNDER_EVERY_RUN};
use gwscript_tests::files::write_file;
use gwscript_tests::mock::{credential_fingerprint, header};
use gwscript_tests::proxy::Tinyproxy;
use gwscript_tests::tool::run_bounded;
use gwscript_tests::{Emit, Emitted, MockProvider, Ran, peers};
use serde_json::{Value, json};
use std::path::Path;

const REPLY: &str = "Hello from the gwscript mock, as a cloud provider.";
/// A profile in the isolated `~/.aws/credentials`, with a throwaway key.
const AWS_PROFILE: &str = "gwscript-test";
const PROFILE_KEY_ID: &str = "AKIAGWSCRIPTPROFILE01";
/// The keys a recipe names by reference, with throwaway values.
const SECRET_KEY_ID: &str = "AKIAGWSCRIPTSECRET001";
const SECRET_ACCESS_KEY: &str = "gwscript-throwaway-secret-access-key";
const VERTEX_PROJECT: &str = "gwscript-project";
const SERVICE_ACCOUNT: &str = "claude@gwscript-project.iam.gserviceaccount.com";
const SERVICE_ACCOUNT_KEY_ID: &str = "gwscript-throwaway-key";

/// What one `claude -p` run asked the mock for: the model requests it made, oldest first.
struct Asked {
    ran: Ran,
    requests: Vec<Value>,
}

impl Asked {
    /// The prompt's own request: the first streaming one (Bedrock `…/invoke-with-response-stream`,
    /// Vertex `…:streamRawPredict`). With cloud credentials Claude Code first probes which
    /// models the account has, with small non-streaming requests to its own list of ids.
    fn first(&self) -> &Value {
        self.requests
            .iter()
            .find(|r| is_prompt_request(r))
            .unwrap_or_else(|| {
                panic!(
                    "Claude Code made no streaming model request\n{}\n{}",
                    self.ran.diagnostics(),
                    self.paths()
                )
            })
    }

    fn first_path(&self) -> &str {
        self.first()["path"].as_str().unwrap_or_default()
    }

    fn paths(&self) -> String {
        let paths: Vec<&str> = self
            .requests
            .iter()
            .filter_map(|r| r["path"].as_str())
            .collect();
        format!("requested: {paths:?}")
    }
}

fn is_prompt_request(record: &Value) -> bool {
    let path = record["path"].as_str().unwrap_or_default();
    record["method"] == "POST"
        && (path.ends_with("/invoke-with-response-stream") || path.ends_with(":streamRawPredict"))
}

/// `claude -p PROMPT` (with `args` before the prompt) in an isolated HOME holding `home_files`,
/// with only what `emitted` wrote: its settings as the user settings and its `env.sh` sourced
/// under `set -u`, over [`UNDER_EVERY_RUN`] and `env` (secret values, test-only switches).
/// Returns the requests the mock recorded during the run. Claude Code may fail (the mock answers
/// Bedrock with 404).
fn ask(
    emitted: &Emitted,
    mock: &mut MockProvider,
    home_files: &[(&str, &str)],
    args: &[&str],
    env: &[(&str, &str)],
) -> Asked {
    let isolated = Isolated::new();
    isolated.install_user_settings(&emitted.read("claude/settings.json"));
    for (path, text) in home_files {
        write_file(&isolated.home().join(path), text);
    }
    let before = mock.records().len();
    let mut command = isolated.command("bash");
    command
        .args(["-c", r#"set -u; . "$1" && shift && exec "$@""#, "bash"])
        .arg(emitted.out("claude/env.sh"))
        .arg(peers().claude)
        .arg("-p")
        .args(args)
        .arg(PROMPT)
        .envs(UNDER_EVERY_RUN.iter().chain(env).copied());
    let ran = run_bounded("claude -p (emitted files)", command, CLAUDE_TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}\n{}", mock.diagnostics()));
    Asked {
        ran,
        requests: mock.records().into_iter().skip(before).collect(),
    }
}

/// The SigV4 credential scope of a signed Bedrock request: `KEY_ID/DATE/REGION/bedrock/aws4_request`.
fn credential_scope(record: &Value) -> String {
    let authorization = header(record, "authorization").unwrap_or_default();
    let scope = authorization
        .split("Credential=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_else(|| panic!("not a SigV4 signature: {authorization:?}"));
    let parts: Vec<&str> = scope.split('/').collect();
    // The date in the middle changes; the key, region and service do not.
    format!("{}/{}/{}", parts[0], parts[2], parts[3])
}

#[test]
fn bedrock_direct_claude_code_asks_for_the_regions_inference_profiles() {
    let mut mock = MockProvider::start(REPLY);
    let emitted = Emit::new(&format!(
        r#"emit(pattern("direct", #{{
    provider: provider("bedrock", #{{ region: "eu-central-1", aws_profile_name: "{AWS_PROFILE}", api_base: "{url}" }}),
    model: "claude-sonnet-4-5",
    opus_model: "claude-opus-4-5",
    background_model: "claude-haiku-4-5",
    env: #{{ ANTHROPIC_BASE_URL: "http://127.0.0.1:9", ANTHROPIC_MODEL: "claude-opus-4-1" }},
}}));"#,
        url = mock.url
    ))
    .run();
    gwscript_tests::assert_settings_schema_valid(&emitted.settings());

    // Claude Code would ignore the base URL under Bedrock, and the pattern's model wins: both
    // said, neither written.
    for warning in [
        "warning[GW5009]: Claude Code ignores ANTHROPIC_BASE_URL when it talks to Bedrock",
        "warning[GW5010]: env sets ANTHROPIC_MODEL, which the pattern sets itself; Claude Code gets \"eu.anthropic.claude-sonnet-4-5-20250929-v1:0\"",
    ] {
        assert!(emitted.stderr.contains(warning), "{}", emitted.stderr);
    }
    let env = emitted.settings_env();
    assert!(!env.contains_key("ANTHROPIC_BASE_URL"), "{env:?}");
    assert_eq!(
        env["ANTHROPIC_DEFAULT_HAIKU_MODEL"],
        "eu.anthropic.claude-haiku-4-5-20251001-v1:0"
    );

    // The main model, with nothing but the emitted files and the profile's credentials file:
    // the emitted endpoint is reached, and the profile's key signs for the emitted region.
    let credentials = format!(
        "[{AWS_PROFILE}]\naws_access_key_id = {PROFILE_KEY_ID}\naws_secret_access_key = gwscript-throwaway\n"
    );
    let main = ask(
        &emitted,
        &mut mock,
        &[(".aws/credentials", &credentials)],
        &[],
        &[],
    );
    assert_eq!(
        main.first_path(),
        "/model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream",
        "{}",
        main.paths()
    );
    assert_eq!(
        credential_scope(main.first()),
        format!("{PROFILE_KEY_ID}/eu-central-1/bedrock")
    );

    // An alias, the way the brief's recorder setup does it: endpoint and auth skip from the test.
    let url = mock.url.clone();
    let opus = ask(
        &emitted,
        &mut mock,
        &[],
        &["--model", "opus"],
        &[
            ("ANTHROPIC_BEDROCK_BASE_URL", &url),
            ("CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1"),
        ],
    );
    assert_eq!(
        opus.first_path(),
        "/model/eu.anthropic.claude-opus-4-5-20251101-v1:0/invoke-with-response-stream",
        "{}",
        opus.paths()
    );
}

#[test]
fn bedrock_keys_given_by_reference_sign_the_requests() {
    let mut mock = MockProvider::start(REPLY);
    let secrets = [
        ("TEAM_AWS_KEY_ID", SECRET_KEY_ID),
        ("TEAM_AWS_SECRET", SECRET_ACCESS_KEY),
    ];
    let emitted = Emit::new(&format!(
        r#"emit(pattern("direct", #{{
    provider: provider("bedrock", #{{ aws_region_name: "ap-northeast-1", endpoint: "{url}",
        aws_access_key_id: secret("TEAM_AWS_KEY_ID"), aws_secret_access_key: secret("TEAM_AWS_SECRET") }}),
    model: "claude-sonnet-4-5",
}}));"#,
        url = mock.url
    ))
    .secrets(&secrets)
    .run();
    let settings = emitted.read("claude/settings.json");
    assert!(!settings.contains("AWS_SECRET_ACCESS_KEY"), "{settings}");
    let asked = ask(&emitted, &mut mock, &[], &[], &secrets);
    assert_eq!(
        asked.first_path(),
        "/model/apac.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream",
        "{}",
        asked.paths()
    );
    assert_eq!(
        credential_scope(asked.first()),
        format!("{SECRET_KEY_ID}/ap-northeast-1/bedrock")
    );
}

#[test]
fn bedrock_through_the_proxy_pattern_asks_for_the_profile_too() {
    let mut mock = MockProvider::start(REPLY);
    let mut proxy = Tinyproxy::start("gwscript-proxy-user", "gwscript-proxy-pass");
    let emitted = Emit::new(&format!(
        r#"emit(pattern("proxy", #{{
    provider: provider("bedrock", #{{ region: "us-west-2", api_base: "{url}" }}),
    proxy: #{{ url: "{proxy}", username: secret("PROXY_USER"), password: secret("PROXY_PASSWORD") }},
    model: "claude-haiku-4-5",
    sonnet_model: "claude-sonnet-4-5",
}}));"#,
        url = mock.url,
        proxy = proxy.url
    ))
    .secrets(&[
        ("PROXY_USER", "gwscript-proxy-user"),
        ("PROXY_PASSWORD", "gwscript-proxy-pass"),
    ])
    .run();
    let asked = ask(
        &emitted,
        &mut mock,
        &[],
        &["--model", "sonnet"],
        &[
            ("PROXY_USER", "gwscript-proxy-user"),
            ("PROXY_PASSWORD", "gwscript-proxy-pass"),
            ("CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1"),
        ],
    );
    assert_eq!(
        asked.first_path(),
        "/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream",
        "{}",
        asked.paths()
    );
    let via = header(asked.first(), "via").unwrap_or_default();
    assert!(
        via.contains("tinyproxy"),
        "not through the proxy: via {via:?}\n{}",
        proxy.proc.diagnostics()
    );
}

/// A throwaway service-account file: an RSA key made for the test, and a universe of its own,
/// which makes Google's auth library sign its own token with the key (no token exchange).
fn service_account(dir: &Path) -> std::path::PathBuf {
    let private_key = gwscript_tests::keys::rsa_private_key(&dir.join("key.pem"));
    let file = dir.join("service-account.json");
    let account = json!({
        "type": "service_account",
        "project_id": VERTEX_PROJECT,
        "private_key_id": SERVICE_ACCOUNT_KEY_ID,
        "private_key": private_key,
        "client_email": SERVICE_ACCOUNT,
        "client_id": "1",
        "token_uri": "http://127.0.0.1:9/token",
        "universe_domain": "gwscript.test",
    });
    write_file(&file, &account.to_string());
    file
}

/// The JSON of one segment (0: header, 1: claims) of the Bearer token on `record`.
fn bearer_segment(record: &Value, index: usize) -> Value {
    let token = header(record, "authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap_or_else(|| panic!("no Bearer token: {record}"));
    let segment = token.split('.').nth(index).expect("a JWT segment");
    serde_json::from_slice(&base64url(segment)).expect("JSON in the JWT")
}

/// Unpadded base64url, as JWT segments are written.
fn base64url(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET
            .iter()
            .position(|a| *a == byte)
            .unwrap_or_else(|| panic!("not base64url: {text}"));
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

#[test]
fn vertex_direct_claude_code_asks_for_dated_ids_in_the_emitted_project_and_region() {
    let mut mock = MockProvider::start(REPLY);
    let keys = gwscript_tests::temp_dir("vertex-keys");
    let account = service_account(keys.path());
    let emitted = Emit::new(&format!(
        r#"emit(pattern("direct", #{{
    provider: provider("vertex", #{{ project: "{VERTEX_PROJECT}", region: "europe-west1",
        credentials: "{account}", api_base: "{url}/v1" }}),
    model: "claude-opus-4-1",
    sonnet_model: "claude-sonnet-4-5",
}}));"#,
        account = account.display(),
        url = mock.url
    ))
    .run();
    gwscript_tests::assert_settings_schema_valid(&emitted.settings());

    // The provider's `region` option is Claude Code's region; the credentials file signs.
    let main = ask(&emitted, &mut mock, &[], &[], &[]);
    assert_eq!(
        main.first_path(),
        format!(
            "/v1/projects/{VERTEX_PROJECT}/locations/europe-west1/publishers/anthropic/models/claude-opus-4-1@20250805:streamRawPredict"
        ),
        "{}",
        main.paths()
    );
    assert_eq!(
        bearer_segment(main.first(), 0)["kid"],
        SERVICE_ACCOUNT_KEY_ID
    );
    assert_eq!(bearer_segment(main.first(), 1)["iss"], SERVICE_ACCOUNT);

    let base = format!("{}/v1", mock.url);
    let sonnet = ask(
        &emitted,
        &mut mock,
        &[],
        &["--model", "sonnet"],
        &[
            ("ANTHROPIC_VERTEX_BASE_URL", &base),
            ("CLAUDE_CODE_SKIP_VERTEX_AUTH", "1"),
        ],
    );
    assert_eq!(
        sonnet.first_path(),
        format!(
            "/v1/projects/{VERTEX_PROJECT}/locations/europe-west1/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict"
        ),
        "{}",
        sonnet.paths()
    );
}

#[test]
fn anthropic_api_base_is_where_claude_code_goes_and_the_patterns_model_wins() {
    let mut mock = MockProvider::start(REPLY);
    let key = "sk-ant-gwscript-cloud-modes-test";
    let emitted = Emit::new(&format!(
        r#"emit(pattern("direct", #{{
    provider: provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY"), api_base: "{url}" }}),
    model: "claude-sonnet-4-5",
    env: #{{ ANTHROPIC_MODEL: "claude-opus-4-1" }},
}}));"#,
        url = mock.url
    ))
    .secrets(&[("ANTHROPIC_API_KEY", key)])
    .run();
    assert!(
        emitted
            .stderr
            .contains("warning[GW5010]: env sets ANTHROPIC_MODEL"),
        "{}",
        emitted.stderr
    );
    let asked = ask(&emitted, &mut mock, &[], &[], &[("ANTHROPIC_API_KEY", key)]);
    assert!(
        asked.ran.stdout.contains(REPLY),
        "{}",
        asked.ran.diagnostics()
    );
    let sent = asked
        .requests
        .iter()
        .find(|r| r["path"] == "/v1/messages" && r["body"]["model"] == "claude-sonnet-4-5")
        .unwrap_or_else(|| {
            panic!(
                "no Messages request for the pattern's model\n{}",
                asked.paths()
            )
        });
    assert_eq!(
        header(sent, "x-api-key"),
        Some(credential_fingerprint(key).as_str())
    );
}

#[test]
fn setups_claude_code_cannot_use_are_refused_at_the_key() {
    let cases = [
        (
            "GW1021",
            r#"emit(pattern("direct", #{
    provider: provider("vertex", #{ project: "p", location: "global" }),
    opus_model: "claude-opus-4-1" }));"#,
            "--> recipe.rhai:3:5",
        ),
        (
            "GW1022",
            r#"emit(pattern("direct", #{
    provider: provider("bedrock", #{ region: "us-east-1",
        aws_profile: "dev" }) }));"#,
            "--> recipe.rhai:3:9",
        ),
        (
            "GW1020",
            r#"let gw = gateway("litellm", #{ url: "http://127.0.0.1:4000" });
gw.deploy("sonnet", provider("vertex", #{ project: "p", location: "us-east5",
    model: "claude-sonnet-4-5-20250929" }));
emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K") }));"#,
            "--> recipe.rhai:3:5",
        ),
    ];
    for (code, recipe, at) in cases {
        let refused = Emit::new(recipe).attempt();
        assert_eq!(refused.status.code(), Some(1), "{}", refused.stderr);
        assert!(
            refused.stderr.contains(&format!("error[{code}]")) && refused.stderr.contains(at),
            "{code}: {}",
            refused.stderr
        );
        assert!(refused.files().is_empty(), "nothing written for {code}");
    }
}

#[test]
fn a_litellm_gateway_warns_about_aliases_no_group_serves() {
    let recipe = |pins: &str| {
        format!(
            r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:4000", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("claude-sonnet-4-5", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY") }}));
gw.deploy("claude-haiku-4-5", provider("anthropic", #{{ api_key: secret("ANTHROPIC_API_KEY") }}));
emit(pattern("gateway", #{{ gateway: gw, auth_token: secret("LITELLM_MASTER_KEY"){pins} }}));"#
        )
    };
    let unpinned = Emit::new(&recipe("")).run();
    assert!(
        unpinned.stderr.contains("warning[GW5011]")
            && unpinned
                .stderr
                .contains("`/model opus` (`claude-opus-4-8`)"),
        "{}",
        unpinned.stderr
    );
    let pinned = Emit::new(&recipe(
        r#", opus_model: "claude-sonnet-4-5", sonnet_model: "claude-sonnet-4-5", background_model: "claude-haiku-4-5""#,
    ))
    .run();
    assert!(!pinned.stderr.contains("GW5011"), "{}", pinned.stderr);
    let env = pinned.settings_env();
    assert_eq!(env["ANTHROPIC_DEFAULT_OPUS_MODEL"], "claude-sonnet-4-5");
    assert_eq!(env["ANTHROPIC_DEFAULT_SONNET_MODEL"], "claude-sonnet-4-5");
    // A pinned alias the gateway does not serve is the plugin's unserved-model error.
    let unserved = Emit::new(&recipe(r#", opus_model: "claude-opus-4-1""#)).attempt();
    assert!(
        unserved.stderr.contains("error[GW4006]")
            && unserved.stderr.contains("ANTHROPIC_DEFAULT_OPUS_MODEL"),
        "{}",
        unserved.stderr
    );
}
