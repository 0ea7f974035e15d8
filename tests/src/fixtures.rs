//! The data the events/ files refer to: default settings, a product, two promotions and two
//! carts with fixed ids. `local-setup` writes them, and the events test rewrites them before
//! each event so every event meets the same state.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use trolley::domain::cart::{Cart, NewCart};
use trolley::domain::items::LineItem;
use trolley::domain::product::{Product, ProductInput};
use trolley::domain::promotion::PromotionInput;
use trolley::domain::settings::Settings;
use trolley::domain::values::ClientId;
use trolley::store::{Saved, Store};
use uuid::Uuid;

pub const PRODUCT_ID: &str = "demo-widget";
/// A customer's cart (customer `demo-customer`) holding one widget, with the code DEMO10
/// applied and one custom discount.
pub const CART_ID: &str = "11111111-1111-4111-8111-111111111111";
pub const ITEM_ID: &str = "22222222-2222-4222-8222-222222222222";
pub const DISCOUNT_ID: &str = "33333333-3333-4333-8333-333333333333";
/// A guest cart holding two red widgets, to merge into the first.
pub const GUEST_CART_ID: &str = "44444444-4444-4444-8444-444444444444";

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

fn id(text: &str) -> Result<ClientId, String> {
    ClientId::parse(text).ok_or_else(|| format!("bad fixture id {text}"))
}

fn uuid(text: &str) -> Result<Uuid, String> {
    Uuid::parse_str(text).map_err(|e| e.to_string())
}

/// Writes (or rewrites) the fixtures.
pub async fn seed(store: &Store, now: DateTime<Utc>) -> Result<(), String> {
    let fail = |e: trolley::Error| e.to_string();
    store
        .put_settings(&Settings::default())
        .await
        .map_err(fail)?;

    let product: ProductInput = parse(json!({
        "name": "Demo widget", "sku": "DW-1",
        "prices": [{"currency": "USD", "amount": 1999}, {"currency": "EUR", "amount": 1899}],
        "variants": [{"id": "red", "sku": "DW-1-RED", "prices": [{"currency": "USD", "amount": 2099}]}]
    }))?;
    let product = product.into_product(id(PRODUCT_ID)?, now).map_err(fail)?;
    store.put_product(&product).await.map_err(fail)?;

    for (promotion_id, body) in [
        (
            "demo-10",
            json!({"name": "Demo 10%", "kind": "percent_off", "value": 10, "code": "DEMO10",
                            "starts_at": "2026-01-01T00:00:00Z"}),
        ),
        (
            "welcome-5",
            json!({"name": "Welcome $5", "kind": "amount_off", "value": 500, "code": "WELCOME5",
                              "starts_at": "2026-01-01T00:00:00Z"}),
        ),
    ] {
        let input: PromotionInput = parse(body)?;
        store
            .put_promotion(&input.into_promotion(id(promotion_id)?, now).map_err(fail)?)
            .await
            .map_err(fail)?;
    }

    let mut cart = demo_cart(&product, now)?;
    cart.promotion_codes.push("DEMO10".into());
    cart.add_custom_discount(&parse(
        json!({"amount": 100, "description": "Loyalty", "discount_code": "LOYAL1"}),
    )?)
    .map_err(fail)?;
    cart.custom_discounts[0].id = uuid(DISCOUNT_ID)?;
    rewrite(store, &cart).await?;

    let mut guest = Cart::new(
        &parse(json!({"name": "Guest cart"}))?,
        &Settings::default(),
        now,
    )
    .map_err(fail)?;
    guest.id = uuid(GUEST_CART_ID)?;
    guest.line_items.push(LineItem {
        id: Uuid::new_v4(),
        product_id: product.id.clone(),
        variant_id: Some(id("red")?),
        sku: "DW-1-RED".into(),
        name: product.name.clone(),
        quantity: 2,
        unit_price: 2099,
    });
    rewrite(store, &guest).await
}

/// The customer's cart at version 1, holding one demo widget.
fn demo_cart(product: &Product, now: DateTime<Utc>) -> Result<Cart, String> {
    let input: NewCart = parse(json!({"name": "Demo cart", "customer_id": "demo-customer",
                                      "discount_settings": {"custom_discounts_enabled": true}}))?;
    let mut cart = Cart::new(&input, &Settings::default(), now).map_err(|e| e.to_string())?;
    cart.id = uuid(CART_ID)?;
    cart.line_items.push(LineItem {
        id: uuid(ITEM_ID)?,
        product_id: product.id.clone(),
        variant_id: None,
        sku: product.sku.clone(),
        name: product.name.clone(),
        quantity: 1,
        unit_price: 1999,
    });
    Ok(cart)
}

/// Replaces whatever is stored under the cart's id.
async fn rewrite(store: &Store, cart: &Cart) -> Result<(), String> {
    if let Some(existing) = store.get_cart(cart.id).await.map_err(|e| e.to_string())? {
        store
            .delete_cart(cart.id, existing.version)
            .await
            .map_err(|e| e.to_string())?;
    }
    match store.create_cart(cart).await.map_err(|e| e.to_string())? {
        Saved::Done => Ok(()),
        Saved::Conflict => Err("a fixture cart changed while it was being rewritten".into()),
    }
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
