//! Promotions end to end: the admin routes, codes on carts, automatic promotions, and how
//! they show in a cart's totals. Every promotion here is limited to this test's own product
//! or attribute value, so tests running alongside never see it.

use reqwest::Method;
use serde_json::{Value, json};
use trolley_tests::api::Api;

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

async fn cart_with(api: &Api, product: &str, quantity: u32) -> String {
    let cart = api
        .new_cart(json!({"line_items": [{"product_id": product, "quantity": quantity}]}))
        .await;
    format!("/carts/{}", cart["id"].as_str().unwrap())
}

#[tokio::test]
async fn promotions_are_created_read_replaced_and_deleted() {
    let api = Api::new();
    let id = unique("promo");
    let body = json!({"name": "Summer", "kind": "percent_off", "value": 10, "applies_to": {"product_id": "80"},
                      "code": unique("summer"), "starts_at": "2026-06-01T00:00:00Z", "ends_at": "2026-09-01T00:00:00Z",
                      "condition": {"custom_attribute": {"name": "membership", "value": "VIP"}},
                      "max_uses_per_shopper": 1, "enabled": true});
    let created = api
        .put(&format!("/promotions/{id}"), body.clone())
        .await
        .expect(201);
    let promotion = created.data();
    assert_eq!(
        promotion["code"],
        body["code"].as_str().unwrap().to_uppercase(),
        "codes are kept in upper case"
    );
    assert_eq!(promotion["starts_at"], "2026-06-01T00:00:00.000Z");
    assert_eq!(promotion["condition"], body["condition"]);
    assert_eq!(promotion["max_uses_per_shopper"], 1);

    let mut changed = body;
    changed["value"] = json!(15);
    api.put(&format!("/promotions/{id}"), changed)
        .await
        .expect(200);
    assert_eq!(
        api.get(&format!("/promotions/{id}"))
            .await
            .expect(200)
            .data()["value"],
        15
    );

    api.delete(&format!("/promotions/{id}")).await.expect(204);
    api.get(&format!("/promotions/{id}"))
        .await
        .expect_error(404, "not_found", None);
    api.delete(&format!("/promotions/{id}"))
        .await
        .expect_error(404, "not_found", None);
}

#[tokio::test]
async fn bad_promotions_are_refused_with_the_field_named() {
    let api = Api::new();
    let id = unique("bad");
    for (body, source) in [
        (json!({"kind": "percent_off", "value": 101}), "value"),
        (json!({"kind": "percent_off", "value": 0}), "value"),
        (json!({"kind": "buy_one_get_one", "value": 1}), "kind"),
        (json!({"kind": "amount_off"}), "value"),
        (
            json!({"kind": "amount_off", "value": 1, "ends_at": "2025-01-01T00:00:00Z"}),
            "ends_at",
        ),
        (
            json!({"kind": "amount_off", "value": 1, "starts_at": "next week"}),
            "starts_at",
        ),
        (
            json!({"kind": "amount_off", "value": 1, "code": "two words"}),
            "code",
        ),
        (
            json!({"kind": "amount_off", "value": 1, "max_uses_per_shopper": 0}),
            "max_uses_per_shopper",
        ),
        (
            json!({"kind": "amount_off", "value": 1, "applies_to": {"sku": "x"}}),
            "applies_to.sku",
        ),
        (
            json!({"kind": "amount_off", "value": 1, "condition": {"custom_attribute": {"name": "a"}}}),
            "condition.custom_attribute.value",
        ),
    ] {
        api.put_promotion(&id, body)
            .await
            .expect_error(400, "validation_failed", Some(source));
    }
    api.get(&format!("/promotions/{id}"))
        .await
        .expect_error(404, "not_found", None);
}

#[tokio::test]
async fn a_code_belongs_to_one_promotion() {
    let api = Api::new();
    let code = unique("shared");
    api.put_promotion(
        &unique("first"),
        json!({"kind": "amount_off", "value": 1, "code": code}),
    )
    .await
    .expect(201);
    api.put_promotion(
        &unique("second"),
        json!({"kind": "amount_off", "value": 2, "code": code.to_lowercase()}),
    )
    .await
    .expect_error(409, "promotion_code_in_use", Some("code"));
}

