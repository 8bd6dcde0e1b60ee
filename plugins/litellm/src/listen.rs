//! Where the proxy listens: the host and port of the gateway URL clients are given, so the
//! start command and the client settings cannot disagree.

/// LiteLLM's own default port, used when the URL names none.
pub const DEFAULT_PORT: u16 = 4000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    /// The host clients use, as written in the gateway URL.
    pub host: String,
    pub port: u16,
    /// The address the proxy binds: the URL's host when it is loopback, otherwise every
    /// interface, since a public name is served through the machine's own address (or a load
    /// balancer in front of it).
    pub bind: String,
}

impl Listen {
    pub fn is_local(&self) -> bool {
        gwscript_plugin::url::is_loopback_host(&self.host)
    }
}

/// Splits `scheme://user@host:port/path` into host and port. IPv6 hosts lose their brackets,
/// which `--host` does not take.
pub fn from_gateway_url(url: &str) -> Result<Listen, String> {
    let host_port = gwscript_plugin::url::authority(url);
    let (host, port) = match host_port.strip_prefix('[') {
        Some(bracketed) => {
            let (host, rest) = bracketed
                .split_once(']')
                .ok_or_else(|| format!("the gateway URL `{url}` has an unclosed IPv6 address"))?;
            (host, rest.strip_prefix(':'))
        }
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err(format!("the gateway URL `{url}` names no host"));
    }
    let port = match port {
        None | Some("") => DEFAULT_PORT,
        Some(port) => port
            .parse()
            .map_err(|_| format!("the gateway URL `{url}` has an invalid port `{port}`"))?,
    };
    let bind = if gwscript_plugin::url::is_loopback_host(host) {
        host.to_owned()
    } else if host.contains(':') {
        "::".to_owned()
    } else {
        "0.0.0.0".to_owned()
    };
    Ok(Listen {
        host: host.to_owned(),
        port,
        bind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listen(url: &str) -> (String, u16) {
        let l = from_gateway_url(url).unwrap();
        (l.host, l.port)
    }

    #[test]
    fn takes_host_and_port_from_the_url() {
        assert_eq!(listen("http://127.0.0.1:4000"), ("127.0.0.1".into(), 4000));
        assert_eq!(
            listen("https://litellm.corp.example:8443/"),
            ("litellm.corp.example".into(), 8443)
        );
        assert_eq!(listen("http://[::1]:4100/v1"), ("::1".into(), 4100));
        assert_eq!(
            listen("http://user@gw.local:4001"),
            ("gw.local".into(), 4001)
        );
    }

    #[test]
    fn binds_loopback_hosts_as_given_and_every_interface_otherwise() {
        let bind = |url| from_gateway_url(url).unwrap().bind;
        assert_eq!(bind("http://127.0.0.1:4000"), "127.0.0.1");
        assert_eq!(bind("http://localhost:4000"), "localhost");
        assert_eq!(bind("http://[::1]:4000"), "::1");
        assert_eq!(bind("https://llm-gateway.corp.example"), "0.0.0.0");
        assert_eq!(bind("http://[fd00::5]:4000"), "::");
    }

    #[test]
    fn a_name_that_starts_like_a_loopback_address_is_not_local() {
        let evil = from_gateway_url("http://127.evil.example:4000").unwrap();
        assert!(!evil.is_local());
        assert_eq!(evil.bind, "0.0.0.0");
        assert!(
            from_gateway_url("http://127.0.0.2:4000")
                .unwrap()
                .is_local()
        );
    }

    #[test]
    fn defaults_to_litellms_port() {
        assert_eq!(listen("http://localhost"), ("localhost".into(), 4000));
        assert_eq!(listen("https://gw.example/"), ("gw.example".into(), 4000));
    }

    #[test]
    fn refuses_urls_without_host_or_with_a_bad_port() {
        assert!(from_gateway_url("http://:4000").is_err());
        assert!(from_gateway_url("http://gw:http").is_err());
        assert!(from_gateway_url("http://[::1").is_err());
    }
}
