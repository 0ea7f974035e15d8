//! Every size and count limit, at its edge: one under is accepted, one over is refused with
//! the field named; and the largest cart the size guard allows still has an order that fits
//! in one DynamoDB item and responses an idempotency record can keep.

use reqwest::Method;
use serde_json::{Value, json};
use trolley::domain::cart::{Cart, NewCart};
use trolley::domain::order::{CheckoutInput, Order};
use trolley::domain::settings::Settings;
use trolley::http::idempotency::MAX_KEPT_BODY;
use trolley::http::response;
use trolley::service::Priced;
use trolley::store::{DYNAMODB_ITEM_LIMIT, MAX_CART_BYTES, cart_bytes, order_bytes};
use trolley_tests::api::Api;

/// `n` characters of four bytes each: the most bytes a character count allows.
fn wide(n: usize) -> String {
    "😀".repeat(n)
}

#[tokio::test]
async fn string_lengths_are_accepted_at_their_limit_and_refused_one_over() {
    let api = Api::new();
    let attribute =
        |name: String, value: String| json!({ name: {"type": "string", "value": value} });
    let cases = [
        (
            "name",
            json!({"name": wide(255)}),
            json!({"name": wide(256)}),
        ),
        (
            "description",
            json!({"description": wide(1000)}),
            json!({"description": wide(1001)}),
        ),
        (
            "customer_id",
            json!({"customer_id": wide(255)}),
            json!({"customer_id": wide(256)}),
        ),
        (
            "contact.email",
            json!({"contact": {"email": format!("{}@example.com", "a".repeat(242))}}),
            json!({"contact": {"email": format!("{}@example.com", "a".repeat(243))}}),
        ),
        (
            "custom_attributes",
            json!({"custom_attributes": attribute("a".repeat(64), "v".into())}),
            json!({"custom_attributes": attribute("a".repeat(65), "v".into())}),
        ),
        (
            "custom_attributes.a.value",
            json!({"custom_attributes": attribute("a".into(), wide(255))}),
            json!({"custom_attributes": attribute("a".into(), wide(256))}),
        ),
        (
            "custom_items[0].sku",
            json!({"custom_items": [{"sku": wide(255), "name": "n", "quantity": 1, "price": 1}]}),
            json!({"custom_items": [{"sku": wide(256), "name": "n", "quantity": 1, "price": 1}]}),
        ),
        (
            "custom_items[0].quantity",
            json!({"custom_items": [{"sku": "s", "name": "n", "quantity": 10000, "price": 1}]}),
            json!({"custom_items": [{"sku": "s", "name": "n", "quantity": 10001, "price": 1}]}),
        ),
        (
            "custom_items[0].price",
            json!({"custom_items": [{"sku": "s", "name": "n", "quantity": 1, "price": 100_000_000_000i64}]}),
            json!({"custom_items": [{"sku": "s", "name": "n", "quantity": 1, "price": 100_000_000_001i64}]}),
        ),
    ];
    for (source, at_limit, over) in cases {
        api.post("/carts", at_limit).await.expect(201);
        let refused = api.post("/carts", over).await;
        assert_eq!(
            (refused.status, refused.code()),
            (400, "validation_failed"),
            "{source}: {:#}",
            refused.body
        );
        assert!(
            refused.source().starts_with(source),
            "{source}: {}",
            refused.source()
        );
    }
}

#[tokio::test]
async fn counts_are_accepted_at_their_limit_and_refused_one_over() {
    let api = Api::new();
    let items = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| json!({"sku": format!("s{i}"), "name": "n", "quantity": 1, "price": 1}))
            .collect()
    };
    let attributes = |n: usize| -> serde_json::Map<String, Value> {
        (0..n)
            .map(|i| (format!("a{i}"), json!({"type": "integer", "value": i})))
            .collect()
    };
    let full = api
        .new_cart(json!({"custom_items": items(100), "custom_attributes": attributes(20)}))
        .await;
    assert_eq!(full["custom_items"].as_array().unwrap().len(), 100);
    let path = format!("/carts/{}", full["id"].as_str().unwrap());
    api.post(&format!("{path}/items"), json!({"custom_items": items(1)}))
        .await
        .expect_error(422, "cart_item_limit", Some("custom_items[0]"));
    api.post("/carts", json!({"custom_items": items(101)}))
        .await
        .expect_error(400, "validation_failed", Some("custom_items"));
    api.put(&path, json!({"custom_attributes": attributes(21)}))
        .await
        .expect_error(400, "validation_failed", Some("custom_attributes"));
}

