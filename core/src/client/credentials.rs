//! What marks a value as a credential by the name it is given under: a settings variable
//! (`MY_SERVICE_TOKEN`), an option key (`client_secret`), or a header inside a value
//! (`Authorization: Bearer …` in `ANTHROPIC_CUSTOM_HEADERS`). The checks that refuse literal
//! credentials and the masking of the recipe lines that hold one read the same words.

/// Words that mark a name as a credential's.
const CREDENTIAL_WORDS: &[&str] = &["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"];
/// Header names whose value is a credential although no word says so.
const CREDENTIAL_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// Whether a settings variable holds a credential: one of the words anywhere in its name, except
/// a cache life (`CLAUDE_CODE_API_KEY_HELPER_TTL_MS`).
pub fn is_credential_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    CREDENTIAL_WORDS.iter().any(|w| upper.contains(w)) && !upper.ends_with("_TTL_MS")
}

/// Whether an option key or header name names a credential: its last word is one of the words
/// (`client_secret`, `aws_secret_access_key`, `apiKey`, `x-api-key`, `vertex_credentials`), or
/// it is an authorization header. Only the last word counts: `org_key_header` names a header,
/// `secret_group` a group.
pub fn is_credential_key(key: &str) -> bool {
    if CREDENTIAL_HEADERS
        .iter()
        .any(|h| key.trim().eq_ignore_ascii_case(h))
    {
        return true;
    }
    let last = last_word(key).to_ascii_uppercase();
    CREDENTIAL_WORDS.iter().any(|w| {
        let plural = last.strip_suffix('S').unwrap_or(&last);
        last.ends_with(w) || plural.ends_with(w)
    })
}

/// The last word of `snake_case`, `kebab-case` or `camelCase` text.
fn last_word(key: &str) -> &str {
    let (mut start, mut end) = (0, 0);
    let mut previous: Option<char> = None;
    for (at, c) in key.char_indices() {
        if !c.is_alphanumeric() {
            previous = None;
            continue;
        }
        // A word starts after a separator, and where a lower-case letter meets an upper-case one.
        if previous.is_none_or(|p| p.is_lowercase() && c.is_uppercase()) {
            start = at;
        }
        end = at + c.len_utf8();
        previous = Some(c);
    }
    &key[start..end]
}

/// The name of the first header in `value` that carries a credential, for a variable holding
/// headers: `Name: value` lines (`ANTHROPIC_CUSTOM_HEADERS`) or `name=value` pairs
/// (`OTEL_EXPORTER_OTLP_HEADERS`). A header counts when its name is a credential's
/// ([`is_credential_key`]) and its value is not empty.
pub fn credential_header(value: &str) -> Option<&str> {
    value.split(['\n', '\r', ',']).find_map(|line| {
        let split = line.find([':', '='])?;
        let (name, rest) = (line[..split].trim(), line[split + 1..].trim());
        (!name.is_empty() && !rest.is_empty() && is_credential_key(name)).then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_credentials_by_any_word_in_their_name() {
        for name in [
            "MY_SERVICE_TOKEN",
            "AWS_BEARER_TOKEN_BEDROCK",
            "ANTHROPIC_API_KEY",
            "db_password",
        ] {
            assert!(is_credential_variable(name), "{name}");
        }
        for name in ["CLAUDE_CODE_API_KEY_HELPER_TTL_MS", "ANTHROPIC_MODEL"] {
            assert!(!is_credential_variable(name), "{name}");
        }
    }

    #[test]
    fn keys_are_credentials_by_their_last_word() {
        for key in [
            "client_secret",
            "password",
            "api_key",
            "apiKey",
            "apikey",
            "x-api-key",
            "X-Auth-Token",
            "private_key",
            "aws_secret_access_key",
            "vertex_credentials",
            "azure_ad_token",
            "Authorization",
            "proxy-authorization",
        ] {
            assert!(is_credential_key(key), "{key}");
        }
        for key in [
            "org_key_header",
            "secret_group",
            "client_id",
            "tenant_id",
            "api_base",
            "model",
            "token_limit",
            "",
        ] {
            assert!(!is_credential_key(key), "{key}");
        }
    }

    #[test]
    fn headers_with_a_credential_are_found_by_name() {
        for (value, header) in [
            ("Authorization: Bearer sk-abc", "Authorization"),
            ("x-team: a\nx-api-key: abc", "x-api-key"),
            ("Proxy-Authorization:Basic dTpw", "Proxy-Authorization"),
            ("authorization=Bearer abc,x-trace=1", "authorization"),
            ("X-LiteLLM-Key: sk-1", "X-LiteLLM-Key"),
        ] {
            assert_eq!(credential_header(value), Some(header), "{value}");
        }
        for value in [
            "x-team: platform",
            "anthropic-beta: context-1m-2025-08-07",
            "Authorization:",
            "a plain value",
            "",
        ] {
            assert_eq!(credential_header(value), None, "{value}");
        }
    }
}
