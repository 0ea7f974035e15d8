//! The catalog end to end.

use serde_json::json;
use trolley_tests::api::Api;

#[tokio::test]
async fn put_creates_then_replaces_and_get_reads() {
    let api = Api::new();
    let id = format!("prod-{}", uuid::Uuid::new_v4().simple());
    let body = json!({"name": "Lamp", "sku": "L-1", "prices": [{"currency": "USD", "amount": 4500},
                      {"currency": "JPY", "amount": 6800}], "stock": 4,
                      "variants": [{"id": 7, "sku": "L-1-BIG", "stock": 0}]});
    let created = api
        .put(&format!("/products/{id}"), body.clone())
        .await
        .expect(201);
    let product = created.data();
    assert_eq!(product["id"], id);
    assert_eq!(
        product["prices"][1],
        json!({"amount": 6800, "currency": "JPY", "formatted": "¥6,800"})
    );
    assert_eq!(
        product["variants"][0],
        json!({"id": 7, "sku": "L-1-BIG", "prices": null, "stock": 0})
    );

    let mut changed = body;
    changed["name"] = json!("Desk lamp");
    api.put(&format!("/products/{id}"), changed)
        .await
        .expect(200);
    let read = api.get(&format!("/products/{id}")).await.expect(200);
    assert_eq!(read.data()["name"], "Desk lamp");
    assert_eq!(read.data()["stock"], 4);
}

#[tokio::test]
async fn bad_products_are_refused_with_the_field_named() {
    let api = Api::new();
    let path = format!("/products/bad-{}", uuid::Uuid::new_v4().simple());
    let base = json!({"name": "Lamp", "sku": "L-1", "prices": [{"currency": "USD", "amount": 1}]});
    let cases = [
        (
            json!({"name": "Lamp", "sku": "L-1", "prices": []}),
            "prices",
        ),
        (json!({"name": "Lamp", "sku": "L-1"}), "prices"),
        (
            json!({"name": "Lamp", "sku": "L-1", "prices": [{"currency": "USD", "amount": 1.5}]}),
            "prices[0].amount",
        ),
        (
            json!({"name": "Lamp", "sku": "L-1", "prices": [{"currency": "USD", "amount": 1}, {"currency": "USD", "amount": 2}]}),
            "prices[1].currency",
        ),
        (
            json!({"name": "Lamp", "sku": "L-1", "prices": [{"currency": "USD", "amount": 1}], "stock": -1}),
            "stock",
        ),
        (
            json!({"name": "Lamp", "sku": "L-1", "prices": [{"currency": "USD", "amount": 1}],
                "variants": [{"id": "a", "sku": "A"}, {"id": "a", "sku": "B"}]}),
            "variants[1].id",
        ),
        (
            json!({"name": "Lamp", "sku": "", "prices": [{"currency": "USD", "amount": 1}]}),
            "sku",
        ),
    ];
    for (body, source) in cases {
        api.put(&path, body)
            .await
            .expect_error(400, "validation_failed", Some(source));
    }
    api.put("/products/has%20space", base).await.expect_error(
        400,
        "validation_failed",
        Some("product_id"),
    );
    api.get(&path).await.expect_error(404, "not_found", None);
}
