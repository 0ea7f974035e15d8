//! DynamoDB goes away in the middle of a stream of writes. Every request during the outage
//! gets a 503 with Retry-After in the API's error shape (no hang past the functions' 10 s
//! timeout, no 500); after DynamoDB comes back the same running functions answer again; and
//! every cart is in a state some set of the writes would produce: no half-written cart.
//!
//! This test runs its own DynamoDB Local (data on disk, so it survives the restart) and its
//! own `cargo lambda watch`, so stopping them disturbs no other test.

use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use trolley_tests::api::{Api, FUNCTION_TIMEOUT, LENIENT, Reply};
use trolley_tests::local::{self, free_port};
use trolley_tests::{repo_root, table};

const CARTS: usize = 4;
const WRITERS: usize = 4;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Up,
    Down,
    Back,
}

#[tokio::test]
async fn an_outage_answers_503_and_the_service_recovers_without_half_written_carts() {
    let dir = repo_root()
        .join(".local")
        .join(format!("faults-{}", uuid::Uuid::new_v4().simple()));
    let (db_port, api_port) = (free_port(), free_port());
    let endpoint = format!("http://127.0.0.1:{db_port}");
    let mut db = local::dynamodb(&dir, db_port);
    let sdk = trolley::store::dynamodb_client().await;
    let client = aws_sdk_dynamodb::Client::from_conf(
        sdk.config().to_builder().endpoint_url(&endpoint).build(),
    );
    let definition = table::definition_from(&repo_root().join("template.yaml")).unwrap();
    table::create(&client, "faults", &definition).await.unwrap();
    let _functions = local::api(api_port, &endpoint, "faults", &dir.join("watch.log"));
    let base = format!("http://127.0.0.1:{api_port}");
    let setup = Api::at(&base, LENIENT);

    let mut carts = Vec::new();
    for _ in 0..CARTS {
        carts.push(
            setup.new_cart(json!({})).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    // Start every instance the writers will use (cargo lambda starts them lazily, which
    // takes seconds locally and is not what this test measures).
    let mut warm = tokio::task::JoinSet::new();
    for cart in carts.clone() {
        let setup = Api::at(&base, LENIENT);
        warm.spawn(async move {
            setup
                .post(&format!("/carts/{cart}/items"), json!({}))
                .await
                .status
        });
    }
    assert!(warm.join_all().await.iter().all(|status| *status == 400));
    // From here every request must be answered within the functions' timeout.
    let api = Arc::new(Api::at(&base, FUNCTION_TIMEOUT));

    // Writers add one item to a cart, round and round, until told to stop.
    let (outcomes, mut received) =
        mpsc::unbounded_channel::<(usize, Result<Reply, String>, Duration)>();
    let stop = Arc::new(AtomicBool::new(false));
    for writer in 0..WRITERS {
        let (api, carts, outcomes, stop) =
            (api.clone(), carts.clone(), outcomes.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = writer;
            while !stop.load(Ordering::Relaxed) {
                let cart = n % CARTS;
                let body = json!({"custom_items": [{"sku": format!("W{n}"), "name": "w", "quantity": 1, "price": 1}]});
                let started = Instant::now();
                let result = api
                    .try_post(&format!("/carts/{}/items", carts[cart]), body)
                    .await
                    .map_err(|e| e.to_string());
                if outcomes.send((cart, result, started.elapsed())).is_err() {
                    return;
                }
                n += WRITERS;
            }
        });
    }
    drop(outcomes);

    // Requests still under way when DynamoDB restarts may time out; far more means no recovery.
    const MAX_503S_AFTER_RESTART: usize = 200;
    let (mut applied, mut unknown) = ([0u64; CARTS], [0u64; CARTS]);
    let (mut phase, mut in_phase) = (Phase::Up, 0);
    let mut slowest_503 = Duration::ZERO;
    let mut back_503s = 0;
    while let Some((cart, result, took)) = received.recv().await {
        let reply = result.unwrap_or_else(|e| {
            panic!("a request failed without an answer in {phase:?} (a hang?): {e}")
        });
        match reply.status {
            201 => applied[cart] += 1,
            503 => {
                slowest_503 = slowest_503.max(took);
                // It may or may not have landed before DynamoDB went: the outcome is unknown.
                unknown[cart] += 1;
                assert_eq!(reply.code(), "service_unavailable", "{:#}", reply.body);
                assert!(
                    reply.header("retry-after").is_some(),
                    "503 says when to retry"
                );
                assert!(reply.body["request_id"].is_string());
            }
            other => panic!("in {phase:?}: unexpected {other}: {:#}", reply.body),
        }
        let counts = matches!(
            (phase, reply.status),
            (Phase::Up, 201) | (Phase::Down, 503) | (Phase::Back, 201)
        );
        in_phase += usize::from(counts);
        // Once DynamoDB is back, answers must turn to 201 soon: a service that never
        // recovers fails here rather than keeping the writers going for ever.
        back_503s += usize::from(phase == Phase::Back && reply.status == 503);
        assert!(
            back_503s <= MAX_503S_AFTER_RESTART,
            "still answering 503 {back_503s} times after DynamoDB came back"
        );
        match phase {
            Phase::Up if in_phase >= 20 => {
                db.kill();
                (phase, in_phase) = (Phase::Down, 0);
            }
            Phase::Down if in_phase >= 12 => {
                let dir = dir.clone();
                db = tokio::task::spawn_blocking(move || local::dynamodb(&dir, db_port))
                    .await
                    .unwrap();
                (phase, in_phase) = (Phase::Back, 0);
            }
            Phase::Back if in_phase >= 20 => stop.store(true, Ordering::Relaxed),
            _ => {}
        }
    }
    println!(
        "outage: {} writes confirmed, {} answered 503 (outcome unknown), slowest 503 in {slowest_503:.1?}",
        applied.iter().sum::<u64>(),
        unknown.iter().sum::<u64>()
    );

    for (n, id) in carts.iter().enumerate() {
        let cart = api.get(&format!("/carts/{id}")).await.expect(200).body;
        let items = cart["data"]["custom_items"].as_array().unwrap().len() as u64;
        let version = cart["data"]["version"].as_u64().unwrap();
        assert!(
            applied[n] <= items && items <= applied[n] + unknown[n],
            "cart {n}: {items} items, {} writes confirmed, {} unknown",
            applied[n],
            unknown[n]
        );
        assert_eq!(
            version,
            items + 1,
            "cart {n}: one version per item added, nothing half-written"
        );
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
