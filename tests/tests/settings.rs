//! The store-wide settings. They are global, so every check that changes them is in this one
//! test (test binaries run one after another, so nothing else sees the changes), and the
//! defaults are put back at the end.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use trolley_tests::api::Api;

#[tokio::test]
async fn settings_read_change_validate_and_apply_to_new_carts() {
    let api = Api::new();
    let time = |v: &serde_json::Value| v.as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    // Days from the last change to the expiry (whole seconds, so a fraction short).
    let lifetime = |cart: &serde_json::Value| {
        let span = time(&cart["expires_at"]) - time(&cart["updated_at"]);
        (span + Duration::seconds(1)).num_days()
    };

    // A store that never set a cart lifetime: a week for carts, 30 days for carts made
    // through BigCommerce's API (as BigCommerce keeps them), each from its last change.
    let store = trolley_tests::store().await;
    let read = store.get_settings_revised().await.unwrap().revision;
    let never_set = trolley::domain::settings::Settings::default();
    assert!(store.put_settings(&never_set, read).await.unwrap());
    assert_eq!(
        api.get("/settings/cart").await.expect(200).data()["cart_expiry_days"],
        7
    );
    let native = api.new_cart(json!({})).await;
    assert_eq!(lifetime(&native), 7);
    let v3 = api
        .post("/v3/carts", json!({"line_items": []}))
        .await
        .expect(201);
    let v3_id = v3.data()["id"].as_str().unwrap().to_string();
    let v3 = api.get(&format!("/carts/{v3_id}")).await.expect(200);
    assert_eq!(lifetime(v3.data()), 30);
    // Once the store sets one, every cart takes it at its next change.
    let ten = api
        .put("/settings/cart", json!({"cart_expiry_days": 10}))
        .await;
    assert_eq!(ten.expect(200).data()["cart_expiry_days"], 10);
    let renamed = api
        .put(&format!("/carts/{v3_id}"), json!({"name": "v3"}))
        .await;
    assert_eq!(lifetime(renamed.expect(200).data()), 10);
    let defaults = json!({"cart_expiry_days": 7, "abandoned_after_minutes": 60,
                          "custom_discounts_enabled": false, "default_currency": "USD",
                          "allow_purchasing": true});
    api.put("/settings/cart", defaults.clone())
        .await
        .expect(200);
    assert_eq!(
        api.get("/settings/cart").await.expect(200).data(),
        &defaults
    );

    // Only the named fields change.
    let changed = api
        .put("/settings/cart", json!({"cart_expiry_days": 30, "default_currency": "EUR", "custom_discounts_enabled": true}))
        .await
        .expect(200);
    assert_eq!(changed.data()["cart_expiry_days"], 30);
    assert_eq!(changed.data()["abandoned_after_minutes"], 60);

    // New carts take them (the local stack reads settings afresh; deployed, within 30 s).
    let cart = api.new_cart(json!({})).await;
    assert_eq!(cart["currency"]["code"], "EUR");
    assert_eq!(cart["discount_settings"]["custom_discounts_enabled"], true);
    let lifetime = time(&cart["expires_at"]) - time(&cart["created_at"]);
    assert!(lifetime > Duration::days(30) - Duration::seconds(1) && lifetime <= Duration::days(30));
    // A cart can still say otherwise.
    let own = api.new_cart(json!({"currency": {"code": "USD"}, "discount_settings": {"custom_discounts_enabled": false}})).await;
    assert_eq!(
        (
            own["currency"]["code"].as_str(),
            &own["discount_settings"]["custom_discounts_enabled"]
        ),
        (Some("USD"), &json!(false))
    );

    for (body, source) in [
        (json!({"cart_expiry_days": 0}), "cart_expiry_days"),
        (json!({"cart_expiry_days": 366}), "cart_expiry_days"),
        (
            json!({"abandoned_after_minutes": 4}),
            "abandoned_after_minutes",
        ),
        (
            json!({"abandoned_after_minutes": 43201}),
            "abandoned_after_minutes",
        ),
        (json!({"default_currency": "XYZ"}), "default_currency"),
        (
            json!({"custom_discounts_enabled": "yes"}),
            "custom_discounts_enabled",
        ),
        (json!({"allow_purchasing": 0}), "allow_purchasing"),
        (json!({"theme": "dark"}), "theme"),
    ] {
        api.put("/settings/cart", body)
            .await
            .expect_error(400, "validation_failed", Some(source));
    }
    assert_eq!(
        api.get("/settings/cart").await.data()["cart_expiry_days"],
        30,
        "refused changes wrote nothing"
    );

    // With purchasing off, no cart checks out; turned back on, the same cart does.
    let item = json!([{"sku": "S", "name": "S", "quantity": 1, "price": 500}]);
    let cart = api.new_cart(json!({"custom_items": item})).await;
    let checkout = format!("/carts/{}/checkout", cart["id"].as_str().unwrap());
    let off = api.put("/settings/cart", json!({"allow_purchasing": false}));
    assert_eq!(off.await.expect(200).data()["allow_purchasing"], false);
    api.post(&checkout, json!({}))
        .await
        .expect_error(422, "purchasing_disabled", None);

    api.put("/settings/cart", defaults.clone())
        .await
        .expect(200);
    assert_eq!(api.get("/settings/cart").await.data(), &defaults);
    api.post(&checkout, json!({})).await.expect(201);

    // Elastic Path's /v2/settings/cart: the same settings in its shape; a change there
    // reaches the native settings and new /v2 carts; bad bodies are 400 naming the field
    // and change nothing.
    let shown = api.get("/v2/settings/cart").await.expect(200);
    assert_eq!(
        shown.body,
        json!({"data": {"type": "settings", "cart_expiry_days": 7,
                        "discounts": {"custom_discounts_enabled": false, "use_rule_promotions": false}}})
    );
    let change = json!({"data": {"type": "settings", "cart_expiry_days": 25,
                                 "discounts": {"custom_discounts_enabled": true, "use_rule_promotions": false}}});
    let changed = api.put("/v2/settings/cart", change).await.expect(200);
    assert_eq!(changed.body["data"]["cart_expiry_days"], 25);
    assert_eq!(
        changed.body["data"]["discounts"]["custom_discounts_enabled"],
        true
    );
    let native = api.get("/settings/cart").await.expect(200);
    assert_eq!(native.data()["cart_expiry_days"], 25);
    assert_eq!(native.data()["custom_discounts_enabled"], true);
    let ep_cart = api.post("/v2/carts", json!({})).await.expect(200);
    assert_eq!(
        ep_cart.body["data"]["discount_settings"]["custom_discounts_enabled"],
        true
    );
    for (body, source) in [
        (
            json!({"data": {"type": "settings", "cart_expiry_days": 366}}),
            "data.cart_expiry_days",
        ),
        (json!({"data": {"type": "setting"}}), "data.type"),
        (
            json!({"data": {"type": "settings", "discounts": {"use_rule_promotions": true}}}),
            "data.discounts.use_rule_promotions",
        ),
        (json!({"type": "settings"}), "type"),
    ] {
        let refused = api.put("/v2/settings/cart", body.clone()).await;
        assert_eq!(refused.status, 400, "{body}: {:#}", refused.body);
        assert_eq!(refused.body["errors"][0]["source"], source, "{body}");
    }
    let after = api.get("/v2/settings/cart").await.expect(200);
    assert_eq!(
        after.body["data"]["cart_expiry_days"], 25,
        "refused changes wrote nothing"
    );

    // Back to a store that never set a lifetime, as a fresh one is.
    let read = store.get_settings_revised().await.unwrap().revision;
    assert!(store.put_settings(&never_set, read).await.unwrap());
}
