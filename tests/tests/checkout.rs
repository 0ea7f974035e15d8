//! Checkout end to end: orders, stock, promotion limits, and a cancelled transaction
//! writing nothing.

use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::task::JoinSet;
use trolley_tests::api::Api;

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// A product whose variant `v` has `stock` units tracked.
async fn product_with_variant_stock(api: &Api, stock: u32) -> String {
    let id = unique("var");
    api.put(
        &format!("/products/{id}"),
        json!({"name": "Scarce", "sku": "SC", "prices": [{"currency": "USD", "amount": 500}],
               "variants": [{"id": "v", "sku": "SC-V", "stock": stock}]}),
    )
    .await
    .expect(201);
    id
}

async fn stock_of_variant(api: &Api, product: &str) -> Value {
    api.get(&format!("/products/{product}"))
        .await
        .expect(200)
        .data()["variants"][0]["stock"]
        .clone()
}

#[tokio::test]
async fn ten_concurrent_checkouts_of_five_in_stock_make_exactly_five_orders() {
    let api = Arc::new(Api::new());
    let product = product_with_variant_stock(&api, 5).await;
    let mut carts = Vec::new();
    for _ in 0..10 {
        let cart = api
            .new_cart(
                json!({"line_items": [{"product_id": product, "variant_id": "v", "quantity": 1}]}),
            )
            .await;
        carts.push(cart["id"].as_str().unwrap().to_string());
    }
    let mut checkouts = JoinSet::new();
    for cart in carts {
        let api = api.clone();
        checkouts.spawn(async move {
            api.post(&format!("/carts/{cart}/checkout"), json!({}))
                .await
        });
    }
    let replies = checkouts.join_all().await;
    let created: Vec<_> = replies.iter().filter(|r| r.status == 201).collect();
    let refused: Vec<_> = replies.iter().filter(|r| r.status == 422).collect();
    assert_eq!(
        (created.len(), refused.len()),
        (5, 5),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for reply in &refused {
        assert_eq!(reply.code(), "insufficient_stock");
        assert_eq!(reply.source(), "line_items[0]");
        assert!(
            reply.body["errors"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("SC-V"),
            "names the item"
        );
    }
    assert_eq!(stock_of_variant(&api, &product).await, 0);
}

#[tokio::test]
async fn an_order_copies_the_cart_and_the_cart_stays_usable() {
    let api = Api::new();
    let product = api.new_product().await;
    let code = unique("ord");
    api.put_promotion(&unique("p"), json!({"kind": "percent_off", "value": 10, "code": code, "applies_to": {"product_id": product}}))
        .await
        .expect(201);
    let cart = api
        .new_cart(json!({"customer_id": "c-order", "discount_settings": {"custom_discounts_enabled": true},
                         "custom_attributes": {"gift": {"type": "boolean", "value": true}},
                         "line_items": [{"product_id": product, "quantity": 2}],
                         "custom_items": [{"sku": "WRAP", "name": "Wrap", "quantity": 1, "price": 300}]}))
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    api.post(&format!("{path}/promotions"), json!({"code": code}))
        .await
        .expect(201);
    api.post(
        &format!("{path}/custom-discounts"),
        json!({"amount": 50, "description": "d", "discount_code": "X"}),
    )
    .await
    .expect(201);
    let before = api.get(&path).await.data().clone();

    let placed = api
        .post(&format!("{path}/checkout"), json!({}))
        .await
        .expect(201);
    let order = placed.data();
    let id = order["id"].as_str().unwrap();
    assert_eq!(
        placed.header("location"),
        Some(format!("/orders/{id}").as_str())
    );
    assert_eq!(order["cart_id"], before["id"]);
    assert_eq!(order["customer_id"], "c-order");
    for field in [
        "line_items",
        "custom_items",
        "custom_discounts",
        "promotions",
        "totals",
        "custom_attributes",
    ] {
        assert_eq!(order[field], before[field], "{field} copied");
    }
    assert_eq!(
        api.get(&format!("/orders/{id}")).await.expect(200).data(),
        order
    );

    let after = api.get(&path).await.expect(200);
    assert_eq!(after.data()["last_order_id"], id);
    assert_eq!(
        after.data()["line_items"],
        before["line_items"],
        "the cart keeps its items"
    );
    api.post(
        &format!("{path}/items"),
        json!({"line_items": [{"product_id": product, "quantity": 1}]}),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn empty_preview_and_unknown_carts_cannot_be_checked_out() {
    let api = Api::new();
    let empty = api.new_cart(json!({})).await;
    api.post(
        &format!("/carts/{}/checkout", empty["id"].as_str().unwrap()),
        json!({}),
    )
    .await
    .expect_error(422, "cart_empty", None);
    let preview = api
        .new_cart(json!({"snapshot_date": "2099-01-01T00:00:00Z",
                         "custom_items": [{"sku": "S", "name": "S", "quantity": 1, "price": 1}]}))
        .await;
    api.post(
        &format!("/carts/{}/checkout", preview["id"].as_str().unwrap()),
        json!({}),
    )
    .await
    .expect_error(400, "preview_cart", None);
    api.post(
        &format!("/carts/{}/checkout", uuid::Uuid::new_v4()),
        json!({}),
    )
    .await
    .expect_error(404, "not_found", None);
    api.get(&format!("/orders/{}", uuid::Uuid::new_v4()))
        .await
        .expect_error(404, "not_found", None);
}

#[tokio::test]
async fn a_promotion_limited_per_shopper_is_counted_and_a_refused_checkout_writes_nothing() {
    let api = Api::new();
    let product = product_with_variant_stock(&api, 10).await;
    let code = unique("once");
    api.put_promotion(&unique("once"), json!({"kind": "amount_off", "value": 100, "code": code,
                                              "applies_to": {"product_id": product}, "max_uses_per_shopper": 1}))
        .await
        .expect(201);
    let shopper_cart = |contact: Value| {
        let api = &api;
        let (product, code) = (product.clone(), code.clone());
        async move {
            let mut body =
                json!({"line_items": [{"product_id": product, "variant_id": "v", "quantity": 2}]});
            if !contact.is_null() {
                body["contact"] = contact;
            }
            let cart = api.new_cart(body).await;
            let path = format!("/carts/{}", cart["id"].as_str().unwrap());
            api.post(&format!("{path}/promotions"), json!({"code": code}))
                .await
                .expect(201);
            path
        }
    };

    // The e-mail is counted whatever its case.
    let first = shopper_cart(json!({"email": "ana@example.com"})).await;
    api.post(&format!("{first}/checkout"), json!({}))
        .await
        .expect(201);
    let second = shopper_cart(json!({"email": "ANA@example.com"})).await;
    let before = api.get(&second).await.data().clone();
    api.post(&format!("{second}/checkout"), json!({}))
        .await
        .expect_error(409, "promotion_limit_reached", None);
    assert_eq!(
        api.get(&second).await.data(),
        &before,
        "the cart is untouched"
    );
    assert_eq!(
        stock_of_variant(&api, &product).await,
        8,
        "only the first order took stock"
    );

    // Another shopper may still use it; someone anonymous must say who they are.
    let other = shopper_cart(json!({"email": "bo@example.com"})).await;
    api.post(&format!("{other}/checkout"), json!({}))
        .await
        .expect(201);
    let anonymous = shopper_cart(Value::Null).await;
    api.post(&format!("{anonymous}/checkout"), json!({}))
        .await
        .expect_error(422, "shopper_required", None);
    let named = api
        .post(
            &format!("{anonymous}/checkout"),
            json!({"contact": {"email": "cy@example.com"}}),
        )
        .await;
    assert_eq!(
        named.expect(201).data()["contact"]["email"],
        "cy@example.com"
    );
    assert_eq!(stock_of_variant(&api, &product).await, 4);
}

#[tokio::test]
async fn a_stale_if_match_and_a_bad_body_are_refused() {
    let api = Api::new();
    let cart = api
        .new_cart(json!({"custom_items": [{"sku": "S", "name": "S", "quantity": 1, "price": 1}]}))
        .await;
    let path = format!("/carts/{}/checkout", cart["id"].as_str().unwrap());
    api.send(
        Method::POST,
        &path,
        &[("if-match", "\"5\"")],
        Some(&json!({})),
    )
    .await
    .expect_error(412, "version_mismatch", Some("If-Match"));
    api.post(&path, json!({"contact": {"email": "nope"}}))
        .await
        .expect_error(400, "validation_failed", Some("contact.email"));
    api.post(&path, json!({"coupon": "X"})).await.expect_error(
        400,
        "validation_failed",
        Some("coupon"),
    );
    api.send(
        Method::POST,
        &path,
        &[("if-match", "\"1\"")],
        Some(&json!({})),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn checking_out_an_unchanged_cart_again_answers_the_same_order() {
    let api = Api::new();
    let product = api.new_stocked_product(5).await;
    let cart = api
        .new_cart(json!({"line_items": [{"product_id": product, "quantity": 2}]}))
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    let first = api
        .post(&format!("{path}/checkout"), json!({}))
        .await
        .expect(201);
    let again = api
        .post(&format!("{path}/checkout"), json!({}))
        .await
        .expect(200);
    assert_eq!(again.data(), first.data(), "the same order");
    assert_eq!(again.header("location"), first.header("location"));
    let stock = api.get(&format!("/products/{product}")).await;
    assert_eq!(stock.data()["stock"], 3, "stock taken once");

    // A change makes a new version, and checking that out is a new order.
    api.post(
        &format!("{path}/items"),
        json!({"line_items": [{"product_id": product, "quantity": 1}]}),
    )
    .await
    .expect(201);
    let second = api
        .post(&format!("{path}/checkout"), json!({}))
        .await
        .expect(201);
    assert_ne!(second.data()["id"], first.data()["id"]);
}

#[tokio::test]
async fn a_price_changed_since_adding_is_refused_once_and_the_cart_takes_it() {
    let api = Api::new();
    let product = api.new_product().await;
    let cart = api
        .new_cart(json!({"line_items": [{"product_id": product, "quantity": 2}]}))
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    api.put(
        &format!("/products/{product}"),
        json!({"name": "Widget", "sku": "W-1", "prices": [{"currency": "USD", "amount": 2499}]}),
    )
    .await
    .expect(200);

    let refused = api
        .post(&format!("{path}/checkout"), json!({}))
        .await
        .expect_error(409, "price_changed", Some("line_items[0]"));
    assert!(
        refused.body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("24.99"),
        "{:#}",
        refused.body
    );
    let repriced = api.get(&path).await.expect(200);
    assert_eq!(
        repriced.data()["line_items"][0]["list_price"]["amount"],
        2499
    );
    assert_eq!(
        repriced.data()["version"],
        cart["version"].as_u64().unwrap() + 1
    );
    let order = api
        .post(&format!("{path}/checkout"), json!({}))
        .await
        .expect(201);
    assert_eq!(order.data()["totals"]["total"]["amount"], 4998);
}

/// Checkout does not read the catalog when the cart's lines took the products as they are;
/// a product saved since (here: starting to track stock, and a variant moving) makes it
/// read the catalog, so stock is taken from where it is now, or refused.
#[tokio::test]
async fn a_product_saved_since_adding_is_checked_out_as_it_is_now() {
    let api = Api::new();
    let id = unique("later");
    let path = format!("/products/{id}");
    let untracked = json!({"name": "Later", "sku": "L", "prices": [{"currency": "USD", "amount": 500}],
                           "variants": [{"id": "v", "sku": "L-V"}]});
    api.put(&path, untracked).await.expect(201);
    let line = json!({"product_id": &id, "variant_id": "v", "quantity": 2});
    let cart = api.new_cart(json!({"line_items": [line]})).await;
    let second = api.new_cart(json!({"line_items": [line]})).await;

    // The variant now sits second, and its stock is tracked: 3 units.
    let tracked = json!({"name": "Later", "sku": "L", "prices": [{"currency": "USD", "amount": 500}],
                         "variants": [{"id": "w", "sku": "L-W", "stock": 9}, {"id": "v", "sku": "L-V", "stock": 3}]});
    api.put(&path, tracked).await.expect(200);
    let checkout = |cart: &Value| format!("/carts/{}/checkout", cart["id"].as_str().unwrap());
    api.post(&checkout(&cart), json!({})).await.expect(201);
    let product = api.get(&path).await.expect(200);
    assert_eq!(
        product.data()["variants"][1]["stock"],
        1,
        "taken from v, where it is now"
    );
    assert_eq!(product.data()["variants"][0]["stock"], 9, "w untouched");
    api.post(&checkout(&second), json!({})).await.expect_error(
        422,
        "insufficient_stock",
        Some("line_items[0]"),
    );
}
