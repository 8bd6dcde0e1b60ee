//! `gwscript probe URL`: run the conformance checks against a live gateway and print them as a
//! table or as JSON. Exit 1 when any check fails.

use crate::probe::check::{self, Check, Credential, Probe, Status, Target, VertexPlace};
use clap::{Args, ValueEnum};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The gateway's base URL, as ANTHROPIC_BASE_URL would hold it.
    #[arg(value_name = "URL", value_parser = http_url)]
    url: String,
    /// The API format the gateway serves: the URL is then ANTHROPIC_BASE_URL (messages),
    /// ANTHROPIC_BEDROCK_BASE_URL (bedrock) or ANTHROPIC_VERTEX_BASE_URL (vertex, usually ending
    /// in /v1).
    #[arg(long, value_enum, default_value = "messages")]
    api: Api,
    /// The model id requests name [default: the format's Claude Sonnet 4.5 id].
    #[arg(long, value_name = "ID")]
    model: Option<String>,
    /// The project in Vertex request paths.
    #[arg(long, value_name = "PROJECT", default_value = "gwscript-probe")]
    vertex_project: String,
    /// The region in Vertex request paths.
    #[arg(long, value_name = "REGION", default_value = "us-east5")]
    vertex_region: String,
    /// Base URL of the `gwscript mock` the gateway forwards to: enables the pass-through checks.
    #[arg(long, value_name = "URL", value_parser = http_url)]
    mock: Option<String>,
    /// Bearer token for the gateway (Authorization: Bearer) [default: $ANTHROPIC_AUTH_TOKEN, else
    /// $ANTHROPIC_API_KEY as x-api-key, as Claude Code sends them].
    #[arg(long, value_name = "T", conflicts_with = "api_key")]
    token: Option<String>,
    /// API key for the gateway (x-api-key).
    #[arg(long, value_name = "K")]
    api_key: Option<String>,
    /// The corporate proxy to go through, as http://[user:password@]host:port [default: from
    /// HTTPS_PROXY or HTTP_PROXY, with NO_PROXY].
    #[arg(long, value_name = "URL", value_parser = http_url)]
    proxy: Option<String>,
    /// Seconds of silence the idle check puts in mid-stream, and the length of the long-answer
    /// check; 0 skips both.
    #[arg(long, value_name = "SECS", default_value_t = check::DEFAULT_IDLE.as_secs())]
    idle_test: u64,
    /// Measure the gateway's added latency over N requests and N streams (against the mock
    /// directly too, with --mock).
    #[arg(long, value_name = "N", default_value_t = 0)]
    bench: u32,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Api {
    /// The Anthropic Messages API (`/v1/messages`).
    Messages,
    /// Bedrock's InvokeModel (`/model/{id}/invoke`, `/model/{id}/invoke-with-response-stream`).
    Bedrock,
    /// Vertex AI's rawPredict (`…/publishers/anthropic/models/{model}:rawPredict`).
    Vertex,
}

