//! Plain-text rendering of diagnostics, with the offending source line and a caret.

use super::Diagnostic;
use std::fmt::Write;

/// The text a span points into, and the name to show for it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Renders `diagnostic` the way compilers do:
///
/// ```text
/// error[GW1001]: message
///   --> recipe.rhai:3:14
///    |
///  3 | let x = ;
///    |         ^
///    = help: …
/// ```
pub fn render(diagnostic: &Diagnostic, source: Option<Source<'_>>) -> String {
    let mut out = format!(
        "{}[{}]: {}\n",
        diagnostic.severity.as_str(),
        diagnostic.code,
        diagnostic.message
    );
    let located = diagnostic.span.zip(source);
    let gutter = located
        .map(|(span, _)| span.line.to_string().len())
        .unwrap_or(1);
    let pad = " ".repeat(gutter);
    if let Some((span, source)) = located {
        let _ = writeln!(
            out,
            "{pad} --> {}:{}:{}",
            source.name, span.line, span.column
        );
        if let Some(line) = source
            .text
            .lines()
            .nth(span.line.saturating_sub(1) as usize)
        {
            let caret_at = caret_offset(line, span.column);
            let _ = writeln!(out, "{pad} |");
            let line = line.trim_end();
            // A line holding a credential-shaped literal is masked whatever the finding.
            let shown = if diagnostic.sensitive || super::mask::holds_credential(line) {
                super::mask::mask_values(line)
            } else {
                line.to_owned()
            };
            let _ = writeln!(out, "{} | {shown}", span.line);
            let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_at));
        }
    }
    let _ = writeln!(out, "{pad} = help: {}", diagnostic.help);
    out
}

/// Column is 1-based and counted in characters; tabs keep their width by being echoed.
fn caret_offset(line: &str, column: u32) -> usize {
    let before = column.saturating_sub(1) as usize;
    line.chars()
        .take(before)
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gwscript_plugin::model::Span;

    #[test]
    fn points_at_line_and_column() {
        let d = Diagnostic::error("GW1001", "unexpected token", "remove it")
            .at(Some(Span { line: 2, column: 5 }));
        let text = render(
            &d,
            Some(Source {
                name: "r.rhai",
                text: "let a = 1;\nlet b = ;\n",
            }),
        );
        assert_eq!(
            text,
            "error[GW1001]: unexpected token\n  --> r.rhai:2:5\n  |\n2 | let b = ;\n  |     ^\n  = help: remove it\n"
        );
    }

    #[test]
    fn sensitive_snippets_mask_string_literals() {
        let d = Diagnostic::error("GW4005", "literal secret", "use secret()")
            .at(Some(Span { line: 1, column: 9 }))
            .sensitive();
        let text = render(
            &d,
            Some(Source {
                name: "r.rhai",
                text: "let k = #{ api_key: \"sk-ant-123\" };",
            }),
        );
        assert!(!text.contains("sk-ant-123"), "{text}");
        assert!(text.contains("api_key: \"**********\""), "{text}");
    }

    #[test]
    fn a_line_with_a_credential_is_masked_whatever_the_finding() {
        let d = Diagnostic::error("GW1001", "unexpected token", "fix the syntax")
            .at(Some(Span { line: 1, column: 1 }));
        let text = render(
            &d,
            Some(Source {
                name: "r.rhai",
                text: "let k = \"sk-ant-api03-abc\" +;",
            }),
        );
        assert!(!text.contains("sk-ant"), "{text}");
    }

    #[test]
    fn without_span_shows_message_and_help() {
        let d = Diagnostic::warning("GW2001", "bad library", "rebuild it");
        assert_eq!(
            render(&d, None),
            "warning[GW2001]: bad library\n  = help: rebuild it\n"
        );
    }
}
