//! The formats for people.

use super::{ordered, position, severity_name};
use crate::check::Checked;
use crate::diag::{self, Source, Syntax, printable};
use gwscript_plugin::Severity;
use std::fmt::Write;

/// Each finding the way compilers show them, then a one-line summary.
pub fn human(checked: &Checked) -> String {
    let mut out = String::new();
    for finding in ordered(checked) {
        let source = checked.source(&finding.file).map(|text| Source {
            name: &finding.file,
            text,
            syntax: Syntax::Data,
        });
        let shown = diag::render(&finding.diagnostic, source);
        // A finding without a source line still names its file.
        if source.is_none() || finding.diagnostic.span.is_none() {
            let _ = writeln!(out, "{}: {}", printable(&finding.file), shown.trim_end());
        } else {
            out.push_str(&shown);
        }
        out.push('\n');
    }
    out.push_str(&summary(checked));
    out
}

/// One line per finding: `file:line:column: severity[CODE]: message`.
pub fn short(checked: &Checked) -> String {
    let mut out = String::new();
    for finding in ordered(checked) {
        let at = position(finding);
        let d = &finding.diagnostic;
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            printable(&finding.file),
            at.line,
            at.column,
            severity_name(d.severity),
            printable(&d.code),
            printable(&d.message)
        );
    }
    out
}

/// `checked 2 files: 1 error, 0 warnings`.
fn summary(checked: &Checked) -> String {
    let count = |severity| {
        checked
            .findings
            .iter()
            .filter(|f| f.diagnostic.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}\n",
        plural(checked.files.len(), "file"),
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    )
}
