//! How responses and errors are quoted in evidence: briefly, and never with a credential.

/// A transport error, with its causes but never a credential: reqwest errors hold no headers, and
/// their URL (which may carry a user part or a key in its query) is left out.
pub(super) fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "cannot connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = std::error::Error::source(error);
    // Bounded: error chains are a handful of links long.
    for _ in 0..8 {
        let Some(cause) = source else { break };
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `url` as evidence shows it: without a user part or a query, which may hold credentials.
pub(super) fn shown_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.set_query(None);
            let shown = parsed.to_string();
            // Url adds a `/` to a bare host; keep the user's form.
            if url.ends_with('/') {
                shown
            } else {
                shown.trim_end_matches('/').to_owned()
            }
        }
        Err(_) => "the URL".to_owned(),
    }
}

/// A response body for evidence: on one line (an HTML page's lines would break the table), at
/// most 200 characters.
pub(super) fn excerpt(body: &str) -> String {
    let words: Vec<&str> = body.split_whitespace().collect();
    let line = words.join(" ");
    let shown: String = line.chars().take(200).collect();
    if shown.len() < line.len() {
        format!("{shown}…")
    } else {
        shown
    }
}

/// Whether a response body is an HTML page (a WAF's or a proxy's error page).
pub(super) fn is_html(content_type: Option<&str>, body: &str) -> bool {
    content_type.is_some_and(|t| t.contains("text/html")) || body.trim_start().starts_with('<')
}

/// A response header's value as text.
pub(super) fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_one_bounded_line() {
        assert_eq!(
            excerpt("<html>\n  <body>403</body>\n</html>\n"),
            "<html> <body>403</body> </html>"
        );
        let long = excerpt(&"x".repeat(500));
        assert_eq!(long.chars().count(), 201);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn shown_urls_lose_user_part_and_query() {
        assert_eq!(
            shown_url("http://u:p@127.0.0.1:8/gw?key=k"),
            "http://127.0.0.1:8/gw"
        );
        assert_eq!(shown_url("http://127.0.0.1:8"), "http://127.0.0.1:8");
    }
}
