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

/// Whether `host` names this machine: `localhost` or a loopback address (`127.0.0.0/8`, `::1`,
/// `::ffff:127.x.y.z`). `host` may be a bare host (`::1` too), a `host:port`, a bracketed IPv6
/// address or a whole URL. A name is compared whole, never by prefix: `127.evil.example` is
/// whatever its owner resolves it to.
pub fn is_loopback_host(host: &str) -> bool {
    use std::net::IpAddr;
    // A bare IPv6 address has colons that would otherwise be read as a port.
    let name = if host.parse::<IpAddr>().is_ok() {
        host
    } else {
        self::host(host)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_an_address_or_localhost_never_a_name_that_starts_like_one() {
        for host in [
            "127.0.0.1",
            "127.0.0.2",
            "127.255.0.9:8080",
            "::1",
            "[::1]",
            "[::1]:4000",
            "::ffff:127.0.0.1",
            "localhost",
            "LocalHost:1",
            "http://localhost:4000/v1",
            "http://[::1]:80/x",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "127.evil.example",
            "http://127.evil.example:4000",
            "127.0.0.1.nip.io",
            "localhost.evil.example",
            "::2",
            "10.0.0.1",
            "0.0.0.0",
            "gw.example",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

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
