//! Creating, reading, changing and deleting carts.

use super::{App, IfMatch, retry};
use crate::domain::cart::{Cart, CartPatch, NewCart};
use crate::domain::items::LineItemInput;
use crate::domain::product::Catalog;
use crate::store::Saved;
use crate::{Error, Problem};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Creates a cart, with its first items if the request has any (all or nothing).
pub async fn create(app: &App, input: NewCart, now: DateTime<Utc>) -> Result<Cart, Error> {
    let settings = app.settings().await?;
    let mut cart = Cart::new(&input, &settings, now)?;
    if !input.line_items.is_empty() || !input.custom_items.is_empty() {
        let (line_items, custom_items) =
            (input.line_items.as_slice(), input.custom_items.as_slice());
        let catalog = catalog_for(app, line_items).await?;
        cart.add_items(line_items, custom_items, &catalog, true)?;
    }
    match app.store.create_cart(&cart).await? {
        Saved::Done => Ok(cart),
        // A fresh v4 id never collides; if it ever did, nothing was overwritten.
        Saved::Conflict => Err(Error::internal()),
    }
}

/// A live cart: 404 when it does not exist or has expired.
pub async fn get(app: &App, id: Uuid, now: DateTime<Utc>) -> Result<Cart, Error> {
    match app.store.get_cart(id).await? {
        Some(cart) if !cart.is_expired(now) => Ok(cart),
        _ => Err(Error::not_found("cart")),
    }
}

pub async fn update(
    app: &App,
    id: Uuid,
    if_match: Option<&IfMatch>,
    patch: CartPatch,
    now: DateTime<Utc>,
) -> Result<Cart, Error> {
    let (cart, ()) = change(app, id, if_match, now, |cart| {
        cart.apply_patch(patch.clone())
    })
    .await?;
    Ok(cart)
}

pub async fn delete(
    app: &App,
    id: Uuid,
    if_match: Option<&IfMatch>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    retry::on_conflict(|| async {
        let current = get(app, id, now).await?;
        if let Some(if_match) = if_match {
            if_match.check(current.version)?;
        }
        Ok(match app.store.delete_cart(id, current.version).await? {
            Saved::Done => Some(()),
            Saved::Conflict => None,
        })
    })
    .await
}

/// The one way a cart changes: load it (404 if gone), check `If-Match` (412), apply
/// `change` to a copy, and save it if anything changed, with a new version, `updated_at`
/// and expiry. A refused change (`Err`) or a lost race writes nothing; a lost race is
/// retried from a fresh read, so concurrent changes are never lost.
pub async fn change<T>(
    app: &App,
    id: Uuid,
    if_match: Option<&IfMatch>,
    now: DateTime<Utc>,
    change: impl Fn(&mut Cart) -> Result<T, Error>,
) -> Result<(Cart, T), Error> {
    let settings = app.settings().await?;
    retry::on_conflict(|| async {
        let current = get(app, id, now).await?;
        if let Some(if_match) = if_match {
            if_match.check(current.version)?;
        }
        let mut cart = current.clone();
        let outcome = change(&mut cart)?;
        if cart == current {
            return Ok(Some((cart, outcome)));
        }
        cart.touch(&settings, now);
        Ok(match app.store.save_cart(&cart, current.version).await? {
            Saved::Done => Some((cart, outcome)),
            Saved::Conflict => None,
        })
    })
    .await
}

/// The catalog entries a request's line items name, in one batch read (none when there are
/// no line items).
pub async fn catalog_for(app: &App, line_items: &[LineItemInput]) -> Result<Catalog, Error> {
    if line_items.is_empty() {
        return Ok(Catalog::default());
    }
    app.store
        .get_products(line_items.iter().map(|i| &i.product_id))
        .await
}

/// Items refused by a partial add, reported beside the cart.
pub type Refused = Vec<Problem>;
