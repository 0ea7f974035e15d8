//! Carts end to end: create, read, update, delete, and every way a request can be refused.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use trolley_tests::api::Api;

fn time(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .expect("a timestamp")
        .parse()
        .expect("RFC 3339")
}

#[tokio::test]
async fn a_new_cart_has_defaults_a_location_and_an_etag() {
    let api = Api::new();
    let reply = api.post("/carts", json!({})).await.expect(201);
    let cart = reply.data();
    let id = cart["id"].as_str().unwrap();
    assert_eq!(
        reply.header("location"),
        Some(format!("/carts/{id}").as_str())
    );
    assert_eq!(reply.header("etag"), Some("\"1\""));
    assert_eq!(cart["version"], 1);
    assert_eq!(cart["status"], "active");
    assert_eq!(cart["currency"], json!({"code": "USD"}));
    assert_eq!(
        cart["totals"]["total"],
        json!({"amount": 0, "currency": "USD", "formatted": "$0.00"})
    );
    assert_eq!(cart["line_items"], json!([]));
    // Seven days on, in whole seconds (the TTL attribute's precision).
    let lifetime = time(&cart["expires_at"]) - time(&cart["created_at"]);
    assert!(lifetime <= Duration::days(7) && lifetime > Duration::days(7) - Duration::seconds(1));

    let read = api.get(&format!("/carts/{id}")).await.expect(200);
    assert_eq!(read.data(), cart);
    assert_eq!(read.header("etag"), Some("\"1\""));
}

#[tokio::test]
async fn a_cart_is_created_with_every_field_and_its_first_items() {
    let api = Api::new();
    let product = api.new_product().await;
    let cart = api
        .new_cart(json!({
            "name": "Birthday", "description": "for Sam", "customer_id": 42, "channel_id": "web",
            "currency": {"code": "USD"}, "locale": "en-US",
            "line_items": [{"product_id": product, "variant_id": "red", "quantity": 2}],
            "custom_items": [{"sku": "GIFT", "name": "Gift wrap", "quantity": 1, "price": 350}],
            "custom_attributes": {"membership": {"type": "string", "value": "VIP"},
                                  "visits": {"type": "integer", "value": 3},
                                  "score": {"type": "float", "value": 4.5},
                                  "gift": {"type": "boolean", "value": true}}
        }))
        .await;
    assert_eq!(
        cart["customer_id"], 42,
        "an integer id comes back as an integer"
    );
    assert_eq!(cart["channel_id"], "web");
    assert_eq!(cart["locale"], "en-US");
    assert_eq!(cart["line_items"][0]["sku"], "W-1-RED");
    assert_eq!(cart["line_items"][0]["extended_price"]["amount"], 4198);
    assert_eq!(cart["custom_items"][0]["list_price"]["amount"], 350);
    assert_eq!(cart["totals"]["subtotal"]["amount"], 4548);
    assert_eq!(cart["totals"]["item_count"], 3);
    assert_eq!(
        cart["custom_attributes"]["score"],
        json!({"type": "float", "value": 4.5})
    );
}

#[tokio::test]
async fn update_changes_only_named_fields_and_bumps_the_version() {
    let api = Api::new();
    let cart = api
        .new_cart(json!({"name": "A", "description": "d",
                         "custom_attributes": {"a": {"type": "integer", "value": 1}}}))
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());

    let reply = api
        .put(
            &path,
            json!({"name": "B", "custom_attributes": {"b": {"type": "boolean", "value": false}}}),
        )
        .await
        .expect(200);
    let updated = reply.data();
    assert_eq!(reply.header("etag"), Some("\"2\""));
    assert_eq!(
        (updated["name"].as_str(), updated["description"].as_str()),
        (Some("B"), Some("d"))
    );
    assert_eq!(
        updated["custom_attributes"],
        json!({"b": {"type": "boolean", "value": false}})
    );
    assert!(time(&updated["expires_at"]) > time(&cart["expires_at"]) - Duration::seconds(1));

    let cleared = api
        .put(&path, json!({"description": null}))
        .await
        .expect(200);
    assert_eq!(cleared.data()["description"], Value::Null);
    assert_eq!(cleared.data()["version"], 3);

    // Nothing to change: no new version.
    let same = api.put(&path, json!({"name": "B"})).await.expect(200);
    assert_eq!(same.data()["version"], 3);
}

