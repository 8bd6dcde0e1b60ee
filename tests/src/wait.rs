//! Bounded waiting: every loop here ends by a deadline, however the awaited thing behaves.

use std::net::{Ipv4Addr, TcpListener};
use std::time::{Duration, Instant};

/// Calls `probe` every `interval` until it returns `Some` or `timeout` has passed.
pub fn poll_until<T>(
    timeout: Duration,
    interval: Duration,
    mut probe: impl FnMut() -> Option<T>,
) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = probe() {
            return Some(value);
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        std::thread::sleep(interval.min(deadline - now));
    }
}

/// A port on 127.0.0.1 that was free a moment ago, for servers whose port must be known before
/// they start (e.g. a gateway URL written into a recipe).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|e| panic!("cannot bind a loopback port: {e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("cannot read the bound port: {e}"))
        .port()
}
