//! A cart's metafields (BigCommerce's cart metafields): the trusted backend's alone. They
//! are part of the cart item, so each change is saved as a cart change (new version, same
//! no-lost-update guarantee) and they go when the cart goes; but it is not shopper
//! activity, so it neither reopens a checked-out or abandoned cart nor extends its life.

use super::App;
use super::carts::{change_metadata, load};
use crate::domain::cart::Cart;
use crate::domain::metafields::{Metafield, MetafieldChange, MetafieldInput};
use crate::{Code, Error};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
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

/// What a batch did with each item it was given, in the order given: each item succeeds or
/// fails on its own (BigCommerce's partial success), and a failure changes nothing of its
/// own.
pub type Outcomes<T> = Vec<Result<T, Error>>;

/// Most items one batch request may carry.
pub const MAX_BATCH: usize = 50;

/// Adds each metafield to the cart it names, one cart change per cart.
pub async fn add_many(
    app: &App,
    inputs: &[(Uuid, MetafieldInput)],
    now: DateTime<Utc>,
) -> Result<Outcomes<(Uuid, Metafield)>, Error> {
    app.check_backend()?;
    let carts = inputs.iter().map(|(cart, _)| Some(*cart)).collect();
    let add = |cart: &mut Cart, i: usize| cart.add_metafield(&inputs[i].1, now);
    Ok(per_cart(app, now, carts, "cart", add, held).await)
}

/// Changes each metafield, found by id in the metafield index.
pub async fn update_many(
    app: &App,
    changes: &[(u64, MetafieldChange)],
    now: DateTime<Utc>,
) -> Result<Outcomes<(Uuid, Metafield)>, Error> {
    app.check_backend()?;
    let ids: Vec<u64> = changes.iter().map(|(id, _)| *id).collect();
    let carts = holders(app, &ids).await?;
    let update = |cart: &mut Cart, i: usize| {
        let (id, change) = &changes[i];
        cart.update_metafield(*id, change, now).map(|()| *id)
    };
    Ok(per_cart(app, now, carts, "metafield", update, held).await)
}

/// Removes each metafield, found by id in the metafield index; the ids removed.
pub async fn remove_many(
    app: &App,
    ids: &[u64],
    now: DateTime<Utc>,
) -> Result<Outcomes<u64>, Error> {
    app.check_backend()?;
    let carts = holders(app, ids).await?;
    let remove = |cart: &mut Cart, i: usize| cart.remove_metafield(ids[i]).map(|()| ids[i]);
    Ok(per_cart(app, now, carts, "metafield", remove, |_, id| Ok(id)).await)
}

/// The cart holding each metafield, as the index says (none for an id it lacks).
async fn holders(app: &App, ids: &[u64]) -> Result<Vec<Option<Uuid>>, Error> {
    let carts = app.store.metafield_carts(ids).await?;
    Ok(ids.iter().map(|id| carts.get(id).copied()).collect())
}

/// The metafield `id` as the saved cart holds it, with the cart's id.
fn held(cart: &Cart, id: u64) -> Result<(Uuid, Metafield), Error> {
    Ok((cart.id, cart.metafield(id)?.clone()))
}

/// Applies `change` to each item (by position) in one cart change per cart, `carts[i]`
/// being item i's cart; then `view` reads each result from the saved cart. An item whose
/// cart is missing, or gone, fails as `missing` not found; a cart change that fails as a
/// whole (too large, a write conflict) fails its items alone.
async fn per_cart<T, U>(
    app: &App,
    now: DateTime<Utc>,
    carts: Vec<Option<Uuid>>,
    missing: &str,
    change: impl Fn(&mut Cart, usize) -> Result<T, Error>,
    view: impl Fn(&Cart, T) -> Result<U, Error>,
) -> Outcomes<U> {
    let mut outcomes: Vec<Option<Result<U, Error>>> = carts.iter().map(|_| None).collect();
    for (cart_id, positions) in by_cart(&carts) {
        let changed = match cart_id {
            None => Err(Error::not_found(missing)),
            Some(cart_id) => change_metadata(app, cart_id, now, |cart| {
                Ok(positions
                    .iter()
                    .map(|&i| change(cart, i))
                    .collect::<Vec<_>>())
            })
            .await
            .map_err(|err| match err.code() {
                Code::NotFound => Error::not_found(missing),
                _ => err,
            }),
        };
        match changed {
            Ok((cart, results)) => {
                for (&i, result) in positions.iter().zip(results) {
                    outcomes[i] = Some(result.and_then(|value| view(&cart, value)));
                }
            }
            Err(err) => {
                for &i in &positions {
                    outcomes[i] = Some(Err(err.clone()));
                }
            }
        }
    }
    // Every position is in exactly one group, so none is left unset.
    outcomes
        .into_iter()
        .map(|outcome| outcome.unwrap_or_else(|| Err(Error::internal())))
        .collect()
}

/// Items' positions grouped by the cart each names, carts in the order first named.
fn by_cart(carts: &[Option<Uuid>]) -> Vec<(Option<Uuid>, Vec<usize>)> {
    let mut groups: Vec<(Option<Uuid>, Vec<usize>)> = Vec::new();
    for (i, cart) in carts.iter().enumerate() {
        match groups.iter_mut().find(|(id, _)| id == cart) {
            Some((_, positions)) => positions.push(i),
            None => groups.push((*cart, vec![i])),
        }
    }
    groups
}

/// Every live cart's metafields, with the cart that holds each, by id (so oldest first). Reads the
/// metafield index, then every cart it names; entries whose cart is gone, or no longer
/// holds the metafield, are removed from the index on the way.
pub async fn list_all(app: &App, now: DateTime<Utc>) -> Result<Vec<(Uuid, Metafield)>, Error> {
    app.check_backend()?;
    let entries = app.store.metafield_index().await?;
    let mut cart_ids: Vec<Uuid> = entries.iter().map(|e| e.cart_id).collect();
    cart_ids.sort_unstable();
    cart_ids.dedup();
    let carts: HashMap<Uuid, Cart> = app
        .store
        .get_carts(&cart_ids)
        .await?
        .into_iter()
        .filter(|cart| !cart.is_expired(now))
        .map(|cart| (cart.id, cart))
        .collect();
    let mut all = Vec::with_capacity(entries.len());
    for entry in entries {
        let held = carts
            .get(&entry.cart_id)
            .and_then(|cart| cart.metafield(entry.metafield_id).ok());
        match held {
            Some(metafield) => all.push((entry.cart_id, metafield.clone())),
            None => {
                // Tidying only: the listing is right without it.
                if let Err(err) = app.store.forget_metafield(entry).await {
                    tracing::warn!(?err, "could not remove a stale metafield index entry");
                }
            }
        }
    }
    all.sort_by_key(|(_, m)| m.id);
    Ok(all)
}
