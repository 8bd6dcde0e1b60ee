//! When the mock wrote each event of the streams a directive named with a nonce, so a probe can
//! compare the pacing the mock produced with what its client saw through a gateway.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// Streams whose timings are kept; the oldest go first.
const MAX_STREAMS: usize = 1000;
/// Events timed per stream; a longer stream (a large answer) keeps its first ones.
const MAX_EVENTS_PER_STREAM: usize = 20_000;

/// One streamed response's event times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamTiming {
    pub nonce: String,
    pub events: Vec<EventTime>,
}

/// An event and when the mock handed it to the connection, in milliseconds (microsecond
/// precision) since the mock had read the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTime {
    pub event: String,
    pub at_ms: f64,
}

/// The shared, bounded list of stream timings.
#[derive(Debug, Clone, Default)]
pub(super) struct Streams {
    inner: Arc<Mutex<VecDeque<Arc<Mutex<StreamTiming>>>>>,
}

impl Streams {
    /// Starts timing a stream for `nonce`; the stream reports each event to the returned clock.
    pub(super) fn start(&self, nonce: String, arrived: Instant) -> StreamClock {
        let timing = Arc::new(Mutex::new(StreamTiming {
            nonce,
            events: Vec::new(),
        }));
        let mut all = lock(&self.inner);
        if all.len() >= MAX_STREAMS {
            all.pop_front();
        }
        all.push_back(Arc::clone(&timing));
        StreamClock { timing, arrived }
    }

    /// The timings of the streams for `nonce` (all of them when `None`), oldest first.
    pub(super) fn snapshot(&self, nonce: Option<&str>) -> Vec<StreamTiming> {
        let all: Vec<_> = lock(&self.inner).iter().cloned().collect();
        all.iter()
            .map(|timing| lock(timing).clone())
            .filter(|timing| nonce.is_none_or(|n| timing.nonce == n))
            .collect()
    }
}

/// Where one stream reports its events.
#[derive(Debug)]
pub(super) struct StreamClock {
    timing: Arc<Mutex<StreamTiming>>,
    arrived: Instant,
}

impl StreamClock {
    pub(super) fn wrote(&self, event: &'static str) {
        let at_ms = (self.arrived.elapsed().as_secs_f64() * 1e6).round() / 1e3;
        let mut timing = lock(&self.timing);
        if timing.events.len() < MAX_EVENTS_PER_STREAM {
            timing.events.push(EventTime {
                event: event.to_owned(),
                at_ms,
            });
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves at worst a missing event: keep serving.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