#[tokio::test]
async fn a_code_takes_its_discount_off_and_shows_what_it_took() {
    let api = Api::new();
    let product = api.new_product().await;
    let (id, code) = (unique("p"), unique("save"));
    api.put_promotion(&id, json!({"kind": "percent_off", "value": 10, "code": code, "applies_to": {"product_id": product}}))
        .await
        .expect(201);
    let path = cart_with(&api, &product, 3).await;
    assert_eq!(
        api.get(&path).await.data()["totals"]["discount"]["amount"],
        0,
        "a code applies only when entered"
    );

    let reply = api
        .post(
            &format!("{path}/promotions"),
            json!({"code": code.to_lowercase()}),
        )
        .await
        .expect(201);
    let cart = reply.data();
    // 10% of 3 x 1999 = 599.7, rounded half up to 600.
    assert_eq!(cart["totals"]["discount"]["amount"], 600);
    assert_eq!(cart["totals"]["total"]["amount"], 5997 - 600);
    assert_eq!(cart["line_items"][0]["discounts"][0]["source"], "promotion");
    assert_eq!(
        cart["line_items"][0]["discounts"][0]["amount"]["amount"],
        600
    );
    assert_eq!(cart["line_items"][0]["total_price"]["amount"], 5397);
    assert_eq!(
        cart["promotions"],
        json!([{"id": id, "name": "Test promotion", "code": code.to_uppercase(),
                                           "amount": {"amount": 600, "currency": "USD", "formatted": "$6.00"}}])
    );
    assert_eq!(
        cart["promotion_codes"],
        json!([{"code": code.to_uppercase(), "applied": true}])
    );

    // Applying it again changes nothing; removing it takes the discount away.
    let again = api
        .post(&format!("{path}/promotions"), json!({"code": code}))
        .await
        .expect(201);
    assert_eq!(again.data()["version"], cart["version"]);
    let removed = api
        .delete(&format!("{path}/promotions/{code}"))
        .await
        .expect(200);
    assert_eq!(removed.data()["totals"]["discount"]["amount"], 0);
    api.delete(&format!("{path}/promotions/{code}"))
        .await
        .expect_error(404, "not_found", None);
}

#[tokio::test]
async fn unknown_inactive_and_ineligible_codes_are_not_applicable() {
    let api = Api::new();
    let product = api.new_product().await;
    let other_product = api.new_product().await;
    let path = cart_with(&api, &product, 1).await;
    let before = api.get(&path).await.data().clone();

    let future = unique("future");
    api.put_promotion(
        &unique("f"),
        json!({"kind": "amount_off", "value": 100, "code": future,
                                           "starts_at": "2099-01-01T00:00:00Z"}),
    )
    .await
    .expect(201);
    let ended = unique("ended");
    api.put_promotion(&unique("e"), json!({"kind": "amount_off", "value": 100, "code": ended,
                                           "starts_at": "2020-01-01T00:00:00Z", "ends_at": "2021-01-01T00:00:00Z"})).await.expect(201);
    let disabled = unique("off");
    api.put_promotion(
        &unique("d"),
        json!({"kind": "amount_off", "value": 100, "code": disabled, "enabled": false}),
    )
    .await
    .expect(201);
    let vip_only = unique("vip");
    api.put_promotion(
        &unique("v"),
        json!({"kind": "amount_off", "value": 100, "code": vip_only,
        "condition": {"custom_attribute": {"name": "membership", "value": "VIP"}}}),
    )
    .await
    .expect(201);
    let elsewhere = unique("elsewhere");
    api.put_promotion(
        &unique("o"),
        json!({"kind": "amount_off", "value": 100, "code": elsewhere,
                                           "applies_to": {"product_id": other_product}}),
    )
    .await
    .expect(201);
    let euro = unique("euro");
    api.put_promotion(
        &unique("u"),
        json!({"kind": "amount_off", "value": 100, "code": euro, "currency": "EUR"}),
    )
    .await
    .expect(201);

    for code in [
        unique("unknown"),
        future,
        ended,
        disabled,
        vip_only.clone(),
        elsewhere,
        euro,
    ] {
        api.post(&format!("{path}/promotions"), json!({"code": code}))
            .await
            .expect_error(422, "promotion_not_applicable", Some("code"));
    }
    assert_eq!(
        api.get(&path).await.data(),
        &before,
        "refusals changed nothing"
    );

    // Meeting the condition makes the VIP code applicable.
    api.put(
        &path,
        json!({"custom_attributes": {"membership": {"type": "string", "value": "VIP"}}}),
    )
    .await
    .expect(200);
    let vip = api
        .post(&format!("{path}/promotions"), json!({"code": vip_only}))
        .await
        .expect(201);
    assert_eq!(vip.data()["totals"]["discount"]["amount"], 100);
    // ...and losing it leaves the code on the cart, no longer applied.
    let lost = api
        .put(&path, json!({"custom_attributes": {}}))
        .await
        .expect(200);
    assert_eq!(lost.data()["promotion_codes"][0]["applied"], false);
    assert_eq!(lost.data()["totals"]["discount"]["amount"], 0);
}

