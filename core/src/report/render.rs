//! Rendering a report as plain text, markdown or JSON.

use super::Report;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    #[value(alias = "markdown")]
    Md,
    Json,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(report).unwrap_or_default()
        ),
        Format::Md => render_with(report, &Markdown),
        Format::Text => render_with(report, &Text),
    }
}

/// The two prose formats differ only in how headings, code and lists are marked.
trait Style {
    fn title(&self, out: &mut String, text: &str);
    fn heading(&self, out: &mut String, text: &str);
    fn code(&self, out: &mut String, title: &str, language: &str, body: &str);
    fn item(&self, out: &mut String, text: &str);
}

struct Markdown;
struct Text;

impl Style for Markdown {
    fn title(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "# {text}\n");
    }
    fn heading(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "## {text}\n");
    }
    fn code(&self, out: &mut String, title: &str, language: &str, body: &str) {
        let _ = writeln!(
            out,
            "**{title}**\n\n```{language}\n{}\n```\n",
            body.trim_end()
        );
    }
    fn item(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "- {}", text.replace('\n', "\n  "));
    }
}

impl Style for Text {
    fn title(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "{text}\n{}\n", "=".repeat(text.chars().count()));
    }
    fn heading(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "{text}\n{}\n", "-".repeat(text.chars().count()));
    }
    fn code(&self, out: &mut String, title: &str, _language: &str, body: &str) {
        let _ = writeln!(out, "{title}:");
        for line in body.trim_end().lines() {
            let _ = writeln!(out, "    {line}");
        }
        out.push('\n');
    }
    fn item(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "  * {}", text.replace('\n', "\n    "));
    }
}

fn render_with(report: &Report, style: &dyn Style) -> String {
    let mut out = String::new();
    style.title(&mut out, &report.title);
    style.heading(&mut out, "Quick Answer");
    for paragraph in &report.quick_answer {
        let _ = writeln!(out, "{paragraph}\n");
    }
    style.heading(&mut out, "Configuration Block");
    for block in &report.configuration {
        style.code(&mut out, &block.title, block.language, &block.body);
    }
    if !report.artifacts.is_empty() {
        let _ = writeln!(out, "Files written:");
        for artifact in &report.artifacts {
            style.item(
                &mut out,
                &format!("{}: {}", artifact.path, artifact.purpose),
            );
        }
        out.push('\n');
    }
    style.heading(&mut out, "Verification Steps");
    for (n, step) in report.verification.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", n + 1, step.title);
        if let Some(command) = &step.command {
            style.code(&mut out, "Run", "sh", command);
        }
        let _ = writeln!(out, "Expect: {}\n", step.expect);
    }
    style.heading(&mut out, "Additional Context");
    let context = &report.additional_context;
    for notice in &context.third_party_notices {
        style.code(&mut out, "Notice", "text", notice);
    }
    let _ = writeln!(out, "Security practices:");
    for practice in &context.security {
        style.item(&mut out, practice);
    }
    if !context.routes.is_empty() {
        let _ = writeln!(out, "\nRoutes:");
        for route in &context.routes {
            style.item(&mut out, &format!("{}: {}", route.path, route.serves));
        }
    }
    for (heading, items) in [
        ("Notes", &context.notes),
        ("Limitations", &context.limitations),
        ("Troubleshooting", &context.troubleshooting),
    ] {
        if !items.is_empty() {
            let _ = writeln!(out, "\n{heading}:");
            for item in items {
                style.item(&mut out, item);
            }
        }
    }
    if !report.diagnostics.is_empty() {
        let _ = writeln!(out, "\nFindings:");
        for d in &report.diagnostics {
            style.item(
                &mut out,
                &format!("{}[{}]: {}", d.severity.as_str(), d.code, d.message),
            );
        }
    }
    out
}