impl From<Api> for check::Api {
    fn from(api: Api) -> check::Api {
        match api {
            Api::Messages => check::Api::Messages,
            Api::Bedrock => check::Api::Bedrock,
            Api::Vertex => check::Api::Vertex,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn http_url(value: &str) -> Result<String, String> {
    match reqwest::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(value.to_owned()),
        Ok(_) => Err("expected an http:// or https:// URL".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

pub fn execute(args: ProbeArgs) -> ExitCode {
    let (source, credential) = credential(args.token, args.api_key);
    // A credential no header can carry would fail every request alike: refuse it up front,
    // naming where it came from, never the value.
    if credential
        .secret()
        .is_some_and(|v| reqwest::header::HeaderValue::from_str(v).is_err())
    {
        return super::usage_error(cannot_start(&format!(
            "the {source} value holds a character no HTTP header may carry (a line break, a control character)"
        )));
    }
    // A gateway may echo the credential in an error body the evidence quotes: it is scrubbed.
    let secret = credential.secret().map(str::to_owned);
    let target = Target {
        api: args.api.into(),
        model: args.model,
        vertex: VertexPlace {
            project: args.vertex_project,
            region: args.vertex_region,
        },
        mock: args.mock,
        credential,
        proxy: args.proxy,
        idle: Duration::from_secs(args.idle_test),
        bench: args.bench,
        ..Target::new(args.url)
    };
    let progress = (args.format == Format::Human).then(super::progress::Spinner::start);
    let checks = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|runtime| {
            let mut probe = Probe::new(target)?;
            if let Some(spinner) = &progress {
                probe = probe.with_progress(spinner.reporter("probing"));
            }
            Ok(runtime.block_on(probe.run()))
        });
    drop(progress);
    let mut checks = match checks {
        Ok(checks) => checks,
        // Only the runtime or the HTTP client can fail here, before any request.
        Err(why) => return super::usage_error(cannot_start(&why)),
    };
    if let Some(secret) = secret.filter(|s| !s.is_empty()) {
        for check in &mut checks {
            check.evidence = check.evidence.replace(&secret, "<credential>");
            check.fix = check.fix.replace(&secret, "<credential>");
        }
    }
    let text = match args.format {
        Format::Json => json(&checks),
        Format::Human => table(&checks),
    };
    let printed = super::print_out(&text);
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    if checks.iter().any(|c| c.status == Status::Fail) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The credential and where it came from: the flags, else the variables Claude Code reads, so a
/// secret need not stand on a command line that other users of the machine can list.
fn credential(token: Option<String>, api_key: Option<String>) -> (&'static str, Credential) {
    let from_env = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    match (token, api_key) {
        (Some(token), _) => ("--token", Credential::Bearer(token)),
        (None, Some(key)) => ("--api-key", Credential::ApiKey(key)),
        (None, None) => match (
            from_env("ANTHROPIC_AUTH_TOKEN"),
            from_env("ANTHROPIC_API_KEY"),
        ) {
            (Some(token), _) => ("ANTHROPIC_AUTH_TOKEN", Credential::Bearer(token)),
            (None, Some(key)) => ("ANTHROPIC_API_KEY", Credential::ApiKey(key)),
            (None, None) => ("", Credential::None),
        },
    }
}

/// GW6001: the probe could not set itself up, so no request was sent.
fn cannot_start(why: &str) -> crate::diag::Diagnostic {
    crate::diag::Diagnostic::error(
        "GW6001",
        format!("the probe could not start: {why}"),
        "give the token or key as it is sent (one line of visible characters), a proxy as http://[user:password@]host:port, and NODE_EXTRA_CA_CERTS as a readable PEM file; otherwise the process could not create its threads: run it where it may",
    )
}

/// `{"checks":[…]}`, each check's fields in their documented order.
fn json(checks: &[Check]) -> String {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        checks: &'a [Check],
    }
    // Serialising plain strings and enums cannot fail.
    let text = serde_json::to_string(&Report { checks }).unwrap_or_default();
    format!("{text}\n")
}

/// One line per check (status, id, evidence; the fix indented below a failure or warning), then
/// the verdict.
fn table(checks: &[Check]) -> String {
    let width = checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut text = String::new();
    for check in checks {
        text.push_str(&format!(
            "{:<4}  {:<width$}  {}\n",
            check.status.as_str(),
            check.id,
            check.evidence
        ));
        if !check.fix.is_empty() && matches!(check.status, Status::Fail | Status::Warn) {
            text.push_str(&format!("      {:<width$}  fix: {}\n", "", check.fix));
        }
    }
    let count = |status| checks.iter().filter(|c| c.status == status).count();
    let verdict = if count(Status::Fail) == 0 {
        "compatible with Claude Code"
    } else {
        "NOT compatible with Claude Code"
    };
    text.push_str(&format!(
        "\nverdict: {verdict} ({} pass, {} fail, {} warn, {} skip)\n",
        count(Status::Pass),
        count(Status::Fail),
        count(Status::Warn),
        count(Status::Skip)
    ));
    text
}
