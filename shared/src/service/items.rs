//! Adding, changing, removing and clearing a cart's items.

use super::carts::{Refused, catalog_for, change};
use super::{App, IfMatch};
use crate::Error;
use crate::domain::cart::Cart;
use crate::domain::items::{AddItems, ItemUpdate};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Adds catalog and custom items. The catalog is read once; a retry after a lost race
/// re-applies the same items to the fresh cart.
pub async fn add(
    app: &App,
    cart_id: Uuid,
    if_match: Option<&IfMatch>,
    body: AddItems,
    now: DateTime<Utc>,
) -> Result<(Cart, Refused), Error> {
    body.check_not_empty()?;
    let (line_items, custom_items) = (body.line_items.as_slice(), body.custom_items.as_slice());
    let catalog = catalog_for(app, line_items).await?;
    change(app, cart_id, if_match, now, |cart| {
        cart.add_items(line_items, custom_items, &catalog, body.add_all_or_nothing)
    })
    .await
}

pub async fn update(
    app: &App,
    cart_id: Uuid,
    item_id: Uuid,
    if_match: Option<&IfMatch>,
    body: ItemUpdate,
    now: DateTime<Utc>,
) -> Result<Cart, Error> {
    let (cart, ()) = change(app, cart_id, if_match, now, |cart| {
        cart.set_quantity(item_id, body.quantity)
    })
    .await?;
    Ok(cart)
}

pub async fn remove(
    app: &App,
    cart_id: Uuid,
    item_id: Uuid,
    if_match: Option<&IfMatch>,
    now: DateTime<Utc>,
) -> Result<Cart, Error> {
    let (cart, ()) = change(app, cart_id, if_match, now, |cart| {
        cart.remove_item(item_id)
    })
    .await?;
    Ok(cart)
}

pub async fn clear(
    app: &App,
    cart_id: Uuid,
    if_match: Option<&IfMatch>,
    now: DateTime<Utc>,
) -> Result<Cart, Error> {
    let (cart, ()) = change(app, cart_id, if_match, now, |cart| {
        cart.clear_items();
        Ok(())
    })
    .await?;
    Ok(cart)
}
