//! Faults only real DynamoDB produces, injected through the SDK interceptor
//! (`trolley_tests::inject`) while every write still goes to DynamoDB Local: a committed
//! write whose answer is lost, for ordinary cart writes (the `write_id` path), cart
//! creation, checkout and merge; and the errors of a busy table (another transaction holding
//! an item, throttling, request limits). None may make a change twice or end in a 500.
//! And a race at one exact moment: a product saved while checkout is under way.
//! Set-up goes through a plain client; the operation under test through one that injects
//! faults and books its DynamoDB calls to the function whose path it is (the IAM check).

use serde_json::json;
use trolley::service::{self, App};
use trolley::store::MAX_ATTEMPTS;
use trolley::{Error, ErrorKind};
use trolley_tests::inject::{Fault, Faults, app_for, elsewhere, store_for};
use uuid::Uuid;

/// Saves `product` (as `product` made it) at `price`, with its stock back at `stock`.
async fn save_product(app: &App, product: &str, price: i64, stock: u32) {
    let input = parse(
        json!({"name": "Fault widget", "sku": product, "stock": stock,
                             "prices": [{"currency": "USD", "amount": price}]}),
    );
    let id = trolley::domain::values::ClientId::parse(product).unwrap();
    service::products::put(app, id, input, service::now())
        .await
        .unwrap();
}

/// The id the local functions' checkout key gives the order of `cart` at `version`.
fn order_id(cart: Uuid, version: u64) -> Uuid {
    trolley::domain::order::CheckoutKey::new(trolley_tests::fixtures::LOCAL_CHECKOUT_KEY.as_bytes())
        .order_id(cart, version)
}

fn parse<T: trolley::http::bodies::NativeBody>(value: serde_json::Value) -> T {
    trolley::http::bodies::from_value(value).unwrap()
}

/// A tracked product with `stock` units at 500 (minor units, USD).
async fn product(app: &App, stock: u32) -> String {
    let id = format!("fault-{}", Uuid::new_v4().simple());
    save_product(app, &id, 500, stock).await;
    id
}

async fn stock_of(app: &App, product: &str) -> Option<u32> {
    let id = trolley::domain::values::ClientId::parse(product).unwrap();
    service::products::get(app, &id).await.unwrap().stock
}

/// A cart holding `quantity` of `product`.
async fn cart_with(app: &App, product: &str, quantity: u32) -> Uuid {
    let body = parse(json!({"line_items": [{"product_id": product, "quantity": quantity}]}));
    service::carts::create(app, body, service::now())
        .await
        .unwrap()
        .cart
        .id
}

async fn empty_cart(app: &App) -> trolley::domain::cart::Cart {
    service::carts::create(app, parse(json!({})), service::now())
        .await
        .unwrap()
        .cart
}

fn assert_used(faults: &Faults) {
    assert_eq!(
        faults.unused(),
        Vec::<String>::new(),
        "every planned fault happened"
    );
}

fn assert_unavailable(result: Result<impl std::fmt::Debug, Error>) {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err:?}");
}

