//! The data the events/ files refer to: a product and a cart with fixed ids. `local-setup`
//! writes them, and the events test rewrites them before each event so every event meets
//! the same state.

use chrono::{DateTime, Utc};
use serde_json::json;
use trolley::domain::cart::{Cart, NewCart};
use trolley::domain::product::ProductInput;
use trolley::domain::settings::Settings;
use trolley::domain::values::ClientId;
use trolley::store::{Saved, Store};
use uuid::Uuid;

pub const PRODUCT_ID: &str = "demo-widget";
pub const CART_ID: &str = "11111111-1111-4111-8111-111111111111";
pub const ITEM_ID: &str = "22222222-2222-4222-8222-222222222222";

/// Writes (or rewrites) the fixtures.
pub async fn seed(store: &Store, now: DateTime<Utc>) -> Result<(), String> {
    let product: ProductInput = serde_json::from_value(json!({
        "name": "Demo widget", "sku": "DW-1",
        "prices": [{"currency": "USD", "amount": 1999}, {"currency": "EUR", "amount": 1899}],
        "variants": [{"id": "red", "sku": "DW-1-RED", "prices": [{"currency": "USD", "amount": 2099}]}]
    }))
    .map_err(|e| e.to_string())?;
    let product_id = ClientId::parse(PRODUCT_ID).ok_or("bad fixture id")?;
    let product = product
        .into_product(product_id, now)
        .map_err(|e| e.to_string())?;
    store
        .put_product(&product)
        .await
        .map_err(|e| e.to_string())?;

    let cart = fixture_cart(&product, now)?;
    if let Some(existing) = store.get_cart(cart.id).await.map_err(|e| e.to_string())? {
        store
            .delete_cart(cart.id, existing.version)
            .await
            .map_err(|e| e.to_string())?;
    }
    match store.create_cart(&cart).await.map_err(|e| e.to_string())? {
        Saved::Done => Ok(()),
        Saved::Conflict => Err("the fixture cart changed while it was being rewritten".into()),
    }
}

/// A guest cart at version 1 holding one demo widget.
fn fixture_cart(
    product: &trolley::domain::product::Product,
    now: DateTime<Utc>,
) -> Result<Cart, String> {
    let input: NewCart =
        serde_json::from_value(json!({"name": "Demo cart"})).map_err(|e| e.to_string())?;
    let mut cart = Cart::new(&input, &Settings::default(), now).map_err(|e| e.to_string())?;
    cart.id = Uuid::parse_str(CART_ID).map_err(|e| e.to_string())?;
    cart.line_items.push(trolley::domain::items::LineItem {
        id: Uuid::parse_str(ITEM_ID).map_err(|e| e.to_string())?,
        product_id: product.id.clone(),
        variant_id: None,
        sku: product.sku.clone(),
        name: product.name.clone(),
        quantity: 1,
        unit_price: 1999,
    });
    Ok(cart)
}

/// A cart whose `expires_at` has just passed, written straight to the table (the API would
/// never write one). DynamoDB's TTL deletes it within seconds; until then it is still stored.
pub async fn expired_cart(store: &Store) -> Cart {
    let long_ago = trolley::service::now() - chrono::Duration::days(30);
    let mut cart = Cart::new(&NewCart::default(), &Settings::default(), long_ago)
        .expect("an empty cart is valid");
    cart.expires_at = trolley::service::now() - chrono::Duration::seconds(1);
    assert_eq!(store.create_cart(&cart).await.expect("stored"), Saved::Done);
    cart
}
