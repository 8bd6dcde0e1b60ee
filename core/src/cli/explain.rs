//! `gwscript explain GWxxxx`: the long form of a diagnostic, from the book.

use super::{print_out, usage_error};
use crate::diag::{self, Diagnostic};
use crate::plugin::{Registry, Trust, search_dirs};
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A diagnostic code such as GW1001; omit it to list every code.
    code: Option<String>,
}

/// The host's pages come from the book; each plugin's from the plugin itself, so plugins are
/// loaded only for a listing or a code that is not the host's.
pub fn execute(args: ExplainArgs) -> ExitCode {
    let registry = || Registry::discover(&search_dirs(), &Trust::from_environment());
    let Some(code) = args.code else {
        let mut listing: String = diag::pages::all()
            .map(|page| format!("{}  {}\n", page.code, page.title))
            .collect();
        for plugin in &registry().plugins {
            for info in &plugin.manifest.diagnostics.codes {
                let retired = if info.retired { ", retired" } else { "" };
                listing.push_str(&format!(
                    "{}  {} ({} plugin{retired})\n",
                    info.code, info.title, plugin.manifest.name
                ));
            }
        }
        return print_out(&listing);
    };
    if let Some(page) = diag::page(&code) {
        return print_out(page.body);
    }
    match registry().page(&code.to_ascii_uppercase()) {
        Some((_, page)) => print_out(&page),
        None => usage_error(Diagnostic::error(
            "GW0002",
            format!("no diagnostic {}", code.escape_debug()),
            "run `gwscript explain` to list every code, the installed plugins' included",
        )),
    }
}
