//! The data the events/ files refer to: default settings, a product, two promotions, carts
//! with fixed ids, an order and a flagged cart. `local-setup` writes them, and the events
//! test rewrites them before each event so every event meets the same state.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use trolley::config::parse_signing_keys;
use trolley::domain::cart::{Cart, NewCart};
use trolley::domain::items::LineItem;
use trolley::domain::metafields::{MetafieldInput, PermissionSet};
use trolley::domain::order::{CheckoutInput, Order};
use trolley::domain::product::{Product, ProductInput};
use trolley::domain::promotion::PromotionInput;
use trolley::domain::settings::Settings;
use trolley::domain::tokens::{Claims, KeyRing, Purpose, never};
use trolley::domain::values::{ClientId, CustomerId, Text, sha256_hex};
use trolley::store::{CheckoutOutcome, IdleCart, MetafieldEntry, Saved, Store};
use uuid::Uuid;

pub const PRODUCT_ID: &str = "demo-widget";
/// The product and variant BigCommerce's cart guide adds (`product_id` 80, `variant_id` 64),
/// so its first request works against `make run` as written.
pub const GUIDE_PRODUCT_ID: &str = "80";
/// A customer's cart (customer `demo-customer`) holding one widget, with the code DEMO10
/// applied and one custom discount.
pub const CART_ID: &str = "11111111-1111-4111-8111-111111111111";
pub const ITEM_ID: &str = "22222222-2222-4222-8222-222222222222";
pub const DISCOUNT_ID: &str = "33333333-3333-4333-8333-333333333333";
/// A tax item on the demo cart's item.
pub const TAX_ID: &str = "55555555-5555-4555-8555-555555555555";
/// A metafield on the demo cart (BigCommerce's cart metafields).
pub const METAFIELD_ID: u64 = 4242;
/// A guest cart holding two red widgets, to merge into the first.
pub const GUEST_CART_ID: &str = "44444444-4444-4444-8444-444444444444";
/// An order, placed from the cart `ORDERED_CART_ID`.
pub const ORDER_ID: &str = "66666666-6666-4666-8666-666666666666";
pub const ORDERED_CART_ID: &str = "77777777-7777-4777-8777-777777777777";
/// A cart flagged abandoned (its recovery token is `recovery_token()`).
pub const ABANDONED_CART_ID: &str = "88888888-8888-4888-8888-888888888888";
/// The development signing keys `scripts/lib.sh` gives the local functions (`SIGNING_KEYS`).
/// The development shopper-digest key `scripts/lib.sh` gives them (`CHECKOUT_KEY`).
pub const LOCAL_CHECKOUT_KEY: &str = "local-development-checkout-key";
/// The token the local `/v3` token authorizer expects (`V3_AUTH_TOKEN` in `scripts/lib.sh`).
pub const LOCAL_V3_AUTH_TOKEN: &str = "local-development-v3-token";
pub const LOCAL_SIGNING_KEYS: &str = r#"{"kid":"local","key":"local-development-signing-key"}"#;

type Fixture = Result<(), String>;

/// A command written as the native API's body.
fn parse<T: trolley::http::bodies::NativeBody>(value: Value) -> Result<T, String> {
    trolley::http::bodies::from_value(value).map_err(|e| e.to_string())
}

fn id(text: &str) -> Result<ClientId, String> {
    ClientId::parse(text).ok_or_else(|| format!("bad fixture id {text}"))
}

fn staff_metafield() -> Result<MetafieldInput, String> {
    Ok(MetafieldInput {
        namespace: Text::try_from("Sales Department".to_string())?,
        key: Text::try_from("Staff Name".to_string())?,
        value: Text::try_from("Sam".to_string())?,
        description: Text::default(),
        permission_set: PermissionSet::AppOnly,
    })
}

fn uuid(text: &str) -> Result<Uuid, String> {
    Uuid::parse_str(text).map_err(|e| e.to_string())
}

fn fail(err: trolley::Error) -> String {
    err.to_string()
}

