//! Criterion 10, overhead (`--bench N`): the latency the gateway adds. N non-streaming requests
//! and N streams through the gateway, each followed by the same request straight to the mock, one
//! at a time; the overhead is the gateway's percentile minus the mock's. Time to first token is
//! the time from sending a stream request to its first text delta.

use super::receive::receive;
use super::{Api, Check, Probe, REQUEST_TIMEOUT, Target};
use serde_json::json;
use std::time::Instant;

const OVERHEAD: &str = "bench.overhead";
const CRITERION: &str = "the latency the gateway adds (p50/p95/p99) and its time to first token";

/// Requests per side sent first and not counted: connections and caches warm up.
const WARM_UP: u32 = 2;

/// Latencies in milliseconds, one side's.
#[derive(Default)]
struct Samples {
    full: Vec<f64>,
    first_token: Vec<f64>,
    failed: usize,
}

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    let n = probe.target.bench;
    if n == 0 {
        return Vec::new();
    }
    let direct = match &probe.target.mock {
        Some(mock) => Probe::new(direct_target(&probe.target, mock)).ok(),
        None => None,
    };
    let mut gateway = Samples::default();
    let mut mock = Samples::default();
    for i in 0..n + WARM_UP {
        let counted = i >= WARM_UP;
        sample(probe, counted.then_some(&mut gateway)).await;
        if let Some(direct) = &direct {
            sample(direct, counted.then_some(&mut mock)).await;
        }
    }
    vec![report(n, &gateway, direct.is_some().then_some(&mock))]
}

/// The same requests, straight to the mock: its root serves every format, Vertex's under `/v1`.
fn direct_target(target: &Target, mock: &str) -> Target {
    let base = mock.trim_end_matches('/');
    let url = match target.api {
        Api::Vertex => format!("{base}/v1"),
        Api::Messages | Api::Bedrock => base.to_owned(),
    };
    // The gateway's credential is not the mock's business.
    Target {
        url,
        proxy: None,
        credential: super::Credential::None,
        ..target.clone()
    }
}

/// One non-streaming request and one stream, timed into `samples` (when counted).
async fn sample(probe: &Probe, samples: Option<&mut Samples>) {
    let prompt = probe.prompt(json!({}), false);
    let started = Instant::now();
    let full = match probe.send(&prompt).await {
        Ok(response) if response.status().is_success() => {
            response.bytes().await.ok().map(|_| ms(started))
        }
        _ => None,
    };
    let stream = probe.prompt(json!({ "events_pace_ms": 0 }), true);
    let first_token = receive(probe, &stream, REQUEST_TIMEOUT)
        .await
        .ok()
        .and_then(|s| {
            s.events
                .iter()
                .find(|e| e.kind.as_deref() == Some("content_block_delta"))
                .map(|e| e.at_ms)
        });
    let Some(samples) = samples else { return };
    match (full, first_token) {
        (Some(full), Some(first)) => {
            samples.full.push(full);
            samples.first_token.push(first);
        }
        _ => samples.failed += 1,
    }
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1e3
}

/// The `p`th percentile (nearest rank) of `values`.
fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.saturating_sub(1)).copied()
}

fn describe(label: &str, samples: &Samples) -> String {
    let at =
        |values: &[f64], p| percentile(values, p).map_or("-".to_owned(), |v| format!("{v:.1}"));
    format!(
        "{label}: p50 {} / p95 {} / p99 {} ms, first token p50 {} / p99 {} ms",
        at(&samples.full, 50.0),
        at(&samples.full, 95.0),
        at(&samples.full, 99.0),
        at(&samples.first_token, 50.0),
        at(&samples.first_token, 99.0)
    )
}

fn report(n: u32, gateway: &Samples, mock: Option<&Samples>) -> Check {
    let method = format!(
        "{n} non-streaming requests and {n} streams each way, sequential, after {WARM_UP} \
         uncounted; the overhead is the gateway's percentile minus the mock's"
    );
    let mut evidence = describe("through the gateway", gateway);
    if let Some(mock) = mock {
        evidence.push_str(&format!("; {}", describe("straight to the mock", mock)));
        let overhead = |gateway: &[f64], mock: &[f64], p| {
            percentile(gateway, p)
                .zip(percentile(mock, p))
                .map_or("-".to_owned(), |(g, m)| format!("{:.1}", g - m))
        };
        evidence.push_str(&format!(
            "; overhead p50 {} / p95 {} / p99 {} ms, first token p50 {} ms",
            overhead(&gateway.full, &mock.full, 50.0),
            overhead(&gateway.full, &mock.full, 95.0),
            overhead(&gateway.full, &mock.full, 99.0),
            overhead(&gateway.first_token, &mock.first_token, 50.0)
        ));
    } else {
        evidence.push_str("; without --mock there is no direct baseline, so no overhead");
    }
    evidence.push_str(&format!(" ({method})"));
    let failed = gateway.failed + mock.map_or(0, |m| m.failed);
    if failed > 0 {
        return Check::warn(
            OVERHEAD,
            CRITERION,
            format!("{failed} of the timed requests failed; {evidence}"),
        );
    }
    Check::pass(OVERHEAD, CRITERION, evidence)
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 50.0), Some(50.0));
        assert_eq!(percentile(&values, 99.0), Some(99.0));
        assert_eq!(percentile(&[3.0], 99.0), Some(3.0));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
