//! Idempotency-Key on POST routes: replay, reuse with another body, and concurrent twins.

use serde_json::json;
use std::sync::Arc;
use tokio::task::JoinSet;
use trolley_tests::api::Api;

fn key() -> String {
    format!("key-{}", uuid::Uuid::new_v4())
}

#[tokio::test]
async fn a_retry_with_the_same_key_and_body_replays_the_first_response() {
    let api = Api::new();
    let key = key();
    let body = json!({"name": "Once"});
    let first = api
        .send(
            reqwest::Method::POST,
            "/carts",
            &[("idempotency-key", &key)],
            Some(&body),
        )
        .await
        .expect(201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = api
        .send(
            reqwest::Method::POST,
            "/carts",
            &[("idempotency-key", &key)],
            Some(&body),
        )
        .await
        .expect(201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body, "the same cart, not a second one");
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("etag"), first.header("etag"));

    // Refusals are replayed too: they would be refused again.
    let bad = json!({"name": ""});
    let key = self::key();
    let refused = api
        .send(
            reqwest::Method::POST,
            "/carts",
            &[("idempotency-key", &key)],
            Some(&bad),
        )
        .await;
    let refused = refused.expect_error(400, "validation_failed", Some("name"));
    let replayed = api
        .send(
            reqwest::Method::POST,
            "/carts",
            &[("idempotency-key", &key)],
            Some(&bad),
        )
        .await;
    assert_eq!(
        (replayed.status, replayed.body.clone()),
        (400, refused.body.clone())
    );
    assert_eq!(replayed.header("idempotent-replayed"), Some("true"));
}

#[tokio::test]
async fn the_same_key_with_another_request_is_refused() {
    let api = Api::new();
    let key = key();
    api.send(
        reqwest::Method::POST,
        "/carts",
        &[("idempotency-key", &key)],
        Some(&json!({"name": "A"})),
    )
    .await
    .expect(201);
    api.send(
        reqwest::Method::POST,
        "/carts",
        &[("idempotency-key", &key)],
        Some(&json!({"name": "B"})),
    )
    .await
    .expect_error(422, "idempotency_key_reused", Some("Idempotency-Key"));
    // A key is scoped to its route: the same key on another route is another key.
    let cart = api.new_cart(json!({})).await;
    let path = format!("/carts/{}/items", cart["id"].as_str().unwrap());
    let body = json!({"custom_items": [{"sku": "S", "name": "S", "quantity": 1, "price": 1}]});
    api.send(
        reqwest::Method::POST,
        &path,
        &[("idempotency-key", &key)],
        Some(&body),
    )
    .await
    .expect(201);
    // ...and on the same route, another cart is another request.
    let other = api.new_cart(json!({})).await;
    let other_path = format!("/carts/{}/items", other["id"].as_str().unwrap());
    api.send(
        reqwest::Method::POST,
        &other_path,
        &[("idempotency-key", &key)],
        Some(&body),
    )
    .await
    .expect_error(422, "idempotency_key_reused", Some("Idempotency-Key"));
}

#[tokio::test]
async fn keys_must_be_printable_and_short() {
    let api = Api::new();
    for bad in ["has space", &"k".repeat(256)] {
        api.send(
            reqwest::Method::POST,
            "/carts",
            &[("idempotency-key", bad)],
            Some(&json!({})),
        )
        .await
        .expect_error(400, "validation_failed", Some("Idempotency-Key"));
    }
}

#[tokio::test]
async fn concurrent_checkouts_with_one_key_make_one_order() {
    let api = Arc::new(Api::new());
    let product = api.new_stocked_product(10).await;
    let cart = api
        .new_cart(json!({"line_items": [{"product_id": product, "quantity": 1}]}))
        .await;
    let path = format!("/carts/{}/checkout", cart["id"].as_str().unwrap());
    let key = key();

    let mut twins = JoinSet::new();
    for _ in 0..4 {
        let (api, path, key) = (api.clone(), path.clone(), key.clone());
        twins.spawn(async move {
            api.send(
                reqwest::Method::POST,
                &path,
                &[("idempotency-key", &key)],
                Some(&json!({})),
            )
            .await
        });
    }
    let replies = twins.join_all().await;
    let orders: Vec<_> = replies
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| r.data()["id"].clone())
        .collect();
    assert!(!orders.is_empty());
    assert!(
        orders.iter().all(|id| *id == orders[0]),
        "every success is the one order: {orders:?}"
    );
    for reply in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(
            (reply.status, reply.code()),
            (409, "idempotency_in_progress"),
            "{:#}",
            reply.body
        );
    }
    let stock = api.get(&format!("/products/{product}")).await.data()["stock"].clone();
    assert_eq!(stock, 9, "stock was taken once");

    // Afterwards the key replays the order.
    let replay = api
        .send(
            reqwest::Method::POST,
            &path,
            &[("idempotency-key", &key)],
            Some(&json!({})),
        )
        .await;
    assert_eq!(
        (replay.status, replay.data()["id"].clone()),
        (201, orders[0].clone())
    );
}

