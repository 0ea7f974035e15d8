//! Warm latency: one process answers `events` one after another; each is timed from the
//! moment it is handed over to the moment the answer arrives. The function's own log says
//! how long it spent waiting on DynamoDB, so its handler time can be told apart.

use crate::launch::{Launcher, peak_rss_kib, request_lines, status};
use crate::runtime_api::RuntimeApi;
use crate::stats::{median, millis, quantile};
use serde::Serialize;

/// The operation every other is measured against: one GetItem (bench/src/bin/one-getitem.rs).
pub const YARDSTICK: &str = "one GetItem (yardstick)";
/// The least a write that must be atomic over several items waits for: one
/// TransactWriteItems (bench/src/bin/one-transaction.rs).
pub const ONE_TRANSACTION: &str = "one TransactWriteItems";

#[derive(Debug, Clone, Serialize)]
pub struct Warm {
    pub operation: String,
    pub requests: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// The handler's own time: its latency less the time it waited on DynamoDB.
    pub handler_p50_ms: f64,
    pub handler_p99_ms: f64,
    /// Median DynamoDB calls per request, and of them the round trips one after another
    /// (calls that overlap count once): what a request waits for.
    pub dynamodb_calls: f64,
    pub sequential_round_trips: f64,
    pub capacity_units: f64,
    pub peak_rss_kib: Option<u64>,
}

pub async fn measure(
    launcher: &Launcher,
    operation: &str,
    function: &str,
    events: Vec<String>,
    expected: u64,
) -> Warm {
    let mut api = RuntimeApi::start().await;
    let log = launcher.logs.join(format!("warm-{operation}.log"));
    let mut process = launcher.start(function, &api.address, &log);
    api.asked().await;
    let mut latencies = Vec::with_capacity(events.len());
    for event in &events {
        let id = api.push(event.clone());
        let answer = api.answered().await;
        assert_eq!(
            status(&answer.body),
            expected,
            "{operation}: {}",
            answer.body
        );
        latencies.push(millis(answer.at - api.delivered(&id)));
    }
    let peak_rss_kib = peak_rss_kib(&process);
    let _ = process.kill().await;
    let lines = request_lines(&log);
    let field =
        |name: &str| -> Vec<f64> { lines.iter().filter_map(|l| l[name].as_f64()).collect() };
    let handler: Vec<f64> = lines
        .iter()
        .filter_map(|l| Some(l["latency_ms"].as_f64()? - l["dynamodb_ms"].as_f64()?))
        .collect();
    assert_eq!(
        handler.len(),
        events.len(),
        "{operation}: one log line with latency_ms and dynamodb_ms per request"
    );
    Warm {
        operation: operation.to_string(),
        requests: events.len(),
        p50_ms: median(&latencies),
        p95_ms: quantile(&latencies, 0.95),
        p99_ms: quantile(&latencies, 0.99),
        handler_p50_ms: median(&handler),
        handler_p99_ms: quantile(&handler, 0.99),
        dynamodb_calls: median(&field("dynamodb_calls")),
        sequential_round_trips: median(&field("dynamodb_sequential")),
        capacity_units: median(&field("capacity_units")),
        peak_rss_kib,
    }
}
