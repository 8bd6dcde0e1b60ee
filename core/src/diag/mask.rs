//! Masking a recipe line before it is shown: the values that may be secrets become `*`, the names a
//! reader needs to find the mistake (secret names, model names, kinds) stay. Columns are kept, so
//! the caret still points where it did.
//!
//! The line is read with rhai's literal rules: `"…"` strings with backslash escapes, backtick
//! strings (no escapes), `'…'` characters, and `//` or `/* … */` comments.

use crate::client::credentials::{credential_header, is_credential_key};
use gwscript_plugin::model::is_env_name;

/// Functions whose first argument is a name, never a value.
const NAMING_CALLS: &[&str] = &[
    "secret", "pattern", "gateway", "provider", "deploy", "fallback",
];
/// Option keys whose value is a name, never a value.
const NAMING_KEYS: &[&str] = &[
    "model",
    "background_model",
    "opus_model",
    "sonnet_model",
    "scope",
    "endpoint",
    "region",
    "location",
    "kind",
];
/// How credentials commonly begin: a literal starting so is never shown, whatever its place.
const CREDENTIAL_PREFIXES: &[&str] = &[
    "sk-",
    "sk_",
    "pk_",
    "rk_",
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "github_pat_",
    "glpat-",
    "xox",
    "AIza",
    "ya29.",
    "eyJ",
    "-----BEGIN",
    "Bearer ",
    "Basic ",
];

/// A literal or comment in a line, by character index: `start` is its opening quote (or the
/// comment's first `/`), `body` the range masked, `text` its contents as written.
#[derive(Debug)]
struct Literal {
    start: usize,
    body: std::ops::Range<usize>,
    text: String,
    comment: bool,
}

/// The line with every literal that may be a value masked.
pub fn mask_values(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut shown = chars.clone();
    for literal in literals(&chars) {
        if literal.comment || !is_name(&chars, &literal) {
            for c in &mut shown[literal.body] {
                *c = '*';
            }
        }
    }
    shown.into_iter().collect()
}

/// Whether the line holds a literal credential, so it must be masked whatever the diagnostic
/// that shows it: a literal shaped like one, a literal given under a credential's name
/// (`client_secret: "…"`, `"password": "…"`, `set("api_key", "…")`), or one holding a credential
/// header (`"Authorization: Bearer …"`; the text is as written, so `\n` between headers is an
/// escape).
pub fn holds_credential(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    let found = literals(&chars);
    found.iter().enumerate().any(|(index, literal)| {
        !literal.comment
            && (looks_like_credential(&literal.text)
                || credential_header(&literal.text.replace("\\n", "\n")).is_some()
                || (!literal.text.is_empty() && under_credential_name(&chars, &found, index)))
    })
}

/// Whether literal `index` of `found` is given under a credential's name: `key: "…"`, or
/// `"key": "…"` and `("key", "…")` where the name is itself a literal.
fn under_credential_name(chars: &[char], found: &[Literal], index: usize) -> bool {
    let literal = &found[index];
    if let Some((word, ':')) = preceding_word(chars, literal.start) {
        return is_credential_key(&word);
    }
    let Some(previous) = index.checked_sub(1).map(|i| &found[i]) else {
        return false;
    };
    // Between them: the previous literal's closing quote, then `:` or `,`, and spaces.
    let between: String = chars[previous.body.end..literal.start].iter().collect();
    let joint = between.get(1..).map(str::trim);
    !previous.comment && matches!(joint, Some(":" | ",")) && is_credential_key(&previous.text)
}

/// Whether `text` starts like a credential does (`sk-`, `AKIA`, `Bearer `, a PEM block).
pub(super) fn looks_like_credential(text: &str) -> bool {
    let text = text.trim();
    CREDENTIAL_PREFIXES.iter().any(|p| text.starts_with(p))
        || text.contains("-----BEGIN")
        || text.contains("private_key")
}

fn literals(chars: &[char]) -> Vec<Literal> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let end = match (chars[at], chars.get(at + 1)) {
            ('/', Some('/')) => chars.len(),
            ('/', Some('*')) => closing(chars, at + 2, "*/").map_or(chars.len(), |e| e + 2),
            ('"', _) => quoted(chars, at + 1, '"', true),
            ('\'', _) => quoted(chars, at + 1, '\'', true),
            ('`', _) => quoted(chars, at + 1, '`', false),
            _ => {
                at += 1;
                continue;
            }
        };
        let comment = chars[at] == '/';
        let body = if comment {
            at + 2..end
        } else {
            // The closing quote, when the literal is closed on this line, stays visible.
            let closed = end > at + 1 && end <= chars.len() && chars[end - 1] == chars[at];
            at + 1..if closed { end - 1 } else { end }
        };
        found.push(Literal {
            start: at,
            text: chars[body.clone()].iter().collect(),
            body,
            comment,
        });
        at = end.max(at + 1);
    }
    found
}

/// The index after the closing `quote` of a literal whose contents start at `from`, or the line's
/// end when it is not closed here. A backslash escapes the next character where `escapes` holds.
fn quoted(chars: &[char], from: usize, quote: char, escapes: bool) -> usize {
    let mut at = from;
    while at < chars.len() {
        match chars[at] {
            '\\' if escapes => at += 2,
            c if c == quote => return at + 1,
            _ => at += 1,
        }
    }
    chars.len()
}

fn closing(chars: &[char], from: usize, end: &str) -> Option<usize> {
    let end: Vec<char> = end.chars().collect();
    (from..chars.len()).find(|&i| chars[i..].starts_with(&end))
}

