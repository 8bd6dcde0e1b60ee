//! `gwscript mock PROVIDER --listen ADDR`: serve a mock provider until SIGINT/SIGTERM.

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
    /// The Anthropic Messages API (`/v1/messages`, SSE streaming).
    Anthropic,
}

pub fn execute(args: MockArgs) -> ExitCode {
    // A mock answers anyone with fake completions and records their credentials: keep it local.
    if !args.listen.ip().is_loopback() {
        eprintln!(
            "error: --listen {}: the mock only listens on loopback addresses (e.g. 127.0.0.1:0)",
            args.listen
        );
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail("cannot start the async runtime", &e),
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail("mock server", &e),
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

fn fail(what: &str, error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {what}: {error}");
    ExitCode::from(2)
}
