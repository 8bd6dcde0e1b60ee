//! Real nginx (Debian's nginx-light) as a custom gateway in front of a loopback upstream: a
//! reverse proxy configured the way Claude Code needs ([`NginxGateway::correct`]), and variants
//! that each change one directive, for tests that must see a gateway break the contract the way
//! real deployments do (buffered streams, a stripped beta header, a short read timeout, nginx's
//! 1 MiB default body limit).
//!
//! Every directive of the proxy sits in the one `location /` block: a `proxy_set_header` in a
//! location replaces all those inherited from the server level, so splitting them would silently
//! drop some. nginx logs every request it proxied to an access log of its own, which tests read
//! to show traffic went through nginx without adding a header to it.
//!
//! Measured with nginx 1.22.1 and the mock's SSE (about 250-byte events, 25 ms apart):
//! `proxy_buffering on` alone does NOT hold a stream back while the upstream speaks HTTP/1.1,
//! since nginx passes each chunk of a chunked response on as it arrives. The stream arrives in one
//! piece at the end once nginx also speaks HTTP/1.0 upstream (its default, i.e.
//! `.with("proxy_buffering on").without("proxy_http_version")`), or when it gzips the stream
//! with buffering on (`gzip on`, `gzip_types text/event-stream`).

use crate::files::{read_text, write_file};
use crate::process::Proc;
use crate::tool::installed;
use crate::{free_port, poll_until, temp_dir};
use std::net::{Ipv4Addr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const NGINX: &str = "/usr/sbin/nginx";
const START_TIMEOUT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);
const ACCESS_LOG: &str = "logs/access.log";

/// The reverse proxy Claude Code needs, one directive per entry (without the `;`). No header is
/// rewritten or added: `anthropic-*` headers, the path and the query reach the upstream as sent
/// (`proxy_pass` has no URI part). nginx's defaults are replaced where they break streaming
/// (buffering, HTTP/1.0 upstream, `Connection: close`), long answers (60 s timeouts) or long
/// conversations (1 MiB bodies).
const CORRECT: &[&str] = &[
    "proxy_http_version 1.1",
    "proxy_set_header Connection \"\"",
    "proxy_buffering off",
    "proxy_request_buffering off",
    "proxy_read_timeout 3600s",
    "proxy_send_timeout 3600s",
    "client_max_body_size 32m",
    "gzip off",
];

/// The configuration of an nginx gateway, to start with [`NginxGateway::start`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NginxGateway {
    upstream: String,
    directives: Vec<String>,
    /// The certificate and key to terminate TLS with, when it listens for https.
    tls: Option<(PathBuf, PathBuf)>,
}

impl NginxGateway {
    /// The correct streaming reverse proxy to `upstream`, `http://127.0.0.1:PORT` (panics on
    /// anything else: the tests' traffic stays on loopback).
    pub fn correct(upstream: &str) -> NginxGateway {
        let port = upstream
            .strip_prefix("http://127.0.0.1:")
            .filter(|port| port.parse::<u16>().is_ok());
        assert!(
            port.is_some(),
            "an nginx gateway forwards to http://127.0.0.1:PORT only, not {upstream:?}"
        );
        NginxGateway {
            upstream: upstream.to_owned(),
            directives: CORRECT.iter().map(|d| (*d).to_owned()).collect(),
            tls: None,
        }
    }

    /// Listens for https, terminating TLS with the PEM files `certificate` and `key`.
    pub fn tls(mut self, certificate: &Path, key: &Path) -> NginxGateway {
        self.tls = Some((certificate.to_path_buf(), key.to_path_buf()));
        self
    }

    /// `directive` (without `;`) in place of the one with the same [`key`], or added.
    pub fn with(mut self, directive: &str) -> NginxGateway {
        let wanted = key(directive);
        match self.directives.iter_mut().find(|d| key(d) == wanted) {
            Some(existing) => *existing = directive.to_owned(),
            None => self.directives.push(directive.to_owned()),
        }
        self
    }

