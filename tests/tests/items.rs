//! Items end to end: catalog and custom items, merging, quantities, removal, clearing, and
//! the 422s that leave a cart untouched.

use reqwest::Method;
use serde_json::{Value, json};
use trolley_tests::api::Api;

fn custom(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"sku": format!("C-{i}"), "name": "Card", "quantity": 1, "price": 100}))
        .collect()
}

/// An add-items body for one unit of `product`.
fn one(product: &str) -> Value {
    json!({"line_items": [{"product_id": product, "quantity": 1}]})
}

async fn cart_path(api: &Api, body: Value) -> String {
    format!(
        "/carts/{}",
        api.new_cart(body).await["id"].as_str().unwrap()
    )
}

#[tokio::test]
async fn catalog_items_take_name_sku_and_price_from_the_catalog_and_merge() {
    let api = Api::new();
    let product = api.new_product().await;
    let path = cart_path(&api, json!({})).await;

    let reply = api
        .post(
            &format!("{path}/items"),
            json!({"line_items": [{"product_id": product, "quantity": 2}]}),
        )
        .await
        .expect(201);
    assert_eq!(reply.header("etag"), Some("\"2\""));
    let item = &reply.data()["line_items"][0];
    assert_eq!(item["type"], "product");
    assert_eq!(
        (item["product_id"].as_str(), &item["variant_id"]),
        (Some(product.as_str()), &Value::Null)
    );
    assert_eq!(
        (item["sku"].as_str(), item["name"].as_str()),
        (Some("W-1"), Some("Widget"))
    );
    assert_eq!(
        item["list_price"],
        json!({"amount": 1999, "currency": "USD", "formatted": "$19.99"})
    );
    assert_eq!(item["extended_price"]["amount"], 3998);

    // The same product again adds to the item; its variant is an item of its own.
    let reply = api
        .post(
            &format!("{path}/items"),
            json!({"line_items": [{"product_id": product, "quantity": 1},
                                  {"product_id": product, "variant_id": "red", "quantity": 1}]}),
        )
        .await
        .expect(201);
    let items = reply.data()["line_items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (items[0]["quantity"].as_u64(), items[1]["sku"].as_str()),
        (Some(3), Some("W-1-RED"))
    );
    assert_eq!(
        reply.data()["totals"]["subtotal"]["amount"],
        3 * 1999 + 2099
    );
}

#[tokio::test]
async fn custom_items_keep_the_price_given() {
    let api = Api::new();
    let path = cart_path(&api, json!({})).await;
    let reply = api
        .post(
            &format!("{path}/items"),
            json!({"custom_items": [{"sku": "ENGRAVE", "name": "Engraving", "description": "initials",
                                     "quantity": 2, "price": 1250}]}),
        )
        .await
        .expect(201);
    let item = &reply.data()["custom_items"][0];
    assert_eq!(
        (item["type"].as_str(), item["description"].as_str()),
        (Some("custom"), Some("initials"))
    );
    assert_eq!(item["extended_price"]["formatted"], "$25.00");
}

#[tokio::test]
async fn quantities_change_and_zero_removes() {
    let api = Api::new();
    let path = cart_path(&api, json!({"custom_items": custom(2)})).await;
    let cart = api.get(&path).await.data().clone();
    let (first, second) = (
        cart["custom_items"][0]["id"].as_str().unwrap(),
        cart["custom_items"][1]["id"].as_str().unwrap(),
    );

    let reply = api
        .put(&format!("{path}/items/{first}"), json!({"quantity": 7}))
        .await
        .expect(200);
    assert_eq!(reply.data()["custom_items"][0]["quantity"], 7);
    assert_eq!(reply.data()["totals"]["item_count"], 8);

    let reply = api
        .put(&format!("{path}/items/{first}"), json!({"quantity": 0}))
        .await
        .expect(200);
    assert_eq!(reply.data()["custom_items"].as_array().unwrap().len(), 1);
    assert_eq!(reply.data()["custom_items"][0]["id"], second);

    api.put(
        &format!("{path}/items/{second}"),
        json!({"quantity": 10001}),
    )
    .await
    .expect_error(400, "validation_failed", Some("quantity"));
    api.put(&format!("{path}/items/{second}"), json!({"quantity": -1}))
        .await
        .expect_error(400, "validation_failed", Some("quantity"));
    api.put(&format!("{path}/items/{first}"), json!({"quantity": 1}))
        .await
        .expect_error(404, "not_found", None);
    api.put(&format!("{path}/items/not-a-uuid"), json!({"quantity": 1}))
        .await
        .expect_error(404, "not_found", None);
}

#[tokio::test]
async fn removing_and_clearing_items() {
    let api = Api::new();
    let path = cart_path(
        &api,
        json!({"customer_id": "c-9", "custom_attributes": {"a": {"type": "integer", "value": 1}},
               "custom_items": custom(3)}),
    )
    .await;
    let cart = api.get(&path).await.data().clone();
    let item = cart["custom_items"][1]["id"].as_str().unwrap();

    let reply = api
        .delete(&format!("{path}/items/{item}"))
        .await
        .expect(200);
    assert_eq!(reply.data()["custom_items"].as_array().unwrap().len(), 2);
    api.delete(&format!("{path}/items/{item}"))
        .await
        .expect_error(404, "not_found", None);

    let stale = api
        .send(
            Method::DELETE,
            &format!("{path}/items"),
            &[("if-match", "\"1\"")],
            None,
        )
        .await;
    stale.expect_error(412, "version_mismatch", Some("If-Match"));

    let cleared = api.delete(&format!("{path}/items")).await.expect(200);
    let cleared = cleared.data();
    assert_eq!(
        (
            cleared["custom_items"].as_array().unwrap().len(),
            cleared["totals"]["item_count"].as_u64()
        ),
        (0, Some(0))
    );
    assert_eq!(
        (cleared["id"].as_str(), cleared["customer_id"].as_str()),
        (cart["id"].as_str(), Some("c-9"))
    );
    assert_eq!(cleared["custom_attributes"], cart["custom_attributes"]);
}