/// A literal stays visible when its place makes it a name (a call's first argument or a naming
/// key's value) and its text is shaped like one.
fn is_name(chars: &[char], literal: &Literal) -> bool {
    let text = &literal.text;
    let shaped = !text.is_empty()
        && text.len() <= 100
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:@/+".contains(c))
        && !looks_like_credential(text);
    if !shaped || chars[literal.start] != '"' {
        return false;
    }
    match preceding_word(chars, literal.start) {
        Some((word, '(')) if word == "secret" => is_env_name(text),
        Some((word, '(')) => NAMING_CALLS.contains(&word.as_str()),
        Some((word, ':')) => NAMING_KEYS.contains(&word.as_str()),
        Some((word, ' ')) => word == "import",
        _ => false,
    }
}

/// The identifier before `at` and the punctuation between them: `secret(` gives ("secret", '('),
/// `model: ` gives ("model", ':'), `import ` gives ("import", ' ').
fn preceding_word(chars: &[char], at: usize) -> Option<(String, char)> {
    let mut i = at;
    let skip_spaces = |i: &mut usize| {
        while *i > 0 && chars[*i - 1].is_whitespace() {
            *i -= 1;
        }
    };
    skip_spaces(&mut i);
    let joint = match i.checked_sub(1).map(|j| chars[j]) {
        Some(c @ ('(' | ':')) => {
            i -= 1;
            skip_spaces(&mut i);
            c
        }
        _ => ' ',
    };
    let end = i;
    while i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        i -= 1;
    }
    (i < end).then(|| (chars[i..end].iter().collect(), joint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_and_values_go() {
        let line = r#"emit(pattern("gateway", #{ gateway: gw, model: "claude-sonnet-4-5", auth_token: secret("LITELLM_KEY"), api_key: "sk-ant-api03-xyz" }));"#;
        let shown = mask_values(line);
        assert_eq!(shown.chars().count(), line.chars().count(), "columns kept");
        for kept in [
            "pattern(\"gateway\"",
            "\"claude-sonnet-4-5\"",
            "secret(\"LITELLM_KEY\")",
        ] {
            assert!(shown.contains(kept), "{kept} hidden: {shown}");
        }
        assert!(!shown.contains("sk-ant"), "{shown}");
        assert!(shown.contains("api_key: \"****************\""), "{shown}");
    }

    #[test]
    fn escaped_quotes_do_not_end_the_literal() {
        let line = r#"let c = #{ credentials: "{\"private_key\": \"MIIEvQIB\"}" };"#;
        let shown = mask_values(line);
        assert!(!shown.contains("MIIE"), "{shown}");
        assert!(!shown.contains("private_key"), "{shown}");
    }

    #[test]
    fn backticks_chars_and_comments_are_masked() {
        let shown = mask_values("let k = `sk-live-1`; let c = 'x'; // token abc123");
        assert!(!shown.contains("sk-live"), "{shown}");
        assert!(!shown.contains("abc123"), "{shown}");
        assert!(!shown.contains("'x'"), "{shown}");
        let block = mask_values(r#"let a = /* sk-1 */ secret("A");"#);
        assert!(
            !block.contains("sk-1") && block.contains("secret(\"A\")"),
            "{block}"
        );
    }

    #[test]
    fn a_value_in_a_naming_place_is_still_masked() {
        // secret() given a value instead of a name (GW1007), and a key-shaped model.
        let shown =
            mask_values(r#"let k = secret("sk-ant-api03-abc"); m(#{ model: "sk-proj-1" });"#);
        assert!(!shown.contains("sk-"), "{shown}");
        let spaced = mask_values(r#"secret("not a name")"#);
        assert!(!spaced.contains("not a name"), "{spaced}");
    }

    #[test]
    fn unterminated_literals_are_masked_to_the_end() {
        let shown = mask_values(r#"let k = "sk-ant-unterminated"#);
        assert!(!shown.contains("sk-ant"), "{shown}");
        let escaped_end = mask_values(r#"let k = "abc\"#);
        assert!(!escaped_end.contains("abc"), "{escaped_end}");
    }

    #[test]
    fn credential_shaped_literals_mark_the_line() {
        assert!(holds_credential(r#"gw.set("master_key", "sk-1234");"#));
        assert!(holds_credential(
            r#"let c = "-----BEGIN PRIVATE KEY-----";"#
        ));
        assert!(!holds_credential(r#"gw.deploy("claude-sonnet-4-5", p);"#));
    }

    #[test]
    fn literals_under_credential_names_and_credential_headers_mark_the_line() {
        for line in [
            r#"gw.deploy("g", provider("raw", #{ client_id: "app", client_secret: "s3cr3t" }));"#,
            r#"let p = #{ "password": "hunter2" };"#,
            r#"gw.set("client_secret", "s3cr3t");"#,
            r#"env: #{ ANTHROPIC_CUSTOM_HEADERS: "Authorization: Bearer team-7f3a" },"#,
            r#"env: #{ ANTHROPIC_CUSTOM_HEADERS: "x-team: a\nx-api-key: team-7f3a" },"#,
            r#"extra_headers: #{ Authorization: `Bearer team-7f3a` },"#,
        ] {
            assert!(holds_credential(line), "{line}");
            assert!(!mask_values(line).contains("7f3a"), "{line}");
        }
        for line in [
            r#"let gw = gateway("mintmcp", #{ org_key_header: "X-Org-Key", org_key: secret("K") });"#,
            r#"let gw = gateway("truefoundry", #{ secret_group: "acme:keys" });"#,
            r#"emit(pattern("gateway", #{ gateway: gw, auth_token: secret("K"), api_key: "" }));"#,
            r#"env: #{ ANTHROPIC_CUSTOM_HEADERS: "x-team: platform" },"#,
            r#"let k = "password"; // the word alone"#,
        ] {
            assert!(!holds_credential(line), "{line}");
        }
    }
}