#[tokio::test]
async fn a_stale_if_match_is_refused_with_the_current_version() {
    let api = Api::new();
    let cart = api.new_cart(json!({"name": "A"})).await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    api.put(&path, json!({"name": "B"})).await.expect(200);

    let stale = api
        .send(
            Method::PUT,
            &path,
            &[("if-match", "\"1\"")],
            Some(&json!({"name": "C"})),
        )
        .await;
    let stale = stale.expect_error(412, "version_mismatch", Some("If-Match"));
    assert_eq!(stale.body["errors"][0]["meta"]["current_version"], 2);
    assert_eq!(stale.header("etag"), Some("\"2\""));
    assert_eq!(api.get(&path).await.data()["name"], "B");

    let fresh = api
        .send(
            Method::PUT,
            &path,
            &[("if-match", "\"2\"")],
            Some(&json!({"name": "C"})),
        )
        .await;
    assert_eq!(fresh.expect(200).data()["name"], "C");
    let any = api
        .send(
            Method::PUT,
            &path,
            &[("if-match", "*")],
            Some(&json!({"name": "D"})),
        )
        .await;
    assert_eq!(any.expect(200).data()["version"], 4);
}

#[tokio::test]
async fn a_contact_email_is_for_guest_carts_only() {
    let api = Api::new();
    api.post(
        "/carts",
        json!({"customer_id": "c1", "contact": {"email": "sam@example.com"}}),
    )
    .await
    .expect_error(400, "contact_on_customer_cart", Some("contact.email"));

    let guest = api
        .new_cart(json!({"contact": {"email": "sam@example.com"}}))
        .await;
    let path = format!("/carts/{}", guest["id"].as_str().unwrap());
    api.put(&path, json!({"customer_id": "c1"}))
        .await
        .expect_error(400, "contact_on_customer_cart", Some("customer_id"));
    assert_eq!(
        api.get(&path).await.data()["version"],
        1,
        "a refused change writes nothing"
    );

    let customer = api
        .put(&path, json!({"customer_id": "c1", "contact": null}))
        .await
        .expect(200);
    assert_eq!(
        (
            customer.data()["customer_id"].as_str(),
            &customer.data()["contact"]
        ),
        (Some("c1"), &Value::Null)
    );
    api.put(&path, json!({"contact": {"email": "sam@example.com"}}))
        .await
        .expect_error(400, "contact_on_customer_cart", Some("contact.email"));
}

#[tokio::test]
async fn delete_removes_the_cart_and_respects_if_match() {
    let api = Api::new();
    let cart = api.new_cart(json!({})).await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    api.send(Method::DELETE, &path, &[("if-match", "\"7\"")], None)
        .await
        .expect_error(412, "version_mismatch", Some("If-Match"));
    // An empty header names no version at all: a malformed request, not a stale one.
    api.send(Method::DELETE, &path, &[("if-match", "")], None)
        .await
        .expect_error(400, "validation_failed", Some("If-Match"));
    let deleted = api.delete(&path).await.expect(204);
    assert_eq!(deleted.body, Value::Null);
    api.get(&path).await.expect_error(404, "not_found", None);
    api.delete(&path).await.expect_error(404, "not_found", None);
}

#[tokio::test]
async fn unknown_and_malformed_cart_ids_are_not_found() {
    let api = Api::new();
    let unknown = uuid::Uuid::new_v4();
    api.get(&format!("/carts/{unknown}"))
        .await
        .expect_error(404, "not_found", None);
    api.get("/carts/not-a-uuid")
        .await
        .expect_error(404, "not_found", None);
    api.put(&format!("/carts/{unknown}"), json!({"name": "x"}))
        .await
        .expect_error(404, "not_found", None);
}

