//! TLS as Claude Code meets it: Node trusts Mozilla's roots and the file `NODE_EXTRA_CA_CERTS`
//! names, so doctor does too (rustls on ring, with webpki-roots). The handshake check reports the
//! version the gateway negotiates; rustls offers only TLS 1.2 and 1.3, so a gateway that speaks
//! only older versions fails the handshake, and that failure is told apart from an untrusted
//! certificate.

use super::connect::{Route, open};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{
    AlertDescription, ClientConfig, ClientConnection, Error, ProtocolVersion, RootCertStore,
};
use std::sync::Arc;

/// The client configuration and, when the extra CA file could not be used, why. `Err` when TLS
/// cannot be set up at all.
pub fn client_config(extra_ca: Option<&str>) -> Result<(ClientConfig, Option<String>), String> {
    let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let mut problem = None;
    if let Some(path) = extra_ca {
        match CertificateDer::pem_file_iter(path)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        {
            Ok(certs) if certs.is_empty() => {
                problem = Some("it holds no PEM certificate".to_owned())
            }
            Ok(certs) => {
                let (_, refused) = roots.add_parsable_certificates(certs);
                if refused > 0 {
                    problem = Some(format!("{refused} of its certificates cannot be parsed"));
                }
            }
            Err(e) => problem = Some(e.to_string()),
        }
    }
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok((config, problem))
}

/// How a handshake went.
#[derive(Debug)]
pub enum Handshake {
    /// Done: the version negotiated.
    Negotiated(&'static str),
    /// The server speaks no version Claude Code accepts (below TLS 1.2).
    TooOld(String),
    /// The version (when it got that far), and why the certificate is not trusted.
    Untrusted(Option<&'static str>, String),
    /// No connection (the health check reports it).
    Unreachable,
    /// Another failure.
    Failed(String),
}

/// Connects to `host:port` (through `route`) and completes a TLS handshake.
pub fn handshake(config: &ClientConfig, host: &str, port: u16, route: &Route) -> Handshake {
    let mut socket = match open(host, port, route) {
        Ok(socket) => socket,
        Err(_) => return Handshake::Unreachable,
    };
    let name = host.trim_start_matches('[').trim_end_matches(']');
    let Ok(server_name) = ServerName::try_from(name.to_owned()) else {
        return Handshake::Failed(format!("{name} is not a host name TLS can verify"));
    };
    let mut connection = match ClientConnection::new(Arc::new(config.clone()), server_name) {
        Ok(connection) => connection,
        Err(e) => return Handshake::Failed(e.to_string()),
    };
    // Each read and write is bounded by the socket's timeouts; a handshake is a few round trips.
    while connection.is_handshaking() {
        if let Err(e) = connection.complete_io(&mut socket) {
            let version = connection.protocol_version().map(version_name);
            return classify(e, version);
        }
    }
    match connection.protocol_version() {
        Some(version) => Handshake::Negotiated(version_name(version)),
        None => Handshake::Failed("the handshake ended without a version".to_owned()),
    }
}

fn classify(error: std::io::Error, version: Option<&'static str>) -> Handshake {
    let Some(tls) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Error>())
    else {
        return Handshake::Failed(error.to_string());
    };
    match tls {
        Error::AlertReceived(AlertDescription::ProtocolVersion) | Error::PeerIncompatible(_) => {
            Handshake::TooOld(tls.to_string())
        }
        Error::InvalidCertificate(why) => Handshake::Untrusted(version, format!("{why:?}")),
        other => Handshake::Failed(other.to_string()),
    }
}

fn version_name(version: ProtocolVersion) -> &'static str {
    match version {
        ProtocolVersion::TLSv1_3 => "TLS 1.3",
        ProtocolVersion::TLSv1_2 => "TLS 1.2",
        ProtocolVersion::TLSv1_1 => "TLS 1.1",
        ProtocolVersion::TLSv1_0 => "TLS 1.0",
        _ => "an unknown TLS version",
    }
}
