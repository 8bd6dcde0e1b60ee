//! The command line: argument parsing here, one module per subcommand.

mod mock;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "gwscript", version, about = "Put Claude Code behind an LLM gateway, from a recipe")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve a mock model provider on loopback for offline end-to-end tests.
    Mock(mock::MockArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Mock(args) => mock::execute(args),
    }
}