#[tokio::test]
async fn a_body_of_256_kib_is_read_and_one_byte_more_is_refused() {
    let api = Api::new();
    // Valid JSON padded with white space to an exact length.
    let body = |length: usize| {
        let start = r#"{"name": "padded""#;
        format!("{start}{}}}", " ".repeat(length - start.len() - 1))
    };
    assert_eq!(body(256 * 1024).len(), 262_144);
    api.send_raw(Method::POST, "/carts", "application/json", body(256 * 1024))
        .await
        .expect(201);
    api.send_raw(
        Method::POST,
        "/carts",
        "application/json",
        body(256 * 1024 + 1),
    )
    .await
    .expect_error(413, "payload_too_large", None);
}

#[tokio::test]
async fn a_cart_cannot_grow_past_its_size_limit_and_the_refusal_changes_nothing() {
    let api = Api::new();
    let cart = api.new_cart(json!({})).await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    // Ten items of about 6 KB each per request (well under the 256 KiB body limit).
    let batch = |round: usize| -> Value {
        let items: Vec<Value> = (0..10)
            .map(|i| json!({"sku": format!("{round}-{i}"), "name": wide(255), "description": wide(1000), "quantity": 1, "price": 1}))
            .collect();
        json!({"custom_items": items})
    };
    let mut refused = None;
    for round in 0..10 {
        let reply = api.post(&format!("{path}/items"), batch(round)).await;
        if reply.status != 201 {
            refused = Some(reply);
            break;
        }
    }
    let refused = refused.expect("the cart hit its size limit before 100 items");
    assert_eq!(
        (refused.status, refused.code()),
        (422, "cart_too_large"),
        "{:#}",
        refused.body
    );
    let before = api.get(&path).await.data().clone();
    api.post(&format!("{path}/items"), batch(99))
        .await
        .expect_error(422, "cart_too_large", None);
    assert_eq!(api.get(&path).await.data(), &before, "nothing was written");
}

/// Grows a cart as far as the size guard allows: `item` is added until there are 100 items,
/// then the widest custom discounts until every place holds five.
fn largest_cart(item: Value) -> Cart {
    let now = trolley::service::now();
    let mut cart = Cart::new(&NewCart::default(), &Settings::default(), now).unwrap();
    cart.discount_settings.custom_discounts_enabled = true;
    cart.name = Some(wide(255));
    cart.description = Some(wide(1000));
    loop {
        let mut bigger = cart.clone();
        let grew = if bigger.item_count() < 100 {
            let mut item = item.clone();
            item["sku"] = json!(format!(
                "{}{}",
                bigger.item_count(),
                item["sku"].as_str().unwrap()
            ));
            bigger
                .add_items(
                    &[],
                    &[trolley::http::bodies::from_value(item).unwrap()],
                    &Default::default(),
                    true,
                )
                .is_ok()
        } else {
            let place = bigger
                .custom_items
                .iter()
                .map(|i| Some(i.id))
                .chain([None])
                .find(|id| {
                    bigger
                        .custom_discounts
                        .iter()
                        .filter(|d| d.item_id == *id)
                        .count()
                        < 5
                });
            let discount = |id| json!({"amount": 1, "description": wide(255), "discount_code": wide(64), "item_id": id});
            place.is_some_and(|id| {
                bigger
                    .add_custom_discount(&trolley::http::bodies::from_value(discount(id)).unwrap())
                    .is_ok()
            })
        };
        if !grew || cart_bytes(&bigger).unwrap() > MAX_CART_BYTES {
            return cart;
        }
        cart = bigger;
    }
}

