//! The two URLs this gateway is built from: the gateway URL clients are given (where nginx
//! listens, and the path prefix of its routes) and the upstream it forwards to. Both are read
//! strictly: only characters that need no escaping in an nginx location, a `proxy_pass` or a Kong
//! route, so what the plugin writes is exactly what the recipe said.

/// `http(s)://host[:port][/path]`, without credentials, query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    pub https: bool,
    /// As written; IPv6 addresses without their brackets.
    pub host: String,
    pub port: Option<u16>,
    /// The path prefix without a trailing `/`: empty, or starting with `/`.
    pub path: String,
}

impl HttpUrl {
    pub fn parse(url: &str) -> Result<HttpUrl, String> {
        let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err("it is not an http:// or https:// URL".into());
        };
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(
                "it carries credentials (user@host); reference secrets by name instead".into(),
            );
        }
        let (host, port) = split_host_port(authority)?;
        let path = path.trim_end_matches('/');
        if let Some(bad) = path.chars().find(|c| !is_path_char(*c)) {
            return Err(format!(
                "its path has {bad:?}; only letters, digits and . _ ~ - / are taken (no query or fragment)"
            ));
        }
        Ok(HttpUrl {
            https,
            host: host.to_owned(),
            port,
            path: path.to_owned(),
        })
    }

    /// The port clients connect to: the URL's, else the scheme's.
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.https { 443 } else { 80 })
    }

    pub fn is_loopback(&self) -> bool {
        gwscript_plugin::url::is_loopback_host(&self.host)
    }

    /// The host as it appears in a URL or an nginx `listen`: IPv6 in brackets.
    pub fn host_for_url(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }

    /// `scheme://host[:port]` followed by the path prefix and `suffix`.
    pub fn join(&self, suffix: &str) -> String {
        let scheme = if self.https { "https" } else { "http" };
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!(
            "{scheme}://{}{port}{}{suffix}",
            self.host_for_url(),
            self.path
        )
    }
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (host, rest) = bracketed
                .split_once(']')
                .ok_or("its IPv6 address has no closing ]")?;
            if host.is_empty()
                || !host
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            {
                return Err(format!("[{host}] is not an IPv6 address"));
            }
            match rest {
                "" => (host, None),
                _ => (
                    host,
                    Some(
                        rest.strip_prefix(':')
                            .ok_or("junk after its IPv6 address")?,
                    ),
                ),
            }
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let is_name = |h: &str| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    if !authority.starts_with('[') && !is_name(host) {
        return Err(format!(
            "its host {host:?} is not a name or address (letters, digits, . and - only)"
        ));
    }
    let port = match port {
        None => None,
        Some(port) => Some(
            port.parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("its port {port:?} is not a number from 1 to 65535"))?,
        ),
    };
    Ok((host, port))
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '-' | '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> HttpUrl {
        HttpUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    #[test]
    fn reads_scheme_host_port_and_path() {
        let url = parse("https://llm.corp.example:8443/claude/");
        assert_eq!(
            url,
            HttpUrl {
                https: true,
                host: "llm.corp.example".into(),
                port: Some(8443),
                path: "/claude".into(),
            }
        );
        assert_eq!(
            url.join("/v1/messages"),
            "https://llm.corp.example:8443/claude/v1/messages"
        );
        let plain = parse("http://127.0.0.1");
        assert_eq!((plain.effective_port(), plain.path.as_str()), (80, ""));
        assert_eq!(parse("https://api.anthropic.com").effective_port(), 443);
    }

    #[test]
    fn ipv6_hosts_keep_their_brackets_in_urls_only() {
        let url = parse("http://[::1]:4100");
        assert_eq!(url.host, "::1");
        assert!(url.is_loopback());
        assert_eq!(url.host_for_url(), "[::1]");
        assert_eq!(url.join(""), "http://[::1]:4100");
    }

    #[test]
    fn loopback_is_localhost_127_and_ipv6_one() {
        for (url, loopback) in [
            ("http://localhost:1", true),
            ("http://127.0.0.2:1", true),
            ("http://10.0.0.1", false),
            ("http://mock.internal", false),
            ("http://127.evil.example", false),
        ] {
            assert_eq!(parse(url).is_loopback(), loopback, "{url}");
        }
    }

    #[test]
    fn refuses_what_the_configs_could_not_carry_verbatim() {
        for url in [
            "ftp://host",
            "https://user:pw@host",
            "https://host/a?b=c",
            "https://host/a#frag",
            "https://host/$upstream",
            "https://host/a b",
            "https://ho\"st",
            "https://:443",
            "https://host:0",
            "https://host:http",
            "https://[::1",
            "https://[zz]:1",
            "http://host\n:80",
        ] {
            assert!(HttpUrl::parse(url).is_err(), "accepted {url:?}");
        }
    }
}
