//! `gwscript run RECIPE [--out DIR] [--format text|md|json]`.

use super::{print_diagnostics, read_source};
use crate::diag::{Diagnostic, Source};
use crate::emit::{Artifact, write_all};
use crate::plugin::{Registry, search_dirs};
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
        Err(d) => return print_diagnostics(&[d], None),
    };
    let name = args.recipe.display().to_string();
    let shown = Source {
        name: &name,
        text: &source,
    };
    let registry = Registry::discover(&search_dirs());
    // Refused plugins do not stop a run that does not need them; say why they were refused.
    let refusals: Vec<Diagnostic> = registry
        .refusals
        .iter()
        .map(|r| r.diagnostic.clone())
        .collect();
    print_diagnostics(&refusals, None);
    let dir = args.recipe.parent().map(|d| {
        if d.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            d
        }
    });
    let emission = match crate::run::run(&source, dir, &registry) {
        Ok(emission) => emission,
        Err(failure) => return print_diagnostics(&failure.diagnostics, Some(shown)),
    };
    print_diagnostics(&emission.report.diagnostics, Some(shown));
    let mut artifacts = emission.artifacts;
    artifacts.push(Artifact {
        path: "report.md".into(),
        purpose: "this guidance report".into(),
        contents: render(&emission.report, Format::Md),
        executable: false,
    });
    if let Err(d) = write_all(&args.out, &artifacts) {
        return print_diagnostics(&[d], None);
    }
    print!("{}", render(&emission.report, args.format));
    ExitCode::SUCCESS
}
