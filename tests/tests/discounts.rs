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

/// Elastic Path's custom discount body: a negative amount in minor units and the engine's
/// own names for it.
fn ep_discount(amount: i64, extra: Value) -> Value {
    let mut body = json!({"type": "custom_discount", "amount": amount, "description": "Loyalty",
                          "discount_code": "LOYAL", "discount_engine": "Engine", "external_id": "ext-1"});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

fn on_item(item: &str) -> Value {
    json!({"relationships": {"item": {"data": {"type": "custom_item", "id": item}}}})
}

/// `(discount, with_tax)` of a `/v2` cart, in minor units.
async fn ep_totals(api: &Api, path: &str) -> (i64, i64) {
    let shown = api.get(&format!("/v2{path}")).await.expect(200);
    let display = &shown.body["data"]["meta"]["display_price"];
    (
        display["discount"]["amount"].as_i64().unwrap(),
        display["with_tax"]["amount"].as_i64().unwrap(),
    )
}

/// Under `/v2` several custom discounts go on in one change, off the cart and off the item
/// each names, with Elastic Path's fields; the native cart shows the same discounts.
#[tokio::test]
async fn elastic_path_custom_discounts_go_on_in_bulk_off_the_cart_and_items() {
    let api = Api::new();
    let (path, item) = enabled_cart(&api).await; // 2500
    let body = json!({"data": [ep_discount(-300, json!({})), ep_discount(-200, on_item(&item))]});
    let added = api
        .post(&format!("/v2{path}/custom-discounts"), body)
        .await
        .expect(200);
    let data = added.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["type"], "custom_discount");
    assert_eq!(data[0]["amount"]["amount"], -300);
    assert_eq!(data[0]["amount"]["formatted"], "-$3.00");
    assert_eq!(
        (
            data[0]["discount_engine"].as_str(),
            data[0]["external_id"].as_str()
        ),
        (Some("Engine"), Some("ext-1"))
    );
    assert!(data[0].get("relationships").is_none(), "off the cart");
    assert_eq!(
        data[1]["relationships"]["item"]["data"][0]["id"],
        item.as_str()
    );
    assert_eq!(ep_totals(&api, &path).await, (-500, 2000));

    let native = api.get(&path).await.expect(200);
    let discounts = native.data()["custom_discounts"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(discounts.len(), 2);
    assert_eq!(discounts[1]["item_id"], item.as_str());
    assert_eq!(discounts[1]["external_id"], "ext-1");
    assert_eq!(discounts[1]["discount_engine"], "Engine");
}

/// A cart that does not accept custom discounts refuses every one: `422`, each naming its
/// place in the body; with `add_all_or_nothing` off, what can be added is.
#[tokio::test]
async fn elastic_path_bulk_discounts_refuse_what_they_cannot_add() {
    let api = Api::new();
    let cart = api
        .new_cart(
            json!({"custom_items": [{"sku": "A", "name": "A", "quantity": 1, "price": 1000}]}),
        )
        .await;
    let path = format!(
        "/v2/carts/{}/custom-discounts",
        cart["id"].as_str().unwrap()
    );
    let refused = api
        .post(&path, json!({"data": [ep_discount(-100, json!({}))]}))
        .await;
    assert_eq!(refused.status, 422, "{:#}", refused.body);
    assert_eq!(refused.body["errors"][0]["source"], "data[0]");
    assert_eq!(
        refused.body["errors"][0]["title"],
        "Custom discounts disabled"
    );

    let (path, item) = enabled_cart(&api).await;
    let missing = uuid::Uuid::new_v4().to_string();
    let body = |all: bool| {
        json!({"data": [ep_discount(-100, on_item(&item)), ep_discount(-100, on_item(&missing))],
               "options": {"add_all_or_nothing": all}})
    };
    let all = api
        .post(&format!("/v2{path}/custom-discounts"), body(true))
        .await;
    assert_eq!(all.status, 422, "{:#}", all.body);
    assert_eq!(ep_totals(&api, &path).await.0, 0, "all or nothing");
    let some = api
        .post(&format!("/v2{path}/custom-discounts"), body(false))
        .await
        .expect(200);
    assert_eq!(some.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(some.body["errors"][0]["source"], "data[1]");
    assert_eq!(ep_totals(&api, &path).await.0, -100);
}

/// One custom discount on one item (with or without the `data` wrapper), changed and removed
/// by the item's path; a cart-wide one is not found there. `DELETE …/custom-discounts`
/// removes them all.
#[tokio::test]
async fn elastic_path_item_discounts_change_and_go() {
    let api = Api::new();
    let (path, item) = enabled_cart(&api).await;
    let item_path = format!("/v2{path}/items/{item}/custom-discounts");
    let wrapped = api
        .post(&item_path, json!({"data": ep_discount(-100, json!({}))}))
        .await
        .expect(200);
    let id = wrapped.body["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        wrapped.body["data"]["relationships"]["item"]["data"][0]["id"],
        item.as_str()
    );
    api.post(&item_path, ep_discount(-50, json!({})))
        .await
        .expect(200);
    assert_eq!(ep_totals(&api, &path).await, (-150, 2350));

    let changed = api
        .put(
            &format!("{item_path}/{id}"),
            json!({"data": ep_discount(-400, json!({"description": "More"}))}),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["data"]["amount"]["amount"], -400);
    assert_eq!(changed.body["data"]["description"], "More");
    assert_eq!(ep_totals(&api, &path).await, (-450, 2050));

    let cart_wide = api
        .post(
            &format!("/v2{path}/custom-discounts"),
            json!({"data": [ep_discount(-10, json!({}))]}),
        )
        .await
        .expect(200);
    let cart_wide_id = cart_wide.body["data"][0]["id"].as_str().unwrap();
    let elsewhere = api.delete(&format!("{item_path}/{cart_wide_id}")).await;
    assert_eq!(elsewhere.status, 404, "not on this item");
    let moved = api
        .put(
            &format!("{item_path}/{cart_wide_id}"),
            json!({"data": ep_discount(-10, json!({}))}),
        )
        .await;
    assert_eq!(moved.status, 404, "not on this item");
    api.put(
        &format!("/v2{path}/custom-discounts/{cart_wide_id}"),
        json!({"data": ep_discount(-20, json!({}))}),
    )
    .await
    .expect(200);
    assert_eq!(ep_totals(&api, &path).await.0, -470);

    api.delete(&format!("{item_path}/{id}")).await.expect(204);
    assert_eq!(ep_totals(&api, &path).await.0, -70);
    api.delete(&format!("/v2{path}/custom-discounts"))
        .await
        .expect(204);
    assert_eq!(ep_totals(&api, &path).await, (0, 2500));
    let unknown = format!("/v2{path}/items/{}/custom-discounts", uuid::Uuid::new_v4());
    let gone = api.post(&unknown, ep_discount(-1, json!({}))).await;
    assert_eq!(gone.status, 404, "{:#}", gone.body);
}

/// Bad custom discount bodies are `400` naming the field, in Elastic Path's shape.
#[tokio::test]
async fn elastic_path_bad_discounts_name_the_field() {
    let api = Api::new();
    let (path, item) = enabled_cart(&api).await;
    let item_path = format!("/v2{path}/items/{item}/custom-discounts");
    let cases = [
        (json!({"data": ep_discount(100, json!({}))}), "data.amount"),
        (json!({"data": ep_discount(0, json!({}))}), "data.amount"),
        (
            json!({"data": ep_discount(-1, json!({"type": "discount"}))}),
            "data.type",
        ),
        (
            json!({"data": ep_discount(-1, json!({"discount_code": ""}))}),
            "data.discount_code",
        ),
        (
            json!({"data": ep_discount(-1, json!({"external_id": "a\u{1}"}))}),
            "data.external_id",
        ),
        (
            json!({"data": ep_discount(-1, on_item(&item))}),
            "data.relationships",
        ),
    ];
    for (body, source) in cases {
        let reply = api.post(&item_path, body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {:#}", reply.body);
        assert_eq!(reply.body["errors"][0]["source"], source, "{body}");
    }
    assert_eq!(ep_totals(&api, &path).await.0, 0, "nothing was added");
}
