//! A shopper's carts: listed newest change first through the customer index, a page at a
//! time, with carts moving between lists when their customer changes.

use serde_json::{Value, json};
use trolley_tests::api::Api;

fn ids(reply: &Value) -> Vec<String> {
    reply["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn carts_are_listed_newest_change_first_a_page_at_a_time() {
    let api = Api::new();
    let customer = format!("cust-{}", uuid::Uuid::new_v4().simple());
    let mut created = Vec::new();
    for n in 0..3 {
        let cart = api
            .new_cart(json!({"customer_id": customer, "name": format!("cart {n}")}))
            .await;
        created.push(cart["id"].as_str().unwrap().to_string());
    }
    // Changing the oldest makes it the newest.
    api.put(
        &format!("/carts/{}", created[0]),
        json!({"name": "changed"}),
    )
    .await
    .expect(200);
    let newest_first = vec![created[0].clone(), created[2].clone(), created[1].clone()];

    let all = api
        .get(&format!("/customers/{customer}/carts"))
        .await
        .expect(200);
    assert_eq!(ids(&all.body), newest_first);
    assert_eq!(
        all.body["links"],
        json!({}),
        "no next link on the last page"
    );
    assert_eq!(
        all.body["data"][0]["totals"]["total"]["currency"], "USD",
        "full carts, priced"
    );

    let first = api
        .get(&format!("/customers/{customer}/carts?limit=2"))
        .await
        .expect(200);
    assert_eq!(ids(&first.body), newest_first[..2]);
    let next = first.body["links"]["next"]
        .as_str()
        .expect("a next link")
        .to_string();
    assert!(next.starts_with(&format!("/customers/{customer}/carts?limit=2&cursor=")));
    let second = api.get(&next).await.expect(200);
    assert_eq!(ids(&second.body), newest_first[2..]);
    assert!(second.body["links"]["next"].is_null(), "{:#}", second.body);
}

#[tokio::test]
async fn a_cart_moves_between_lists_when_its_customer_changes() {
    let api = Api::new();
    let (alice, bob) = (
        format!("a-{}", uuid::Uuid::new_v4().simple()),
        format!("b-{}", uuid::Uuid::new_v4().simple()),
    );
    let cart = api.new_cart(json!({"customer_id": alice})).await;
    let id = cart["id"].as_str().unwrap().to_string();
    assert_eq!(
        ids(&api.get(&format!("/customers/{alice}/carts")).await.body),
        [id.as_str()]
    );

    api.put(&format!("/carts/{id}"), json!({"customer_id": bob}))
        .await
        .expect(200);
    assert!(ids(&api.get(&format!("/customers/{alice}/carts")).await.body).is_empty());
    assert_eq!(
        ids(&api.get(&format!("/customers/{bob}/carts")).await.body),
        [id.as_str()]
    );

    api.put(&format!("/carts/{id}"), json!({"customer_id": null}))
        .await
        .expect(200);
    assert!(ids(&api.get(&format!("/customers/{bob}/carts")).await.body).is_empty());
}

#[tokio::test]
async fn deleted_and_expired_carts_are_not_listed() {
    let api = Api::new();
    let customer = format!("gone-{}", uuid::Uuid::new_v4().simple());
    let cart = api.new_cart(json!({"customer_id": customer})).await;
    api.delete(&format!("/carts/{}", cart["id"].as_str().unwrap()))
        .await
        .expect(204);

    let store = trolley_tests::store().await;
    let mut expired = trolley_tests::fixtures::expired_cart(&store).await;
    // Re-store it with a customer (the expired fixture has none).
    store
        .delete_cart(expired.id, expired.version)
        .await
        .unwrap();
    expired.customer_id = trolley::domain::values::CustomerId::parse(&customer);
    store.create_cart(&expired).await.unwrap();

    let list = api
        .get(&format!("/customers/{customer}/carts"))
        .await
        .expect(200);
    assert!(ids(&list.body).is_empty(), "{:#}", list.body);
}

#[tokio::test]
async fn bad_limits_and_cursors_are_refused() {
    let api = Api::new();
    let customer = format!("c-{}", uuid::Uuid::new_v4().simple());
    for limit in ["0", "101", "-1", "ten"] {
        api.get(&format!("/customers/{customer}/carts?limit={limit}"))
            .await
            .expect_error(400, "validation_failed", Some("limit"));
    }
    api.get(&format!("/customers/{customer}/carts?cursor=not-a-cursor"))
        .await
        .expect_error(400, "validation_failed", Some("cursor"));

    // A cursor handed out for one customer does not page through another's carts.
    let other = format!("o-{}", uuid::Uuid::new_v4().simple());
    for _ in 0..2 {
        api.new_cart(json!({"customer_id": other})).await;
    }
    let page = api
        .get(&format!("/customers/{other}/carts?limit=1"))
        .await
        .expect(200);
    let cursor = page.body["links"]["next"]
        .as_str()
        .unwrap()
        .split("cursor=")
        .nth(1)
        .unwrap()
        .to_string();
    api.get(&format!("/customers/{customer}/carts?cursor={cursor}"))
        .await
        .expect_error(400, "validation_failed", Some("cursor"));

    api.get(&format!("/customers/{customer}/carts"))
        .await
        .expect(200);
    // Longer than a customer id can be: no such customer.
    api.get(&format!("/customers/{}/carts", "c".repeat(256)))
        .await
        .expect_error(404, "not_found", None);
}
