//! Preview carts (a future `snapshot_date`) and inventory.

use serde_json::json;
use trolley_tests::api::Api;

#[tokio::test]
async fn a_snapshot_date_is_future_only_and_cannot_be_taken_back() {
    let api = Api::new();
    api.post("/carts", json!({"snapshot_date": "2020-01-01T00:00:00Z"}))
        .await
        .expect_error(400, "preview_cart", Some("snapshot_date"));
    let cart = api
        .new_cart(json!({"snapshot_date": "2099-12-24T00:00:00Z"}))
        .await;
    assert_eq!(cart["snapshot_date"], "2099-12-24T00:00:00.000Z");
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    api.put(&path, json!({"snapshot_date": null}))
        .await
        .expect_error(400, "preview_cart", Some("snapshot_date"));
    api.put(&path, json!({"snapshot_date": "2021-01-01T00:00:00Z"}))
        .await
        .expect_error(400, "preview_cart", Some("snapshot_date"));
    let moved = api
        .put(&path, json!({"snapshot_date": "2099-06-01T00:00:00Z"}))
        .await
        .expect(200);
    assert_eq!(moved.data()["snapshot_date"], "2099-06-01T00:00:00.000Z");
    api.put(&path, json!({"snapshot_date": "soon"}))
        .await
        .expect_error(400, "validation_failed", Some("snapshot_date"));
}

#[tokio::test]
async fn a_preview_cart_is_priced_with_the_promotions_of_its_date() {
    let api = Api::new();
    let product = api.new_product().await;
    let id = format!("xmas-{}", uuid::Uuid::new_v4().simple());
    api.put_promotion(&id, json!({"kind": "percent_off", "value": 50, "applies_to": {"product_id": product},
                                  "starts_at": "2099-12-24T00:00:00Z", "ends_at": "2099-12-27T00:00:00Z"}))
        .await
        .expect(201);
    let items = json!([{"product_id": product, "quantity": 2}]);
    let today = api.new_cart(json!({"line_items": items})).await;
    assert_eq!(today["totals"]["discount"]["amount"], 0);
    let christmas = api
        .new_cart(json!({"snapshot_date": "2099-12-25T09:00:00Z", "line_items": items}))
        .await;
    assert_eq!(christmas["totals"]["discount"]["amount"], 1999);
    let after = api
        .new_cart(json!({"snapshot_date": "2099-12-28T00:00:00Z", "line_items": items}))
        .await;
    assert_eq!(after["totals"]["discount"]["amount"], 0);
}

#[tokio::test]
async fn tracked_stock_limits_what_a_cart_may_hold() {
    let api = Api::new();
    let product = api.new_stocked_product(3).await;
    let cart = api
        .new_cart(json!({"line_items": [{"product_id": product, "quantity": 2}]}))
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    let item = cart["line_items"][0]["id"].as_str().unwrap().to_string();

    let refused = api
        .post(
            &format!("{path}/items"),
            json!({"line_items": [{"product_id": product, "quantity": 2}]}),
        )
        .await
        .expect_error(422, "insufficient_stock", Some("line_items[0].quantity"));
    assert!(
        refused.body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("LTD"),
        "names the item"
    );
    api.put(&format!("{path}/items/{item}"), json!({"quantity": 4}))
        .await
        .expect_error(422, "insufficient_stock", Some("quantity"));
    api.put(&format!("{path}/items/{item}"), json!({"quantity": 3}))
        .await
        .expect(200);
    api.post(
        "/carts",
        json!({"line_items": [{"product_id": product, "quantity": 4}]}),
    )
    .await
    .expect_error(422, "insufficient_stock", Some("line_items[0].quantity"));
    // Stock is not reserved: another cart may hold the same units.
    api.new_cart(json!({"line_items": [{"product_id": product, "quantity": 3}]}))
        .await;
}

#[tokio::test]
async fn preview_carts_skip_the_stock_check() {
    let api = Api::new();
    let product = api.new_stocked_product(1).await;
    let cart = api
        .new_cart(json!({"snapshot_date": "2099-01-01T00:00:00Z", "line_items": [{"product_id": product, "quantity": 50}]}))
        .await;
    let item = cart["line_items"][0]["id"].as_str().unwrap();
    api.put(
        &format!("/carts/{}/items/{item}", cart["id"].as_str().unwrap()),
        json!({"quantity": 99}),
    )
    .await
    .expect(200);
}
