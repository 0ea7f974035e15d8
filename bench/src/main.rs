//! `make bench`: measures Trolley's release functions through the Lambda Runtime API against
//! DynamoDB Local, and writes bench/RESULTS.md and bench/results.json. `--smoke` runs every
//! part with tiny counts (make test does, so the harness cannot rot) and writes elsewhere.
//!
//!     trolley-bench --out DIR [--binaries DIR] [--arm64 DIR] [--smoke] [--only PART] [--function NAME]
//!
//! `--only cold|warm|sizes|concurrency|sweep` measures one part, and `--function` limits cold
//! starts and sizes to one function (while working on them).
//!
//! Needs TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB (scripts/bench.sh sets them).

mod cold;
mod concurrency;
mod launch;
mod report;
mod runtime_api;
mod sizes;
mod stats;
mod sweep;
mod warm;

use launch::{Launcher, http_event};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;
use trolley::service::{self, App, Principal};
use trolley_tests::{fixtures, repo_root};

/// How much of everything to measure.
struct Scale {
    cold_runs: usize,
    warm_requests: usize,
    sweep_sizes: Vec<u64>,
    clients: Vec<usize>,
    concurrent_requests: usize,
    /// How many functions' sizes to take: zipping a debug binary (about 50 MB) takes
    /// seconds, so the smoke run zips one, enough to keep the part working.
    sized_functions: usize,
}

impl Scale {
    fn full() -> Scale {
        Scale {
            cold_runs: 20,
            warm_requests: 1000,
            sweep_sizes: vec![10_000, 100_000],
            clients: vec![1, 8, 32],
            concurrent_requests: 400,
            sized_functions: usize::MAX,
        }
    }

    fn smoke() -> Scale {
        Scale {
            cold_runs: 1,
            warm_requests: 5,
            sweep_sizes: vec![40],
            clients: vec![1, 2],
            concurrent_requests: 8,
            sized_functions: 1,
        }
    }
}

fn argument(args: &[String], name: &str) -> Option<PathBuf> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let smoke = args.iter().any(|a| a == "--smoke");
    let out = argument(&args, "--out").expect("--out DIR");
    let binaries =
        argument(&args, "--binaries").unwrap_or_else(|| repo_root().join("target/release"));
    let arm64 = argument(&args, "--arm64");
    let scale = if smoke { Scale::smoke() } else { Scale::full() };
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let part = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let logs = out.join("logs");
    std::fs::create_dir_all(&logs).expect("an output folder");

    let store = trolley_tests::store().await;
    // The harness sets up carts and products as the trusted backend.
    let app = App::new(store.clone(), Duration::from_secs(30)).acting_as(Principal::Backend);
    fixtures::seed(&store, service::now())
        .await
        .expect("fixtures");
    let launcher = Launcher {
        binaries: binaries.clone(),
        endpoint: trolley_tests::required_env("AWS_ENDPOINT_URL_DYNAMODB"),
        table: store.table().to_string(),
        logs,
    };
    let functions: Vec<String> = trolley_tests::routes::function_names()
        .into_iter()
        .filter(|f| argument(&args, "--function").is_none_or(|only| only == Path::new(f)))
        .collect();

    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut sizes = Vec::new();
    let mut concurrency = Vec::new();
    let mut sweep = Vec::new();
    if part("cold") {
        eprintln!("bench: cold starts ({} runs each)", scale.cold_runs);
        cold = cold::measure(
            &launcher,
            &store,
            &cold_start_events(&functions),
            scale.cold_runs,
        )
        .await;
    }
    if part("warm") {
        eprintln!(
            "bench: warm latency ({} requests each)",
            scale.warm_requests
        );
        warm = warm_runs(&launcher, &app, scale.warm_requests).await;
    }
    if part("sizes") {
        eprintln!("bench: sizes");
        let sized = &functions[..functions.len().min(scale.sized_functions)];
        sizes = sizes::measure(sized, &binaries, arm64.as_deref(), &out);
    }
    if part("concurrency") {
        eprintln!("bench: concurrency");
    }
    for &clients in scale.clients.iter().filter(|_| part("concurrency")) {
        for spread in [false, true] {
            concurrency.push(
                concurrency::measure(&launcher, &app, clients, spread, scale.concurrent_requests)
                    .await,
            );
        }
    }
    if part("sweep") {
        eprintln!("bench: sweep at {:?} carts", scale.sweep_sizes);
        sweep = sweep::measure(&launcher, &store, &scale.sweep_sizes).await;
    }

    let results = report::Results::new(
        smoke,
        scale.cold_runs,
        cold,
        warm,
        sizes,
        sweep,
        concurrency,
    );
    report::write(&out, &results);
    eprintln!("bench: wrote {}", out.join("RESULTS.md").display());
}

