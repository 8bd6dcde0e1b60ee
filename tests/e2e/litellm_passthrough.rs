//! End to end: Claude Code on LiteLLM's provider pass-through routes, `/vertex_ai` and `/bedrock`,
//! with the real LiteLLM proxy (run by the emitted `litellm/start.sh`) and the real Claude Code
//! CLI in Vertex or Bedrock mode (with only the emitted `claude/settings.json` and `claude/env.sh`),
//! and gwscript's mock provider as the cloud. Everything stays on 127.0.0.1.
//!
//! - Vertex: LiteLLM 1.102.4 sends `/vertex_ai` traffic only to
//!   `https://{location}-aiplatform.googleapis.com`, so the test runs an imitation of Google in
//!   front of the mock (`google.rs`): LiteLLM's `HTTPS_PROXY` tunnels to a local nginx that
//!   terminates TLS with a throwaway certificate (`SSL_CERT_FILE`), and the deployment's
//!   service-account key takes its token from the mock. Claude Code gets the mock's reply.
//! - Bedrock: the deployment's `api_base` points LiteLLM at the mock, and static dummy AWS keys
//!   sign offline. The mock streams Bedrock's binary event stream, so Claude Code gets the
//!   mock's answer; the test also checks the request LiteLLM forwarded, and LiteLLM's answers
//!   that the report describes.
//! - A model group that mixes providers: gwscript refuses it on the Bedrock route (GW4015), and
//!   LiteLLM, given the same group through the Messages-route config, fails a `/bedrock` request
//!   with "Provider vertex_ai not found" instead of falling back.

#[path = "litellm_passthrough/google.rs"]
mod google;

use google::GoogleFront;
use gwscript_tests::mock::{carries, credential_fingerprint, describe, header};
use gwscript_tests::{Emit, Emitted, MockProvider, Proc, claude, free_port, http_client, litellm};
use serde_json::{Value, json};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

const REPLY: &str = "Hello from the gwscript mock provider, by way of LiteLLM's pass-through.";
const MODEL: &str = "claude-sonnet-4-5";
const PROJECT: &str = "acme-ai";
const LOCATION: &str = "us-east5";
const REGION: &str = "us-east-1";
/// Dummy AWS keys: SigV4 signs offline, and the mock checks nothing.
const AWS_ACCESS_KEY_ID: &str = "AKIAGWSCRIPTE2EXMPL0";
const AWS_SECRET_ACCESS_KEY: &str = "gwscript-e2e-not-a-real-secret-access-key";

/// One LiteLLM (and one Claude Code) at a time: each is a heavy start on a two-core machine.
static PROXY: Mutex<()> = Mutex::new(());

fn master_key() -> String {
    format!(
        "sk-gwscript-e2e-{:016x}",
        RandomState::new().hash_one(std::process::id())
    )
}

fn context(litellm: &mut Proc, mock: &mut MockProvider) -> String {
    format!("{}\n{}", litellm.diagnostics(), mock.diagnostics())
}