#[tokio::test]
async fn bad_bodies_are_refused_with_the_field_named() {
    let api = Api::new();
    let cases = [
        (json!({"nmae": "x"}), "nmae"),
        (json!({"name": ""}), "name"),
        (json!({"name": "x".repeat(256)}), "name"),
        (json!({"name": "tab\there"}), "name"),
        (json!({"description": "d".repeat(1001)}), "description"),
        (json!({"name": 5}), "name"),
        (json!({"customer_id": "bell\u{7}"}), "customer_id"),
        (json!({"customer_id": "c".repeat(256)}), "customer_id"),
        (json!({"customer_id": ""}), "customer_id"),
        (json!({"customer_id": 1.5}), "customer_id"),
        (json!({"currency": {"code": "usd"}}), "currency.code"),
        (json!({"currency": "USD"}), "currency"),
        (json!({"locale": "english"}), "locale"),
        (
            json!({"contact": {"email": "not-an-email"}}),
            "contact.email",
        ),
        (
            json!({"line_items": [{"product_id": "p", "quantity": 0}]}),
            "line_items[0].quantity",
        ),
        (
            json!({"line_items": [{"product_id": "p", "quantity": 10001}]}),
            "line_items[0].quantity",
        ),
        (
            json!({"custom_items": [{"sku": "s", "name": "n", "quantity": 1, "price": -1}]}),
            "custom_items[0].price",
        ),
        (
            json!({"custom_items": [{"sku": "s", "name": "n", "quantity": 1}]}),
            "custom_items[0].price",
        ),
        (
            json!({"custom_attributes": {"x": {"type": "integer", "value": "1"}}}),
            "custom_attributes.x.value",
        ),
        (
            json!({"custom_attributes": {"bad-name": {"type": "integer", "value": 1}}}),
            "custom_attributes",
        ),
    ];
    for (body, source) in cases {
        let reply = api.post("/carts", body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {:#}", reply.body);
        assert_eq!(reply.code(), "validation_failed", "{body}");
        assert!(
            reply.source().starts_with(source),
            "{body}: source {:?}, wanted {source}",
            reply.source()
        );
    }
}

#[tokio::test]
async fn too_many_attributes_are_refused() {
    let api = Api::new();
    let attributes: serde_json::Map<String, Value> = (0..21)
        .map(|i| (format!("a{i}"), json!({"type": "boolean", "value": true})))
        .collect();
    api.post("/carts", json!({"custom_attributes": attributes}))
        .await
        .expect_error(400, "validation_failed", Some("custom_attributes"));
}

#[tokio::test]
async fn malformed_json_wrong_media_types_and_huge_bodies_are_refused() {
    let api = Api::new();
    api.send_raw(Method::POST, "/carts", "application/json", "{\"name\": ")
        .await
        .expect_error(400, "malformed_json", None);
    api.send_raw(Method::POST, "/carts", "text/plain", "{}")
        .await
        .expect_error(415, "unsupported_media_type", Some("Content-Type"));
    let huge = json!({"name": "x", "description": "y".repeat(300 * 1024)}).to_string();
    api.send_raw(Method::POST, "/carts", "application/json", huge)
        .await
        .expect_error(413, "payload_too_large", None);
    // An empty body needs no content type.
    api.send_raw(Method::POST, "/carts", "", "")
        .await
        .expect(201);
}

#[tokio::test]
async fn an_expired_cart_is_gone_before_dynamodb_deletes_it() {
    let api = Api::new();
    let store = trolley_tests::store().await;
    let cart = trolley_tests::fixtures::expired_cart(&store).await;
    let path = format!("/carts/{}", cart.id);
    api.get(&path).await.expect_error(404, "not_found", None);
    api.put(&path, json!({"name": "x"}))
        .await
        .expect_error(404, "not_found", None);
    api.post(
        &format!("{path}/items"),
        json!({"custom_items": [{"sku": "s", "name": "n", "quantity": 1, "price": 1}]}),
    )
    .await
    .expect_error(404, "not_found", None);
    api.delete(&path).await.expect_error(404, "not_found", None);
}