#[tokio::test]
async fn automatic_promotions_apply_to_every_eligible_cart() {
    let api = Api::new();
    let product = api.new_product().await;
    let tag = unique("tag");
    // Automatic (no code), limited to carts carrying this test's attribute value.
    api.put_promotion(
        &unique("auto"),
        json!({"kind": "amount_off", "value": 250,
        "condition": {"custom_attribute": {"name": "campaign", "value": tag}}}),
    )
    .await
    .expect(201);
    let tagged = api
        .new_cart(
            json!({"custom_attributes": {"campaign": {"type": "string", "value": tag}},
                         "line_items": [{"product_id": product, "quantity": 1}]}),
        )
        .await;
    assert_eq!(tagged["totals"]["discount"]["amount"], 250);
    assert_eq!(tagged["totals"]["discounts"][0]["code"], Value::Null);
    assert_eq!(tagged["promotion_codes"], json!([]));
    let untagged = api
        .new_cart(json!({"line_items": [{"product_id": product, "quantity": 1}]}))
        .await;
    assert_eq!(untagged["totals"]["discount"]["amount"], 0);
}

#[tokio::test]
async fn deleting_a_promotion_stops_its_discount() {
    let api = Api::new();
    let product = api.new_product().await;
    let (id, code) = (unique("gone"), unique("gone"));
    api.put_promotion(&id, json!({"kind": "amount_off", "value": 300, "code": code, "applies_to": {"product_id": product}}))
        .await
        .expect(201);
    let path = cart_with(&api, &product, 1).await;
    api.post(&format!("{path}/promotions"), json!({"code": code}))
        .await
        .expect(201);
    api.delete(&format!("/promotions/{id}")).await.expect(204);
    let cart = api.get(&path).await.expect(200);
    assert_eq!(cart.data()["totals"]["discount"]["amount"], 0);
    assert_eq!(
        cart.data()["promotion_codes"][0],
        json!({"code": code.to_uppercase(), "applied": false})
    );
}

#[tokio::test]
async fn stacked_promotions_never_take_a_cart_below_zero() {
    let api = Api::new();
    let product = api.new_product().await;
    let tag = unique("zero");
    for n in 0..2 {
        api.put_promotion(
            &unique(&format!("big{n}")),
            json!({"kind": "amount_off", "value": 100_000,
            "condition": {"custom_attribute": {"name": "campaign", "value": tag}}}),
        )
        .await
        .expect(201);
    }
    let cart = api
        .new_cart(
            json!({"custom_attributes": {"campaign": {"type": "string", "value": tag}},
                         "line_items": [{"product_id": product, "quantity": 2}]}),
        )
        .await;
    assert_eq!(cart["totals"]["total"]["amount"], 0);
    assert_eq!(cart["totals"]["discount"]["amount"], 3998);
}

#[tokio::test]
async fn at_most_ten_codes_on_a_cart_and_if_match_is_honoured() {
    let api = Api::new();
    let product = api.new_product().await;
    let path = cart_with(&api, &product, 1).await;
    let mut codes = Vec::new();
    for n in 0..11 {
        let code = unique(&format!("c{n}"));
        api.put_promotion(
            &unique("many"),
            json!({"kind": "amount_off", "value": 1, "code": code,
                                                   "applies_to": {"product_id": product}}),
        )
        .await
        .expect(201);
        codes.push(code);
    }
    for code in &codes[..10] {
        api.post(&format!("{path}/promotions"), json!({"code": code}))
            .await
            .expect(201);
    }
    api.post(&format!("{path}/promotions"), json!({"code": codes[10]}))
        .await
        .expect_error(422, "promotion_code_limit", Some("code"));
    api.send(
        Method::POST,
        &format!("{path}/promotions"),
        &[("if-match", "\"1\"")],
        Some(&json!({"code": codes[0]})),
    )
    .await
    .expect_error(412, "version_mismatch", Some("If-Match"));
}
