//! `gwscript mock PROVIDER --listen ADDR`: serve a mock provider until SIGINT/SIGTERM.

use crate::diag::Diagnostic;
use crate::probe::mock::{self, MockConfig};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct MockArgs {
    /// The provider API to imitate.
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
    /// The Anthropic Messages API (`/v1/messages`, SSE streaming), and Claude on Vertex AI's
    /// `:rawPredict`/`:streamRawPredict` with a Google token endpoint (`/token`).
    Anthropic,
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
    let Provider::Anthropic = args.provider;
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
