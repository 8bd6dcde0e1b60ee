//! `gwscript check [FILE…] [--format human|short|json|sarif] [--deny-warnings] [--env] [--kind ID]`.

use super::{print_out, usage_error};
use crate::check::{self, Request, format::Format};
use crate::plugin::{Trust, search_dirs};
use clap::Args;
use gwscript_plugin::Severity;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The files to check; none checks the usual places (./config.yaml, .claude/settings*.json,
    /// ~/.claude/settings.json, the managed settings).
    files: Vec<PathBuf>,
    /// How findings are printed.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Also judge the files against this shell's environment: `os.environ/` references to unset
    /// variables, settings that the environment completes or contradicts.
    #[arg(long)]
    env: bool,
    /// Check every file as this kind (`claude-settings`, or a kind a plugin declares, such as
    /// `litellm`) instead of detecting each file's kind.
    #[arg(long, value_name = "ID")]
    kind: Option<String>,
}

pub fn execute(args: CheckArgs) -> ExitCode {
    let request = Request {
        files: args.files,
        kind: args.kind,
        env: args.env,
    };
    let checked = match check::check(&request, &search_dirs(), &Trust::from_environment()) {
        Ok(checked) => checked,
        Err(diagnostic) => return usage_error(diagnostic),
    };
    let printed = print_out(&args.format.render(&checked));
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    let fails = |severity: Severity| match severity {
        Severity::Error => true,
        Severity::Warning => args.deny_warnings,
        Severity::Note => false,
    };
    if checked
        .findings
        .iter()
        .any(|f| fails(f.diagnostic.severity))
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
