//! `ANTHROPIC_CUSTOM_HEADERS` as Claude Code reads it: one `Name: Value` header a line. A line
//! that is not a header never reaches the gateway, and a line naming a header Claude Code sends
//! itself replaces it on every request. Both are GW5031, for a recipe's `env` and a settings file.

use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Span;

/// The variable whose value is a list of header lines.
pub const CUSTOM_HEADERS: &str = "ANTHROPIC_CUSTOM_HEADERS";

/// Headers Claude Code sets per request: a fixed value in place of its own breaks the contract the
/// gateway forwards (the API version, the betas each request needs, the body's type).
const CLAUDE_CODE_SETS: [&str; 4] = [
    "anthropic-version",
    "anthropic-beta",
    "content-type",
    "x-claude-code-session-id",
];

/// What is wrong with one line of the value, by its 1-based line number. Never the line itself:
/// a header line may carry a credential.
fn problems(value: &str) -> Vec<(usize, String)> {
    value
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .filter_map(|(at, line)| Some((at + 1, problem(line)?)))
        .collect()
}

fn problem(line: &str) -> Option<String> {
    let Some((name, _)) = line.split_once(':') else {
        return Some("is not a `Name: Value` header, so it is never sent".to_owned());
    };
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Some(
            "does not start with a header name (letters, digits and !#$%&'*+-.^_`|~ before the colon), so it is never sent"
                .to_owned(),
        );
    }
    let lower = name.to_ascii_lowercase();
    CLAUDE_CODE_SETS.contains(&lower.as_str()).then(|| {
        format!("sets `{lower}`, which Claude Code sends itself: this fixed value can replace Claude Code's own on every request")
    })
}

/// RFC 9110's `tchar`.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// GW5031 for each line of `value` Claude Code cannot send as meant, at `span`. Marked sensitive:
/// the line may carry a credential, so its source is never echoed.
pub fn findings(value: &str, span: Option<Span>) -> impl Iterator<Item = Diagnostic> {
    problems(value).into_iter().map(move |(line, problem)| {
        Diagnostic::warning(
            "GW5031",
            format!("{CUSTOM_HEADERS} line {line} {problem}"),
            HELP,
        )
        .at(span)
        .sensitive()
    })
}

/// The help line of GW5031.
const HELP: &str = "write one `Name: Value` header a line (\\n between them in JSON), and leave anthropic-version, anthropic-beta and content-type to Claude Code (CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS drops betas a gateway rejects)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_must_be_a_header_claude_code_does_not_send_itself() {
        assert!(problems("x-team: a\nx-litellm-api-key: Bearer k").is_empty());
        assert!(
            problems("\nx-team: a\n\n").is_empty(),
            "blank lines are skipped"
        );
        let found = problems("x-team a\nAnthropic-Beta: files-api\n: v\nx team: v\nx-ok: 1");
        let lines: Vec<usize> = found.iter().map(|(at, _)| *at).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        assert!(found[0].1.contains("not a `Name: Value` header"));
        assert!(found[1].1.contains("`anthropic-beta`"));
        assert!(found[2].1.contains("header name"));
        // No line's text, which may hold a credential, is repeated.
        assert!(
            problems("Authorization Bearer sk-secret")
                .iter()
                .all(|(_, p)| !p.contains("sk-secret"))
        );
    }
}
