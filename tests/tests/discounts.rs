//! Custom discounts end to end.

use serde_json::{Value, json};
use trolley_tests::api::Api;

fn discount(amount: i64, item: Option<&str>) -> Value {
    json!({"amount": amount, "description": "Loyalty", "discount_code": "LOYAL", "item_id": item})
}

async fn enabled_cart(api: &Api) -> (String, String) {
    let cart = api
        .new_cart(
            json!({"discount_settings": {"custom_discounts_enabled": true},
                         "custom_items": [{"sku": "A", "name": "A", "quantity": 2, "price": 1000},
                                          {"sku": "B", "name": "B", "quantity": 1, "price": 500}]}),
        )
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    (
        path,
        cart["custom_items"][0]["id"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn custom_discounts_need_to_be_enabled() {
    let api = Api::new();
    let cart = api.new_cart(json!({})).await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    api.post(&format!("{path}/custom-discounts"), discount(100, None))
        .await
        .expect_error(422, "custom_discounts_disabled", None);
    api.put(
        &path,
        json!({"discount_settings": {"custom_discounts_enabled": true}}),
    )
    .await
    .expect(200);
    api.post(&format!("{path}/custom-discounts"), discount(100, None))
        .await
        .expect(201);
}

#[tokio::test]
async fn discounts_come_off_their_item_or_the_cart_and_show_there() {
    let api = Api::new();
    let (path, item) = enabled_cart(&api).await;
    api.post(
        &format!("{path}/custom-discounts"),
        discount(300, Some(&item)),
    )
    .await
    .expect(201);
    let reply = api
        .post(&format!("{path}/custom-discounts"), discount(200, None))
        .await
        .expect(201);
    let cart = reply.data();
    assert_eq!(
        cart["custom_items"][0]["discounts"][0]["source"],
        "custom_discount"
    );
    assert_eq!(cart["custom_items"][0]["discounts"][0]["code"], "LOYAL");
    assert_eq!(cart["custom_items"][0]["total_price"]["amount"], 1700);
    assert_eq!(cart["totals"]["discounts"][0]["amount"]["amount"], 200);
    assert_eq!(
        (
            cart["totals"]["subtotal"]["amount"].as_i64(),
            cart["totals"]["total"]["amount"].as_i64()
        ),
        (Some(2500), Some(2000))
    );
    assert_eq!(cart["custom_discounts"].as_array().unwrap().len(), 2);

    let id = cart["custom_discounts"][0]["id"].as_str().unwrap();
    let removed = api
        .delete(&format!("{path}/custom-discounts/{id}"))
        .await
        .expect(200);
    assert_eq!(removed.data()["totals"]["total"]["amount"], 2300);
    api.delete(&format!("{path}/custom-discounts/{id}"))
        .await
        .expect_error(404, "not_found", None);
}

#[tokio::test]
async fn five_per_cart_five_per_item_and_never_below_zero() {
    let api = Api::new();
    let (path, item) = enabled_cart(&api).await;
    for _ in 0..5 {
        api.post(
            &format!("{path}/custom-discounts"),
            discount(1_000_000, None),
        )
        .await
        .expect(201);
        api.post(
            &format!("{path}/custom-discounts"),
            discount(1, Some(&item)),
        )
        .await
        .expect(201);
    }
    api.post(&format!("{path}/custom-discounts"), discount(1, None))
        .await
        .expect_error(422, "custom_discount_limit", None);
    api.post(
        &format!("{path}/custom-discounts"),
        discount(1, Some(&item)),
    )
    .await
    .expect_error(422, "custom_discount_limit", None);
    let cart = api.get(&path).await;
    assert_eq!(cart.data()["totals"]["total"]["amount"], 0);
    assert_eq!(cart.data()["totals"]["discount"]["amount"], 2500);
}

#[tokio::test]
async fn bad_discounts_are_refused() {
    let api = Api::new();
    let (path, _) = enabled_cart(&api).await;
    let missing = uuid::Uuid::new_v4().to_string();
    api.post(
        &format!("{path}/custom-discounts"),
        discount(1, Some(&missing)),
    )
    .await
    .expect_error(422, "item_not_found", Some("item_id"));
    for (body, source) in [
        (discount(0, None), "amount"),
        (discount(-5, None), "amount"),
        (
            json!({"amount": 1, "description": "", "discount_code": "X"}),
            "description",
        ),
        (json!({"amount": 1, "description": "d"}), "discount_code"),
        (
            json!({"amount": 1, "description": "d", "discount_code": "X", "item_id": "nope"}),
            "item_id",
        ),
    ] {
        api.post(&format!("{path}/custom-discounts"), body)
            .await
            .expect_error(400, "validation_failed", Some(source));
    }
}

#[tokio::test]
async fn turning_them_off_and_removing_items_removes_their_discounts() {
    let api = Api::new();
    let (path, item) = enabled_cart(&api).await;
    api.post(
        &format!("{path}/custom-discounts"),
        discount(100, Some(&item)),
    )
    .await
    .expect(201);
    api.post(&format!("{path}/custom-discounts"), discount(100, None))
        .await
        .expect(201);
    let cart = api
        .delete(&format!("{path}/items/{item}"))
        .await
        .expect(200);
    assert_eq!(cart.data()["custom_discounts"].as_array().unwrap().len(), 1);
    let cart = api
        .put(
            &path,
            json!({"discount_settings": {"custom_discounts_enabled": false}}),
        )
        .await
        .expect(200);
    assert_eq!(cart.data()["custom_discounts"], json!([]));
    assert_eq!(cart.data()["totals"]["discount"]["amount"], 0);
}