/// Each function's first success event from events/, without its idempotency key (a
/// replay would not be a real first request).
fn cold_start_events(functions: &[String]) -> Vec<(String, String)> {
    functions
        .iter()
        .map(|function| {
            let folder = repo_root().join("events").join(function);
            let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
                .expect("events for every function")
                .map(|entry| entry.expect("readable").path())
                .filter(|path| {
                    path.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('2'))
                })
                .collect();
            files.sort();
            let mut event: Value = read_json(&files[0]);
            if let Some(headers) = event.get_mut("headers").and_then(Value::as_object_mut) {
                headers.remove("idempotency-key");
            }
            (function.clone(), event.to_string())
        })
        .collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
}

/// The five operations timed warm, each against its own carts.
async fn warm_runs(launcher: &Launcher, app: &App, n: usize) -> Vec<warm::Warm> {
    let lines = |quantity: usize| json!({"line_items": [{"product_id": fixtures::PRODUCT_ID, "quantity": quantity}]});
    let new_cart = |body: Value| async move {
        service::carts::create(
            app,
            trolley::http::bodies::from_value(body).expect("a cart body"),
            service::now(),
        )
        .await
        .expect("a cart")
        .cart
    };
    let mut runs = Vec::new();

    let route = "GET /products/{product_id}";
    let path = format!("/products/{}", fixtures::PRODUCT_ID);
    let events = (0..n).map(|_| http_event(route, &path, None)).collect();
    runs.push(warm::measure(launcher, warm::YARDSTICK, "one-getitem", events, 200).await);
    let events = (0..n).map(|_| http_event(route, &path, None)).collect();
    runs.push(
        warm::measure(
            launcher,
            warm::ONE_TRANSACTION,
            "one-transaction",
            events,
            200,
        )
        .await,
    );

    let read = new_cart(
        json!({"line_items": [{"product_id": fixtures::PRODUCT_ID, "quantity": 2},
        {"product_id": fixtures::PRODUCT_ID, "variant_id": "red", "quantity": 1}],
        "custom_items": [{"sku": "GIFT", "name": "Gift", "quantity": 1, "price": 300}]}),
    )
    .await;
    let events = (0..n)
        .map(|_| http_event("GET /carts/{cart_id}", &format!("/carts/{}", read.id), None))
        .collect();
    runs.push(warm::measure(launcher, "get cart", "get-cart", events, 200).await);

    let body = json!({"name": "bench"});
    let events = (0..n)
        .map(|_| http_event("POST /carts", "/carts", Some(&body)))
        .collect();
    runs.push(warm::measure(launcher, "create cart", "create-cart", events, 201).await);

    let added = new_cart(json!({})).await;
    let path = format!("/carts/{}/items", added.id);
    let events = (0..n)
        .map(|_| http_event("POST /carts/{cart_id}/items", &path, Some(&lines(1))))
        .collect();
    runs.push(warm::measure(launcher, "add catalog item", "add-items", events, 201).await);

    // Lowering a quantity needs no stock check: the change's two round trips alone.
    let updated = new_cart(lines(n + 1)).await;
    let path = format!("/carts/{}/items/{}", updated.id, updated.line_items[0].id);
    let route = "PUT /carts/{cart_id}/items/{item_id}";
    let events = (1..=n)
        .rev()
        .map(|q| http_event(route, &path, Some(&json!({"quantity": q}))))
        .collect();
    runs.push(warm::measure(launcher, "update item quantity", "update-item", events, 200).await);

    // Raising checks the product in the write itself instead of reading it first.
    let raised = new_cart(lines(1)).await;
    let path = format!("/carts/{}/items/{}", raised.id, raised.line_items[0].id);
    let events = (2..=n + 1)
        .map(|q| http_event(route, &path, Some(&json!({"quantity": q}))))
        .collect();
    runs.push(warm::measure(launcher, "raise item quantity", "update-item", events, 200).await);

    let mut events = Vec::with_capacity(n);
    let target = new_cart(json!({})).await;
    let path = format!("/carts/{}/merge", target.id);
    for _ in 0..n {
        let source = new_cart(lines(1)).await;
        let body = json!({"source_cart_id": source.id, "strategy": "max"});
        events.push(http_event(
            "POST /carts/{cart_id}/merge",
            &path,
            Some(&body),
        ));
    }
    runs.push(warm::measure(launcher, "merge carts", "merge-carts", events, 200).await);

    let mut events = Vec::with_capacity(n);
    for _ in 0..n {
        let cart = new_cart(lines(1)).await;
        events.push(http_event(
            "POST /carts/{cart_id}/checkout",
            &format!("/carts/{}/checkout", cart.id),
            Some(&json!({})),
        ));
    }
    runs.push(warm::measure(launcher, "checkout", "checkout", events, 201).await);
    runs
}