/// The deployment's `litellm_params.model` in the emitted config, without its provider prefix.
fn deployed_model(emitted: &Emitted, prefix: &str) -> String {
    let config: Value = serde_norway::from_str(&emitted.read("litellm/config.yaml"))
        .unwrap_or_else(|e| panic!("config.yaml is not YAML: {e}"));
    let model = config["model_list"][0]["litellm_params"]["model"].as_str();
    model
        .and_then(|m| m.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no {prefix} deployment first in config.yaml: {config}"))
        .to_owned()
}

fn paths(records: &[Value]) -> Vec<&str> {
    records.iter().filter_map(|r| r["path"].as_str()).collect()
}

#[test]
fn claude_code_in_vertex_mode_gets_its_reply_through_litellm() {
    let _one = gwscript_tests::one_at_a_time(&PROXY);
    let master_key = master_key();
    let mut mock = MockProvider::start(REPLY);
    let google = GoogleFront::start(&mock.url);
    let credentials = google
        .service_account(PROJECT, &format!("{}/token", mock.url))
        .display()
        .to_string();

    let litellm_port = free_port();
    let emitted = Emitted::run(
        &format!(
            r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{litellm_port}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("{MODEL}", provider("vertex", #{{ project: "{PROJECT}", location: "{LOCATION}", credentials: secret("VERTEX_CREDENTIALS") }}));
emit(pattern("gateway", #{{ gateway: gw, endpoint: "vertex", scope: "user", model: "{MODEL}", auth_token: secret("LITELLM_MASTER_KEY") }}));
"#
        ),
        &[
            ("LITELLM_MASTER_KEY", &master_key),
            ("VERTEX_CREDENTIALS", &credentials),
        ],
    );
    let deployed = deployed_model(&emitted, "vertex_ai/");
    let ca_file = google.ca_file.display().to_string();
    let mut litellm = litellm::start(
        &emitted,
        litellm_port,
        &[
            ("LITELLM_MASTER_KEY", &master_key),
            ("VERTEX_CREDENTIALS", &credentials),
            // Google's hosts through the imitation; the token endpoint (the mock) directly.
            ("HTTPS_PROXY", &google.proxy_url),
            ("NO_PROXY", "127.0.0.1,localhost"),
            ("SSL_CERT_FILE", &ca_file),
        ],
    );

    let ran = claude::through_emitted(&emitted, &[("LITELLM_MASTER_KEY", &master_key)])
        .unwrap_or_else(|claude| panic!("{claude}\n{}", context(&mut litellm, &mut mock)));
    assert!(
        ran.stdout.contains(REPLY),
        "reply through LiteLLM's /vertex_ai: {}\n{}",
        ran.stdout,
        context(&mut litellm, &mut mock)
    );

    // What reached "Google": a token grant, then Claude Code's request for the deployment's
    // model, in its project and location, signed with the token the mock issued.
    let records = mock.records();
    assert!(
        records
            .iter()
            .any(|r| r["method"] == "POST" && r["path"] == "/token"),
        "LiteLLM never asked for a Google token: {:?}",
        paths(&records)
    );
    let path = format!(
        "/v1/projects/{PROJECT}/locations/{LOCATION}/publishers/anthropic/models/{deployed}:streamRawPredict"
    );
    let upstream = records
        .iter()
        .find(|r| r["path"] == path.as_str())
        .unwrap_or_else(|| panic!("no {path} upstream: {:?}", paths(&records)));
    let issued: Value = http_client()
        .post(format!("{}/token", mock.url))
        .send()
        .and_then(|r| r.json())
        .unwrap_or_else(|e| panic!("cannot read the mock's token: {e}"));
    let token = issued["access_token"].as_str().expect("a token");
    assert_eq!(
        header(upstream, "authorization"),
        Some(format!("Bearer {}", credential_fingerprint(token)).as_str())
    );
    assert_eq!(
        header(upstream, "host"),
        Some(format!("{LOCATION}-aiplatform.googleapis.com").as_str())
    );
    assert_eq!(upstream["body"]["anthropic_version"], "vertex-2023-10-16");
    assert_eq!(upstream["body"]["stream"], true);
    assert!(
        !carries(upstream, &master_key),
        "the LiteLLM key leaked upstream: {}",
        upstream["headers"]
    );
    let mut targets = google.tunnel_targets();
    targets.dedup();
    assert_eq!(
        targets,
        [format!("{LOCATION}-aiplatform.googleapis.com:443")],
        "LiteLLM tunnelled somewhere else"
    );
    println!("claude via LiteLLM's /vertex_ai: {}", describe(upstream));

    // What the report says LiteLLM does with the id in the path: a model_name gets its
    // deployment's project, location and model id; another id goes as it is, signed with the
    // credentials for the path's project and location, if a deployment has them.
    let predict = |project: &str, location: &str, model: &str| {
        let answer = http_client()
            .post(format!(
                "http://127.0.0.1:{litellm_port}/vertex_ai/v1/projects/{project}/locations/\
                 {location}/publishers/anthropic/models/{model}:rawPredict"
            ))
            .bearer_auth(&master_key)
            .json(&json!({
                "anthropic_version": "vertex-2023-10-16",
                "max_tokens": 16,
                "messages": [{ "role": "user", "content": "say hello" }],
            }))
            .send()
            .unwrap_or_else(|e| panic!("LiteLLM did not answer: {e}"));
        (answer.status().as_u16(), answer.text().unwrap_or_default())
    };
    let upstream_paths = |mock: &MockProvider| -> Vec<String> {
        let records = mock.records();
        paths(&records).into_iter().map(str::to_owned).collect()
    };
    let (status, body) = predict("elsewhere", "europe-west1", MODEL);
    assert_eq!(status, 200, "{body}");
    let mapped = format!(
        "/v1/projects/{PROJECT}/locations/{LOCATION}/publishers/anthropic/models/{deployed}:rawPredict"
    );
    assert_eq!(upstream_paths(&mock).last(), Some(&mapped));
    let other = "claude-opus-4-1@20250805";
    let (status, body) = predict(PROJECT, LOCATION, other);
    assert_eq!(status, 200, "{body}");
    let unchanged = format!(
        "/v1/projects/{PROJECT}/locations/{LOCATION}/publishers/anthropic/models/{other}:rawPredict"
    );
    assert_eq!(upstream_paths(&mock).last(), Some(&unchanged));
    let (status, body) = predict("elsewhere", "europe-west1", other);
    assert!(
        status == 401 && body.contains("No Vertex AI credential is configured"),
        "{status} {body}"
    );
    let report = emitted.read("report.md");
    assert!(
        report.contains("LiteLLM does not route by model group"),
        "the report does not say what LiteLLM does with the id:\n{report}"
    );
}

#[test]
fn claude_code_in_bedrock_mode_reaches_the_mock_through_litellm() {
    let _one = gwscript_tests::one_at_a_time(&PROXY);
    let master_key = master_key();
    let mut mock = MockProvider::start(REPLY);
    let litellm_port = free_port();
    let emitted = Emitted::run(
        &format!(
            r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{litellm_port}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("{MODEL}", provider("bedrock", #{{ region: "{REGION}", api_base: "{mock}", aws_access_key_id: secret("AWS_ACCESS_KEY_ID"), aws_secret_access_key: secret("AWS_SECRET_ACCESS_KEY") }}));
emit(pattern("gateway", #{{ gateway: gw, endpoint: "bedrock", scope: "user", model: "{MODEL}", auth_token: secret("LITELLM_MASTER_KEY") }}));
"#,
            mock = mock.url
        ),
        &[
            ("LITELLM_MASTER_KEY", &master_key),
            ("AWS_SECRET_ACCESS_KEY", AWS_SECRET_ACCESS_KEY),
        ],
    );
    let deployed = deployed_model(&emitted, "bedrock/");
    let mut litellm = litellm::start(
        &emitted,
        litellm_port,
        &[
            ("LITELLM_MASTER_KEY", &master_key),
            ("AWS_ACCESS_KEY_ID", AWS_ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", AWS_SECRET_ACCESS_KEY),
        ],
    );

    // Claude Code names the group; LiteLLM puts the deployment's Bedrock id in the path, and
    // passes the mock's event stream back, which Claude Code reads.
    let ran = claude::through_emitted(&emitted, &[("LITELLM_MASTER_KEY", &master_key)]);
    assert!(
        ran.as_ref().is_ok_and(|ran| ran.stdout.contains(REPLY)),
        "Claude Code did not get the mock's answer through /bedrock: {ran:?}\n{}",
        context(&mut litellm, &mut mock)
    );
    let records = mock.records();
    let path = format!("/model/{deployed}/invoke-with-response-stream");
    let Some(upstream) = records
        .iter()
        .find(|r| r["path"] == path.as_str() || r["path"] == path.replace(':', "%3A").as_str())
    else {
        panic!(
            "no {path} upstream: {:?}\nclaude: {ran:?}\n{}",
            paths(&records),
            context(&mut litellm, &mut mock)
        );
    };
    let authorization = header(upstream, "authorization").unwrap_or_default();
    assert!(
        authorization.starts_with(&format!("AWS4-HMAC-SHA256 Credential={AWS_ACCESS_KEY_ID}/"))
            && authorization.contains(&format!("/{REGION}/bedrock/aws4_request")),
        "not signed with the deployment's keys and region: {authorization}"
    );
    assert_eq!(upstream["body"]["anthropic_version"], "bedrock-2023-05-31");
    assert!(upstream["body"]["messages"].is_array(), "{upstream}");
    assert!(
        !carries(upstream, &master_key),
        "the LiteLLM key leaked upstream: {}",
        upstream["headers"]
    );

    // Another id is no model_name: LiteLLM refuses it, as the report says (not "straight to
    // Bedrock with the proxy's AWS environment").
    let (status, body) = bedrock_invoke(litellm_port, &deployed, &master_key)
        .unwrap_or_else(|e| panic!("LiteLLM did not answer: {e}"));
    assert!(
        status == 400 && body.contains("Invalid model name"),
        "{status} {body}"
    );
    let report = emitted.read("report.md");
    assert!(
        report.contains("LiteLLM answers any other id with 400 Invalid model name"),
        "the report does not say what LiteLLM does with another id:\n{report}"
    );
    println!("claude via LiteLLM's /bedrock: {}", describe(upstream));
}

/// A non-streaming Bedrock `invoke` of `model` on LiteLLM's `/bedrock` route, sent straight
/// (not through Claude Code): the status and body LiteLLM answers with.
fn bedrock_invoke(
    litellm_port: u16,
    model: &str,
    master_key: &str,
) -> reqwest::Result<(u16, String)> {
    let answer = http_client()
        .post(format!(
            "http://127.0.0.1:{litellm_port}/bedrock/model/{model}/invoke"
        ))
        .bearer_auth(master_key)
        .json(&json!({
            "anthropic_version": "bedrock-2023-05-31",
            "max_tokens": 16,
            "messages": [{ "role": "user", "content": "say hello" }],
        }))
        .send()?;
    Ok((answer.status().as_u16(), answer.text().unwrap_or_default()))
}

/// A Bedrock deployment first and a Vertex one as spill-over, in one group: what item 5 of the
/// issue found. `bedrock_endpoint` is where the Bedrock deployment sends its requests.
fn mixed_group_recipe(litellm_port: u16, endpoint: &str, bedrock_endpoint: &str) -> String {
    format!(
        r#"let gw = gateway("litellm", #{{ url: "http://127.0.0.1:{litellm_port}", master_key: secret("LITELLM_MASTER_KEY") }});
gw.deploy("{MODEL}", provider("bedrock", #{{ region: "{REGION}", api_base: "{bedrock_endpoint}" }}), #{{ order: 1 }});
gw.deploy("{MODEL}", provider("vertex", #{{ project: "{PROJECT}", location: "{LOCATION}" }}), #{{ order: 2 }});
emit(pattern("gateway", #{{ gateway: gw, endpoint: "{endpoint}", scope: "user", model: "{MODEL}", auth_token: secret("LITELLM_MASTER_KEY") }}));
"#
    )
}

#[test]
fn a_group_mixing_providers_is_refused_on_the_bedrock_route_where_litellm_fails_it() {
    let litellm_port = free_port();
    // Nothing listens there: the Bedrock deployment fails, so LiteLLM moves on to order 2.
    let dead_bedrock = format!("http://127.0.0.1:{}", free_port());

    let refused = Emit::new(&mixed_group_recipe(litellm_port, "bedrock", &dead_bedrock)).attempt();
    assert_eq!(refused.status.code(), Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("error[GW4015]")
            && refused
                .stderr
                .contains("has a deployment of provider `vertex`"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.files().is_empty(),
        "nothing is written after an error"
    );

    // On the Messages route the same group is fine (GW4015's other fix). LiteLLM serves /bedrock
    // from that config too, which shows why gwscript refuses the group there.
    let _one = gwscript_tests::one_at_a_time(&PROXY);
    let master_key = master_key();
    let unified = Emitted::run(
        &mixed_group_recipe(litellm_port, "unified", &dead_bedrock),
        &[("LITELLM_MASTER_KEY", &master_key)],
    );
    assert!(!unified.stderr.contains("GW4015"), "{}", unified.stderr);
    let mut litellm = litellm::start(
        &unified,
        litellm_port,
        &[
            ("LITELLM_MASTER_KEY", &master_key),
            ("AWS_ACCESS_KEY_ID", AWS_ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", AWS_SECRET_ACCESS_KEY),
        ],
    );
    let (status, body) = bedrock_invoke(litellm_port, MODEL, &master_key)
        .unwrap_or_else(|e| panic!("LiteLLM did not answer: {e}\n{}", litellm.diagnostics()));
    assert!(
        status == 500 && body.contains("Provider vertex_ai not found"),
        "expected LiteLLM to fail on the Vertex deployment: {status} {body}\n{}",
        litellm.diagnostics()
    );
}
