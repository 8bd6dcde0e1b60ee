//! Small loopback servers for the tests that need a gateway answering over plain HTTP or TLS
//! (a self-signed certificate for 127.0.0.1), or one that speaks only old TLS. Each answers one
//! connection at a time for at most a minute, and stops when dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How a test server answers.
#[derive(Clone)]
pub enum Serve {
    /// HTTP, the status for each request head (`GET /path HTTP/1.1\r\n…`), over TLS when given.
    Http(fn(&str) -> u16, Option<Arc<rustls::ServerConfig>>),
    /// Reads the client's first bytes and answers these, as a server speaking only old TLS does.
    Raw(&'static [u8]),
}

/// A server on 127.0.0.1 answering one connection at a time, for at most a minute; stopped on
/// drop. It keeps every request head it read.
pub struct Server {
    pub port: u16,
    heads: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(serve: Serve) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().expect("address").port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (heads, stop) = (Arc::clone(&heads), Arc::clone(&stop));
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(60);
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            if let Some(head) = answer(stream, &serve) {
                                heads
                                    .lock()
                                    .unwrap_or_else(PoisonError::into_inner)
                                    .push(head);
                            }
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        Server {
            port,
            heads,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    pub fn heads(&self) -> Vec<String> {
        self.heads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one connection; the request head, if one was read.
fn answer(stream: TcpStream, serve: &Serve) -> Option<String> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .ok()?;
    match serve {
        Serve::Raw(reply) => {
            let mut stream = stream;
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(reply);
            None
        }
        Serve::Http(status_of, None) => respond(stream, *status_of),
        Serve::Http(status_of, Some(config)) => {
            let connection = rustls::ServerConnection::new(Arc::clone(config)).ok()?;
            let mut tls = rustls::StreamOwned::new(connection, stream);
            let head = respond(&mut tls, *status_of);
            tls.conn.send_close_notify();
            let _ = tls.flush();
            head
        }
    }
}

fn respond(mut stream: impl Read + Write, status_of: fn(&str) -> u16) -> Option<String> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = status_of(&head);
    let _ = stream.write_all(
        format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes(),
    );
    let _ = stream.flush();
    Some(head)
}

// Not every test file that shares this module routes by path.
#[allow(dead_code)]
pub fn path_of(head: &str) -> &str {
    head.split_whitespace().nth(1).unwrap_or_default()
}

/// A self-signed certificate for 127.0.0.1: the server's configuration for `versions`, and the
/// certificate's PEM for NODE_EXTRA_CA_CERTS.
pub fn tls_server(
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> (Arc<rustls::ServerConfig>, String) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("certificate");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(versions)
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(vec![certified.cert.der().clone()], key)
    .expect("server config");
    (Arc::new(config), certified.cert.pem())
}