#[tokio::test]
async fn a_cart_write_whose_answer_is_lost_is_applied_once() {
    let setup = trolley_tests::app().await;
    let cart = empty_cart(&setup).await;
    let faults = Faults::default();
    let app = app_for("add-items", &faults).await;
    faults.plan("PutItem", Fault::LostReply, 1);
    let body =
        parse(json!({"custom_items": [{"sku": "L", "name": "L", "quantity": 1, "price": 100}]}));
    let (priced, _) = service::items::add(&app, cart.id, None, body, service::now())
        .await
        .unwrap();
    assert_used(&faults);
    assert_eq!(priced.cart.version, 2, "one write");
    assert_eq!(priced.cart.custom_items.len(), 1);
    let stored = service::carts::get(&setup, cart.id, service::now())
        .await
        .unwrap();
    assert_eq!(
        (stored.cart.version, stored.cart.custom_items.len()),
        (2, 1)
    );
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_answers_the_cart_it_made() {
    let faults = Faults::default();
    let app = app_for("create-cart", &faults).await;
    faults.plan("PutItem", Fault::LostReply, 1);
    let cart = service::carts::create(&app, parse(json!({"name": "lost"})), service::now())
        .await
        .unwrap()
        .cart;
    assert_used(&faults);
    let setup = trolley_tests::app().await;
    let stored = service::carts::get(&setup, cart.id, service::now())
        .await
        .unwrap();
    assert_eq!(
        (stored.cart.version, stored.cart.name.as_deref()),
        (1, Some("lost"))
    );
}

#[tokio::test]
async fn a_checkout_whose_answer_is_lost_makes_one_order_and_takes_stock_once() {
    let setup = trolley_tests::app().await;
    let widget = product(&setup, 5).await;
    let cart = cart_with(&setup, &widget, 2).await;
    let faults = Faults::default();
    let app = app_for("checkout", &faults).await;

    // Lost once: the SDK's retry meets the committed transaction.
    faults.plan("TransactWriteItems", Fault::LostReply, 1);
    let first = service::checkout::checkout(&app, cart, None, Default::default(), service::now())
        .await
        .unwrap();
    assert_used(&faults);
    assert_eq!(first.order.id, order_id(cart, 1));
    assert_eq!(stock_of(&setup, &widget).await, Some(3));

    // Checking out the unchanged cart again answers the same order.
    let again = service::checkout::checkout(&app, cart, None, Default::default(), service::now())
        .await
        .unwrap();
    assert_eq!((again.order.id, again.created), (first.order.id, false));
    assert_eq!(stock_of(&setup, &widget).await, Some(3), "stock taken once");
}

#[tokio::test]
async fn a_checkout_answered_503_after_it_committed_is_found_by_the_retry() {
    let setup = trolley_tests::app().await;
    let widget = product(&setup, 5).await;
    let cart = cart_with(&setup, &widget, 2).await;
    let faults = Faults::default();
    let app = app_for("checkout", &faults).await;

    // Every attempt's answer lost: the client sees 503, but the first attempt committed.
    faults.plan(
        "TransactWriteItems",
        Fault::LostReply,
        MAX_ATTEMPTS as usize,
    );
    assert_unavailable(
        service::checkout::checkout(&app, cart, None, Default::default(), service::now()).await,
    );
    assert_used(&faults);
    let retried = service::checkout::checkout(&app, cart, None, Default::default(), service::now())
        .await
        .unwrap();
    assert_eq!(
        (retried.order.id, retried.created),
        (order_id(cart, 1), false)
    );
    assert_eq!(stock_of(&setup, &widget).await, Some(3), "stock taken once");
}

/// The retry of a merge whose answer was lost meets its own landed write, alone or, when a
/// product was saved meanwhile, with a failed product check: either way the merge is
/// recognised as made once (not `404 source_cart_not_found` for the source it deleted).
#[tokio::test]
async fn a_merge_whose_answer_is_lost_is_applied_once() {
    // Target, source and the widget's check all refuse the retry.
    let product_saved_too = Fault::Cancelled(vec![Some("ConditionalCheckFailed"); 3]);
    for retry_meets in [None, Some(product_saved_too)] {
        let setup = trolley_tests::app().await;
        let widget = product(&setup, 100).await;
        let (target, source) = (
            cart_with(&setup, &widget, 1).await,
            cart_with(&setup, &widget, 2).await,
        );
        let faults = Faults::default();
        let app = app_for("merge-carts", &faults).await;
        faults.plan("TransactWriteItems", Fault::LostReply, 1);
        if let Some(fault) = retry_meets.clone() {
            faults.plan("TransactWriteItems", fault, 1);
        }
        let input = parse(json!({"source_cart_id": source}));
        let (merged, report) = service::carts::merge(&app, target, None, input, service::now())
            .await
            .unwrap();
        assert_used(&faults);
        assert_eq!(merged.cart.line_items[0].quantity, 3, "added once");
        assert_eq!(report.updated_items.len(), 1, "{retry_meets:?}");
        assert_eq!(
            service::carts::get(&setup, source, service::now())
                .await
                .unwrap_err()
                .kind(),
            ErrorKind::NotFound
        );
    }
}

/// A product saved while checkout is under way: once after the cart was read, at the same
/// price (the lines' stamps are out of date, so the transaction's check on the product
/// refuses them and checkout reads the catalog), and again, at a new price, in the window
/// between that catalog read and the next transaction. The transaction refuses the prices
/// checkout read: nothing is sold at the old price, `409 price_changed` shows the new one,
/// no stock is taken, and checking out again sells at it.
#[tokio::test]
async fn a_product_saved_during_checkout_is_not_sold_at_the_price_read_before() {
    let setup = trolley_tests::app().await;
    let widget = product(&setup, 10).await;
    let cart = cart_with(&setup, &widget, 1).await;
    let faults = Faults::default();
    let app = app_for("checkout", &faults).await;
    for price in [500, 700] {
        let widget = widget.clone();
        faults.before("TransactWriteItems", move || {
            elsewhere(
                async move { save_product(&trolley_tests::app().await, &widget, price, 10).await },
            )
        });
    }
    let refused =
        service::checkout::checkout(&app, cart, None, Default::default(), service::now()).await;
    assert_used(&faults);
    let err = refused.unwrap_err();
    assert_eq!(err.code(), "price_changed", "{err:?}");
    assert!(err.problems[0].detail.contains("$7.00"), "{err:?}");
    assert_eq!(stock_of(&setup, &widget).await, Some(10), "nothing taken");
    let shown = service::carts::get(&setup, cart, service::now())
        .await
        .unwrap();
    assert_eq!(
        shown.cart.line_items[0].unit_price, 700,
        "the cart shows it"
    );

    let made = service::checkout::checkout(&app, cart, None, Default::default(), service::now())
        .await
        .unwrap();
    assert_eq!(made.order.line_items[0].unit_price, 700);
    assert_eq!(stock_of(&setup, &widget).await, Some(9));
}

#[tokio::test]
async fn another_transaction_holding_a_cart_is_waited_out() {
    let setup = trolley_tests::app().await;
    let cart = empty_cart(&setup).await;
    let faults = Faults::default();
    let app = app_for("update-cart", &faults).await;
    faults.plan("PutItem", Fault::TransactionConflict, 2);
    let patch = parse(json!({"name": "after the transaction"}));
    let updated = service::carts::update(&app, cart.id, None, patch, service::now())
        .await
        .unwrap();
    assert_used(&faults);
    assert_eq!(updated.cart.version, 2);

    // A checkout cancelled because another transaction held an item is redone.
    let widget = product(&setup, 5).await;
    let cart = cart_with(&setup, &widget, 1).await;
    let app = app_for("checkout", &faults).await;
    faults.plan(
        "TransactWriteItems",
        Fault::Cancelled(vec![Some("TransactionConflict"), None, None]),
        1,
    );
    let order = service::checkout::checkout(&app, cart, None, Default::default(), service::now())
        .await
        .unwrap();
    assert_used(&faults);
    assert!(order.created);
    assert_eq!(stock_of(&setup, &widget).await, Some(4));
}

#[tokio::test]
async fn a_throttled_or_overloaded_table_answers_503_and_writes_nothing() {
    let setup = trolley_tests::app().await;
    let widget = product(&setup, 5).await;
    let cart = cart_with(&setup, &widget, 1).await;
    let faults = Faults::default();
    let (checkout_app, get_app) = (
        app_for("checkout", &faults).await,
        app_for("get-cart", &faults).await,
    );
    let checkout = || {
        service::checkout::checkout(
            &checkout_app,
            cart,
            None,
            Default::default(),
            service::now(),
        )
    };

    faults.plan(
        "TransactWriteItems",
        Fault::Cancelled(vec![Some("ThrottlingError"), None, None]),
        1,
    );
    assert_unavailable(checkout().await);
    for fault in [
        Fault::ProvisionedThroughputExceeded,
        Fault::RequestLimitExceeded,
    ] {
        faults.plan("GetItem", fault, MAX_ATTEMPTS as usize);
        assert_unavailable(service::carts::get(&get_app, cart, service::now()).await);
    }
    assert_used(&faults);
    assert_eq!(stock_of(&setup, &widget).await, Some(5), "nothing sold");

    // The SDK retries a throttled call by itself: one refusal goes unnoticed.
    faults.plan("GetItem", Fault::ProvisionedThroughputExceeded, 1);
    assert!(
        service::carts::get(&get_app, cart, service::now())
            .await
            .is_ok()
    );
    assert!(checkout().await.unwrap().created);
    assert_used(&faults);
}

#[tokio::test]
async fn the_sweep_skips_a_cart_another_transaction_holds() {
    let setup = trolley_tests::app().await;
    let cart = empty_cart(&setup).await;
    let idle = trolley::store::IdleCart {
        cart_id: cart.id,
        version: cart.version,
        expires_at: cart.expires_at.timestamp(),
    };
    let faults = Faults::default();
    let sweep = store_for("flag-abandoned-carts", &faults).await;
    faults.plan("UpdateItem", Fault::TransactionConflict, 1);
    assert_eq!(
        sweep
            .flag_abandoned(&idle, "token", service::now())
            .await
            .unwrap(),
        trolley::store::Saved::Conflict,
        "left for the next run"
    );
    assert_used(&faults);
}

#[tokio::test]
async fn a_throttled_sweep_stops_early_and_leaves_the_rest_to_the_next_run() {
    let faults = Faults::default();
    let sweep = app_for("flag-abandoned-carts", &faults).await;
    // Every shard's Query (they run side by side) refused on every attempt the SDK makes.
    let attempts = trolley::store::ACTIVITY_SHARDS * MAX_ATTEMPTS;
    faults.plan(
        "Query",
        Fault::ProvisionedThroughputExceeded,
        attempts as usize,
    );
    // 30 days idle: no cart of this test run qualifies, so nothing else is touched.
    let report = service::abandoned::sweep(
        &sweep,
        service::now(),
        Some(43_200),
        std::time::Instant::now() + std::time::Duration::from_secs(60),
    )
    .await
    .expect("a throttled sweep is not an error");
    assert_used(&faults);
    assert!(report.stopped_early, "{report:?}");
    assert!(report.dynamodb_operations["Query"] >= u64::from(trolley::store::ACTIVITY_SHARDS));
}
