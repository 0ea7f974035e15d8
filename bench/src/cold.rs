//! Cold start: from starting a function's process to its first request for an event
//! ("ready": runtime set up, DynamoDB client built) and to its first answer, median of
//! `runs` starts each, beside the hello-world function, started in turn in every round.

use crate::launch::{Launcher, status};
use crate::runtime_api::RuntimeApi;
use crate::stats::{median, millis};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use trolley::store::Store;

#[derive(Debug, Clone, Serialize)]
pub struct ColdStart {
    pub function: String,
    pub ready_ms: f64,
    pub first_response_ms: f64,
    pub ready_ratio: f64,
    pub first_response_ratio: f64,
    /// The first answer against hello-dynamodb's: what a function costs beyond the SDK
    /// client every one of them builds.
    pub first_response_ratio_dynamodb: f64,
}

const HELLO: &str = "hello";
/// hello-world with the DynamoDB client built (bench/src/bin/hello-dynamodb.rs).
pub const HELLO_DYNAMODB: &str = "hello-dynamodb";

/// `functions`: each function with the event its first invocation gets.
pub async fn measure(
    launcher: &Launcher,
    store: &Store,
    functions: &[(String, String)],
    runs: usize,
) -> Vec<ColdStart> {
    let mut samples: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    let everyone = [(HELLO, "{}"), (HELLO_DYNAMODB, "{}")]
        .into_iter()
        .chain(functions.iter().map(|(f, e)| (f.as_str(), e.as_str())));
    let everyone: Vec<_> = everyone.collect();
    for _ in 0..runs {
        for (function, event) in &everyone {
            if ![HELLO, HELLO_DYNAMODB].contains(function) {
                // The events expect the fixtures as they were written.
                trolley_tests::fixtures::seed(store, trolley::service::now())
                    .await
                    .expect("fixtures");
            }
            let (ready, answered) = start_once(launcher, function, event).await;
            let entry = samples.entry(function).or_default();
            entry.0.push(millis(ready));
            entry.1.push(millis(answered));
        }
    }
    let (hello_ready, hello_answered) = (median(&samples[HELLO].0), median(&samples[HELLO].1));
    let dynamodb_answered = median(&samples[HELLO_DYNAMODB].1);
    samples
        .iter()
        .map(|(function, (ready, answered))| ColdStart {
            function: function.to_string(),
            ready_ms: median(ready),
            first_response_ms: median(answered),
            ready_ratio: median(ready) / hello_ready,
            first_response_ratio: median(answered) / hello_answered,
            first_response_ratio_dynamodb: median(answered) / dynamodb_answered,
        })
        .collect()
}

async fn start_once(launcher: &Launcher, function: &str, event: &str) -> (Duration, Duration) {
    let mut api = RuntimeApi::start().await;
    let log = launcher.logs.join(format!("cold-{function}.log"));
    let started = Instant::now();
    let mut process = launcher.start(function, &api.address, &log);
    let ready = api.asked().await;
    api.push(event.to_string());
    let answer = api.answered().await;
    let _ = process.kill().await;
    assert!(!answer.failed, "{function} failed: {}", answer.body);
    // The yardsticks, the scheduled sweep and the authorizer answer plain JSON, without an
    // HTTP status.
    let plain_json =
        function.starts_with(HELLO) || trolley_tests::routes::NOT_ROUTES.contains(&function);
    let code = status(&answer.body);
    assert!(
        (plain_json && code == 0) || (200..300).contains(&code),
        "{function} answered {code}: {}",
        answer.body
    );
    (ready - started, answer.at - started)
}