    /// Without the directive of [`key`] `name` (`client_max_body_size`, or
    /// `proxy_set_header Connection`), so nginx's default applies; panics if there is none, as a
    /// variant that changes nothing would prove nothing.
    pub fn without(mut self, name: &str) -> NginxGateway {
        let wanted = key(name);
        let before = self.directives.len();
        self.directives.retain(|d| key(d) != wanted);
        assert!(
            self.directives.len() < before,
            "no {name:?} directive to remove from {:?}",
            self.directives
        );
        self
    }

    /// The whole `nginx.conf` for a server on 127.0.0.1:`port` with everything it writes under
    /// `prefix`. One process (`master_process off`): run as root, nginx's workers would switch
    /// to an unprivileged user that cannot write the test's private temporary directory.
    pub fn config(&self, prefix: &Path, port: u16) -> String {
        let temp = prefix.join("temp");
        let temp_paths: String = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .iter()
            .map(|kind| format!("  {kind}_temp_path {};\n", temp.join(kind).display()))
            .collect();
        let directives: String = self
            .directives
            .iter()
            .map(|d| format!("      {d};\n"))
            .collect();
        let (ssl, certificates) = match &self.tls {
            Some((certificate, key)) => (
                " ssl",
                format!(
                    "    ssl_certificate {};\n    ssl_certificate_key {};\n",
                    certificate.display(),
                    key.display()
                ),
            ),
            None => ("", String::new()),
        };
        format!(
            "daemon off;\nmaster_process off;\npid {pid};\nerror_log stderr notice;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n{temp_paths}\
               log_format gateway '$request $status upstream=$upstream_addr';\n\
               access_log {log} gateway;\n\
               server {{\n    listen 127.0.0.1:{port}{ssl};\n{certificates}\
                 location / {{\n      proxy_pass {upstream};\n{directives}    }}\n  }}\n}}\n",
            pid = prefix.join("nginx.pid").display(),
            log = prefix.join(ACCESS_LOG).display(),
            upstream = self.upstream,
        )
    }

    /// Starts nginx with this configuration on a free loopback port and waits (bounded) until it
    /// accepts connections.
    pub fn start(&self) -> Nginx {
        let dir = temp_dir("nginx");
        let port = free_port();
        let conf = prepare(dir.path(), &self.config(dir.path(), port));
        let mut proc = Proc::spawn("nginx", nginx_command(dir.path(), &conf));
        let listening = poll_until(START_TIMEOUT, POLL, || {
            if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return Some(true);
            }
            proc.try_status().map(|_| false)
        });
        assert!(
            listening == Some(true),
            "nginx did not listen on 127.0.0.1:{port}\n{}\n--- nginx.conf:\n{}",
            proc.diagnostics(),
            read_text(&conf)
        );
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        Nginx {
            proc,
            url: format!("{scheme}://127.0.0.1:{port}"),
            port,
            dir,
        }
    }

    /// `nginx -t` on this configuration: `Err` with nginx's words if it rejects it.
    pub fn test_config(&self) -> Result<(), String> {
        let dir = temp_dir("nginx-t");
        let conf = prepare(dir.path(), &self.config(dir.path(), free_port()));
        let mut command = nginx_command(dir.path(), &conf);
        command.arg("-t");
        let ran = crate::run_tool("nginx -t", command, crate::TOOL_TIMEOUT);
        if ran.success() {
            Ok(())
        } else {
            Err(format!(
                "{}\n--- nginx.conf:\n{}",
                ran.output(),
                read_text(&conf)
            ))
        }
    }
}

/// A running nginx gateway, stopped on drop.
#[derive(Debug)]
pub struct Nginx {
    pub proc: Proc,
    /// `http://127.0.0.1:PORT` (`https://` with TLS).
    pub url: String,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// One line per request nginx has finished: `METHOD URI PROTOCOL STATUS upstream=ADDR`.
    pub fn access_log(&self) -> String {
        read_text(&self.dir.path().join(ACCESS_LOG))
    }

    /// nginx's stderr and access log, for failure messages.
    pub fn diagnostics(&mut self) -> String {
        format!(
            "{}\n--- nginx access log:\n{}",
            self.proc.diagnostics(),
            self.access_log()
        )
    }
}

