//! The routes the gateway serves and where each goes upstream: one list that the nginx locations,
//! the Kong route, the checklist and the report all take their paths from.

use crate::url::HttpUrl;

/// Claude Code's Messages route, below the gateway URL and below the upstream's base URL.
pub const MESSAGES: &str = "/v1/messages";
/// Token counting; optional for Claude Code, which estimates locally when it is missing.
pub const COUNT_TOKENS: &str = "/v1/messages/count_tokens";

/// The Anthropic API version Claude Code sends and Kong's ai-proxy requires in its config.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The route below the gateway URL's path prefix: `/v1/messages`, …
    pub suffix: &'static str,
    /// The path clients request, the gateway URL's path prefix included.
    pub path: String,
    /// The full upstream URL the route forwards to.
    pub upstream: String,
    pub serves: &'static str,
}

/// Both Messages routes, in the order the report lists them.
pub fn routes(gateway_url: &HttpUrl, upstream: &HttpUrl) -> Vec<Route> {
    [
        (
            MESSAGES,
            "Anthropic Messages, streamed (Claude Code uses this route)",
        ),
        (
            COUNT_TOKENS,
            "token counting (optional: Claude Code estimates without it)",
        ),
    ]
    .into_iter()
    .map(|(suffix, serves)| Route {
        suffix,
        path: format!("{}{suffix}", gateway_url.path),
        upstream: upstream.join(suffix),
        serves,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_keep_both_path_prefixes() {
        let gateway = HttpUrl::parse("https://gw.example/claude").unwrap();
        let upstream = HttpUrl::parse("https://llm.internal/anthropic").unwrap();
        let routes = routes(&gateway, &upstream);
        let pairs: Vec<(&str, &str)> = routes
            .iter()
            .map(|r| (r.path.as_str(), r.upstream.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                (
                    "/claude/v1/messages",
                    "https://llm.internal/anthropic/v1/messages"
                ),
                (
                    "/claude/v1/messages/count_tokens",
                    "https://llm.internal/anthropic/v1/messages/count_tokens"
                ),
            ]
        );
    }
}
