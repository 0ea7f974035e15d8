//! BigCommerce's Carts v3 wire format under `/v3`, through `cargo lambda watch`: the guide's
//! first request sent verbatim, the same carts readable both ways, decimal money in
//! currencies with 0, 2 and 3 decimals, and every error in BigCommerce's shape.

use serde_json::{Value, json};
use trolley_tests::api::{Api, expect_bc_error};

/// A catalog product whose id and variant id are BigCommerce-style numbers.
async fn numbered_product(api: &Api, price: i64, currency: &str) -> (u64, u64) {
    let product = 100_000 + rand_id() % 900_000;
    let variant = product + 1;
    api.put(
        &format!("/products/{product}"),
        json!({"name": "Numbered", "sku": "NUM-1", "prices": [{"currency": currency, "amount": price}],
               "variants": [{"id": variant.to_string(), "sku": "NUM-1-V", "prices": [{"currency": currency, "amount": price + 100}]}]}),
    )
    .await
    .expect(201);
    (product, variant)
}

fn rand_id() -> u64 {
    uuid::Uuid::new_v4().as_u128() as u64
}

#[tokio::test]
async fn the_guides_first_request_creates_a_cart_in_bigcommerces_shape() {
    let api = Api::new();
    let (product, variant) = numbered_product(&api, 1999, "USD").await;
    // The guide's example, with this catalog's ids.
    let body = json!({"channel_id": 20266, "line_items": [{"quantity": 1, "product_id": product, "variant_id": variant}]});
    let reply = api.post("/v3/carts", body).await.expect(201);
    assert_eq!(reply.body["meta"], json!({}));
    let cart = reply.data();
    assert_eq!(cart["customer_id"], 0, "no customer: a guest");
    assert_eq!(cart["channel_id"], 20266);
    assert_eq!(cart["currency"]["code"], "USD");
    let item = &cart["line_items"]["physical_items"][0];
    assert_eq!(
        (item["product_id"].as_u64(), item["variant_id"].as_u64()),
        (Some(product), Some(variant))
    );
    assert_eq!(item["quantity"], 1);
    assert_eq!(item["list_price"], json!(20.99));
    assert_eq!(item["extended_list_price"], json!(20.99));
    assert_eq!(cart["base_amount"], json!(20.99));
    assert_eq!(cart["cart_amount"], json!(20.99));
    for kind in ["digital_items", "gift_certificates", "custom_items"] {
        assert_eq!(cart["line_items"][kind], json!([]), "{kind}");
    }
    assert!(cart["created_time"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn a_cart_made_through_v3_reads_natively_and_back() {
    let api = Api::new();
    let (product, _) = numbered_product(&api, 500, "USD").await;
    let made = api
        .post(
            "/v3/carts",
            json!({"customer_id": 42, "line_items": [{"quantity": 3, "product_id": product}], "locale": "en-US"}),
        )
        .await
        .expect(201);
    let id = made.data()["id"].as_str().unwrap().to_owned();
    let native = api.get(&format!("/carts/{id}")).await.expect(200);
    let native = native.data();
    assert_eq!(native["customer_id"].to_string(), "42");
    assert_eq!(native["line_items"][0]["quantity"], 3);
    assert_eq!(native["totals"]["total"]["amount"], 1500, "{native:#}");
    assert_eq!(native["locale"], "en-US");

    // And a cart made natively reads through /v3.
    let native_made = api
        .new_cart(json!({"line_items": [{"product_id": product.to_string(), "quantity": 2}]}))
        .await;
    let id = native_made["id"].as_str().unwrap();
    let read = api.get(&format!("/v3/carts/{id}")).await.expect(200);
    let cart = read.data();
    assert_eq!(
        cart["line_items"]["physical_items"][0]["product_id"].as_u64(),
        Some(product)
    );
    assert_eq!(cart["cart_amount"], json!(10));
    assert_eq!(cart["version"], native_made["version"]);
}

#[tokio::test]
async fn decimal_money_is_exact_in_currencies_with_0_2_and_3_decimals() {
    let api = Api::new();
    for (code, list_price, minor, back) in [
        ("USD", json!(12.5), 1250, json!("12.5")),
        ("USD", json!(0.1), 10, json!("0.1")),
        ("JPY", json!(1250), 1250, json!("1250")),
        ("KWD", json!(1.234), 1234, json!("1.234")),
    ] {
        let reply = api
            .post(
                "/v3/carts",
                json!({"currency": {"code": code}, "custom_items": [{"sku": "GIFT", "name": "Wrap", "quantity": 2, "list_price": list_price}]}),
            )
            .await
            .expect(201);
        let cart = reply.data();
        let item = &cart["line_items"]["custom_items"][0];
        assert_eq!(item["list_price"], back, "{code} {list_price}");
        assert_eq!(item["quantity"], "2");
        let native = api
            .get(&format!("/carts/{}", cart["id"].as_str().unwrap()))
            .await;
        assert_eq!(
            native.data()["custom_items"][0]["list_price"]["amount"],
            minor,
            "{code} {list_price}"
        );
    }
    // More decimals than the currency has is refused, naming the field.
    for (code, list_price) in [
        ("USD", json!(1.005)),
        ("JPY", json!(1.5)),
        ("KWD", json!(0.0001)),
    ] {
        let reply = api
            .post(
                "/v3/carts",
                json!({"currency": {"code": code}, "custom_items": [{"sku": "S", "name": "N", "quantity": 1, "list_price": list_price}]}),
            )
            .await;
        expect_bc_error(reply, 400, "custom_items[0].list_price");
    }
}

#[tokio::test]
async fn include_redirect_urls_adds_the_links() {
    let api = Api::new();
    let (product, _) = numbered_product(&api, 700, "USD").await;
    let reply = api
        .post(
            "/v3/carts?include=redirect_urls,promotions.banners",
            json!({"line_items": [{"quantity": 1, "product_id": product}]}),
        )
        .await
        .expect(201);
    let urls = &reply.data()["redirect_urls"];
    for key in ["cart_url", "checkout_url", "embedded_checkout_url"] {
        assert!(
            urls[key].as_str().is_some_and(|u| u.starts_with("http")),
            "{key}: {urls}"
        );
    }
    // Each link works once, as BigCommerce's do: the storefront resolves its token.
    let token = urls["cart_url"].as_str().unwrap().split("token=").nth(1);
    let resolve = format!("/redirect-tokens/{}", token.unwrap());
    api.get(&resolve).await.expect(200);
    api.get(&resolve).await.expect_error(404, "not_found", None);
    let reply = api.post("/v3/carts?include=everything", json!({})).await;
    expect_bc_error(reply, 400, "include");
}

#[tokio::test]
async fn deleting_through_v3_removes_the_cart() {
    let api = Api::new();
    let made = api.post("/v3/carts", json!({})).await.expect(201);
    let id = made.data()["id"].as_str().unwrap().to_owned();
    let gone = api.delete(&format!("/v3/carts/{id}")).await.expect(204);
    assert_eq!(gone.body, Value::Null);
    expect_bc_error(api.get(&format!("/v3/carts/{id}")).await, 404, "not_found");
    api.get(&format!("/carts/{id}"))
        .await
        .expect_error(404, "not_found", None);
}

#[tokio::test]
async fn every_error_has_bigcommerces_shape() {
    let api = Api::new();
    let missing = uuid::Uuid::new_v4();
    expect_bc_error(
        api.get(&format!("/v3/carts/{missing}")).await,
        404,
        "not_found",
    );
    expect_bc_error(api.get("/v3/carts/not-a-uuid").await, 404, "not_found");
    let reply = api
        .send_raw(
            reqwest::Method::POST,
            "/v3/carts",
            "application/json",
            "{not json",
        )
        .await;
    expect_bc_error(reply, 400, "malformed_json");
    let reply = api
        .send_raw(reqwest::Method::POST, "/v3/carts", "application/json", "")
        .await;
    expect_bc_error(reply, 400, "malformed_json");
    let reply = api
        .post(
            "/v3/carts",
            json!({"line_items": [{"quantity": 0, "product_id": 1}]}),
        )
        .await;
    expect_bc_error(reply, 400, "line_items[0].quantity");
    let reply = api.post("/v3/carts", json!({"surprise": true})).await;
    expect_bc_error(reply, 400, "surprise");
    let reply = api.post("/v3/carts", json!({"customer_id": -1})).await;
    expect_bc_error(reply, 400, "customer_id");
    let reply = api
        .post("/v3/carts", json!({"currency": {"code": "XYZ"}}))
        .await;
    expect_bc_error(reply, 400, "currency.code");
    let reply = api
        .post("/v3/carts", json!({"gift_certificates": [{"name": "G"}]}))
        .await;
    expect_bc_error(reply, 400, "gift_certificates[0].theme");
    // Fields BigCommerce has and Trolley does not support yet: refused, never dropped.
    let reply = api
        .post(
            "/v3/carts",
            json!({"line_items": [{"quantity": 1, "product_id": 1, "gift_wrapping": null}]}),
        )
        .await;
    expect_bc_error(reply, 400, "line_items[0].gift_wrapping");
    // Fields BigCommerce's schema never lets be null: refused, not taken as left out.
    for field in ["list_price", "option_selections"] {
        let mut item = json!({"quantity": 1, "product_id": 1});
        item[field] = Value::Null;
        let reply = api.post("/v3/carts", json!({"line_items": [item]})).await;
        expect_bc_error(reply, 400, &format!("line_items[0].{field}"));
    }
    // Stored data decides: an unknown product is 422.
    let reply = api
        .post(
            "/v3/carts",
            json!({"line_items": [{"quantity": 1, "product_id": 999_999_999_999_u64}]}),
        )
        .await;
    expect_bc_error(reply, 422, "line_items[0].product_id");
}

/// A new `/v3` cart holding `quantity` of `product`; its id and first item's id.
async fn v3_cart_with(api: &Api, product: u64, quantity: u32) -> (String, String) {
    let reply = api
        .post(
            "/v3/carts",
            json!({"line_items": [{"quantity": quantity, "product_id": product}]}),
        )
        .await
        .expect(201);
    let cart = reply.data();
    let item = cart["line_items"]["physical_items"][0]["id"]
        .as_str()
        .unwrap();
    (cart["id"].as_str().unwrap().to_owned(), item.to_owned())
}

#[tokio::test]
async fn items_are_added_changed_and_removed_with_versions_as_bigcommerce_does() {
    let api = Api::new();
    let (product, variant) = numbered_product(&api, 1000, "USD").await;
    let (cart, item) = v3_cart_with(&api, product, 1).await;
    let items = format!("/v3/carts/{cart}/items");
    // Add: a variant and a custom item priced in the cart's currency.
    let added = api
        .post(
            &items,
            json!({"line_items": [{"quantity": 2, "product_id": product, "variant_id": variant}],
                   "custom_items": [{"sku": "WRAP", "name": "Gift wrap", "quantity": 1, "list_price": 3.5}],
                   "version": 1}),
        )
        .await
        .expect(201);
    let data = added.data();
    assert_eq!(data["version"], 2);
    assert_eq!(
        data["line_items"]["physical_items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(data["line_items"]["custom_items"][0]["list_price"], "3.5");
    assert_eq!(data["cart_amount"], json!(35.5), "10 + 2 x 11 + 3.5");
    // A stale version is BigCommerce's 409, and changes nothing.
    let stale = api
        .post(
            &items,
            json!({"line_items": [{"quantity": 1, "product_id": product}], "version": 1}),
        )
        .await;
    expect_bc_error(stale, 409, "If-Match");
    // Change a quantity.
    let item_path = format!("{items}/{item}");
    let changed = api
        .put(
            &item_path,
            json!({"line_item": {"quantity": 4, "product_id": product}, "version": 2}),
        )
        .await
        .expect(200);
    let line = &changed.data()["line_items"]["physical_items"];
    assert!(
        line.as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == item.as_str() && i["quantity"] == 4),
        "{line:#}"
    );
    let stale = api
        .put(
            &item_path,
            json!({"line_item": {"quantity": 5}, "version": 2}),
        )
        .await;
    expect_bc_error(stale, 409, "If-Match");
    // Remove one item: the cart stays.
    let removed = api.delete(&item_path).await.expect(200);
    assert_eq!(
        removed.data()["line_items"]["physical_items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    expect_bc_error(api.delete(&item_path).await, 404, "not_found");
}

#[tokio::test]
async fn removing_the_last_item_deletes_the_cart() {
    let api = Api::new();
    let (product, _) = numbered_product(&api, 1000, "USD").await;
    let (cart, item) = v3_cart_with(&api, product, 1).await;
    let gone = api
        .delete(&format!("/v3/carts/{cart}/items/{item}"))
        .await
        .expect(204);
    assert_eq!(gone.body, Value::Null);
    expect_bc_error(
        api.get(&format!("/v3/carts/{cart}")).await,
        404,
        "not_found",
    );
    // The native API keeps an emptied cart, as its own contract says.
    let native = api
        .new_cart(json!({"line_items": [{"product_id": product, "quantity": 1}]}))
        .await;
    let (id, item) = (
        native["id"].as_str().unwrap(),
        native["line_items"][0]["id"].as_str().unwrap(),
    );
    api.delete(&format!("/carts/{id}/items/{item}"))
        .await
        .expect(200);
    api.get(&format!("/carts/{id}")).await.expect(200);
}

#[tokio::test]
async fn the_customer_changes_with_put_and_0_makes_a_guest() {
    let api = Api::new();
    let made = api.post("/v3/carts", json!({})).await.expect(201);
    let id = made.data()["id"].as_str().unwrap().to_owned();
    let path = format!("/v3/carts/{id}");
    let reply = api
        .put(&path, json!({"customer_id": 7, "version": 1}))
        .await
        .expect(201);
    assert_eq!(reply.data()["customer_id"], 7);
    let native = api.get(&format!("/carts/{id}")).await.expect(200);
    assert_eq!(native.data()["customer_id"].to_string(), "7");
    let reply = api.put(&path, json!({"customer_id": 0})).await.expect(201);
    assert_eq!(reply.data()["customer_id"], 0);
    let native = api.get(&format!("/carts/{id}")).await.expect(200);
    assert_eq!(native.data()["customer_id"], Value::Null, "a guest's cart");
    expect_bc_error(
        api.put(&path, json!({"customer_id": 1, "version": 1}))
            .await,
        409,
        "If-Match",
    );
    expect_bc_error(
        api.put(&path, json!({"email": "a@b.c"})).await,
        400,
        "email",
    );
}

#[tokio::test]
async fn redirect_urls_and_abandoned_carts_answer_in_bigcommerces_envelope() {
    let api = Api::new();
    let made = api.post("/v3/carts", json!({})).await.expect(201);
    let id = made.data()["id"].as_str().unwrap().to_owned();
    let urls = api
        .post(&format!("/v3/carts/{id}/redirect_urls"), json!({}))
        .await
        .expect(201);
    assert_eq!(urls.body["meta"], json!({}));
    for key in ["cart_url", "checkout_url", "embedded_checkout_url"] {
        assert!(
            urls.data()[key]
                .as_str()
                .is_some_and(|u| u.contains("token=")),
            "{key}"
        );
    }
    let reply = api
        .post(
            &format!("/v3/carts/{id}/redirect_urls"),
            json!({"query_params": {"a": "b"}}),
        )
        .await;
    expect_bc_error(reply, 400, "query_params");
    let missing = uuid::Uuid::new_v4();
    let reply = api
        .post(&format!("/v3/carts/{missing}/redirect_urls"), json!({}))
        .await;
    expect_bc_error(reply, 404, "not_found");

    let token = trolley_tests::fixtures::recovery_token().unwrap();
    let found = api
        .get(&format!("/v3/abandoned-carts/{token}"))
        .await
        .expect(200);
    assert_eq!(
        found.data()["cart_id"],
        trolley_tests::fixtures::ABANDONED_CART_ID
    );
    assert_eq!(found.body["meta"], json!({}));
    expect_bc_error(
        api.get("/v3/abandoned-carts/not-a-token").await,
        404,
        "not_found",
    );
}

/// `allow_purchasing`, the store's and a channel's, round-trips in BigCommerce's envelope,
/// and Trolley honours it: a channel that turns purchasing off refuses its carts' checkout
/// until its override is removed (`null`), while other carts check out as before.
#[tokio::test]
async fn cart_settings_are_served_per_store_and_per_channel_and_honoured_at_checkout() {
    let api = Api::new();
    let store = api.get("/v3/carts/settings").await.expect(200);
    assert!(
        store.data()["allow_purchasing"].is_boolean(),
        "{:#}",
        store.body
    );
    assert_eq!(store.body["meta"], json!({}));
    let put = api.put("/v3/carts/settings", json!({"allow_purchasing": true}));
    assert_eq!(put.await.expect(200).data()["allow_purchasing"], true);
    expect_bc_error(
        api.put("/v3/carts/settings", json!({})).await,
        400,
        "allow_purchasing",
    );

    let channel = rand_id() % 1_000_000_000;
    let path = format!("/v3/carts/settings/channels/{channel}");
    assert_eq!(
        api.get(&path).await.expect(200).data()["allow_purchasing"],
        Value::Null
    );
    let off = api
        .put(&path, json!({"allow_purchasing": false}))
        .await
        .expect(200);
    assert_eq!(off.data()["allow_purchasing"], false);
    assert_eq!(
        api.get(&path).await.expect(200).data()["allow_purchasing"],
        false
    );
    // A field left out leaves the override as it is.
    let same = api.put(&path, json!({})).await.expect(200);
    assert_eq!(same.data()["allow_purchasing"], false);

    let item = json!([{"sku": "S", "name": "S", "quantity": 1, "price": 500}]);
    let in_channel = api
        .new_cart(json!({"channel_id": channel, "custom_items": item.clone()}))
        .await;
    let elsewhere = api.new_cart(json!({"custom_items": item})).await;
    let checkout = |cart: &Value| format!("/carts/{}/checkout", cart["id"].as_str().unwrap());
    api.post(&checkout(&in_channel), json!({}))
        .await
        .expect_error(422, "purchasing_disabled", None);
    api.post(&checkout(&elsewhere), json!({})).await.expect(201);

    let cleared = api
        .put(&path, json!({"allow_purchasing": null}))
        .await
        .expect(200);
    assert_eq!(cleared.data()["allow_purchasing"], Value::Null);
    api.post(&checkout(&in_channel), json!({}))
        .await
        .expect(201);

    // BigCommerce bounds no channel id; one that is not an integer is refused.
    let negative = api.get("/v3/carts/settings/channels/-5").await.expect(200);
    assert_eq!(negative.data()["allow_purchasing"], Value::Null);
    let bad = api.get("/v3/carts/settings/channels/web").await;
    expect_bc_error(bad, 400, "channel_id");
}

/// BigCommerce's abandoned-cart settings: the store's eight fields (defaults until set,
/// fields left out stay, `null` refused) and a channel's overrides (every field, `null`
/// where it follows the store, and `null` to remove one), each value checked at its bounds.
#[tokio::test]
async fn abandoned_cart_settings_are_served_per_store_and_per_channel() {
    let api = Api::new();
    let all = json!({
        "enable_notification": true,
        "email_customer_until_cart_is_recovered": false,
        "marketing_emails_require_customer_consent": true,
        "email_merchant_when_cart_is_converted": false,
        "email_merchant_when_cart_is_abandoned": true,
        "merchant_email_address": "owner@example.com",
        "merchant_abandoned_cart_email_frequency_type": "digest",
        "merchant_abandoned_cart_digest_email_frequency": 1000,
    });
    let put = api.put("/v3/abandoned-carts/settings", all.clone()).await;
    assert_eq!(put.expect(200).body, json!({"data": all, "meta": {}}));
    // Only the named field changes.
    let one = json!({"merchant_abandoned_cart_digest_email_frequency": 2});
    let changed = api
        .put("/v3/abandoned-carts/settings", one)
        .await
        .expect(200);
    assert_eq!(
        changed.data()["merchant_abandoned_cart_digest_email_frequency"],
        2
    );
    assert_eq!(
        changed.data()["merchant_email_address"],
        "owner@example.com"
    );
    let read = api.get("/v3/abandoned-carts/settings").await.expect(200);
    assert_eq!(read.data(), changed.data());

    for (body, field) in [
        (json!({"enable_notification": null}), "enable_notification"),
        (json!({"enable_notification": "yes"}), "enable_notification"),
        (
            json!({"merchant_email_address": "owner"}),
            "merchant_email_address",
        ),
        (
            json!({"merchant_abandoned_cart_email_frequency_type": "weekly"}),
            "merchant_abandoned_cart_email_frequency_type",
        ),
        (
            json!({"merchant_abandoned_cart_digest_email_frequency": 1}),
            "merchant_abandoned_cart_digest_email_frequency",
        ),
        (
            json!({"merchant_abandoned_cart_digest_email_frequency": 1001}),
            "merchant_abandoned_cart_digest_email_frequency",
        ),
        (json!({"notify": true}), "notify"),
        (
            json!({"enabled": true, "enable_notification": true}),
            "enable_notification",
        ),
    ] {
        let reply = api.put("/v3/abandoned-carts/settings", body).await;
        expect_bc_error(reply, 400, field);
    }
    let after = api.get("/v3/abandoned-carts/settings").await.expect(200);
    assert_eq!(
        after.data(),
        changed.data(),
        "refused changes wrote nothing"
    );
    // The name BigCommerce's spec requires for `enable_notification`.
    let alias = api
        .put("/v3/abandoned-carts/settings", json!({"enabled": false}))
        .await;
    assert_eq!(alias.expect(200).data()["enable_notification"], false);
    let back = json!({"enable_notification": true});
    let changed = api
        .put("/v3/abandoned-carts/settings", back)
        .await
        .expect(200);

    let channel = rand_id() % 1_000_000_000;
    let path = format!("/v3/abandoned-carts/settings/channels/{channel}");
    let unset = api.get(&path).await.expect(200);
    let fields = all.as_object().unwrap().keys();
    let nulls: serde_json::Map<String, Value> = fields.map(|k| (k.clone(), Value::Null)).collect();
    assert_eq!(unset.data(), &Value::Object(nulls.clone()));
    let own = json!({"enable_notification": false, "merchant_abandoned_cart_email_frequency_type": "individual"});
    let set = api.put(&path, own).await.expect(200);
    assert_eq!(set.data()["enable_notification"], false);
    assert_eq!(
        set.data()["merchant_abandoned_cart_email_frequency_type"],
        "individual"
    );
    assert_eq!(set.data()["merchant_email_address"], Value::Null);
    assert_eq!(api.get(&path).await.expect(200).data(), set.data());
    let bad = json!({"merchant_abandoned_cart_digest_email_frequency": 0});
    expect_bc_error(
        api.put(&path, bad).await,
        400,
        "merchant_abandoned_cart_digest_email_frequency",
    );
    let clear =
        json!({"enable_notification": null, "merchant_abandoned_cart_email_frequency_type": null});
    let cleared = api.put(&path, clear).await.expect(200);
    assert_eq!(cleared.data(), &Value::Object(nulls));
    // The store's own settings are untouched by a channel's.
    let store = api.get("/v3/abandoned-carts/settings").await.expect(200);
    assert_eq!(store.data(), changed.data());
    expect_bc_error(
        api.get("/v3/abandoned-carts/settings/channels/web").await,
        400,
        "channel_id",
    );
}

/// Settings are changed read-modify-write; concurrent changes to different channels all
/// land (a write names the revision it read, and a lost race is redone).
#[tokio::test]
async fn concurrent_settings_changes_are_all_kept() {
    let api = std::sync::Arc::new(Api::new());
    let channels: Vec<u64> = (0..8).map(|_| rand_id() % 1_000_000_000).collect();
    let mut puts = tokio::task::JoinSet::new();
    for c in &channels {
        let (api, path) = (
            api.clone(),
            format!("/v3/abandoned-carts/settings/channels/{c}"),
        );
        puts.spawn(async move { api.put(&path, json!({"enable_notification": true})).await });
    }
    for reply in puts.join_all().await {
        reply.expect(200);
    }
    for c in &channels {
        let path = format!("/v3/abandoned-carts/settings/channels/{c}");
        let read = api.get(&path).await.expect(200);
        assert_eq!(read.data()["enable_notification"], true, "channel {c}");
        let cleared = api.put(&path, json!({"enable_notification": null})).await;
        assert_eq!(
            cleared.expect(200).data()["enable_notification"],
            Value::Null
        );
    }
}

/// A product's catalog `type` sorts its lines: `digital` ones into `digital_items` (no
/// shipping), the rest into `physical_items`; the type is the one the product had when the
/// line was last added.
#[tokio::test]
async fn digital_products_are_digital_items() {
    let api = Api::new();
    let (physical, _) = numbered_product(&api, 1000, "USD").await;
    let digital = 100_000 + rand_id() % 900_000;
    let ebook = json!({"name": "E-book", "sku": "EBOOK", "type": "digital",
                       "prices": [{"currency": "USD", "amount": 500}]});
    let put = api
        .put(&format!("/products/{digital}"), ebook.clone())
        .await;
    assert_eq!(put.expect(201).data()["type"], "digital");
    let read = api.get(&format!("/products/{physical}")).await.expect(200);
    assert_eq!(read.data()["type"], "physical", "the default");

    let body = json!({"line_items": [{"quantity": 1, "product_id": physical},
                                     {"quantity": 2, "product_id": digital}]});
    let cart = api.post("/v3/carts", body).await.expect(201);
    let items = &cart.data()["line_items"];
    let ids = |kind: &str| -> Vec<Value> {
        items[kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["product_id"].clone())
            .collect()
    };
    assert_eq!(ids("physical_items"), [json!(physical)]);
    assert_eq!(ids("digital_items"), [json!(digital)]);
    let line = &items["digital_items"][0];
    assert_eq!(
        (
            line["is_require_shipping"].as_bool(),
            line["extended_sale_price"].as_f64()
        ),
        (Some(false), Some(10.0))
    );
    assert_eq!(items["physical_items"][0]["is_require_shipping"], true);
    assert_eq!(cart.data()["cart_amount"], 20.0);

    // Bad types are refused, naming the field.
    let bad = json!({"name": "X", "sku": "X", "type": "service", "prices": [{"currency": "USD", "amount": 1}]});
    api.put(&format!("/products/{digital}"), bad)
        .await
        .expect_error(400, "validation_failed", Some("type"));
}

/// A line item's own `list_price` replaces the catalog's: it is what the line costs, a
/// product promotion passes it by (a cart-wide one would not), checkout keeps it instead of
/// answering `price_changed`, and it is converted exactly like any decimal price.
#[tokio::test]
async fn a_list_price_overrides_the_catalog_price() {
    let api = Api::new();
    let (product, _) = numbered_product(&api, 1000, "USD").await;
    let promotion = format!("half-{product}");
    let half = json!({"kind": "percent_off", "value": 50,
                      "applies_to": {"product_id": product.to_string()}});
    api.put_promotion(&promotion, half).await.expect(201);

    let line = |price: Option<f64>| {
        let mut line = json!({"quantity": 2, "product_id": product});
        if let Some(price) = price {
            line["list_price"] = json!(price);
        }
        json!({"currency": {"code": "USD"}, "line_items": [line]})
    };
    let catalog = api.post("/v3/carts", line(None)).await.expect(201);
    assert_eq!(
        catalog.data()["cart_amount"],
        10.0,
        "the promotion halves the catalog price"
    );
    let own = api.post("/v3/carts", line(Some(7.25))).await.expect(201);
    let item = &own.data()["line_items"]["physical_items"][0];
    assert_eq!(
        (
            item["list_price"].as_f64(),
            item["extended_list_price"].as_f64()
        ),
        (Some(7.25), Some(14.5))
    );
    assert_eq!(
        own.data()["cart_amount"],
        14.5,
        "no product promotion on an own price"
    );

    // Adding the item again without a price (as a shopper may) keeps the backend's price.
    let cart_id = own.data()["id"].as_str().unwrap();
    let again = json!({"line_items": [{"product_id": product.to_string(), "quantity": 1}]});
    let added = api.post(&format!("/carts/{cart_id}/items"), again).await;
    let kept = added.expect(201).data()["line_items"][0].clone();
    assert_eq!(
        (kept["quantity"].as_u64(), &kept["list_price"]["amount"]),
        (Some(3), &json!(725))
    );

    // A guest cart's line at the catalog price joins it on its terms when merged.
    let guest = api
        .new_cart(json!({"line_items": [{"product_id": product.to_string(), "quantity": 1}]}))
        .await;
    let merge = json!({"source_cart_id": guest["id"]});
    let merged = api.post(&format!("/carts/{cart_id}/merge"), merge).await;
    let joined = merged.expect(200).data()["line_items"][0].clone();
    assert_eq!(
        (joined["quantity"].as_u64(), &joined["list_price"]["amount"]),
        (Some(4), &json!(725))
    );

    // The catalog price moves; checkout keeps the line's own price.
    let raised = json!({"name": "Numbered", "sku": "NUM-1", "prices": [{"currency": "USD", "amount": 1500}]});
    api.put(&format!("/products/{product}"), raised)
        .await
        .expect(200);
    let order = api
        .post(&format!("/carts/{cart_id}/checkout"), json!({}))
        .await
        .expect(201);
    assert_eq!(order.data()["totals"]["total"]["amount"], 2900);
    api.delete(&format!("/promotions/{promotion}"))
        .await
        .expect(204);

    let precise = api.post("/v3/carts", line(Some(1.005))).await;
    expect_bc_error(precise, 400, "line_items[0].list_price");
}

/// Gift certificates as BigCommerce's own example sends them: kept with their sender,
/// recipient and message, sold at their amount (no discount reaches them), shown natively,
/// each one its own item, and copied to the order.
#[tokio::test]
async fn gift_certificates_are_sold_at_their_amount() {
    let api = Api::new();
    let (product, _) = numbered_product(&api, 1000, "USD").await;
    let gift = json!({"name": "Tobi Day", "theme": "Birthday", "amount": 10, "quantity": 1,
        "sender": {"name": "Brandi Tyler", "email": "Brandi.Tyler@mail.com"},
        "recipient": {"name": "Tobi Day", "email": "Tobi.Day@mail.com"},
        "message": "Happy Birthday"});
    let body = json!({"customer_id": 0, "line_items": [{"quantity": 1, "product_id": product}],
        "gift_certificates": [gift], "channel_id": 1, "currency": {"code": "USD"}, "locale": "en-US"});
    let created = api.post("/v3/carts", body).await.expect(201);
    let cart = created.data();
    let certificate = &cart["line_items"]["gift_certificates"][0];
    for (field, value) in [
        ("name", json!("Tobi Day")),
        ("theme", json!("Birthday")),
        ("quantity", json!(1)),
        ("taxable", json!(false)),
        ("message", json!("Happy Birthday")),
        (
            "sender",
            json!({"name": "Brandi Tyler", "email": "Brandi.Tyler@mail.com"}),
        ),
        (
            "recipient",
            json!({"name": "Tobi Day", "email": "Tobi.Day@mail.com"}),
        ),
    ] {
        assert_eq!(certificate[field], value, "{field}: {certificate:#}");
    }
    assert_eq!(certificate["amount"].as_f64(), Some(10.0));
    assert_eq!(cart["line_items"]["custom_items"], json!([]));
    assert_eq!(
        (cart["base_amount"].as_f64(), cart["cart_amount"].as_f64()),
        (Some(20.0), Some(20.0))
    );

    // A cart-wide 50% code takes half of the product only.
    let cart_id = cart["id"].as_str().unwrap().to_owned();
    let code = format!("HALF{}", rand_id() % 1_000_000);
    let promotion = format!("half-{code}");
    let half = json!({"kind": "percent_off", "value": 50, "code": code});
    api.put_promotion(&promotion, half).await.expect(201);
    let applied = api
        .post(
            &format!("/carts/{cart_id}/promotions"),
            json!({"code": code}),
        )
        .await
        .expect(201);
    assert_eq!(
        applied.data()["totals"]["total"]["amount"],
        1500,
        "{:#}",
        applied.body
    );
    let read = api.get(&format!("/v3/carts/{cart_id}")).await.expect(200);
    assert_eq!(read.data()["cart_amount"], 15.0);
    assert_eq!(
        read.data()["line_items"]["gift_certificates"][0]["amount"],
        10.0
    );

    // Natively: a custom item that says it is a gift certificate, with no discount on it.
    let native = api.get(&format!("/carts/{cart_id}")).await.expect(200);
    let item = &native.data()["custom_items"][0];
    assert_eq!(item["gift_certificate"]["theme"], "Birthday", "{item:#}");
    assert_eq!(item["discounts"], json!([]));
    assert_eq!(item["total_price"]["amount"], 1000);
    let gift_id = item["id"].as_str().unwrap().to_owned();
    let enable = json!({"discount_settings": {"custom_discounts_enabled": true}});
    api.put(&format!("/carts/{cart_id}"), enable)
        .await
        .expect(200);
    api.post(
        &format!("/carts/{cart_id}/custom-discounts"),
        json!({"amount": 100, "description": "d", "discount_code": "d", "item_id": gift_id}),
    )
    .await
    .expect_error(422, "item_not_discountable", Some("item_id"));

    // The quantity changes as any item's does; BigCommerce's certificate body is refused.
    let path = format!("/v3/carts/{cart_id}/items/{gift_id}");
    let changed = api
        .put(&path, json!({"line_item": {"quantity": 2}}))
        .await
        .expect(200);
    assert_eq!(
        changed.data()["line_items"]["gift_certificates"][0]["quantity"],
        2
    );
    let whole = json!({"line_item": {"quantity": 2}, "gift_certificate": gift});
    expect_bc_error(api.put(&path, whole).await, 400, "gift_certificate");

    // Two equal certificates added again stay two items; then the order has all three.
    let again = json!({"gift_certificates": [gift, gift]});
    let added = api
        .post(&format!("/v3/carts/{cart_id}/items"), again)
        .await
        .expect(201);
    assert_eq!(
        added.data()["line_items"]["gift_certificates"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(added.data()["cart_amount"], 45.0);
    let order = api
        .post(&format!("/carts/{cart_id}/checkout"), json!({}))
        .await
        .expect(201);
    let items = order.data()["custom_items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .all(|i| i["gift_certificate"]["recipient"]["name"] == "Tobi Day")
    );
    assert_eq!(order.data()["totals"]["total"]["amount"], 4500);
    api.delete(&format!("/promotions/{promotion}"))
        .await
        .expect(204);
}

/// An amount is 1 to 1000 in the cart's currency, with at most its decimals.
#[tokio::test]
async fn a_gift_certificate_amount_is_checked_in_the_carts_currency() {
    let api = Api::new();
    let gift = |amount: f64, code: &str| {
        json!({"currency": {"code": code}, "gift_certificates": [{"name": "G", "theme": "General",
            "amount": amount, "quantity": 2, "sender": {"name": "S", "email": "s@example.com"},
            "recipient": {"name": "R", "email": "r@example.com"}}]})
    };
    for (amount, code, total) in [
        (1.0, "USD", 2.0),
        (1000.0, "JPY", 2000.0),
        (12.345, "KWD", 24.69),
    ] {
        let cart = api.post("/v3/carts", gift(amount, code)).await.expect(201);
        assert_eq!(cart.data()["cart_amount"].as_f64(), Some(total), "{code}");
    }
    for (amount, code) in [
        (0.99, "USD"),
        (1000.01, "USD"),
        (10.5, "JPY"),
        (1.0005, "KWD"),
    ] {
        let refused = api.post("/v3/carts", gift(amount, code)).await;
        expect_bc_error(refused, 400, "gift_certificates[0].amount");
    }
    let mut no_email = gift(5.0, "USD");
    no_email["gift_certificates"][0]["recipient"]["email"] = json!("not an address");
    let refused = api.post("/v3/carts", no_email).await;
    assert_eq!(refused.status, 400, "{:#}", refused.body);
}

/// A channel id written as a float (`7.0`, as JSON Schema also counts integers) is channel 7.
#[tokio::test]
async fn a_channel_id_may_be_written_as_a_float() {
    let api = Api::new();
    let as_int = api.get("/v3/carts/settings/channels/7").await.expect(200);
    let as_float = api.get("/v3/carts/settings/channels/7.0").await.expect(200);
    assert_eq!(as_int.body, as_float.body);
    let refused = api.get("/v3/carts/settings/channels/7.5").await;
    expect_bc_error(refused, 400, "channel_id");
}

/// `option_selections` name a variant by its option values (by value id or label): the line
/// is that variant, at its price, and echoes the values as BigCommerce's `options`. What no
/// variant is, or what contradicts `variant_id`, cannot be priced: 422 naming the field.
#[tokio::test]
async fn option_selections_resolve_to_the_variant_they_name() {
    let api = Api::new();
    let product = 100_000 + rand_id() % 900_000;
    let value = |option_id: u64, option_name: &str, value_id: u64, label: &str| json!({"option_id": option_id, "option_name": option_name, "value_id": value_id, "label": label});
    let (small, medium) = (product + 1, product + 2);
    let shirt = json!({"name": "Shirt", "sku": "SH", "prices": [{"currency": "USD", "amount": 1000}],
    "variants": [
        {"id": small.to_string(), "sku": "SH-S", "option_values": [value(8, "Size", 81, "Small")]},
        {"id": medium.to_string(), "sku": "SH-M", "prices": [{"currency": "USD", "amount": 1250}],
         "option_values": [value(8, "Size", 82, "Medium")]}
    ]});
    let stored = api
        .put(&format!("/products/{product}"), shirt)
        .await
        .expect(201);
    assert_eq!(
        stored.data()["variants"][1]["option_values"][0]["label"],
        "Medium"
    );

    let line = |selection: Value| {
        json!({"currency": {"code": "USD"}, "line_items": [{"quantity": 1, "product_id": product,
            "option_selections": [selection]}]})
    };
    for selection in [
        json!({"option_id": 8, "option_value": 82}),
        json!({"option_id": 8, "option_value": "82"}),
        json!({"option_id": 8, "option_value": "Medium"}),
    ] {
        let cart = api
            .post("/v3/carts", line(selection.clone()))
            .await
            .expect(201);
        let item = &cart.data()["line_items"]["physical_items"][0];
        assert_eq!(item["variant_id"], medium, "{selection}");
        assert_eq!(item["sku"], "SH-M");
        assert_eq!(item["list_price"].as_f64(), Some(12.5));
        assert_eq!(
            item["options"],
            json!([{"name": "Size", "nameId": 8, "value": "Medium", "valueId": 82}])
        );
    }

    // The same line natively, with its options; adding it again by variant id joins it.
    let cart = api
        .post(
            "/v3/carts",
            line(json!({"option_id": 8, "option_value": "Small"})),
        )
        .await
        .expect(201);
    let cart_id = cart.data()["id"].as_str().unwrap().to_owned();
    let again = json!({"line_items": [{"product_id": product.to_string(), "variant_id": small.to_string(), "quantity": 1}]});
    let native = api
        .post(&format!("/carts/{cart_id}/items"), again)
        .await
        .expect(201);
    let lines = native.data()["line_items"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert_eq!(
        (
            lines[0]["quantity"].as_u64(),
            &lines[0]["options"][0]["label"]
        ),
        (Some(2), &json!("Small"))
    );

    // Values no variant is, and values of another variant than the one named.
    let unknown = api
        .post(
            "/v3/carts",
            line(json!({"option_id": 8, "option_value": "Large"})),
        )
        .await;
    expect_bc_error(unknown, 422, "line_items[0].option_selections");
    let mut other = line(json!({"option_id": 8, "option_value": "Small"}));
    other["line_items"][0]["variant_id"] = json!(medium);
    expect_bc_error(
        api.post("/v3/carts", other).await,
        422,
        "line_items[0].option_selections",
    );
    // A file upload or text option cannot be priced.
    let upload = json!({"option_id": 8, "option_value": {"originalName": "logo.jpeg"}});
    let refused = api.post("/v3/carts", line(upload)).await;
    assert_eq!(refused.status, 400, "{:#}", refused.body);
}
