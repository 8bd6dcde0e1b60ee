//! Masking a line of a data file (a YAML config, a JSON settings file) before it is shown: the
//! value of a `key: value` line (or the item of a `- item` line) becomes `*` when it may be a
//! secret, and the key stays, so a reader still finds the line. Columns are kept for the caret.
//!
//! A recipe line is masked by its literals ([`super::mask`]); a data file's values are mostly
//! unquoted, so they are found by the line's shape instead.

use super::mask::looks_like_credential;
use crate::client::credentials::{credential_header, credential_in, is_credential_key};

/// Values that name where a secret comes from rather than holding one.
const REFERENCE_PREFIXES: [&str; 2] = ["os.environ/", "oidc/"];

/// The line's key, if it has one, and the character range of its value.
fn split(line: &str) -> (Option<String>, std::ops::Range<usize>) {
    let chars: Vec<char> = line.chars().collect();
    let mut at = 0;
    // Indentation and list markers (`- `, `  - - `) come before a key or an item.
    loop {
        while chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        if chars.get(at) == Some(&'-') && chars.get(at + 1).is_none_or(|c| c.is_whitespace()) {
            at += 1;
        } else {
            break;
        }
    }
    let start = at;
    let key_end = match chars.get(at) {
        Some(&quote @ ('"' | '\'')) => chars[at + 1..]
            .iter()
            .position(|c| *c == quote)
            .map(|close| at + 1 + close + 1),
        _ => chars[at..]
            .iter()
            .enumerate()
            .position(|(i, c)| {
                *c == ':'
                    && chars
                        .get(at + i + 1)
                        .is_none_or(|next| next.is_whitespace())
            })
            .map(|colon| at + colon),
    };
    let colon = key_end.and_then(|end| {
        let mut after = end;
        while chars.get(after).is_some_and(|c| *c == ' ') {
            after += 1;
        }
        (chars.get(after) == Some(&':')).then_some(after)
    });
    match (key_end, colon) {
        (Some(end), Some(colon)) => {
            let key: String = chars[start..end].iter().collect();
            let key = key.trim_matches(['"', '\'']).to_owned();
            (Some(key), colon + 1..chars.len())
        }
        _ => (None, start..chars.len()),
    }
}

/// The value as written, without quotes, a trailing comma or a comment.
fn value_text(line: &str, range: &std::ops::Range<usize>) -> String {
    let value: String = line.chars().skip(range.start).take(range.len()).collect();
    let value = value.split(" #").next().unwrap_or_default().trim();
    value
        .trim_end_matches(',')
        .trim_matches(['"', '\''])
        .to_owned()
}

/// Whether the line holds a value that may be a secret: one under a credential's name that is not
/// a reference, one shaped like a credential, a URL with a password, or a credential header.
pub fn holds_credential(line: &str) -> bool {
    let (key, range) = split(line);
    let value = value_text(line, &range);
    if value.is_empty() || matches!(value.as_str(), "{" | "[" | "|" | ">" | "~" | "null") {
        return false;
    }
    let reference = REFERENCE_PREFIXES.iter().any(|p| value.starts_with(p));
    (key.is_some_and(|k| is_credential_key(&k)) && !reference)
        || looks_like_credential(&value)
        || credential_in(&value).is_some()
        || has_password(&value)
        || credential_header(&value.replace("\\n", "\n")).is_some()
}

/// A URL of any scheme (`postgresql://`, `redis://`) with a password in its user part.
fn has_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .is_some_and(|(user, _)| user.contains(':'))
}

/// The line with its value masked, key and punctuation before it kept.
pub fn mask_value(line: &str) -> String {
    let (_, range) = split(line);
    line.chars()
        .enumerate()
        .map(|(at, c)| {
            if range.contains(&at) && !c.is_whitespace() {
                '*'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_values_under_credential_names_are_masked_keys_kept() {
        for (line, masked) in [
            ("  master_key: sk-1234", "  master_key: *******"),
            (
                "      api_key: LEAK-7  # old",
                "      api_key: ******  * ***",
            ),
            ("  redis_password: hunter2", "  redis_password: *******"),
            (
                r#"    "ANTHROPIC_AUTH_TOKEN": "tok-2","#,
                r#"    "ANTHROPIC_AUTH_TOKEN": ********"#,
            ),
            ("  - sk-ant-api03-abc", "  - ****************"),
            (
                "  database_url: postgresql://u:pw@db/x",
                "  database_url: **********************",
            ),
        ] {
            assert!(holds_credential(line), "{line}");
            assert_eq!(mask_value(line), masked);
            assert_eq!(mask_value(line).chars().count(), line.chars().count());
        }
    }

    #[test]
    fn references_names_and_structure_stay_readable() {
        for line in [
            "      api_key: os.environ/ANTHROPIC_API_KEY",
            "  routing_strategy: least_busy",
            "  master_key:",
            r#"  "env": {"#,
            "      model: anthropic/claude-sonnet-4-5",
            "    - model_name: claude-sonnet-4-5",
            "  api_key: oidc/google/https://example.com",
        ] {
            assert!(!holds_credential(line), "{line}");
        }
    }
}