/// Writes (or rewrites) the fixtures.
pub async fn seed(store: &Store, now: DateTime<Utc>) -> Fixture {
    let read = store.get_settings_revised().await.map_err(fail)?.revision;
    store
        .put_settings(&Settings::default(), read)
        .await
        .map_err(fail)?;
    let product = seed_catalog(store, now).await?;

    let mut cart = demo_cart(&product, CART_ID, now)?;
    cart.customer_id = Some(CustomerId::parse("demo-customer").ok_or("bad customer id")?);
    cart.promotion_codes.push("DEMO10".into());
    cart.discount_settings.custom_discounts_enabled = true;
    let discount =
        parse(json!({"amount": 100, "description": "Loyalty", "discount_code": "LOYAL1"}))?;
    cart.add_custom_discount(&discount).map_err(fail)?;
    cart.custom_discounts[0].id = uuid(DISCOUNT_ID)?;
    let vat = trolley::domain::taxes::TaxItemInput {
        name: "VAT".to_string().try_into()?,
        code: "VAT20".to_string().try_into()?,
        jurisdiction: "UK".to_string().try_into()?,
        charge: trolley::domain::taxes::TaxCharge::Rate(trolley::domain::taxes::TaxRate::parse(
            "0.2",
        )?),
    };
    cart.add_tax_item(uuid(ITEM_ID)?, &vat).map_err(fail)?;
    cart.tax_items[0].id = uuid(TAX_ID)?;
    cart.add_metafield(&staff_metafield()?, now).map_err(fail)?;
    cart.metafields[0].id = METAFIELD_ID;
    // The metafield goes in as the API adds one: a cart change that writes its index
    // entry too (an earlier seed's entry goes first).
    let bare = Cart {
        version: cart.version - 1,
        metafields: Vec::new(),
        ..cart.clone()
    };
    let entry = MetafieldEntry {
        metafield_id: METAFIELD_ID,
        cart_id: cart.id,
    };
    store.forget_metafield(entry).await.map_err(fail)?;
    rewrite(store, &bare).await?;
    match store.save_changed_cart(&cart, &bare).await.map_err(fail)? {
        Saved::Done => {}
        Saved::Conflict => return Err("the demo cart changed while it was seeded".into()),
    }

    let mut guest = demo_cart(&product, GUEST_CART_ID, now)?;
    guest.name = Some("Guest cart".into());
    guest.line_items[0].variant_id = Some(id("red")?);
    guest.line_items[0].sku = "DW-1-RED".into();
    guest.line_items[0].quantity = 2;
    guest.line_items[0].unit_price = 2099;
    guest.line_items[0].id = Uuid::new_v4();
    rewrite(store, &guest).await?;

    seed_order(store, &product, now).await?;
    // A redirect token works once; the events resolve the demo cart's.
    let token = sha256_hex(redirect_token()?.as_bytes());
    store.forget_token_use(&token).await.map_err(fail)?;
    seed_abandoned(store, &product, now).await
}

/// The demo widget and the two demo promotions.
async fn seed_catalog(store: &Store, now: DateTime<Utc>) -> Result<Product, String> {
    let product: ProductInput = parse(json!({
        "name": "Demo widget", "sku": "DW-1",
        "prices": [{"currency": "USD", "amount": 1999}, {"currency": "EUR", "amount": 1899}],
        "variants": [{"id": "red", "sku": "DW-1-RED", "prices": [{"currency": "USD", "amount": 2099}]}]
    }))?;
    let mut product = product.into_product(id(PRODUCT_ID)?, now).map_err(fail)?;
    store.put_product(&mut product).await.map_err(fail)?;
    let guide: ProductInput = parse(json!({
        "name": "Orbit terrarium", "sku": "OTS",
        "prices": [{"currency": "USD", "amount": 10900}],
        "variants": [{"id": "64", "sku": "OTS-LARGE", "prices": [{"currency": "USD", "amount": 12900}]}]
    }))?;
    let mut guide = guide
        .into_product(id(GUIDE_PRODUCT_ID)?, now)
        .map_err(fail)?;
    store.put_product(&mut guide).await.map_err(fail)?;
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
        let promotion = input.into_promotion(id(promotion_id)?, now).map_err(fail)?;
        store.put_promotion(&promotion).await.map_err(fail)?;
    }
    Ok(product)
}

