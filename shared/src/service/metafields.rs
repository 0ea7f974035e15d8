//! A cart's metafields (BigCommerce's cart metafields): the trusted backend's alone. They
//! are part of the cart item, so each change is saved as a cart change (new version, same
//! no-lost-update guarantee) and they go when the cart goes; but it is not shopper
//! activity, so it neither reopens a checked-out or abandoned cart nor extends its life.

use super::App;
use super::carts::{change_metadata, load};
use crate::Error;
use crate::domain::metafields::{Metafield, MetafieldChange, MetafieldInput};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The cart's metafields, oldest first.
pub async fn list(app: &App, cart_id: Uuid, now: DateTime<Utc>) -> Result<Vec<Metafield>, Error> {
    app.check_backend()?;
    Ok(load(app, cart_id, now).await?.metafields)
}

pub async fn get(
    app: &App,
    cart_id: Uuid,
    id: u64,
    now: DateTime<Utc>,
) -> Result<Metafield, Error> {
    app.check_backend()?;
    load(app, cart_id, now).await?.metafield(id).cloned()
}

pub async fn add(
    app: &App,
    cart_id: Uuid,
    input: MetafieldInput,
    now: DateTime<Utc>,
) -> Result<Metafield, Error> {
    app.check_backend()?;
    let (cart, id) =
        change_metadata(app, cart_id, now, |cart| cart.add_metafield(&input, now)).await?;
    cart.metafield(id).cloned()
}

pub async fn update(
    app: &App,
    cart_id: Uuid,
    id: u64,
    metafield_change: MetafieldChange,
    now: DateTime<Utc>,
) -> Result<Metafield, Error> {
    app.check_backend()?;
    let (cart, ()) = change_metadata(app, cart_id, now, |cart| {
        cart.update_metafield(id, &metafield_change, now)
    })
    .await?;
    cart.metafield(id).cloned()
}

pub async fn remove(app: &App, cart_id: Uuid, id: u64, now: DateTime<Utc>) -> Result<(), Error> {
    app.check_backend()?;
    change_metadata(app, cart_id, now, |cart| cart.remove_metafield(id)).await?;
    Ok(())
}
