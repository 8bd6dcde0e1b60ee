//! `gwscript explain GWxxxx`: the long form of a diagnostic, from the book.

use super::print_diagnostics;
use crate::diag::{self, Diagnostic};
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A diagnostic code such as GW1001; omit it to list every code.
    code: Option<String>,
}

pub fn execute(args: ExplainArgs) -> ExitCode {
    let Some(code) = args.code else {
        for page in diag::pages::all() {
            println!("{}  {}", page.code, page.title);
        }
        return ExitCode::SUCCESS;
    };
    match diag::page(&code) {
        Some(page) => {
            print!("{}", page.body);
            ExitCode::SUCCESS
        }
        None => print_diagnostics(
            &[Diagnostic::error(
                "GW0002",
                format!("no diagnostic {code}"),
                "run `gwscript explain` to list every code",
            )],
            None,
        ),
    }
}