/// What a directive replaces: its name, and for `proxy_set_header` also the header (nginx's
/// header names are case-insensitive), so each header is a directive of its own.
pub fn key(directive: &str) -> String {
    let mut words = directive.split_whitespace();
    let name = words.next().unwrap_or_default();
    match (name, words.next()) {
        ("proxy_set_header", Some(header)) => format!("{name} {}", header.to_ascii_lowercase()),
        _ => name.to_owned(),
    }
}

/// Writes `config` as `prefix/nginx.conf` with the directories it names; returns its path.
fn prepare(prefix: &Path, config: &str) -> PathBuf {
    for dir in ["temp", "logs"] {
        let dir = prefix.join(dir);
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    let conf = prefix.join("nginx.conf");
    write_file(&conf, config);
    conf
}

/// nginx on the configuration at `conf`, with `prefix` as its prefix and errors (even before the
/// configuration is read) on stderr instead of /var/log.
fn nginx_command(prefix: &Path, conf: &Path) -> Command {
    let mut command = Command::new(installed(NGINX));
    command
        .arg("-p")
        .arg(format!("{}/", prefix.display()))
        .arg("-c")
        .arg(conf)
        .args(["-e", "stderr"])
        .env_clear();
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    const UPSTREAM: &str = "http://127.0.0.1:4000";

    fn directives(gateway: &NginxGateway) -> Vec<&str> {
        gateway.directives.iter().map(String::as_str).collect()
    }

    #[test]
    fn with_replaces_the_directive_of_the_same_name_or_header() {
        let gateway = NginxGateway::correct(UPSTREAM)
            .with("proxy_buffering on")
            .with("proxy_set_header connection close")
            .with("proxy_set_header anthropic-beta \"\"");
        let got = directives(&gateway);
        assert!(got.contains(&"proxy_buffering on"), "{got:?}");
        assert!(!got.contains(&"proxy_buffering off"), "{got:?}");
        assert!(
            got.contains(&"proxy_set_header connection close"),
            "{got:?}"
        );
        assert!(
            got.contains(&"proxy_set_header anthropic-beta \"\""),
            "{got:?}"
        );
        assert_eq!(got.len(), CORRECT.len() + 1, "{got:?}");
    }

    #[test]
    fn without_removes_the_directive_so_the_default_applies() {
        let gateway = NginxGateway::correct(UPSTREAM).without("client_max_body_size");
        assert!(
            !gateway
                .config(Path::new("/p"), 8080)
                .contains("client_max_body_size"),
            "{gateway:?}"
        );
        assert_eq!(
            NginxGateway::correct(UPSTREAM).without("proxy_set_header CONNECTION"),
            NginxGateway::correct(UPSTREAM).without("proxy_set_header Connection")
        );
    }

    #[test]
    #[should_panic(expected = "no \"proxy_cache\" directive")]
    fn removing_an_absent_directive_is_a_mistake() {
        let _ = NginxGateway::correct(UPSTREAM).without("proxy_cache");
    }

    #[test]
    #[should_panic(expected = "forwards to http://127.0.0.1:PORT only")]
    fn the_upstream_stays_on_loopback() {
        let _ = NginxGateway::correct("http://example.com:4000");
    }

    #[test]
    fn the_proxy_pass_has_no_uri_part_and_every_variant_is_valid_nginx() {
        let correct = NginxGateway::correct(UPSTREAM);
        assert!(
            correct
                .config(Path::new("/p"), 8080)
                .contains(&format!("proxy_pass {UPSTREAM};")),
            "{correct:?}"
        );
        for variant in [
            correct.clone(),
            correct.clone().with("proxy_buffering on"),
            correct
                .clone()
                .with("proxy_buffering on")
                .without("proxy_http_version"),
            correct.clone().with("proxy_set_header anthropic-beta \"\""),
            correct.clone().with("proxy_read_timeout 3s"),
            correct
                .clone()
                .with("proxy_set_header anthropic-version \"2023-01-01\""),
            correct.clone().without("client_max_body_size"),
        ] {
            variant.test_config().unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
