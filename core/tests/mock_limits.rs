//! The mock under clients that connect and then idle, trickle or pile up: each connection gets a
//! bounded time to send its request, only so many are served at once, the mock serves again once
//! they are gone, and streams longer than that bound still run to the end.

mod loopback;

use loopback::{client, start};

use gwscript::probe::mock::{self, MockConfig, MockServer};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Short enough to keep the tests fast, long enough that a loaded machine still sends a whole
/// request well within it.
const READ_TIMEOUT: Duration = Duration::from_millis(400);
/// How long a test waits for anything before calling it a failure.
const PATIENCE: Duration = Duration::from_secs(5);

fn limited(max_connections: usize) -> MockConfig {
    MockConfig {
        read_timeout: READ_TIMEOUT,
        max_connections,
        ..MockConfig::default()
    }
}

/// A raw connection that has sent `sent` and nothing more.
async fn connect(mock: &MockServer, sent: &str) -> TcpStream {
    let mut stream = TcpStream::connect(mock.local_addr()).await.unwrap();
    stream.write_all(sent.as_bytes()).await.unwrap();
    stream
}

/// Everything the server sends until it closes the connection, and when it closed it; `None` if
/// it is still open after `PATIENCE`.
async fn until_closed(stream: &mut TcpStream) -> Option<(String, Instant)> {
    let mut received = Vec::new();
    let read_all = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(PATIENCE, read_all).await.ok()?;
    Some((
        String::from_utf8_lossy(&received).into_owned(),
        Instant::now(),
    ))
}

#[tokio::test]
async fn a_client_that_never_finishes_its_head_is_disconnected() {
    let mock = start(limited(mock::DEFAULT_MAX_CONNECTIONS)).await;
    let opened = Instant::now();
    let mut silent = connect(&mock, "").await;
    let mut slowloris = connect(
        &mock,
        "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nx-a: ",
    )
    .await;
    for (name, stream) in [("silent", &mut silent), ("slowloris", &mut slowloris)] {
        let (_, closed) = until_closed(stream)
            .await
            .unwrap_or_else(|| panic!("the {name} connection is still open after {PATIENCE:?}"));
        assert!(
            closed - opened >= READ_TIMEOUT,
            "the {name} connection was closed before its time: {:?}",
            closed - opened
        );
    }
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let mock = start(limited(mock::DEFAULT_MAX_CONNECTIONS)).await;
    let mut stream = connect(&mock, "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await;
    let mut head = Vec::new();
    let answered = async {
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            assert_eq!(stream.read(&mut byte).await.unwrap(), 1, "closed early");
            head.push(byte[0]);
        }
    };
    tokio::time::timeout(PATIENCE, answered)
        .await
        .expect("an answer");
    assert!(head.starts_with(b"HTTP/1.1 200"), "{head:?}");
    let idle_since = Instant::now();
    let (_, closed) = until_closed(&mut stream)
        .await
        .expect("the idle connection is still open");
    assert!(
        closed - idle_since >= READ_TIMEOUT / 4,
        "{:?}",
        closed - idle_since
    );
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_that_trickles_in_gets_408() {
    let mock = start(limited(mock::DEFAULT_MAX_CONNECTIONS)).await;
    let mut stream = connect(
        &mock,
        "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-length: 100\r\n\r\n{\"model\"",
    )
    .await;
    let (answer, _) = until_closed(&mut stream)
        .await
        .expect("the connection is still open");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(mock.requests().len(), 1, "the request is recorded");
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_slot() {
    const CAP: usize = 8;
    // Long enough that only the test frees a slot.
    let mock = start(MockConfig {
        max_connections: CAP,
        ..MockConfig::default()
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..CAP {
        idle.push(connect(&mock, "").await);
    }
    let url = format!("{}/", mock.base_url());
    let fresh = tokio::spawn(async move { client().head(url).send().await });
    tokio::time::sleep(READ_TIMEOUT).await;
    assert!(
        !fresh.is_finished(),
        "a request was served while {CAP} connections held every slot"
    );

    drop(idle.pop());
    let served = tokio::time::timeout(PATIENCE, fresh)
        .await
        .expect("a freed slot serves the waiting request")
        .unwrap()
        .unwrap();
    assert_eq!(served.status(), 200);
    drop(idle);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn idle_connections_over_the_cap_time_out_and_the_mock_serves_again() {
    const CAP: usize = 8;
    let mock = start(limited(CAP)).await;
    let mut idle = Vec::new();
    for _ in 0..3 * CAP {
        idle.push(connect(&mock, "GET / HTTP/1.1\r\n").await);
    }
    let started = Instant::now();
    let response = client()
        .head(format!("{}/", mock.base_url()))
        .send()
        .await
        .expect("served once the idle connections time out");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() < PATIENCE, "{:?}", started.elapsed());
    for stream in &mut idle {
        assert!(
            until_closed(stream).await.is_some(),
            "an idle connection is still open"
        );
    }
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_stream_longer_than_the_read_timeout_runs_to_the_end() {
    let pace = Duration::from_millis(100);
    let mock = start(MockConfig {
        reply: "one two three four five six".to_owned(),
        pace,
        ..limited(mock::DEFAULT_MAX_CONNECTIONS)
    })
    .await;
    let started = Instant::now();
    let body = client()
        .post(format!("{}/v1/messages", mock.base_url()))
        .json(&serde_json::json!({
            "model": "claude-sonnet-4-5",
            "max_tokens": 64,
            "stream": true,
            "messages": [{ "role": "user", "content": "hi" }],
        }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        started.elapsed() > 2 * READ_TIMEOUT,
        "the stream was too short to show anything: {:?}",
        started.elapsed()
    );
    assert!(
        body.trim_end()
            .ends_with(r#"data: {"type":"message_stop"}"#),
        "{body}"
    );
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_closes_every_connection_and_leaves_no_task() {
    let runtime = tokio::runtime::Handle::current().metrics();
    let before = runtime.num_alive_tasks();
    let mock = start(limited(mock::DEFAULT_MAX_CONNECTIONS)).await;
    let mut silent = connect(&mock, "").await;
    let mut half = connect(&mock, "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n").await;
    let mut kept = connect(&mock, "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await;
    let stream = client()
        .post(format!("{}/v1/messages", mock.base_url()))
        .json(&serde_json::json!({
            "model": "claude-sonnet-4-5",
            "max_tokens": 64,
            "stream": true,
            "messages": [{ "role": "user", "content": "hi" }],
        }))
        .send()
        .await
        .unwrap();
    let started = Instant::now();
    mock.shutdown().await.expect("a clean shutdown");
    // The half-sent request gets the read timeout to arrive, no more.
    assert!(
        started.elapsed() < READ_TIMEOUT + PATIENCE,
        "{:?}",
        started.elapsed()
    );
    let body = stream.text().await.expect("the stream in flight finishes");
    assert!(
        body.trim_end()
            .ends_with(r#"data: {"type":"message_stop"}"#),
        "{body}"
    );
    for stream in [&mut silent, &mut half, &mut kept] {
        assert!(
            until_closed(stream).await.is_some(),
            "a connection outlived the mock"
        );
    }
    // The client's own connection task ends when it sees the close; leaked tasks never do.
    let settled = tokio::time::timeout(PATIENCE, async {
        while runtime.num_alive_tasks() > before {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    assert!(
        settled.await.is_ok(),
        "the mock left {} task(s) behind",
        runtime.num_alive_tasks() - before
    );
}
