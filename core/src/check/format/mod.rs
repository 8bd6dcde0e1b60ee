//! How `gwscript check` prints its findings: for people (`human`, with the source line and a
//! caret, and `short`, one line each), and for tools (`json`, `sarif`).

mod human;
mod json;
mod sarif;

use super::{Checked, Finding};
use gwscript_plugin::Severity;
use gwscript_plugin::model::Span;

pub use human::{human, short};
pub use json::json;
pub use sarif::sarif;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Short,
    Json,
    Sarif,
}

impl Format {
    /// The findings in this format.
    pub fn render(self, checked: &Checked) -> String {
        match self {
            Format::Human => human(checked),
            Format::Short => short(checked),
            Format::Json => json(checked),
            Format::Sarif => sarif(checked),
        }
    }
}

/// The severity as the JSON shape names it.
fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "info",
    }
}

/// Where a finding is: its span, or the top of the file for a finding about the whole file.
fn position(finding: &Finding) -> Span {
    finding
        .diagnostic
        .span
        .unwrap_or(Span { line: 1, column: 1 })
}

/// Findings in file order, then by position, so output is stable whatever order checks ran in.
fn ordered(checked: &Checked) -> Vec<&Finding> {
    let mut findings: Vec<&Finding> = checked.findings.iter().collect();
    findings.sort_by_key(|f| {
        let at = position(f);
        (f.file.as_str(), at.line, at.column)
    });
    findings
}
