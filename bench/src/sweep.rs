//! Sweep scale: the table grows to each size (half the carts idle past the threshold, the
//! rest recent, empty, preview or checked out), and the scheduled function runs once.

use crate::launch::Launcher;
use crate::runtime_api::RuntimeApi;
use chrono::Duration;
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use trolley::domain::cart::{Cart, NewCart};
use trolley::domain::settings::Settings;
use trolley::store::{Saved, Store};

#[derive(Debug, Clone, Serialize)]
pub struct SweepRun {
    pub carts_in_table: u64,
    pub carts_flagged: u64,
    pub items_read: u64,
    pub items_read_per_cart_flagged: f64,
    pub seconds: f64,
    pub carts_flagged_per_second: f64,
    pub seeding_seconds: f64,
    /// DynamoDB calls by operation during the run: no Scan.
    pub dynamodb_operations: Value,
}

/// A cart for slot `n`: every other one idle for 20 hours, the rest spread over the kinds
/// the sweep must leave alone.
fn cart(n: u64, now: chrono::DateTime<chrono::Utc>) -> Cart {
    // Even slots are the idle ones; of the odd, 1 is recent, 3 empty, 5 preview, 7 checked out.
    let age = if n % 8 != 1 {
        Duration::hours(20)
    } else {
        Duration::minutes(30)
    };
    let mut cart = Cart::new(&NewCart::default(), &Settings::default(), now - age).expect("a cart");
    if n % 8 != 3 {
        let item = trolley::http::bodies::from_value(
            json!({"sku": "S", "name": "S", "quantity": 1, "price": 100}),
        )
        .expect("an item");
        cart.add_items(&[], &[item], &Default::default(), true)
            .expect("added");
    }
    match n % 8 {
        5 => cart.snapshot_date = Some(now + Duration::days(30)),
        7 => cart.checked_out = true,
        _ => {}
    }
    cart
}

async fn seed(store: &Store, from: u64, to: u64) {
    let now = trolley::service::now();
    let permits = Arc::new(Semaphore::new(64));
    let mut writes = JoinSet::new();
    for n in from..to {
        let (store, permit) = (
            store.clone(),
            permits.clone().acquire_owned().await.expect("permits"),
        );
        writes.spawn(async move {
            let _permit = permit;
            assert_eq!(
                store.create_cart(&cart(n, now)).await.expect("written"),
                Saved::Done
            );
        });
    }
    writes.join_all().await;
}

pub async fn measure(launcher: &Launcher, store: &Store, sizes: &[u64]) -> Vec<SweepRun> {
    let mut in_table = 0;
    let mut runs = Vec::new();
    for &size in sizes {
        let seeding = Instant::now();
        seed(store, in_table, size).await;
        let seeding_seconds = seeding.elapsed().as_secs_f64();
        in_table = size;

        let mut api = RuntimeApi::start().await;
        let log = launcher.logs.join(format!("sweep-{size}.log"));
        let mut process = launcher.start("flag-abandoned-carts", &api.address, &log);
        api.asked().await;
        // Idle for 10 hours or more: the 20-hour-old carts, none of the half-hour-old ones.
        let id = api.push(json!({"idle_minutes": 600}).to_string());
        let answer = api.answered().await;
        let _ = process.kill().await;
        assert!(!answer.failed, "the sweep failed: {}", answer.body);
        let seconds = (answer.at - api.delivered(&id)).as_secs_f64();
        let report: Value = serde_json::from_str(&answer.body).expect("a report");
        assert_eq!(report["stopped_early"], false, "the run finished: {report}");
        let count = |name: &str| report[name].as_u64().expect("the sweep's report");
        let (flagged, read) = (count("carts_flagged"), count("items_read"));
        runs.push(SweepRun {
            carts_in_table: size,
            carts_flagged: flagged,
            items_read: read,
            items_read_per_cart_flagged: read as f64 / flagged.max(1) as f64,
            seconds,
            carts_flagged_per_second: flagged as f64 / seconds,
            seeding_seconds,
            dynamodb_operations: report["dynamodb_operations"].clone(),
        });
    }
    runs
}
