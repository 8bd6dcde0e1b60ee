//! `--format json`: one object, `{"diagnostics":[{code, severity, file, line, column, message,
//! help}]}`, keys in that order. Tools outside this project read this shape; it only grows.

use super::{ordered, position, severity_name};
use crate::check::Checked;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    code: &'a str,
    severity: &'static str,
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
    help: &'a str,
}

pub fn json(checked: &Checked) -> String {
    let diagnostics = ordered(checked)
        .into_iter()
        .map(|finding| {
            let d = &finding.diagnostic;
            let at = position(finding);
            Entry {
                code: &d.code,
                severity: severity_name(d.severity),
                file: &finding.file,
                line: at.line,
                column: at.column,
                message: &d.message,
                help: &d.help,
            }
        })
        .collect();
    let mut out = serde_json::to_string(&Report { diagnostics }).unwrap_or_default();
    out.push('\n');
    out
}
