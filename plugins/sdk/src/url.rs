//! Reading the URLs a recipe gives (a gateway's `url`, an option saying where to post) the way
//! their clients read them.

/// The `host[:port]` of `scheme://user@host:port/path?query#fragment`: what follows the scheme
/// (if any) up to the first `/`, `?` or `#`, without the user part. An IPv6 host keeps its
/// brackets (`[::1]:4000`).
pub fn authority(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host_port)| host_port)
}

/// The host of a URL or of a `host[:port]` (a `Host` header): the [`authority`] without its port,
/// an IPv6 address without its brackets (`::1`).
pub fn host(url: &str) -> &str {
    let host_port = authority(url);
    match host_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_has_no_port_brackets_or_user() {
        for (url, expected) in [
            ("http://u:p@[::1]:80/x", "::1"),
            ("https://a.example:8443/v1", "a.example"),
            ("127.0.0.1:8089", "127.0.0.1"),
            ("localhost", "localhost"),
            ("[::1]", "::1"),
        ] {
            assert_eq!(host(url), expected, "{url}");
        }
    }

    #[test]
    fn the_authority_is_host_and_port_without_user_path_query_or_fragment() {
        for (url, expected) in [
            ("http://127.0.0.1:4000", "127.0.0.1:4000"),
            ("https://user:pw@gw.example/v1?x=1", "gw.example"),
            ("http://a@b@gw.example:8080#top", "gw.example:8080"),
            ("http://[::1]:9000/", "[::1]:9000"),
            ("gw.example/path", "gw.example"),
            ("https://", ""),
        ] {
            assert_eq!(authority(url), expected, "{url}");
        }
    }
}
