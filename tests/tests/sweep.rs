//! The abandoned-cart sweep. Sweeps in this file would flag each other's carts, so they take
//! turns (`SWEEPS`), and each test asserts only on carts it made.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{Mutex, Semaphore};
use tokio::task::JoinSet;
use trolley::domain::cart::{Cart, CartStatus, NewCart};
use trolley::domain::settings::Settings;
use trolley::service::{self, App};
use trolley::store::{Saved, Store};
use trolley_tests::api::Api;
use uuid::Uuid;

static SWEEPS: Mutex<()> = Mutex::const_new(());

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Idle,
    Recent,
    Empty,
    Preview,
    CheckedOut,
}

/// A cart last changed `idle` ago, written straight to the table.
fn cart(kind: Kind, idle: Duration, now: DateTime<Utc>) -> Cart {
    let mut cart = Cart::new(&NewCart::default(), &Settings::default(), now - idle).unwrap();
    if kind != Kind::Empty {
        let item = trolley::http::bodies::from_value(
            json!({"sku": "S", "name": "S", "quantity": 1, "price": 100}),
        )
        .unwrap();
        cart.add_items(&[], &[item], &Default::default(), true)
            .unwrap();
    }
    match kind {
        Kind::Preview => cart.snapshot_date = Some(now + Duration::days(30)),
        Kind::CheckedOut => cart.checked_out = true,
        _ => {}
    }
    cart
}

async fn write_all(store: &Store, carts: Vec<Cart>) {
    let permits = Arc::new(Semaphore::new(32));
    let mut writes = JoinSet::new();
    for cart in carts {
        let (store, permit) = (
            store.clone(),
            permits.clone().acquire_owned().await.unwrap(),
        );
        writes.spawn(async move {
            let _permit = permit;
            assert_eq!(store.create_cart(&cart).await.unwrap(), Saved::Done);
        });
    }
    writes.join_all().await;
}

async fn read_all(store: &Store, ids: Vec<Uuid>) -> Vec<Cart> {
    let permits = Arc::new(Semaphore::new(32));
    let mut reads = JoinSet::new();
    for id in ids {
        let (store, permit) = (
            store.clone(),
            permits.clone().acquire_owned().await.unwrap(),
        );
        reads.spawn(async move {
            let _permit = permit;
            store.get_cart(id).await.unwrap().expect("still stored")
        });
    }
    reads.join_all().await
}

fn in_activity_index(item: &std::collections::HashMap<String, AttributeValue>) -> bool {
    item.contains_key("GSI2PK") && item.contains_key("GSI2SK")
}

fn soon() -> Instant {
    Instant::now() + std::time::Duration::from_secs(120)
}

/// Correctness over a table of many carts; how the sweep scales (10,000 and 100,000 carts)
/// is `make bench`'s to measure.
#[tokio::test]
async fn two_thousand_carts_one_run_flags_exactly_the_idle_ones() {
    let _turn = SWEEPS.lock().await;
    let app = trolley_tests::app().await;
    let now = service::now();
    // Idle for 20 hours against a threshold of 1000 minutes: no other test makes carts
    // this old, so this run's counts are this test's alone.
    let (idle, recent) = (Duration::hours(20), Duration::hours(10));
    let kinds = [
        Kind::Idle,
        Kind::Idle,
        Kind::Idle,
        Kind::Idle,
        Kind::Recent,
        Kind::Recent,
        Kind::Empty,
        Kind::Preview,
        Kind::CheckedOut,
        Kind::Idle,
    ];
    let carts: Vec<Cart> = (0..2_000)
        .map(|i| {
            let kind = kinds[i % kinds.len()];
            cart(kind, if kind == Kind::Recent { recent } else { idle }, now)
        })
        .collect();
    let expected: Vec<(Uuid, bool)> = carts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, kinds[i % kinds.len()] == Kind::Idle))
        .collect();
    let should_flag = expected.iter().filter(|(_, flag)| *flag).count() as u64;
    let seeding = Instant::now();
    write_all(&trolley_tests::store().await, carts).await;
    println!("seeded 2,000 carts in {:.1?}", seeding.elapsed());

    let started = Instant::now();
    let calls_before = trolley::store::operations();
    let first = service::abandoned::sweep(&app, now, Some(1000), soon())
        .await
        .unwrap();
    let took = started.elapsed();
    let calls_made = trolley::store::operations_since(&calls_before);
    let calls = |operation: &str| calls_made.get(operation).copied().unwrap_or_default();
    assert!(
        calls("Query") >= u64::from(trolley::store::ACTIVITY_SHARDS),
        "every shard of the index is queried"
    );
    assert_eq!(calls("Scan"), 0, "the sweep never Scans");
    assert!(!first.stopped_early);
    assert_eq!(first.carts_flagged, should_flag);
    let per_flag = first.items_read as f64 / first.carts_flagged as f64;
    println!(
        "sweep: {} carts in the table, {} flagged in {took:.1?}, {} index items read, {per_flag:.3} items read per cart flagged",
        expected.len(),
        first.carts_flagged,
        first.items_read
    );
    assert!(per_flag <= 1.2, "{per_flag} items read per cart flagged");

    let second = service::abandoned::sweep(&app, now, Some(1000), soon())
        .await
        .unwrap();
    assert_eq!(
        (second.carts_flagged, second.items_read),
        (0, 0),
        "flagged carts left the index"
    );

    let stored = read_all(
        &trolley_tests::store().await,
        expected.iter().map(|(id, _)| *id).collect(),
    )
    .await;
    let flagged: std::collections::HashMap<Uuid, &Cart> =
        stored.iter().map(|c| (c.id, c)).collect();
    for (id, should) in &expected {
        let cart = flagged[id];
        assert_eq!(cart.status == CartStatus::Abandoned, *should, "{id}");
        assert_eq!(cart.abandoned_token.is_some(), *should, "{id}");
    }
}

