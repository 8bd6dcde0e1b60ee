//! The mock's accept loop: HTTP/1.1 connections with a bound on how long a request head may take
//! and on how many connections are served at once, so clients that connect and then idle or
//! trickle bytes cannot exhaust the mock.

use super::service::MockService;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// Pause after a failed `accept` (out of file descriptors, usually) before trying again; the
/// connections being served free descriptors meanwhile.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// What bounds the connections the mock serves.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// The longest a connection may wait for a complete request head: from its start, and again
    /// after each response while kept alive. A connection past it is closed. Responses are not
    /// bounded, so a long stream is never cut.
    pub(super) read_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog for a free slot.
    pub(super) max_connections: usize,
}

/// Serve `service` on `listener` until `stop` completes, then stop accepting and let the open
/// connections finish their responses. Every connection's task is owned here: dropping this
/// future (aborting its task) aborts them all.
pub(super) async fn run(
    listener: TcpListener,
    service: MockService,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.read_timeout)
        // The mock's answers are small: copying head and body into one buffer and writing it
        // once costs less than a vectored write (measured with the throughput benchmark).
        .writev(false);
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            biased;
            () = &mut stop => break,
            // Reap finished connections first so the set holds only live ones.
            Some(_) = connections.join_next() => {}
            (slot, accepted) = next_connection(&listener, &slots) => match accepted {
                Ok(stream) => {
                    // Each SSE event goes out when written, not when Nagle's algorithm decides.
                    let _ = stream.set_nodelay(true);
                    let connection = http.serve_connection(TokioIo::new(stream), service.clone());
                    let served = graceful.watch(connection);
                    connections.spawn(async move {
                        // A client that hangs up or times out is its own business.
                        let _ = served.await;
                        drop(slot);
                    });
                }
                Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
            },
        }
    }
    drop(listener);
    graceful.shutdown().await;
    while connections.join_next().await.is_some() {}
}

/// A free slot, then the next connection. Taking the slot first leaves connections beyond the
/// cap unaccepted, waiting in the kernel's backlog until one closes.
async fn next_connection(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> (OwnedSemaphorePermit, io::Result<TcpStream>) {
    let slot = Arc::clone(slots)
        .acquire_owned()
        .await
        .expect("the mock never closes its connection slots");
    let accepted = listener.accept().await.map(|(stream, _)| stream);
    (slot, accepted)
}
