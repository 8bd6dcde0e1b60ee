//! Values as doctor shows them: never a secret. A variable whose name is a credential's, or whose
//! value carries a credential header (or any custom header), shows only that it is set and its length; a URL shows
//! without its user part and without a query that holds a credential.

use super::Value;
use crate::client::credentials::{credential_header, credential_in, is_credential_variable};
use crate::client::headers::CUSTOM_HEADERS;

/// `value` of `name`, safe to print.
pub fn shown(name: &str, value: &Value) -> String {
    match value {
        Value::Text(text) if text.is_empty() => "\"\"".to_owned(),
        // Custom headers are where gateway keys travel, in whatever form the user wrote them.
        Value::Text(text)
            if is_credential_variable(name)
                || name == CUSTOM_HEADERS
                || credential_header(text).is_some() =>
        {
            set(text)
        }
        Value::Text(text) => without_credentials(text),
        // A number, boolean or null says nothing secret; a structure might, and is not needed.
        Value::Json(json) if is_credential_variable(name) => set(json),
        Value::Json(json) => match serde_json::from_str::<serde_json::Value>(json) {
            Ok(
                serde_json::Value::Number(_) | serde_json::Value::Bool(_) | serde_json::Value::Null,
            ) => json.clone(),
            _ => format!("<JSON value, {} chars>", json.chars().count()),
        },
    }
}

fn set(text: &str) -> String {
    format!("<set, {} chars>", text.chars().count())
}

/// `text` with the user part of its authority (`user:password@`) and a query holding a credential
/// (`?token=…`) masked. Without a scheme, what precedes the first `/` is taken for the authority:
/// a proxy written `user:password@host:port` keeps its password too.
fn without_credentials(text: &str) -> String {
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (&text[..scheme.len() + 3], rest),
        None => ("", text),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_owned(),
    };
    // The query is judged by the same rule as a URL the recipe gives.
    let tail = match tail.split_once('?') {
        Some((path, query)) if credential_in(&format!("http://h?{query}")).is_some() => {
            let fragment = query.find('#').map_or("", |at| &query[at..]);
            format!("{path}?***{fragment}")
        }
        _ => tail.to_owned(),
    };
    format!("{scheme}{host}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Value {
        Value::Text(value.to_owned())
    }

    #[test]
    fn credentials_show_only_that_they_are_set() {
        assert_eq!(
            shown("ANTHROPIC_AUTH_TOKEN", &text("sk-ant-0123456789")),
            "<set, 17 chars>"
        );
        assert_eq!(shown("apiKeyHelper", &text("echo sk-1")), "<set, 9 chars>");
        assert_eq!(
            shown(
                "ANTHROPIC_CUSTOM_HEADERS",
                &text("x-team: a\nx-api-key: k-1")
            ),
            "<set, 24 chars>"
        );
        // A header line that is not even a header may still carry a key.
        assert_eq!(
            shown("ANTHROPIC_CUSTOM_HEADERS", &text("x-litellm-api-key sk-1")),
            "<set, 22 chars>"
        );
        assert_eq!(shown("ANTHROPIC_API_KEY", &text("")), "\"\"", "a cancel");
        assert_eq!(
            shown("MY_TOKEN", &Value::Json("12345".into())),
            "<set, 5 chars>"
        );
    }

    #[test]
    fn urls_lose_their_user_part_and_a_secret_query() {
        for (value, expected) in [
            (
                "http://user:hunter2@proxy.corp.example:3128",
                "http://***@proxy.corp.example:3128",
            ),
            ("HTTP://u:p@h:1/x", "HTTP://***@h:1/x"),
            ("user:hunter2@proxy:3128", "***@proxy:3128"),
            (
                "https://gw.example/v1?token=abc#top",
                "https://gw.example/v1?***#top",
            ),
            ("https://gw.example/?model=x", "https://gw.example/?model=x"),
            ("https://llm.corp.example", "https://llm.corp.example"),
            ("localhost,.corp.example", "localhost,.corp.example"),
        ] {
            assert_eq!(shown("HTTPS_PROXY", &text(value)), expected, "{value}");
        }
    }

    #[test]
    fn structures_are_not_shown() {
        assert_eq!(shown("model", &Value::Json("true".into())), "true");
        assert_eq!(
            shown("model", &Value::Json("{\"a\":\"sk-1\"}".into())),
            "<JSON value, 12 chars>"
        );
    }
}