/// A cart at version 1 with id `cart_id`, holding one demo widget.
fn demo_cart(product: &Product, cart_id: &str, now: DateTime<Utc>) -> Result<Cart, String> {
    let input: NewCart = parse(json!({"name": "Demo cart"}))?;
    let mut cart = Cart::new(&input, &Settings::default(), now).map_err(fail)?;
    cart.id = uuid(cart_id)?;
    cart.line_items.push(LineItem {
        id: uuid(ITEM_ID)?,
        product_id: product.id.clone(),
        variant_id: None,
        sku: product.sku.clone(),
        name: product.name.clone(),
        quantity: 1,
        unit_price: 1999,
        kind: product.kind,
        price_overridden: false,
        options: Vec::new(),
        stamp: product.offer(None).map(|offer| offer.stamp()),
    });
    Ok(cart)
}

/// The order fixture, placed once (orders are never rewritten).
async fn seed_order(store: &Store, product: &Product, now: DateTime<Utc>) -> Fixture {
    if store
        .get_order(uuid(ORDER_ID)?)
        .await
        .map_err(fail)?
        .is_some()
    {
        return Ok(());
    }
    let cart = demo_cart(product, ORDERED_CART_ID, now)?;
    rewrite(store, &cart).await?;
    let totals = cart.price(&[], now).map_err(fail)?;
    let mut order = Order::from_cart(&cart, totals, CheckoutInput::default(), now).map_err(fail)?;
    order.id = uuid(ORDER_ID)?;
    let mut ordered = cart.clone();
    ordered.touch(&Settings::default(), now);
    ordered.last_order_id = Some(order.id);
    ordered.checked_out = true;
    match store
        .checkout(&order, &[], &[], &[], &ordered, cart.version)
        .await
        .map_err(fail)?
    {
        CheckoutOutcome::Done => Ok(()),
        other => Err(format!("the fixture order was not placed: {other:?}")),
    }
}

/// A cart the sweep has flagged, with a recovery token the events know.
async fn seed_abandoned(store: &Store, product: &Product, now: DateTime<Utc>) -> Fixture {
    let cart = demo_cart(product, ABANDONED_CART_ID, now)?;
    rewrite(store, &cart).await?;
    let idle = IdleCart {
        cart_id: cart.id,
        version: cart.version,
        expires_at: cart.expires_at.timestamp(),
    };
    match store
        .flag_abandoned(&idle, &recovery_token()?, now)
        .await
        .map_err(fail)?
    {
        Saved::Done => Ok(()),
        Saved::Conflict => Err("the abandoned fixture cart could not be flagged".into()),
    }
}

/// The local functions' signing keys.
pub fn local_keys() -> KeyRing {
    parse_signing_keys(LOCAL_SIGNING_KEYS).expect("the development keys parse")
}

/// A redirect token for the demo cart, signed with the development key, valid until 2099.
pub fn redirect_token() -> Result<String, String> {
    let expires_at = "2099-01-01T00:00:00Z".parse().map_err(|_| "bad date")?;
    Ok(local_keys().sign(&Claims {
        cart_id: uuid(CART_ID)?,
        purpose: Purpose::Cart,
        expires_at,
    }))
}

/// The abandoned demo cart's recovery token, signed with the development key.
pub fn recovery_token() -> Result<String, String> {
    Ok(local_keys().sign(&Claims {
        cart_id: uuid(ABANDONED_CART_ID)?,
        purpose: Purpose::Recovery,
        expires_at: never(),
    }))
}

/// Replaces whatever is stored under the cart's id.
async fn rewrite(store: &Store, cart: &Cart) -> Fixture {
    if let Some(existing) = store.get_cart(cart.id).await.map_err(fail)? {
        store
            .delete_cart(cart.id, existing.version)
            .await
            .map_err(fail)?;
    }
    match store.create_cart(cart).await.map_err(fail)? {
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