/// Creates a cart through the Lambda runtime path as `claims`' shopper (or, without claims,
/// the local stack's trusted backend), with `key`; the response's status, body and replay
/// header.
fn create_as(claims: Option<&serde_json::Value>, key: &str) -> (u64, serde_json::Value, bool) {
    let event = trolley_tests::api_gateway_event(
        "POST /carts",
        "/carts",
        json!({}),
        json!({"idempotency-key": key}),
        Some(&json!({"name": "Mine"})),
        claims,
    );
    let response = trolley_tests::invoke("create-cart", &event).expect("create-cart answers");
    let body = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    let replayed = response["headers"]["idempotent-replayed"] == "true";
    (response["statusCode"].as_u64().unwrap(), body, replayed)
}

#[test]
fn a_key_is_scoped_to_its_caller_and_replays_only_to_them() {
    let key = key();
    let (ana, bo) = (
        json!({"sub": format!("auth0|ana-{key}")}),
        json!({"sub": format!("auth0|bo-{key}")}),
    );
    let (status, first, replayed) = create_as(Some(&ana), &key);
    assert_eq!((status, replayed), (201, false), "{first:#}");
    assert_eq!(first["data"]["customer_id"], ana["sub"]);

    // Another shopper, and the backend, with the same key and body: their own new carts.
    for other in [Some(&bo), None] {
        let (status, theirs, replayed) = create_as(other, &key);
        assert_eq!((status, replayed), (201, false), "{theirs:#}");
        assert_ne!(theirs["data"]["id"], first["data"]["id"]);
        assert_ne!(theirs["data"]["customer_id"], ana["sub"]);
    }
    // The first shopper retrying gets their own response back.
    let (status, again, replayed) = create_as(Some(&ana), &key);
    assert_eq!((status, replayed), (201, true));
    assert_eq!(again["data"]["id"], first["data"]["id"]);
}

/// Every POST route keeps an answer under its key and replays it, even a refusal: here, a
/// cart that does not exist (the same `404` again, marked replayed).
#[tokio::test]
async fn every_post_route_replays_under_its_key() {
    let api = Api::new();
    let missing = uuid::Uuid::new_v4().to_string();
    let posts: Vec<_> = trolley_tests::routes::template()
        .into_iter()
        .filter(|route| route.method == "POST")
        .collect();
    assert!(posts.len() >= 7, "{posts:?}");
    for route in posts {
        let path = route.path.replace("{cart_id}", &missing);
        let key = key();
        let body = json!({});
        let headers = [("idempotency-key", key.as_str())];
        let send = || api.send(reqwest::Method::POST, &path, &headers, Some(&body));
        let first = send().await;
        let again = send().await;
        assert_eq!(first.header("idempotent-replayed"), None, "{route}");
        assert_eq!(again.header("idempotent-replayed"), Some("true"), "{route}");
        assert_eq!(
            (again.status, &again.body),
            (first.status, &first.body),
            "{route}"
        );
    }
}

/// An answer the client is told to retry (`409` with `Retry-After`) is not kept: the key is
/// released and the retry runs again.
#[tokio::test]
async fn a_retryable_answer_releases_the_key() {
    let api = Api::new();
    let product = api.new_stocked_product(5).await;
    let cart = api
        .new_cart(json!({"line_items": [{"product_id": product, "quantity": 1}]}))
        .await;
    // The price moves after the item was added: checkout refuses once with `409
    // price_changed` and `Retry-After`, and the cart takes the new price.
    api.put(
        &format!("/products/{product}"),
        json!({"name": "Limited", "sku": "LTD", "prices": [{"currency": "USD", "amount": 1200}], "stock": 5}),
    )
    .await
    .expect(200);
    let path = format!("/carts/{}/checkout", cart["id"].as_str().unwrap());
    let first_key = key();
    let headers = [("idempotency-key", first_key.as_str())];
    let send = || api.send(reqwest::Method::POST, &path, &headers, None);
    let changed = send()
        .await
        .expect_error(409, "price_changed", Some("line_items[0]"));
    assert!(changed.header("retry-after").is_some());
    let placed = send().await.expect(201);
    assert_eq!(
        placed.header("idempotent-replayed"),
        None,
        "ran again, not replayed"
    );
    // A refusal a retry cannot change is kept: it replays.
    let empty = api.new_cart(json!({})).await;
    let path = format!("/carts/{}/checkout", empty["id"].as_str().unwrap());
    let second_key = key();
    let headers = [("idempotency-key", second_key.as_str())];
    let send = || api.send(reqwest::Method::POST, &path, &headers, None);
    send().await.expect_error(422, "cart_empty", None);
    let again = send().await.expect_error(422, "cart_empty", None);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
}
