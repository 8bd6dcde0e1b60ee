//! The report for people: the layers, then each setting and variable as
//! `git config --show-origin` shows them (`ORIGIN  NAME=VALUE`, with the lower layers it shadows
//! below it), then the findings with the source line and a caret, and a summary.

use super::super::{Effective, Report, State, redact};
use crate::diag::{self, Source};
use gwscript_plugin::Severity;
use std::collections::HashSet;
use std::fmt::Write;

/// Origins longer than this are not padded to: one long home path must not push every value off
/// the screen.
const MAX_ORIGIN_WIDTH: usize = 48;

pub fn human(report: &Report) -> String {
    let mut out = layers(report);
    values(&mut out, report);
    findings(&mut out, report);
    summary(&mut out, report);
    out
}

/// Each layer, and whether it is there.
fn layers(report: &Report) -> String {
    let mut out = String::from("layers, highest first:\n");
    for layer in &report.layers {
        let place = match (&layer.path, &layer.state) {
            (None, State::Env) => "the shell's environment".to_owned(),
            (None, _) => "(none given)".to_owned(),
            (Some(path), State::Absent) => format!("{path} (absent)"),
            (Some(path), State::Ignored) => format!("{path} (not used: see below)"),
            (Some(path), _) => path.clone(),
        };
        let _ = writeln!(out, "  {:<13}{place}", layer.source.name());
    }
    out
}

/// The top-level settings, then the variables, origins aligned.
fn values(out: &mut String, report: &Report) {
    let width = report
        .settings
        .iter()
        .chain(&report.variables)
        .map(|v| report.origin(v.origin).chars().count())
        .max()
        .unwrap_or(0)
        .min(MAX_ORIGIN_WIDTH);
    for (title, values) in [
        ("top-level settings", &report.settings),
        ("environment variables", &report.variables),
    ] {
        if values.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for value in values {
            show(out, report, value, width);
        }
    }
}

/// Each finding in file and line order, with the line of the layer it points into.
fn findings(out: &mut String, report: &Report) {
    let sensitive = sensitive_lines(report);
    let mut findings: Vec<_> = report.findings.iter().collect();
    findings.sort_by_key(|f| {
        (
            f.file.as_str(),
            f.diagnostic.span.map(|s| (s.line, s.column)),
        )
    });
    for finding in findings {
        out.push('\n');
        let text = report.layers.iter().find_map(|layer| match &layer.state {
            State::Read { text, .. } if layer.path.as_deref() == Some(&finding.file) => {
                Some(text.as_str())
            }
            _ => None,
        });
        let source = text.map(|text| Source {
            name: &finding.file,
            text,
            syntax: crate::diag::Syntax::Data,
        });
        let on_sensitive_line = finding
            .diagnostic
            .span
            .is_some_and(|s| sensitive.contains(&(finding.file.as_str(), s.line)));
        let shown = if on_sensitive_line {
            &finding.diagnostic.clone().sensitive()
        } else {
            &finding.diagnostic
        };
        let rendered = diag::render(shown, source);
        // A finding without a source line still names its file, when it has one.
        if (source.is_none() || shown.span.is_none()) && !finding.file.is_empty() {
            let _ = writeln!(out, "{}: {}", finding.file, rendered.trim_end());
        } else {
            out.push_str(&rendered);
        }
    }
}

/// `doctor: 1 error, 0 warnings`.
fn summary(out: &mut String, report: &Report) {
    let count = |severity| {
        report
            .findings
            .iter()
            .filter(|f| f.diagnostic.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "\ndoctor: {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    );
}

/// `ORIGIN  NAME=VALUE`, origins padded to `width`, then `  shadows ORIGIN, …` when lower
/// layers set it too.
fn show(out: &mut String, report: &Report, value: &Effective, width: usize) {
    let _ = writeln!(
        out,
        "  {:<width$}  {}={}",
        report.origin(value.origin),
        value.name,
        value.shown()
    );
    if !value.shadowed.is_empty() {
        let lower: Vec<String> = value
            .shadowed
            .iter()
            .map(|s| report.origin(s.origin))
            .collect();
        let _ = writeln!(out, "    shadows {}", lower.join(", "));
    }
}

/// The lines (file, line) holding a value that is shown redacted: a finding showing one of them
/// shows it masked, whatever the finding.
fn sensitive_lines(report: &Report) -> HashSet<(&str, u32)> {
    let mut lines = HashSet::new();
    for value in report.settings.iter().chain(&report.variables) {
        let places = std::iter::once((value.origin, &value.value))
            .chain(value.shadowed.iter().map(|s| (s.origin, &s.value)));
        for (origin, raw) in places {
            let redacted = redact::shown(&value.name, raw) != raw.as_str();
            if let (true, Some(at), Some(path)) = (
                redacted,
                origin.at,
                report.layers[origin.layer].path.as_deref(),
            ) {
                lines.insert((path, at.name.line));
                lines.insert((path, at.value.line));
            }
        }
    }
    lines
}
