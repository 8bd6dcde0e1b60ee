//! `gwscript run RECIPE [--out DIR] [--format text|md|json]`.

use super::{print_diagnostics, print_out, read_source, usage_error};
use crate::diag::{Diagnostic, Severity, Source};
use crate::emit::write_all;
use crate::plugin::{Registry, Trust, search_dirs};
use crate::report::{Format, render};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The recipe to run.
    recipe: PathBuf,
    /// Where the artifacts are written.
    #[arg(long, value_name = "DIR", default_value = "gwscript-out")]
    out: PathBuf,
    /// How the guidance report is printed.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn execute(args: RunArgs) -> ExitCode {
    let source = match read_source(&args.recipe) {
        Ok(source) => source,
        Err(d) => return usage_error(d),
    };
    let name = args.recipe.display().to_string();
    let shown = Source {
        name: &name,
        text: &source,
        syntax: crate::diag::Syntax::Recipe,
    };
    let dir = args.recipe.parent().map(|d| {
        if d.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            d
        }
    });
    let setup = match crate::run::recipe(&source, dir) {
        Ok(setup) => setup,
        Err(failure) => return print_diagnostics(&failure.diagnostics, Some(shown)),
    };
    // Only the plugins the setup names are loaded; a refused one is reported as a warning, since
    // it stops the run only if the setup needs it (and then with its own error).
    let registry = Registry::for_kinds(
        &search_dirs(),
        &Trust::from_environment(),
        &crate::run::plugin_kinds(&setup),
    );
    let refusals: Vec<Diagnostic> = registry
        .refusals
        .iter()
        .map(|r| Diagnostic {
            severity: Severity::Warning,
            ..r.diagnostic.clone()
        })
        .collect();
    print_diagnostics(&refusals, None);
    let emission = match crate::run::emit(setup, &registry) {
        Ok(emission) => emission,
        Err(failure) => return print_diagnostics(&failure.diagnostics, Some(shown)),
    };
    print_diagnostics(&emission.report.diagnostics, Some(shown));
    if let Err(d) = write_all(&args.out, &emission.artifacts) {
        return usage_error(d);
    }
    let code = print_out(&render(&emission.report, args.format));
    // The process ends with this command: freeing a setup of thousands of deployments piece by
    // piece would only delay its exit.
    std::mem::forget(emission);
    code
}