#[tokio::test]
async fn a_refused_add_leaves_the_cart_and_its_version_unchanged() {
    let api = Api::new();
    let product = api.new_product().await;
    let path = cart_path(
        &api,
        json!({"line_items": [{"product_id": product, "quantity": 1}]}),
    )
    .await;
    let before = api.get(&path).await.data().clone();

    let reply = api
        .post(
            &format!("{path}/items"),
            json!({"line_items": [{"product_id": product, "quantity": 1},
                                  {"product_id": "no-such-product", "quantity": 1},
                                  {"product_id": product, "variant_id": "blue", "quantity": 1}]}),
        )
        .await
        .expect_error(422, "product_not_found", Some("line_items[1].product_id"));
    assert_eq!(
        reply.body["errors"][1]["source"],
        "line_items[2].variant_id"
    );

    api.post(
        &format!("{path}/items"),
        json!({"line_items": [{"product_id": product, "quantity": 0}]}),
    )
    .await
    .expect_error(400, "validation_failed", Some("line_items[0].quantity"));

    let after = api.get(&path).await;
    assert_eq!(
        after.data(),
        &before,
        "nothing changed, not even the version"
    );
}

#[tokio::test]
async fn partial_adds_report_what_was_left_out() {
    let api = Api::new();
    let product = api.new_product().await;
    let path = cart_path(&api, json!({})).await;
    let reply = api
        .post(
            &format!("{path}/items"),
            json!({"add_all_or_nothing": false,
                   "line_items": [{"product_id": "gone", "quantity": 1}, {"product_id": product, "quantity": 1}]}),
        )
        .await
        .expect(201);
    assert_eq!(reply.data()["line_items"].as_array().unwrap().len(), 1);
    assert_eq!(reply.body["errors"][0]["code"], "product_not_found");
    assert_eq!(
        reply.body["errors"][0]["source"],
        "line_items[0].product_id"
    );
}

#[tokio::test]
async fn a_product_without_a_price_in_the_cart_currency_is_refused() {
    let api = Api::new();
    let product = api.new_product().await;
    let path = cart_path(&api, json!({"currency": {"code": "EUR"}})).await;
    api.post(&format!("{path}/items"), one(&product))
        .await
        .expect_error(422, "price_not_available", Some("line_items[0].product_id"));
}

#[tokio::test]
async fn a_cart_holds_at_most_one_hundred_items_and_ten_thousand_of_each() {
    let api = Api::new();
    let product = api.new_product().await;
    let path = cart_path(&api, json!({"custom_items": custom(100)})).await;
    api.post(&format!("{path}/items"), one(&product))
        .await
        .expect_error(422, "cart_item_limit", Some("line_items[0]"));
    api.post("/carts", json!({"custom_items": custom(101)}))
        .await
        .expect_error(400, "validation_failed", Some("custom_items"));

    let path = cart_path(
        &api,
        json!({"line_items": [{"product_id": product, "quantity": 10000}]}),
    )
    .await;
    api.post(&format!("{path}/items"), one(&product))
        .await
        .expect_error(422, "item_quantity_limit", Some("line_items[0].quantity"));
}

#[tokio::test]
async fn an_add_must_name_an_item() {
    let api = Api::new();
    let path = cart_path(&api, json!({})).await;
    api.post(&format!("{path}/items"), json!({}))
        .await
        .expect_error(400, "validation_failed", Some("line_items"));
}

/// Raising a quantity checks the product in its write when the line took the product as
/// it is; a product saved since (here with less stock) makes it read the product, so the
/// refusal is the one the catalog as it is now gives.
#[tokio::test]
async fn raising_a_quantity_checks_a_product_saved_since_as_it_is_now() {
    let api = Api::new();
    let id = format!("raise-{}", uuid::Uuid::new_v4().simple());
    let product = format!("/products/{id}");
    let stocked = |stock: u32| {
        json!({"name": "Raised", "sku": "RAISED", "stock": stock,
               "prices": [{"currency": "USD", "amount": 500}]})
    };
    api.put(&product, stocked(10)).await.expect(201);
    let cart = api
        .new_cart(json!({"line_items": [{"product_id": id, "quantity": 1}]}))
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    let item = format!(
        "{path}/items/{}",
        cart["line_items"][0]["id"].as_str().unwrap()
    );

    api.put(&product, stocked(3)).await.expect(200);
    api.put(&item, json!({"quantity": 4})).await.expect_error(
        422,
        "insufficient_stock",
        Some("quantity"),
    );
    let reply = api.put(&item, json!({"quantity": 3})).await.expect(200);
    assert_eq!(reply.data()["line_items"][0]["quantity"], 3);
}
