//! The command line: argument parsing here, one module per subcommand.
//! Exit codes: 0 ok, 1 findings, 2 usage or internal error.

mod check;
mod doctor;
mod explain;
mod mock;
mod output;
mod plugins;
mod probe;
mod progress;
mod run;
mod schema;

use crate::diag::{self, Diagnostic, Source};
use clap::{Parser, Subcommand};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "gwscript",
    version,
    about = "Put Claude Code behind an LLM gateway, from a recipe"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a recipe: write the gateway's config and Claude Code's settings, print a guidance report.
    Run(run::RunArgs),
    /// Check gateway configs and Claude Code settings offline, with line and column.
    Check(check::CheckArgs),
    /// Show the configuration Claude Code will use here, each value with where it comes from.
    Doctor(doctor::DoctorArgs),
    /// Print a JSON Schema for a file kind, for editors.
    Schema(schema::SchemaArgs),
    /// List installed gateway plugins, or show one.
    Plugins(plugins::PluginsArgs),
    /// Print the long form of a diagnostic code.
    Explain(explain::ExplainArgs),
    /// Serve a mock model provider on loopback for offline end-to-end tests.
    Mock(mock::MockArgs),
    /// Probe a live gateway against the contract Claude Code needs.
    Probe(probe::ProbeArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(args) => run::execute(args),
        Command::Plugins(args) => plugins::execute(args),
        Command::Check(args) => check::execute(args),
        Command::Doctor(args) => doctor::execute(args),
        Command::Schema(args) => schema::execute(args),
        Command::Explain(args) => explain::execute(args),
        Command::Mock(args) => mock::execute(args),
        Command::Probe(args) => probe::execute(args),
    };
    if output::stderr_failed() {
        ExitCode::from(2)
    } else {
        code
    }
}

/// Prints a command's main output: on failure, the diagnostic and exit 2.
fn print_out(text: &str) -> ExitCode {
    match output::print_out(text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => usage_error(d),
    }
}

/// A usage or environment failure (bad argument, unreadable input, unwritable output): exit 2.
fn usage_error(diagnostic: Diagnostic) -> ExitCode {
    output::print_err(&diag::render(&diagnostic, None));
    ExitCode::from(2)
}

/// Prints findings to stderr. Returns exit code 1 when any is an error, else 0.
///
/// A recipe line one finding marks as holding a secret is masked in every finding that shows it.
fn print_diagnostics(diagnostics: &[Diagnostic], source: Option<Source<'_>>) -> ExitCode {
    let sensitive_lines: std::collections::HashSet<u32> = diagnostics
        .iter()
        .filter(|d| d.sensitive)
        .filter_map(|d| d.span.map(|s| s.line))
        .collect();
    for d in diagnostics {
        let source = if d.span.is_some() { source } else { None };
        let on_sensitive_line = d.span.is_some_and(|s| sensitive_lines.contains(&s.line));
        let shown = if on_sensitive_line && !d.sensitive {
            &d.clone().sensitive()
        } else {
            d
        };
        output::print_err(&diag::render(shown, source));
    }
    if diag::has_errors(diagnostics) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn read_source(path: &Path) -> Result<String, Diagnostic> {
    crate::script::read_bounded(path).map_err(|why| {
        Diagnostic::error(
            "GW0001",
            format!("cannot read recipe {}: {why}", path.display()),
            format!(
                "check the path; recipes are UTF-8 .rhai files of at most {} MiB",
                crate::script::MAX_SOURCE_BYTES / (1024 * 1024)
            ),
        )
    })
}
