//! What marks a value as a credential by the name it is given under: a settings variable
//! (`MY_SERVICE_TOKEN`), an option key (`client_secret`), or a header inside a value
//! (`Authorization: Bearer …` in `ANTHROPIC_CUSTOM_HEADERS`). The checks that refuse literal
//! credentials and the masking of the recipe lines that hold one read the same words.

/// Words that mark a name as a credential's.
const CREDENTIAL_WORDS: &[&str] = &["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"];
/// Header names whose value is a credential although no word says so.
const CREDENTIAL_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// Variables whose value is the path of the file a credential is in, not the credential.
const FILE_VARIABLES: &[&str] = &["GOOGLE_APPLICATION_CREDENTIALS", "CLAUDE_CODE_CLIENT_KEY"];

/// Whether a settings variable holds a credential: one of the words anywhere in its name, except
/// a cache life (`CLAUDE_CODE_API_KEY_HELPER_TTL_MS`) and a file's path
/// (`GOOGLE_APPLICATION_CREDENTIALS`, `AWS_SHARED_CREDENTIALS_FILE`, `…_PATH`).
pub fn is_credential_variable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let names_a_file = FILE_VARIABLES.contains(&upper.as_str())
        || upper.ends_with("_FILE")
        || upper.ends_with("_PATH");
    CREDENTIAL_WORDS.iter().any(|w| upper.contains(w))
        && !upper.ends_with("_TTL_MS")
        && !names_a_file
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

/// Query parameters that carry a credential, compared case-insensitively.
const SECRET_QUERY_KEYS: &[&str] = &[
    "token",
    "access_token",
    "api_key",
    "apikey",
    "key",
    "secret",
    "password",
    "passwd",
    "auth",
    "sig",
    "signature",
    "x-api-key",
];

/// Why `text`, if it is an http(s) URL, carries a credential.
pub fn credential_in(text: &str) -> Option<&'static str> {
    let rest = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Some("a user name or password");
    }
    let query = rest
        .split_once('?')?
        .1
        .split('#')
        .next()
        .unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .any(|key| {
            SECRET_QUERY_KEYS
                .iter()
                .any(|secret| key.eq_ignore_ascii_case(secret))
        })
        .then_some("a credential in its query")
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
            "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE",
        ] {
            assert!(is_credential_variable(name), "{name}");
        }
        for name in [
            "CLAUDE_CODE_API_KEY_HELPER_TTL_MS",
            "ANTHROPIC_MODEL",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "CLAUDE_CODE_CLIENT_KEY",
            "AWS_SHARED_CREDENTIALS_FILE",
            "VAULT_TOKEN_PATH",
        ] {
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

    #[test]
    fn finds_user_info_and_secret_query_parameters() {
        for url in [
            "http://admin:sk-123@llm.corp.example",
            "https://user@llm.corp.example:8443/v1",
            "https://llm.corp.example/?token=abc",
            "https://llm.corp.example/path?x=1&API_KEY=abc#frag",
        ] {
            assert!(credential_in(url).is_some(), "{url}");
        }
        for url in [
            "http://127.0.0.1:4000",
            "https://llm.corp.example/path@v2",
            "https://llm.corp.example/?model=claude&keyword=x",
            "not a url with user@host",
            "os.environ/API_BASE",
        ] {
            assert!(credential_in(url).is_none(), "{url}");
        }
    }
}
