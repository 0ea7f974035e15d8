//! Adding and removing a cart's custom discounts.

use super::carts::{Refused, change};
use super::{App, Precondition, Priced};
use crate::Error;
use crate::domain::discounts::{CustomDiscountInput, NewCustomDiscount};
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub async fn add(
    app: &App,
    cart_id: Uuid,
    precondition: Option<&Precondition>,
    input: CustomDiscountInput,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    app.check_backend()?;
    let (cart, _) = change(app, cart_id, precondition, now, |cart| {
        cart.add_custom_discount(&input)
    })
    .await?;
    app.price(cart, now).await
}

/// Adds one off the cart or the item the path names (404 when the cart lacks it), returning
/// the cart and the new discount's id.
pub async fn add_one(
    app: &App,
    cart_id: Uuid,
    input: CustomDiscountInput,
    now: DateTime<Utc>,
) -> Result<(Priced, Uuid), Error> {
    app.check_backend()?;
    let (cart, id) = change(app, cart_id, None, now, |cart| {
        // The path names the item: one the cart lacks is not found, not a bad field.
        if let Some(item_id) = input.item_id
            && !cart.has_item(item_id)
        {
            return Err(Error::not_found("item"));
        }
        cart.add_custom_discount(&input)
    })
    .await?;
    Ok((app.price(cart, now).await?, id))
}

/// Adds several in one change (see `Cart::add_custom_discounts`); returns the cart, the new
/// ids in order, and what was refused.
pub async fn add_many(
    app: &App,
    cart_id: Uuid,
    discounts: Vec<NewCustomDiscount>,
    all_or_nothing: bool,
    now: DateTime<Utc>,
) -> Result<(Priced, Vec<Uuid>, Refused), Error> {
    app.check_backend()?;
    let (cart, (ids, refused)) = change(app, cart_id, None, now, |cart| {
        cart.add_custom_discounts(&discounts, all_or_nothing)
    })
    .await?;
    Ok((app.price(cart, now).await?, ids, refused))
}

/// Replaces a custom discount's amount and text; `item_id` is where the request says it is
/// (`None`: on the cart as a whole).
pub async fn update(
    app: &App,
    cart_id: Uuid,
    discount_id: Uuid,
    item_id: Option<Uuid>,
    input: CustomDiscountInput,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    app.check_backend()?;
    let (cart, ()) = change(app, cart_id, None, now, |cart| {
        cart.update_custom_discount(discount_id, item_id, &input)
    })
    .await?;
    app.price(cart, now).await
}

/// Removes one custom discount; with `item_id`, only if it is on that item.
pub async fn remove(
    app: &App,
    cart_id: Uuid,
    discount_id: Uuid,
    item_id: Option<Uuid>,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    app.check_backend()?;
    let (cart, ()) = change(app, cart_id, precondition, now, |cart| {
        cart.remove_custom_discount(discount_id, item_id)
    })
    .await?;
    app.price(cart, now).await
}

/// Removes every custom discount, the cart's and its items'.
pub async fn clear(app: &App, cart_id: Uuid, now: DateTime<Utc>) -> Result<Priced, Error> {
    app.check_backend()?;
    let (cart, ()) = change(app, cart_id, None, now, |cart| {
        cart.clear_custom_discounts();
        Ok(())
    })
    .await?;
    app.price(cart, now).await
}
