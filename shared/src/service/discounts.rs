//! Adding and removing a cart's custom discounts.

use super::carts::change;
use super::{App, Precondition, Priced};
use crate::Error;
use crate::domain::discounts::CustomDiscountInput;
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

pub async fn remove(
    app: &App,
    cart_id: Uuid,
    discount_id: Uuid,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    app.check_backend()?;
    let (cart, ()) = change(app, cart_id, precondition, now, |cart| {
        cart.remove_custom_discount(discount_id)
    })
    .await?;
    app.price(cart, now).await
}
