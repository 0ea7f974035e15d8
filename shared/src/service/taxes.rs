//! Setting, changing and removing the tax items on a cart's items. Only the trusted backend
//! may (a tax service's figures, like a custom discount's, are not the shopper's to set).

use super::carts::{Refused, change};
use super::{App, Priced};
use crate::Error;
use crate::domain::taxes::{NewTaxItem, TaxItemInput, TaxItemPatch};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Sets one tax item on `item_id`; returns the cart and the new tax item's id.
pub async fn add(
    app: &App,
    cart_id: Uuid,
    item_id: Uuid,
    tax: TaxItemInput,
    now: DateTime<Utc>,
) -> Result<(Priced, Uuid), Error> {
    app.check_backend()?;
    let (cart, id) = change(app, cart_id, None, now, |cart| {
        cart.add_tax_item(item_id, &tax)
    })
    .await?;
    Ok((app.price(cart, now).await?, id))
}

/// Sets several tax items in one change (see `Cart::add_tax_items`); returns the cart, the
/// new ids in order, and what was refused.
pub async fn add_many(
    app: &App,
    cart_id: Uuid,
    taxes: Vec<NewTaxItem>,
    all_or_nothing: bool,
    now: DateTime<Utc>,
) -> Result<(Priced, Vec<Uuid>, Refused), Error> {
    app.check_backend()?;
    let (cart, (ids, refused)) = change(app, cart_id, None, now, |cart| {
        cart.add_tax_items(&taxes, all_or_nothing)
    })
    .await?;
    Ok((app.price(cart, now).await?, ids, refused))
}

pub async fn update(
    app: &App,
    cart_id: Uuid,
    item_id: Uuid,
    tax_id: Uuid,
    patch: TaxItemPatch,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    app.check_backend()?;
    let (cart, ()) = change(app, cart_id, None, now, |cart| {
        cart.update_tax_item(item_id, tax_id, &patch)
    })
    .await?;
    app.price(cart, now).await
}

pub async fn remove(
    app: &App,
    cart_id: Uuid,
    item_id: Uuid,
    tax_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    app.check_backend()?;
    let (cart, ()) = change(app, cart_id, None, now, |cart| {
        cart.remove_tax_item(item_id, tax_id)
    })
    .await?;
    app.price(cart, now).await
}

/// Removes every tax item from every item of the cart.
pub async fn clear(app: &App, cart_id: Uuid, now: DateTime<Utc>) -> Result<Priced, Error> {
    app.check_backend()?;
    let (cart, ()) = change(app, cart_id, None, now, |cart| {
        cart.clear_tax_items();
        Ok(())
    })
    .await?;
    app.price(cart, now).await
}
