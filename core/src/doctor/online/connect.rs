//! Connections for the live checks, each step bounded by [`TIMEOUT`]: straight to a host, or
//! through the corporate proxy's `CONNECT` tunnel, as Claude Code goes when `HTTPS_PROXY` is set
//! and `NO_PROXY` does not cover the host.

use base64::Engine;
use reqwest::Url;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The longest any one connection, read or write waits.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The largest proxy answer head read: a status line and a few headers.
const MAX_HEAD: usize = 16 * 1024;

/// An http:// proxy, parsed.
#[derive(Debug, Clone)]
pub struct Proxy {
    /// The URL as given, for reqwest (which sends its user part as basic auth itself).
    pub url: String,
    host: String,
    port: u16,
    /// `Proxy-Authorization` for the URL's user part, if it has one.
    authorization: Option<String>,
}

impl Proxy {
    /// The proxy `text` names, or why doctor cannot use it.
    pub fn parse(text: &str) -> Result<Proxy, String> {
        let url = Url::parse(text).map_err(|e| format!("it is not a URL ({e})"))?;
        if url.scheme() != "http" {
            return Err(format!(
                "only http:// proxies can be checked, and this one is {}://",
                url.scheme()
            ));
        }
        let host = url.host_str().ok_or("it has no host")?.to_owned();
        let port = url.port_or_known_default().unwrap_or(80);
        let authorization = (!url.username().is_empty()).then(|| {
            let pair = format!(
                "{}:{}",
                percent_decoded(url.username()),
                percent_decoded(url.password().unwrap_or_default())
            );
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            )
        });
        Ok(Proxy {
            url: text.to_owned(),
            host,
            port,
            authorization,
        })
    }

    pub fn has_credentials(&self) -> bool {
        self.authorization.is_some()
    }
}

/// How requests reach a host.
#[derive(Debug, Clone, Copy)]
pub enum Route<'p> {
    Direct,
    Via(&'p Proxy),
}

/// What a `CONNECT` got.
#[derive(Debug)]
pub enum Tunnel {
    Open(TcpStream),
    /// The proxy answered, with this status and reason, and opened nothing.
    Refused(u16, String),
    /// No answer: the proxy cannot be reached, or did not speak HTTP.
    Unreachable(String),
}

/// A TCP connection to `host:port` (an IPv6 host in brackets or not), reads and writes bounded.
pub fn tcp(host: &str, port: u16) -> Result<TcpStream, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses = (bare, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {bare}: {e}"))?;
    let mut last = format!("{bare} has no address");
    for address in addresses {
        match TcpStream::connect_timeout(&address, TIMEOUT) {
            Ok(stream) => {
                stream
                    .set_read_timeout(Some(TIMEOUT))
                    .and_then(|()| stream.set_write_timeout(Some(TIMEOUT)))
                    .map_err(|e| e.to_string())?;
                return Ok(stream);
            }
            Err(e) => last = format!("cannot connect to {address}: {e}"),
        }
    }
    Err(last)
}

/// Asks `proxy` for a tunnel to `host:port`.
pub fn tunnel(proxy: &Proxy, host: &str, port: u16) -> Tunnel {
    let mut stream = match tcp(&proxy.host, proxy.port) {
        Ok(stream) => stream,
        Err(why) => return Tunnel::Unreachable(why),
    };
    let mut request = format!("CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n");
    if let Some(authorization) = &proxy.authorization {
        request.push_str(&format!("Proxy-Authorization: {authorization}\r\n"));
    }
    request.push_str("\r\n");
    if let Err(e) = stream.write_all(request.as_bytes()) {
        return Tunnel::Unreachable(format!("cannot send CONNECT: {e}"));
    }
    let head = match read_head(&mut stream) {
        Ok(head) => head,
        Err(why) => return Tunnel::Unreachable(why),
    };
    let status_line = head.lines().next().unwrap_or_default();
    let mut words = status_line.splitn(3, ' ');
    let status = match (
        words.next(),
        words.next().and_then(|s| s.parse::<u16>().ok()),
    ) {
        (Some(version), Some(status)) if version.starts_with("HTTP/") => status,
        _ => {
            return Tunnel::Unreachable(
                "it did not answer CONNECT with HTTP: is it a proxy?".to_owned(),
            );
        }
    };
    if (200..300).contains(&status) {
        Tunnel::Open(stream)
    } else {
        Tunnel::Refused(status, words.next().unwrap_or_default().trim().to_owned())
    }
}

/// A connection to `host:port` along `route`.
pub fn open(host: &str, port: u16, route: &Route<'_>) -> Result<TcpStream, String> {
    match route {
        Route::Direct => tcp(host, port),
        Route::Via(proxy) => match tunnel(proxy, host, port) {
            Tunnel::Open(stream) => Ok(stream),
            Tunnel::Refused(status, reason) => {
                Err(format!("the proxy refused the tunnel: {status} {reason}"))
            }
            Tunnel::Unreachable(why) => Err(format!("through the proxy: {why}")),
        },
    }
}

/// The answer's head, up to the blank line, read a byte at a time so nothing of the tunnelled
/// stream after it is consumed.
fn read_head(stream: &mut TcpStream) -> Result<String, String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return Err("its answer to CONNECT has no end".to_owned());
        }
        match stream.read(&mut byte) {
            Ok(0) => return Err("it closed the connection without answering CONNECT".to_owned()),
            Ok(_) => head.push(byte[0]),
            Err(e) => return Err(format!("no answer to CONNECT: {e}")),
        }
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// `%XX` escapes decoded, as a URL's user part is sent in `Proxy-Authorization`.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                at += 3;
            }
            (other, _) => {
                out.push(other);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_url_gives_its_address_and_basic_credentials() {
        let proxy = Proxy::parse("http://us%40er:p%3Ass@127.0.0.1:3128").expect("parses");
        assert_eq!((proxy.host.as_str(), proxy.port), ("127.0.0.1", 3128));
        // base64("us@er:p:ss")
        assert_eq!(
            proxy.authorization.as_deref(),
            Some("Basic dXNAZXI6cDpzcw==")
        );
        let bare = Proxy::parse("http://proxy.corp.example").expect("parses");
        assert_eq!(bare.port, 80);
        assert!(!bare.has_credentials());
        assert!(Proxy::parse("socks5://127.0.0.1:1080").is_err());
        assert!(Proxy::parse("proxy.corp.example:3128").is_err());
    }

    #[test]
    fn percent_escapes_are_decoded_and_stray_percents_kept() {
        assert_eq!(percent_decoded("a%20b%zz%"), "a b%zz%");
    }
}
