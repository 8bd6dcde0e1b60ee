//! Google Cloud, imitated on loopback for a gateway that cannot be pointed anywhere but Google:
//! LiteLLM 1.102.4 sends its Vertex pass-through to `https://{location}-aiplatform.googleapis.com`,
//! a host no option changes, but it honours `HTTPS_PROXY` and `SSL_CERT_FILE`, and its service
//! account key names the token endpoint (`token_uri`).
//!
//! - [`Tunnels`]: an HTTP `CONNECT` proxy that records each tunnel's target and connects every
//!   tunnel to nginx, whatever host it names;
//! - nginx terminates TLS with a self-signed certificate for `*.googleapis.com` (made here with
//!   openssl; the gateway trusts it through `SSL_CERT_FILE`) and forwards plain HTTP to the mock,
//!   keeping the Host header;
//! - [`GoogleFront::service_account`] writes a key file whose `token_uri` is the mock's token
//!   endpoint, with a fresh RSA key the gateway signs its token grant with.

use gwscript_tests::files::write_file;
use gwscript_tests::nginx::{Nginx, NginxGateway};
use gwscript_tests::temp_dir;
use gwscript_tests::tool::{TOOL_TIMEOUT, installed, run_tool};
use serde_json::json;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a tunnel waits for the client's `CONNECT` line, or for nginx to accept.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest `CONNECT` request head accepted.
const MAX_HEAD: usize = 8 * 1024;
/// Tunnels served in one test; a client opening more is looping.
const MAX_TUNNELS: usize = 64;

/// The imitation, stopped on drop.
#[derive(Debug)]
pub struct GoogleFront {
    /// The `HTTPS_PROXY` value that sends a client's Google traffic here.
    pub proxy_url: String,
    /// The `SSL_CERT_FILE` value: the only CA the client then trusts.
    pub ca_file: PathBuf,
    tunnels: Tunnels,
    _nginx: Nginx,
    dir: tempfile::TempDir,
}

impl GoogleFront {
    /// Serves Google's hosts from the mock provider at `mock_url`.
    pub fn start(mock_url: &str) -> GoogleFront {
        let dir = temp_dir("google");
        let (ca_file, key_file) = certificate(dir.path());
        // The streaming reverse proxy of the nginx tests, terminating TLS, with the client's Host.
        let nginx = NginxGateway::correct(mock_url)
            .with("proxy_set_header Host $host")
            .tls(&ca_file, &key_file)
            .start();
        let tunnels = Tunnels::start(SocketAddr::from((Ipv4Addr::LOCALHOST, nginx.port)));
        GoogleFront {
            proxy_url: format!("http://{}", tunnels.addr),
            ca_file,
            tunnels,
            _nginx: nginx,
            dir,
        }
    }

    /// A service-account key file for `project` whose token grants go to `token_uri`.
    pub fn service_account(&self, project: &str, token_uri: &str) -> PathBuf {
        let private_key =
            gwscript_tests::keys::rsa_private_key(&self.dir.path().join("service-account.pem"));
        let key = json!({
            "type": "service_account",
            "project_id": project,
            "private_key_id": "gwscript-e2e",
            "private_key": private_key,
            "client_email": format!("litellm@{project}.iam.gserviceaccount.com"),
            "client_id": "1",
            "token_uri": token_uri,
        });
        let path = self.dir.path().join("service-account.json");
        write_file(&path, &key.to_string());
        path
    }

    /// The `host:port` of every tunnel a client asked for, in order.
    pub fn tunnel_targets(&self) -> Vec<String> {
        self.tunnels.targets()
    }
}

/// A self-signed certificate and its key for Google's API hosts, written into `dir`.
fn certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("googleapis.crt"), dir.join("googleapis.key"));
    let mut req = Command::new(installed("/usr/bin/openssl"));
    req.args([
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
    ])
    .args(["-subj", "/CN=googleapis.com"])
    .args([
        "-addext",
        "subjectAltName=DNS:googleapis.com,DNS:*.googleapis.com",
    ])
    .arg("-keyout")
    .arg(&key)
    .arg("-out")
    .arg(&cert)
    .env_clear();
    let ran = run_tool("openssl req", req, TOOL_TIMEOUT);
    assert!(ran.success(), "{}", ran.output());
    (cert, key)
}

/// A `CONNECT` proxy on loopback that sends every tunnel to one address and records the targets
/// clients asked for. Dropping it stops accepting and closes every open tunnel.
#[derive(Debug)]
struct Tunnels {
    addr: SocketAddr,
    state: Arc<TunnelState>,
    acceptor: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct TunnelState {
    stopping: AtomicBool,
    targets: Mutex<Vec<String>>,
    /// Both ends of every tunnel, to shut down on drop.
    open: Mutex<Vec<TcpStream>>,
}

impl Tunnels {
    fn start(to: SocketAddr) -> Tunnels {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap_or_else(|e| panic!("cannot bind the CONNECT proxy: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("cannot read the CONNECT proxy's address: {e}"));
        let state = Arc::new(TunnelState::default());
        let accepting = Arc::clone(&state);
        let acceptor = std::thread::spawn(move || {
            for client in listener.incoming().take(MAX_TUNNELS) {
                if accepting.stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(client) = client {
                    let state = Arc::clone(&accepting);
                    std::thread::spawn(move || {
                        // A tunnel that fails only fails the client's request, which the test sees.
                        let _ = tunnel(client, to, &state);
                    });
                }
            }
        });
        Tunnels {
            addr,
            state,
            acceptor: Some(acceptor),
        }
    }

    fn targets(&self) -> Vec<String> {
        lock(&self.state.targets).clone()
    }
}

impl Drop for Tunnels {
    fn drop(&mut self) {
        self.state.stopping.store(true, Ordering::SeqCst);
        // Wake the acceptor, which then sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, HANDSHAKE_TIMEOUT);
        for stream in lock(&self.state.open).drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One tunnel: read the `CONNECT` head, record its target, answer 200, then copy bytes both ways
/// between the client and `to` until either side closes.
fn tunnel(mut client: TcpStream, to: SocketAddr, state: &TunnelState) -> io::Result<()> {
    client.set_read_timeout(Some(HANDSHAKE_TIMEOUT))?;
    let head = read_head(&mut client)?;
    let Some(target) = head
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("CONNECT "))
        .and_then(|rest| rest.split_whitespace().next())
    else {
        client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")?;
        return Ok(());
    };
    lock(&state.targets).push(target.to_owned());
    let upstream = TcpStream::connect_timeout(&to, HANDSHAKE_TIMEOUT)?;
    client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
    client.set_read_timeout(None)?;
    lock(&state.open).extend([client.try_clone()?, upstream.try_clone()?]);
    let (mut client_reader, mut upstream_writer) = (client.try_clone()?, upstream.try_clone()?);
    let upload = std::thread::spawn(move || {
        let _ = io::copy(&mut client_reader, &mut upstream_writer);
        let _ = upstream_writer.shutdown(Shutdown::Write);
    });
    let (mut upstream_reader, mut client_writer) = (upstream, client);
    let _ = io::copy(&mut upstream_reader, &mut client_writer);
    let _ = client_writer.shutdown(Shutdown::Write);
    let _ = upload.join();
    Ok(())
}

/// The request head, up to the blank line, read a byte at a time so nothing of the tunnelled
/// stream is consumed.
fn read_head(client: &mut TcpStream) -> io::Result<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD || client.read(&mut byte)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "no complete CONNECT head",
            ));
        }
        head.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}
