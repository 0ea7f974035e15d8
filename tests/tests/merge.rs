//! Merging carts: how a guest cart joins a shopper's cart at login.

use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::task::JoinSet;
use trolley::domain::cart::NewCart;
use trolley::store::GuardedSave;
use trolley_tests::api::Api;
use trolley_tests::fixtures::PRODUCT_ID;

async fn cart(api: &Api, body: Value) -> (String, Value) {
    let cart = api.new_cart(body).await;
    (cart["id"].as_str().unwrap().to_string(), cart)
}

fn quantities(cart: &Value) -> Vec<(String, u64)> {
    let line = cart["line_items"].as_array().unwrap().iter();
    let custom = cart["custom_items"].as_array().unwrap().iter();
    line.chain(custom)
        .map(|i| {
            (
                i["sku"].as_str().unwrap().to_string(),
                i["quantity"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn each_strategy_merges_its_way_and_the_source_is_deleted() {
    let api = Api::new();
    let product = api.new_product().await;
    for (strategy, widgets, extra) in [("sum", 5, 1), ("max", 3, 1), ("replace", 2, 1)] {
        let (target, _) = cart(&api, json!({"customer_id": "c-merge", "line_items": [{"product_id": product, "quantity": 3}]})).await;
        let (source, _) = cart(
            &api,
            json!({"line_items": [{"product_id": product, "quantity": 2}],
                   "custom_items": [{"sku": "GIFT", "name": "Gift", "quantity": 1, "price": 300}]}),
        )
        .await;
        let reply = api
            .post(
                &format!("/carts/{target}/merge"),
                json!({"source_cart_id": source, "strategy": strategy}),
            )
            .await
            .expect(200);
        assert_eq!(
            quantities(reply.data()),
            [("W-1".to_string(), widgets), ("GIFT".to_string(), extra)],
            "{strategy}"
        );
        assert_eq!(reply.data()["version"], 2);
        assert_eq!(reply.header("etag"), Some("\"2\""));
        let merge = &reply.body["meta"]["merge"];
        assert_eq!(
            (
                merge["source_cart_id"].as_str(),
                &merge["source_cart_deleted"]
            ),
            (Some(source.as_str()), &json!(true))
        );
        assert_eq!(
            merge["added_items"].as_array().unwrap().len(),
            1,
            "{strategy}: the gift"
        );
        let updated = merge["updated_items"].as_array().unwrap();
        if widgets != 3 {
            assert_eq!(updated[0]["quantity_before"], 3);
            assert_eq!(updated[0]["quantity_after"], widgets);
        } else {
            assert!(updated.is_empty(), "max kept the target's 3");
        }
        api.get(&format!("/carts/{source}"))
            .await
            .expect_error(404, "not_found", None);
    }
}

#[tokio::test]
async fn refused_merges_change_neither_cart() {
    let api = Api::new();
    let product = api.new_stocked_product(5).await;
    let (target, target_before) = cart(
        &api,
        json!({"line_items": [{"product_id": product, "quantity": 3}]}),
    )
    .await;
    let (source, source_before) = cart(
        &api,
        json!({"line_items": [{"product_id": product, "quantity": 3}]}),
    )
    .await;
    let path = format!("/carts/{target}/merge");

    api.post(&path, json!({"source_cart_id": source}))
        .await
        .expect_error(422, "insufficient_stock", Some("source_cart_id"));
    api.send(
        Method::POST,
        &path,
        &[("if-match", "\"9\"")],
        Some(&json!({"source_cart_id": source})),
    )
    .await
    .expect_error(412, "version_mismatch", Some("If-Match"));
    api.post(&path, json!({"source_cart_id": target}))
        .await
        .expect_error(400, "validation_failed", Some("source_cart_id"));
    let missing = uuid::Uuid::new_v4();
    api.post(&path, json!({"source_cart_id": missing}))
        .await
        .expect_error(422, "source_cart_not_found", Some("source_cart_id"));
    let (euro, _) = cart(&api, json!({"currency": {"code": "EUR"}})).await;
    api.post(&path, json!({"source_cart_id": euro}))
        .await
        .expect_error(422, "currency_mismatch", Some("source_cart_id"));
    api.post(
        &path,
        json!({"source_cart_id": source, "strategy": "union"}),
    )
    .await
    .expect_error(400, "validation_failed", Some("strategy"));

    assert_eq!(
        api.get(&format!("/carts/{target}")).await.data(),
        &target_before
    );
    assert_eq!(
        api.get(&format!("/carts/{source}")).await.data(),
        &source_before
    );
}

#[tokio::test]
async fn changes_racing_a_merge_are_never_lost() {
    let api = Arc::new(Api::new());
    let product = api.new_product().await;
    let (target, _) = cart(&api, json!({})).await;
    let (source, _) = cart(
        &api,
        json!({"custom_items": [{"sku": "FROM-GUEST", "name": "g", "quantity": 1, "price": 1}]}),
    )
    .await;

    let mut work = JoinSet::new();
    for _ in 0..8 {
        let (api, path) = (api.clone(), format!("/carts/{target}/items"));
        let body = json!({"line_items": [{"product_id": product, "quantity": 1}]});
        work.spawn(async move { api.post(&path, body).await.status });
    }
    let (merging, path) = (api.clone(), format!("/carts/{target}/merge"));
    work.spawn(async move {
        merging
            .post(&path, json!({"source_cart_id": source}))
            .await
            .status
    });
    let statuses = work.join_all().await;
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 201),
        "{statuses:?}"
    );

    let merged = api.get(&format!("/carts/{target}")).await.expect(200);
    assert_eq!(
        quantities(merged.data()),
        [("W-1".to_string(), 8), ("FROM-GUEST".to_string(), 1)]
    );
    assert_eq!(merged.data()["version"], 10, "eight adds and one merge");
}

#[tokio::test]
async fn the_merge_transaction_is_conditional_on_both_versions() {
    // At the store: a stale version on either cart writes nothing at all.
    let store = trolley_tests::store().await;
    let now = trolley::service::now();
    let settings = trolley::domain::settings::Settings::default();
    let mut target = trolley::domain::cart::Cart::new(&NewCart::default(), &settings, now).unwrap();
    let source = trolley::domain::cart::Cart::new(&NewCart::default(), &settings, now).unwrap();
    store.create_cart(&target).await.unwrap();
    store.create_cart(&source).await.unwrap();
    target.name = Some("merged".into());
    target.touch(&settings, now);

    assert_eq!(
        store
            .merge_carts(&target, 1, source.id, 7, &[])
            .await
            .unwrap(),
        GuardedSave::Conflict
    );
    assert_eq!(
        store
            .merge_carts(&target, 7, source.id, 1, &[])
            .await
            .unwrap(),
        GuardedSave::Conflict
    );
    // A product not as the source's lines took it (saved since) refuses it too.
    let product = trolley::domain::values::ClientId::parse(PRODUCT_ID).unwrap();
    let updated_at = store
        .get_product(&product)
        .await
        .unwrap()
        .unwrap()
        .updated_at;
    let guard = |updated_at| trolley::domain::product::ProductGuard {
        product_id: product.clone(),
        updated_at,
        minimums: Vec::new(),
    };
    let stale = guard(updated_at - chrono::Duration::seconds(1));
    assert_eq!(
        store
            .merge_carts(&target, 1, source.id, 1, &[stale])
            .await
            .unwrap(),
        GuardedSave::ProductChanged
    );
    assert_eq!(store.get_cart(target.id).await.unwrap().unwrap().version, 1);
    assert!(store.get_cart(source.id).await.unwrap().is_some());

    assert_eq!(
        store
            .merge_carts(&target, 1, source.id, 1, &[guard(updated_at)])
            .await
            .unwrap(),
        GuardedSave::Done
    );
    assert_eq!(
        store
            .get_cart(target.id)
            .await
            .unwrap()
            .unwrap()
            .name
            .as_deref(),
        Some("merged")
    );
    assert!(store.get_cart(source.id).await.unwrap().is_none());
}

/// A merge relies on what the source's lines took of their products and checks it in its
/// write; a product saved since (here with a new price) makes it read the catalog, and the
/// merged line takes the price as it is now.
#[tokio::test]
async fn a_product_saved_since_the_source_took_it_is_merged_as_it_is_now() {
    let api = Api::new();
    let id = format!("merged-{}", uuid::Uuid::new_v4().simple());
    let product = format!("/products/{id}");
    let priced = |amount: u32| json!({"name": "Merged", "sku": "MERGED", "prices": [{"currency": "USD", "amount": amount}]});
    api.put(&product, priced(500)).await.expect(201);
    let (target, _) = cart(&api, json!({})).await;
    let (source, _) = cart(
        &api,
        json!({"line_items": [{"product_id": id, "quantity": 2}]}),
    )
    .await;

    api.put(&product, priced(700)).await.expect(200);
    let reply = api
        .post(
            &format!("/carts/{target}/merge"),
            json!({"source_cart_id": source}),
        )
        .await
        .expect(200);
    let line = &reply.data()["line_items"][0];
    assert_eq!(line["list_price"]["amount"], 700);
    assert_eq!(line["extended_price"]["amount"], 1400);
}
