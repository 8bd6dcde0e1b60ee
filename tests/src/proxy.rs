//! A real corporate proxy for tests: Debian's tinyproxy on 127.0.0.1, with basic auth, refusing
//! clients from anywhere but loopback, stopped when dropped.

use crate::files::write_file;
use crate::process::Proc;
use crate::tool::installed;
use crate::{free_port, poll_until, temp_dir};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

const TINYPROXY: &str = "/usr/bin/tinyproxy";
const START_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug)]
pub struct Tinyproxy {
    pub proc: Proc,
    /// `http://127.0.0.1:PORT`, without credentials.
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Tinyproxy {
    /// Starts tinyproxy in the foreground, asking every client for `user` and `password`.
    pub fn start(user: &str, password: &str) -> Tinyproxy {
        let tinyproxy = installed(TINYPROXY);
        let dir = temp_dir("tinyproxy");
        let port = free_port();
        let config = dir.path().join("tinyproxy.conf");
        write_file(
            &config,
            &format!(
                "Port {port}\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 60\nMaxClients 20\n\
                 LogLevel Info\nBasicAuth {user} {password}\n"
            ),
        );
        let mut command = Command::new(tinyproxy);
        command.arg("-d").arg("-c").arg(&config).env_clear();
        let mut proc = Proc::spawn("tinyproxy", command);
        let listening = poll_until(START_TIMEOUT, Duration::from_millis(50), || {
            TcpStream::connect(("127.0.0.1", port)).ok()
        });
        assert!(
            listening.is_some(),
            "tinyproxy did not listen on {port}\n{}",
            proc.diagnostics()
        );
        Tinyproxy {
            proc,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }
}
