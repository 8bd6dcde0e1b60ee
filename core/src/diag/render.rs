//! Plain-text rendering of diagnostics, with the offending source line and a caret.

use super::Diagnostic;
use std::fmt::Write;

/// The text a span points into, and the name to show for it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub syntax: Syntax,
}

/// How a shown line is read to find the values to mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// A recipe: its values are rhai literals.
    Recipe,
    /// A YAML or JSON file: a line's value follows its key.
    Data,
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
        printable(&diagnostic.code),
        printable(&diagnostic.message)
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
            printable(source.name),
            span.line,
            span.column
        );
        if let Some(line) = source
            .text
            .lines()
            .nth(span.line.saturating_sub(1) as usize)
        {
            let line = line.trim_end();
            // A line holding a credential-shaped value is masked whatever the finding.
            let line = match source.syntax {
                Syntax::Recipe if diagnostic.sensitive || super::mask::holds_credential(line) => {
                    super::mask::mask_values(line)
                }
                Syntax::Data
                    if diagnostic.sensitive || super::mask_data::holds_credential(line) =>
                {
                    super::mask_data::mask_value(line)
                }
                _ => line.to_owned(),
            };
            let (shown, caret_at) = snippet(&line, span.column);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {shown}", span.line);
            let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_at));
        }
    }
    let _ = writeln!(out, "{pad} = help: {}", printable(&diagnostic.help));
    out
}

/// The widest snippet shown, in characters: a generated one-line recipe must not flood the
/// terminal.
const SNIPPET_WIDTH: usize = 120;

/// The line as shown, and the caret's offset in it. Column is 1-based and counted in characters.
/// Tabs become four spaces and other control characters U+FFFD, so the caret stays aligned and no
/// escape sequence reaches the terminal; a long line is clipped to a window around the caret.
fn snippet(line: &str, column: u32) -> (String, usize) {
    let before = column.saturating_sub(1) as usize;
    let mut cells: Vec<char> = Vec::with_capacity(line.len());
    let mut caret = None;
    for (index, c) in line.chars().enumerate() {
        if index == before {
            caret = Some(cells.len());
        }
        match c {
            '\t' => cells.extend([' '; 4]),
            c if c.is_control() => cells.push('\u{fffd}'),
            c => cells.push(c),
        }
    }
    let caret = caret.unwrap_or(cells.len());
    if cells.len() <= SNIPPET_WIDTH {
        return (cells.into_iter().collect(), caret);
    }
    let start = caret
        .saturating_sub(SNIPPET_WIDTH / 2)
        .min(cells.len() - SNIPPET_WIDTH);
    let end = start + SNIPPET_WIDTH;
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&cells[start..end]);
    if end < cells.len() {
        shown.push('…');
    }
    (shown, caret - start + usize::from(start > 0))
}

/// Text from a recipe or a plugin with its control characters escaped (`\u{1b}`), so it cannot
/// drive the terminal (move the cursor, retitle the window, hide what precedes it). Line breaks
/// stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            '\n' => "\n".to_owned(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect::<String>()
        .into()
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
                syntax: Syntax::Recipe,
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
                syntax: Syntax::Recipe,
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
                syntax: Syntax::Recipe,
            }),
        );
        assert!(!text.contains("sk-ant"), "{text}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let d =
            Diagnostic::error("GW4001", "bad \u{1b}[2Jvalue\u{0}", "help \u{7}").at(Some(Span {
                line: 1,
                column: 10,
            }));
        let text = render(
            &d,
            Some(Source {
                name: "r\u{1b}.rhai",
                text: "let\tx = \"\u{1b}[31m\";",
                syntax: Syntax::Recipe,
            }),
        );
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("bad \\u{1b}[2Jvalue\\u{0}"), "{text}");
        // The tab became four spaces, and the caret still points at the string's first character.
        let caret = format!("\n  | {}^", " ".repeat(12));
        assert!(
            text.contains(&format!("1 | let    x = \"\u{fffd}[31m\";{caret}")),
            "{text}"
        );
    }

    #[test]
    fn long_lines_are_clipped_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::error("GW1004", "too deep", "split it").at(Some(Span {
            line: 1,
            column: 5001,
        }));
        let text = render(
            &d,
            Some(Source {
                name: "r.rhai",
                text: &line,
                syntax: Syntax::Recipe,
            }),
        );
        assert!(text.len() < 600, "{} bytes", text.len());
        let shown = text.lines().nth(3).expect("snippet line");
        let caret = text.lines().nth(4).expect("caret line");
        let x = shown.chars().position(|c| c == 'X').expect("X shown");
        assert_eq!(caret.chars().position(|c| c == '^'), Some(x));
        assert!(shown.contains('…'), "{shown}");
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
