//! How many DynamoDB round trips each use case waits for one after another, counted by the
//! store's own interceptor (`Snapshot::sequential`: calls that overlap count once), with
//! settings and promotions cached as deployed. A shopper feels these waits, so each count
//! is pinned here; `make bench` reports the same counts beside the latencies.
//!
//! One test in its own binary: the counters are the process's, so nothing else may call
//! DynamoDB while it runs.

use serde_json::{Value, json};
use std::time::Duration;
use trolley::domain::items::QuantityChange;
use trolley::domain::merge::{MergeInput, MergeStrategy};
use trolley::domain::values::ClientId;
use trolley::http::bodies::from_value;
use trolley::service::{self, App, Principal};
use trolley::store::snapshot;

/// What the use case `run` waited for: round trips in a row, and calls in all.
async fn counted<T>(run: impl Future<Output = T>) -> (T, u64, u64) {
    let before = snapshot();
    let out = run.await;
    let spent = snapshot().since(&before);
    (out, spent.sequential, spent.calls)
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

fn body<T: trolley::http::bodies::NativeBody>(value: Value) -> T {
    from_value(value).expect("a valid body")
}

#[tokio::test]
async fn each_use_case_waits_for_at_most_two_round_trips_in_a_row() {
    let mut config = trolley::config::Config::from_env().expect("make test sets it");
    config.config_cache = Duration::from_secs(30);
    let app = App::from_config(&config, trolley_tests::store().await).acting_as(Principal::Backend);
    app.settings().await.unwrap();
    app.promotions().await.unwrap();
    let now = service::now();
    // A product whose stock is tracked (checkout takes it) and one whose is not (checkout
    // only checks it is unchanged).
    let (tracked, untracked) = (unique("tracked"), unique("untracked"));
    for (id, stock) in [(&tracked, json!(100)), (&untracked, Value::Null)] {
        let product = json!({"name": "P", "sku": id, "stock": stock,
                             "prices": [{"currency": "USD", "amount": 1000}]});
        service::products::put(&app, ClientId::parse(id).unwrap(), body(product), now)
            .await
            .unwrap();
    }
    let resave =
        json!({"name": "P", "sku": &untracked, "prices": [{"currency": "USD", "amount": 1000}]});
    let resaved = service::products::put(
        &app,
        ClientId::parse(&untracked).unwrap(),
        body(resave),
        now,
    );
    let (resaved, trips, _) = counted(resaved).await;
    assert!(!resaved.unwrap().1);
    assert_eq!(
        trips, 2,
        "save a product: the one it replaces, then it and its skus together"
    );
    let widget = |quantity: u32| json!({"product_id": &tracked, "quantity": quantity});

    let (created, trips, _) = counted(service::carts::create(&app, body(json!({})), now)).await;
    let cart = created.unwrap().cart.id;
    assert_eq!(trips, 1, "create: one write");

    let (read, trips, _) = counted(service::carts::get(&app, cart, now)).await;
    read.unwrap();
    assert_eq!(trips, 1, "read: one GetItem");

    let add = |quantity| body(json!({"line_items": [widget(quantity)]}));
    let (added, trips, calls) = counted(service::items::add(&app, cart, None, add(3), now)).await;
    let item = added.unwrap().0.cart.line_items[0].id;
    assert_eq!(
        (trips, calls),
        (2, 3),
        "add: the cart and the product together, then the write"
    );

    let quantity = |q: i64| body(json!({"quantity": q}));
    let (lowered, trips, _) = counted(service::items::update(
        &app,
        cart,
        item,
        None,
        quantity(2),
        now,
    ))
    .await;
    lowered.unwrap();
    assert_eq!(trips, 2, "lowering a quantity: read and write");
    let (raised, trips, _) = counted(service::items::update(
        &app,
        cart,
        item,
        None,
        quantity(4),
        now,
    ))
    .await;
    raised.unwrap();
    assert_eq!(
        trips, 2,
        "raising one: read, then the write that checks the stock"
    );

    let several = vec![QuantityChange {
        item_id: item,
        quantity: trolley::domain::values::NewQuantity::new(5).unwrap(),
        source: "data[0].quantity".into(),
    }];
    let (raised, trips, _) =
        counted(service::items::update_many(&app, cart, several, true, now)).await;
    raised.unwrap();
    assert_eq!(
        trips, 2,
        "raising several: read, then the write that checks the stock"
    );

    let code = unique("RT").to_uppercase();
    let promotion = json!({"name": "RT", "starts_at": "2026-01-01T00:00:00Z",
                           "kind": "amount_off", "value": 100, "code": &code});
    let promotion_id = ClientId::parse(&unique("rt")).unwrap();
    service::promotions::put(&app, promotion_id, body(promotion), now)
        .await
        .unwrap();
    let (applied, trips, _) =
        counted(service::promotions::apply(&app, cart, None, &code, now)).await;
    applied.unwrap();
    assert_eq!(
        trips, 2,
        "a code: the promotions and the cart together, then the write"
    );

    let other = json!({"product_id": &untracked, "quantity": 1});
    let source = service::carts::create(&app, body(json!({"line_items": [widget(1), other]})), now)
        .await
        .unwrap()
        .cart
        .id;
    let merge = MergeInput {
        source_cart_id: source,
        strategy: MergeStrategy::Sum,
    };
    let (merged, trips, _) = counted(service::carts::merge(&app, cart, None, merge, now)).await;
    merged.unwrap();
    assert_eq!(
        trips, 2,
        "merge: both carts together, then the transaction (the products checked in it)"
    );

    let (checkout, trips, _) = counted(service::checkout::checkout(
        &app,
        cart,
        None,
        body(json!({})),
        now,
    ))
    .await;
    assert!(checkout.unwrap().created);
    assert_eq!(trips, 2, "checkout: the cart, then the transaction");
}
