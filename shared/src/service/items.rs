//! Adding, changing, removing and clearing a cart's items.

use super::carts::{Refused, catalog_for, change, change_guarded, change_loaded, load};
use super::{App, Precondition, Priced};
use crate::Error;
use crate::domain::items::{
    AddItems, CustomItemInput, ItemUpdate, LineItem, LineItemInput, QuantityChange,
};
use crate::domain::product::{Catalog, ProductGuard};
use crate::domain::values::ClientId;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Adds catalog and custom items. The cart and the products are read together (neither
/// depends on the other), then the cart is written: two round trips in a row. The catalog is
/// read once; a retry after a lost race re-applies the same items to the fresh cart.
pub async fn add(
    app: &App,
    cart_id: Uuid,
    precondition: Option<&Precondition>,
    body: AddItems,
    now: DateTime<Utc>,
) -> Result<(Priced, Refused), Error> {
    body.check_not_empty()?;
    check_prices_trusted(
        app,
        body.line_items.as_slice(),
        body.custom_items.as_slice(),
    )?;
    let (line_items, custom_items) = (body.line_items.as_slice(), body.custom_items.as_slice());
    let (first, catalog) = tokio::try_join!(load(app, cart_id, now), catalog_for(app, line_items))?;
    let (cart, refused) = change_loaded(app, first, precondition, now, |cart| {
        cart.add_items(line_items, custom_items, &catalog, body.add_all_or_nothing)
    })
    .await?;
    Ok((app.price(cart, now).await?, refused))
}

/// Adds items and applies promotion codes in one cart change (Elastic Path's items of
/// every type in one request). A code that does not apply fails as the items do: the
/// whole request when `add_all_or_nothing`, else it alone, reported at `codes[i]`.
pub async fn add_with_codes(
    app: &App,
    cart_id: Uuid,
    body: AddItems,
    codes: &[String],
    now: DateTime<Utc>,
) -> Result<(Priced, Refused), Error> {
    if codes.is_empty() {
        return add(app, cart_id, None, body, now).await;
    }
    let (line_items, custom_items) = (body.line_items.as_slice(), body.custom_items.as_slice());
    check_prices_trusted(app, line_items, custom_items)?;
    let (first, catalog, promotions) = tokio::try_join!(
        load(app, cart_id, now),
        catalog_for(app, line_items),
        app.store.list_promotions()
    )?;
    let (cart, refused) = change_loaded(app, first, None, now, |cart| {
        let mut refused = match line_items.is_empty() && custom_items.is_empty() {
            true => Refused::new(),
            false => cart.add_items(line_items, custom_items, &catalog, body.add_all_or_nothing)?,
        };
        for (i, code) in codes.iter().enumerate() {
            if let Err(err) = cart.apply_code(code, &promotions, now) {
                let err = err.at(format!("codes[{i}]"));
                if body.add_all_or_nothing {
                    return Err(err);
                }
                refused.extend(err.problems);
            }
        }
        Ok(refused)
    })
    .await?;
    Ok((Priced::new(cart, &promotions, now)?, refused))
}

/// Sets a quantity: the cart read, then written. Raising a catalog item's quantity checks
/// its stock in that write (`LineItem::raise_guard`), or, when the line does not say what
/// its product was or the product changed since, reads the product first.
pub async fn update(
    app: &App,
    cart_id: Uuid,
    item_id: Uuid,
    precondition: Option<&Precondition>,
    body: ItemUpdate,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    let cart = load(app, cart_id, now).await?;
    let raised = cart
        .line_item(item_id)
        .filter(|item| i64::from(item.quantity) < body.quantity.get());
    // A line that says what its product was needs no read: the write itself checks the
    // product is unchanged and holds the stock. Only if it is not is the product read.
    let guard = raised
        .filter(|_| !cart.is_preview())
        .and_then(|item| item.raise_guard(u32::try_from(body.quantity.get()).ok()?));
    if let Some(guard) = guard {
        let done = change_guarded(app, cart.clone(), precondition, now, &[guard], |cart| {
            cart.set_quantity(item_id, body.quantity, &Catalog::default())
        })
        .await?;
        if let Some((cart, ())) = done {
            return app.price(cart, now).await;
        }
    }
    let catalog = match raised {
        Some(item) if !cart.is_preview() => app.store.get_products([&item.product_id]).await?,
        _ => Catalog::default(),
    };
    let (cart, ()) = change_loaded(app, cart, precondition, now, |cart| {
        cart.set_quantity(item_id, body.quantity, &catalog)
    })
    .await?;
    app.price(cart, now).await
}

/// Sets several quantities in one change (see `Cart::set_quantities`). Rising quantities are
/// checked against stock in the write (`ProductGuard`), or, when a line keeps no stamp or a
/// product changed since, against the products read first.
pub async fn update_many(
    app: &App,
    cart_id: Uuid,
    updates: Vec<QuantityChange>,
    all_or_nothing: bool,
    now: DateTime<Utc>,
) -> Result<(Priced, Refused), Error> {
    let cart = load(app, cart_id, now).await?;
    let raised: Vec<(&LineItem, i64)> = updates
        .iter()
        .filter_map(|change| {
            cart.line_item(change.item_id)
                .filter(|item| i64::from(item.quantity) < change.quantity.get())
                .map(|item| (item, change.quantity.get()))
        })
        .collect();
    // As `update`: the lines' stamps let the write check the products instead of a read.
    let guards = raised
        .iter()
        .map(|(item, quantity)| item.raise_guard(u32::try_from(*quantity).ok()?))
        .collect::<Option<Vec<_>>>()
        .and_then(ProductGuard::combine)
        .filter(|_| !raised.is_empty() && !cart.is_preview());
    if let Some(guards) = guards {
        let done = change_guarded(app, cart.clone(), None, now, &guards, |cart| {
            cart.set_quantities(&updates, &Catalog::default(), all_or_nothing)
        })
        .await?;
        if let Some((cart, refused)) = done {
            return Ok((app.price(cart, now).await?, refused));
        }
    }
    let raised: Vec<&ClientId> = raised.iter().map(|(item, _)| &item.product_id).collect();
    let catalog = match raised.is_empty() || cart.is_preview() {
        true => Catalog::default(),
        false => app.store.get_products(raised).await?,
    };
    let (cart, refused) = change_loaded(app, cart, None, now, |cart| {
        cart.set_quantities(&updates, &catalog, all_or_nothing)
    })
    .await?;
    Ok((app.price(cart, now).await?, refused))
}

pub async fn remove(
    app: &App,
    cart_id: Uuid,
    item_id: Uuid,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    let (cart, ()) = change(app, cart_id, precondition, now, |cart| {
        cart.remove_item(item_id)
    })
    .await?;
    app.price(cart, now).await
}

pub async fn clear(
    app: &App,
    cart_id: Uuid,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    let (cart, ()) = change(app, cart_id, precondition, now, |cart| {
        cart.clear_items();
        Ok(())
    })
    .await?;
    app.price(cart, now).await
}

/// Only the trusted backend prices items itself: custom items, and catalog items with a
/// `list_price` of their own.
pub(crate) fn check_prices_trusted(
    app: &App,
    line_items: &[LineItemInput],
    custom_items: &[CustomItemInput],
) -> Result<(), Error> {
    if !custom_items.is_empty() {
        app.check_trusted("custom_items")?;
    }
    if line_items.iter().any(|l| l.list_price.is_some()) {
        app.check_trusted("line_items")?;
    }
    Ok(())
}