#[test]
fn the_largest_carts_allowed_still_have_orders_and_responses_that_fit() {
    let now = trolley::service::now();
    let widest = json!({"sku": wide(250), "name": wide(255), "description": wide(1000), "quantity": 10000, "price": 100_000_000_000i64});
    let smallest = json!({"sku": "s", "name": "n", "quantity": 10000, "price": 100_000_000_000i64});
    for (shape, item) in [
        ("widest items", widest),
        ("small items, wide discounts", smallest),
    ] {
        let cart = largest_cart(item);
        let stored = cart_bytes(&cart).unwrap();
        assert!(
            stored > MAX_CART_BYTES - 8 * 1024,
            "{shape}: grown to the limit ({stored})"
        );
        let totals = cart.price(&[], now).unwrap();
        let order = Order::from_cart(&cart, totals.clone(), CheckoutInput::default(), now).unwrap();
        let order_stored = order_bytes(&order).unwrap();
        let cart_json = response::cart(reqwest::StatusCode::OK, &Priced { cart, totals }, &[])
            .into_body()
            .len();
        let order_json = response::order(reqwest::StatusCode::CREATED, &order)
            .into_body()
            .len();
        println!(
            "{shape}: cart {} KB stored ({} items, {} custom discounts), its order {} KB stored; JSON: cart {} KB, order {} KB",
            stored / 1024,
            order.line_items.len() + order.custom_items.len(),
            order.custom_discounts.len(),
            order_stored / 1024,
            cart_json / 1024,
            order_json / 1024
        );
        assert!(
            order_stored <= DYNAMODB_ITEM_LIMIT,
            "{shape}: the order fits one item"
        );
        assert!(
            cart_json <= MAX_KEPT_BODY && order_json <= MAX_KEPT_BODY,
            "{shape}: responses can be kept"
        );
    }
}

/// A cart never holds more catalog products than one checkout transaction can take stock of
/// (100 actions: the order, the cart and a promotion-use count beside one stock update per
/// product): the add that would pass that is refused, and the fullest cart checks out.
#[tokio::test]
async fn the_fullest_cart_checks_out_and_one_more_product_is_refused() {
    use trolley::domain::items::MAX_PRODUCTS;
    let api = Api::new();
    let mut products = Vec::new();
    for _ in 0..=MAX_PRODUCTS {
        products.push(api.new_stocked_product(3).await);
    }
    let code = format!("FULL{}", uuid::Uuid::new_v4().simple()).to_uppercase();
    api.put_promotion(
        &format!("full-{}", uuid::Uuid::new_v4().simple()),
        json!({"kind": "amount_off", "value": 1, "code": code, "max_uses_per_shopper": 1}),
    )
    .await
    .expect(201);
    let items: Vec<Value> = products[..MAX_PRODUCTS]
        .iter()
        .map(|p| json!({"product_id": p, "quantity": 1}))
        .collect();
    let cart = api
        .new_cart(json!({"line_items": items, "contact": {"email": "full@example.com"}}))
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    api.post(
        &format!("{path}/items"),
        json!({"line_items": [{"product_id": products[MAX_PRODUCTS], "quantity": 1}]}),
    )
    .await
    .expect_error(422, "cart_product_limit", Some("line_items[0].product_id"));
    // More of a product the cart holds is fine.
    api.post(
        &format!("{path}/items"),
        json!({"line_items": [{"product_id": products[0], "quantity": 1}]}),
    )
    .await
    .expect(201);
    api.post(&format!("{path}/promotions"), json!({"code": code}))
        .await
        .expect(201);
    let order = api
        .post(&format!("{path}/checkout"), json!({}))
        .await
        .expect(201);
    assert_eq!(
        order.data()["line_items"].as_array().unwrap().len(),
        MAX_PRODUCTS
    );
}

/// An id in a path longer than any id (and than DynamoDB's 2 KB partition key) names
/// nothing: 404, never a 500 from DynamoDB refusing the key.
#[tokio::test]
async fn path_ids_past_any_key_limit_are_not_found() {
    let api = Api::new();
    let long = "A".repeat(3000);
    for path in [
        format!("/carts/{long}"),
        format!("/orders/{long}"),
        format!("/products/{long}"),
        format!("/promotions/{long}"),
        format!("/customers/{long}/carts"),
        format!("/redirect-tokens/{long}"),
        format!("/abandoned-carts/{long}"),
    ] {
        api.get(&path).await.expect_error(404, "not_found", None);
    }
}
