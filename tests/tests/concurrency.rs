//! No lost updates: concurrent writers to one cart all get their change in.

use serde_json::json;
use std::sync::Arc;
use tokio::task::JoinSet;
use trolley::domain::items::AddItems;
use trolley::service;
use trolley_tests::api::Api;

#[tokio::test]
async fn twenty_concurrent_adds_through_the_api_all_land() {
    let api = Arc::new(Api::new());
    let product = api.new_product().await;
    let cart = api.new_cart(json!({})).await;
    let cart_path = format!("/carts/{}", cart["id"].as_str().unwrap());

    let mut adds = JoinSet::new();
    for _ in 0..20 {
        let (api, path) = (api.clone(), format!("{cart_path}/items"));
        let body = json!({"line_items": [{"product_id": product, "quantity": 1}]});
        adds.spawn(async move { api.post(&path, body).await });
    }
    for reply in adds.join_all().await {
        assert_eq!(reply.status, 201, "{:#}", reply.body);
    }

    let cart = api.get(&cart_path).await.expect(200);
    assert_eq!(cart.data()["line_items"][0]["quantity"], 20);
    assert_eq!(cart.data()["version"], 21, "one version per change");
}

#[tokio::test]
async fn twenty_concurrent_adds_through_the_service_all_land() {
    // The same race without HTTP in between: twenty tasks sharing one store handle.
    let app = trolley_tests::app().await;
    let cart = service::carts::create(&app, Default::default(), service::now())
        .await
        .unwrap()
        .cart;
    let body: AddItems = trolley::http::bodies::from_value(json!({
        "custom_items": [{"sku": "S", "name": "Sticker", "quantity": 1, "price": 10}]
    }))
    .unwrap();

    let mut adds = JoinSet::new();
    for _ in 0..20 {
        let (app, body) = (app.clone(), body.clone());
        adds.spawn(
            async move { service::items::add(&app, cart.id, None, body, service::now()).await },
        );
    }
    for result in adds.join_all().await {
        result.expect("every add succeeds");
    }
    let cart = service::carts::load(&app, cart.id, service::now())
        .await
        .unwrap();
    assert_eq!(cart.custom_items.len(), 20);
    assert_eq!(cart.version, 21);
}
