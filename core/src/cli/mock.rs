//! `gwscript mock PROVIDER --listen ADDR`: serve a mock provider until SIGINT/SIGTERM. One server
//! answers all three formats; the provider picks what the banner tells the user to set.

use crate::diag::Diagnostic;
use crate::probe::mock::{self, MockConfig};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

/// Every provider's routes are served whichever is named (one mock serves the Messages API,
/// Bedrock and Vertex); the name picks the base URL the banner suggests.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// The provider API to imitate (all three are served; this picks the banner).
    #[arg(value_enum)]
    provider: Provider,
    /// Loopback address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR")]
    listen: SocketAddr,
    /// Assistant text of every reply.
    #[arg(long, value_name = "TEXT", default_value = mock::DEFAULT_REPLY)]
    reply: String,
    /// Milliseconds between streamed events.
    #[arg(long, value_name = "N", default_value_t = 25)]
    pace_ms: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Provider {
    /// The Anthropic Messages API: `/v1/messages`, SSE streaming.
    Anthropic,
    /// Claude on Amazon Bedrock: `/model/{id}/invoke` and `/model/{id}/invoke-with-response-stream`
    /// (AWS event-stream), `/inference-profiles`.
    Bedrock,
    /// Claude on Vertex AI: `…/publishers/anthropic/models/{model}:rawPredict` and
    /// `:streamRawPredict`, with a Google token endpoint (`/token`).
    Vertex,
}

impl Provider {
    /// The Claude Code variable that points at the mock in this format, and its value.
    fn base_url_setting(self, base_url: &str) -> String {
        match self {
            Provider::Anthropic => format!("ANTHROPIC_BASE_URL={base_url}"),
            Provider::Bedrock => format!(
                "CLAUDE_CODE_USE_BEDROCK=1 CLAUDE_CODE_SKIP_BEDROCK_AUTH=1 \
                 ANTHROPIC_BEDROCK_BASE_URL={base_url}"
            ),
            Provider::Vertex => format!(
                "CLAUDE_CODE_USE_VERTEX=1 CLAUDE_CODE_SKIP_VERTEX_AUTH=1 \
                 ANTHROPIC_VERTEX_BASE_URL={base_url}/v1"
            ),
        }
    }
}

pub fn execute(args: MockArgs) -> ExitCode {
    // A mock answers anyone with fake completions and records their credentials: keep it local.
    if !args.listen.ip().is_loopback() {
        return fail(Diagnostic::error(
            "GW0004",
            format!(
                "the mock will not listen on {}: it is not a loopback address",
                args.listen
            ),
            "listen on 127.0.0.1 (port 0 picks a free port), e.g. --listen 127.0.0.1:0",
        ));
    }
    let listen = args.listen;
    let served = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .and_then(|runtime| runtime.block_on(run(args)));
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(Diagnostic::error(
            "GW0005",
            format!("the mock provider on {listen} failed: {e}"),
            "pick a free port (or port 0); another process may hold this one",
        )),
    }
}

async fn run(args: MockArgs) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let config = MockConfig {
        reply: args.reply,
        pace: Duration::from_millis(args.pace_ms),
        ..MockConfig::default()
    };
    let server = mock::serve(listener, config).await?;
    // Tests read this exact line to learn the port.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {}", server.base_url())?;
    stdout.flush()?;
    drop(stdout);
    // Advice for people, on stderr: stdout stays the one line tests read.
    eprintln!(
        "claude code: {}",
        args.provider.base_url_setting(&server.base_url())
    );
    shutdown_signal().await?;
    server.shutdown().await
}

async fn shutdown_signal() -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::select! {
        _ = interrupt.recv() => {}
        _ = terminate.recv() => {}
    }
    Ok(())
}

/// Usage and runtime failures of the mock are exit code 2, like every usage error.
fn fail(diagnostic: Diagnostic) -> ExitCode {
    super::usage_error(diagnostic)
}
