//! `gwscript doctor [--project DIR] [--settings FILE] [--online] [--format human|json]`.

use super::{print_out, usage_error};
use crate::check::MANAGED_SETTINGS;
use crate::doctor::{self, Request, print::Format};
use clap::Args;
use gwscript_plugin::Diagnostic;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The directory Claude Code starts in (its .claude/ holds the project's settings).
    #[arg(long, value_name = "DIR", default_value = ".")]
    project: PathBuf,
    /// A settings file given to Claude Code on its command line (`claude --settings FILE`).
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    /// Read the managed settings from FILE instead of the system's place.
    #[arg(long, value_name = "FILE", default_value = MANAGED_SETTINGS)]
    managed: PathBuf,
    /// Also check, live, that the gateway answers, checks keys and speaks TLS 1.2 or later, and
    /// that the proxy is reachable.
    #[arg(long)]
    online: bool,
    /// How the report is printed.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

pub fn execute(args: DoctorArgs) -> ExitCode {
    if !args.project.is_dir() {
        return usage_error(Diagnostic::error(
            "GW5051",
            format!("--project {} is not a directory", args.project.display()),
            "name the directory Claude Code starts in: the one holding .claude/",
        ));
    }
    let request = Request {
        project: args.project,
        settings: args.settings,
        managed: args.managed,
        home: dirs::home_dir(),
        // The environment Claude Code would start from: this shell's.
        shell: crate::check::environment(),
        online: args.online,
    };
    let report = match doctor::run(&request) {
        Ok(report) => report,
        Err(diagnostic) => return usage_error(diagnostic),
    };
    let printed = print_out(&args.format.render(&report));
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
