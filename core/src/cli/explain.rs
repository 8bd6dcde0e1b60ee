//! `gwscript explain GWxxxx`: the long form of a diagnostic, from the book.

use super::{print_out, usage_error};
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
        let listing: String = diag::pages::all()
            .map(|page| format!("{}  {}\n", page.code, page.title))
            .collect();
        print_out(&listing);
        return ExitCode::SUCCESS;
    };
    match diag::page(&code) {
        Some(page) => {
            print_out(page.body);
            ExitCode::SUCCESS
        }
        None => usage_error(Diagnostic::error(
            "GW0002",
            format!("no diagnostic {code}"),
            "run `gwscript explain` to list every code",
        )),
    }
}
