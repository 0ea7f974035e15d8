//! Concurrency: `clients` add-items instances (as Lambda would run them side by side) take
//! `requests` adds between them, all to one hot cart or spread over many; throughput, and
//! the write conflicts they retried (from their logs).

use crate::launch::{Launcher, http_event, request_lines, status};
use crate::runtime_api::RuntimeApi;
use serde::Serialize;
use serde_json::json;
use std::time::Instant;
use trolley::service::{self, App};

#[derive(Debug, Clone, Serialize)]
pub struct ConcurrencyRun {
    pub clients: usize,
    pub carts: usize,
    pub requests: usize,
    pub seconds: f64,
    pub requests_per_second: f64,
    pub write_conflicts: u64,
    /// Adds answered with anything but 201 (a 409 after too many conflicts, say).
    pub refused: usize,
}

async fn carts(app: &App, n: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        let cart = service::carts::create(app, Default::default(), service::now())
            .await
            .expect("a cart");
        ids.push(cart.cart.id.to_string());
    }
    ids
}

pub async fn measure(
    launcher: &Launcher,
    app: &App,
    clients: usize,
    spread: bool,
    requests: usize,
) -> ConcurrencyRun {
    let targets = carts(app, if spread { clients * 4 } else { 1 }).await;
    let mut api = RuntimeApi::start().await;
    let logs: Vec<_> = (0..clients)
        .map(|n| {
            launcher
                .logs
                .join(format!("concurrency-{clients}-{spread}-{n}.log"))
        })
        .collect();
    let mut processes: Vec<_> = logs
        .iter()
        .map(|log| launcher.start("add-items", &api.address, log))
        .collect();
    for _ in 0..clients {
        api.asked().await;
    }
    let body =
        json!({"line_items": [{"product_id": trolley_tests::fixtures::PRODUCT_ID, "quantity": 1}]});
    let started = Instant::now();
    for n in 0..requests {
        let path = format!("/carts/{}/items", targets[n % targets.len()]);
        api.push(http_event(
            "POST /carts/{cart_id}/items",
            &path,
            Some(&body),
        ));
    }
    let mut refused = 0;
    for _ in 0..requests {
        let answer = api.answered().await;
        match status(&answer.body) {
            201 => {}
            // Too many lost races: refused cleanly, for the client to retry.
            409 => refused += 1,
            _ => panic!("add-items failed: {}", answer.body),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    for process in &mut processes {
        let _ = process.kill().await;
    }
    let write_conflicts = logs
        .iter()
        .flat_map(|log| request_lines(log))
        .filter_map(|line| line["write_conflicts"].as_u64())
        .sum();
    ConcurrencyRun {
        clients,
        carts: targets.len(),
        requests,
        seconds,
        requests_per_second: requests as f64 / seconds,
        write_conflicts,
        refused,
    }
}