#[tokio::test]
async fn a_change_racing_the_sweep_wins() {
    let _turn = SWEEPS.lock().await;
    let (app, store) = (trolley_tests::app().await, trolley_tests::store().await);
    let now = service::now();
    let idle = cart(Kind::Idle, Duration::hours(3), now);
    write_all(&store, vec![idle.clone()]).await;
    // What the sweep read from the index, before the shopper changed the cart.
    let seen = trolley::store::IdleCart {
        cart_id: idle.id,
        version: idle.version,
        expires_at: idle.expires_at.timestamp(),
    };
    let patch = trolley::http::bodies::from_value(json!({"name": "still shopping"})).unwrap();
    service::carts::update(&app, idle.id, None, patch, now)
        .await
        .unwrap();

    assert_eq!(
        store
            .flag_abandoned(&seen, "racing-token", now)
            .await
            .unwrap(),
        Saved::Conflict
    );
    let cart = store.get_cart(idle.id).await.unwrap().unwrap();
    assert_eq!((cart.status, cart.version), (CartStatus::Active, 2));
    assert_eq!(cart.abandoned_token, None, "nothing half-written");
    assert!(in_activity_index(
        &trolley_tests::raw_cart_item(&store, idle.id).await
    ));
}

#[tokio::test]
async fn a_run_stops_at_its_deadline_and_the_next_carries_on() {
    let _turn = SWEEPS.lock().await;
    let app: App = trolley_tests::app().await;
    let now = service::now();
    let idle = cart(Kind::Idle, Duration::hours(3), now);
    write_all(&trolley_tests::store().await, vec![idle.clone()]).await;

    let out_of_time = service::abandoned::sweep(&app, now, Some(120), Instant::now())
        .await
        .unwrap();
    assert!(out_of_time.stopped_early);
    assert_eq!(out_of_time.carts_flagged, 0);
    service::abandoned::sweep(&app, now, Some(120), soon())
        .await
        .unwrap();
    assert_eq!(
        trolley_tests::store()
            .await
            .get_cart(idle.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        CartStatus::Abandoned
    );
}

#[tokio::test]
async fn through_lambda_a_flagged_cart_has_a_recovery_token_and_any_change_revives_it() {
    let _turn = SWEEPS.lock().await;
    let (api, store) = (Api::new(), trolley_tests::store().await);
    let now = service::now();
    let idle = cart(Kind::Idle, Duration::hours(3), now);
    write_all(&store, vec![idle.clone()]).await;

    let report =
        trolley_tests::invoke("flag-abandoned-carts", &json!({"idle_minutes": 120})).unwrap();
    assert!(report["carts_flagged"].as_u64().unwrap() >= 1, "{report:#}");
    assert_eq!(report["stopped_early"], false);
    let calls = &report["dynamodb_operations"];
    assert!(
        calls["Query"].as_u64().unwrap() >= u64::from(trolley::store::ACTIVITY_SHARDS),
        "{report:#}"
    );
    assert!(calls.get("Scan").is_none(), "{report:#}");
    let path = format!("/carts/{}", idle.id);
    assert_eq!(
        api.get(&path).await.expect(200).data()["status"],
        "abandoned"
    );
    assert!(!in_activity_index(
        &trolley_tests::raw_cart_item(&store, idle.id).await
    ));

    let token = store
        .get_cart(idle.id)
        .await
        .unwrap()
        .unwrap()
        .abandoned_token
        .expect("a token");
    assert_eq!(
        trolley_tests::fixtures::local_keys()
            .verify(&token, now)
            .map(|claims| (claims.cart_id, claims.purpose)),
        Some((idle.id, trolley::domain::tokens::Purpose::Recovery)),
        "signed for this cart"
    );
    let found = api
        .get(&format!("/abandoned-carts/{token}"))
        .await
        .expect(200);
    assert_eq!(found.body, json!({"data": {"cart_id": idle.id}}));
    api.get("/abandoned-carts/not-a-token")
        .await
        .expect_error(404, "not_found", None);

    let revived = api
        .put(&path, json!({"name": "back again"}))
        .await
        .expect(200);
    assert_eq!(revived.data()["status"], "active");
    assert!(
        in_activity_index(&trolley_tests::raw_cart_item(&store, idle.id).await),
        "back in the index"
    );
    // The recovery link keeps working while the cart lives (the change moved its expiry
    // on, and the link with it), and not a moment longer.
    api.get(&format!("/abandoned-carts/{token}"))
        .await
        .expect(200);
    api.delete(&path).await.expect(204);
    api.get(&format!("/abandoned-carts/{token}"))
        .await
        .expect_error(404, "not_found", None);
    // Longer than any token, or any DynamoDB key: 404 as well.
    api.get(&format!("/abandoned-carts/{}", "A".repeat(3000)))
        .await
        .expect_error(404, "not_found", None);

    let refused =
        trolley_tests::invoke("flag-abandoned-carts", &json!({"idle_minutes": 0})).unwrap_err();
    assert!(refused.contains("idle_minutes"), "{refused}");
}
