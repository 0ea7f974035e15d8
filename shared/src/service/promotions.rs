//! Promotions: the admin routes, and applying or removing a code on a cart.

use super::carts::{change, change_loaded, load};
use super::{App, Precondition, Priced};
use crate::domain::promotion::{Promotion, PromotionInput};
use crate::domain::values::ClientId;
use crate::{Code, Error};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Creates or replaces a promotion; true when it is new. A code belongs to one promotion.
pub async fn put(
    app: &App,
    id: ClientId,
    input: PromotionInput,
    now: DateTime<Utc>,
) -> Result<(Promotion, bool), Error> {
    app.check_backend()?;
    let promotion = input.into_promotion(id, now)?;
    if let Some(code) = &promotion.code {
        let others = app.store.list_promotions().await?;
        if let Some(owner) = others
            .iter()
            .find(|p| p.id != promotion.id && p.code.as_ref() == Some(code))
        {
            return Err(Error::of(
                Code::PromotionCodeInUse,
                format!("promotion {} already uses the code {code}", owner.id),
            )
            .at("code"));
        }
    }
    let created = app.store.put_promotion(&promotion).await?;
    Ok((promotion, created))
}

pub async fn get(app: &App, id: &ClientId) -> Result<Promotion, Error> {
    app.check_backend()?;
    app.store
        .get_promotion(id)
        .await?
        .ok_or_else(|| Error::not_found("promotion"))
}

pub async fn delete(app: &App, id: &ClientId) -> Result<(), Error> {
    app.check_backend()?;
    if app.store.delete_promotion(id).await? {
        Ok(())
    } else {
        Err(Error::not_found("promotion"))
    }
}

/// Adds a code to a cart if it takes something off now; otherwise 422
/// `promotion_not_applicable` (unknown, not active, or the cart is not eligible). Reads the
/// promotions fresh, not from the cache, so a promotion just created can be applied at once.
pub async fn apply(
    app: &App,
    cart_id: Uuid,
    precondition: Option<&Precondition>,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    // The promotions as they are now (a code just made must apply) and the cart, together.
    let (promotions, first) =
        tokio::try_join!(app.store.list_promotions(), load(app, cart_id, now))?;
    let (cart, ()) = change_loaded(app, first, precondition, now, |cart| {
        cart.apply_code(code, &promotions, now)
    })
    .await?;
    Priced::new(cart, &promotions, now)
}

/// Removes a code from a cart; 404 when the cart does not have it.
pub async fn remove(
    app: &App,
    cart_id: Uuid,
    code: &str,
    precondition: Option<&Precondition>,
    now: DateTime<Utc>,
) -> Result<Priced, Error> {
    let (cart, ()) = change(app, cart_id, precondition, now, |cart| {
        cart.remove_code(code)
    })
    .await?;
    app.price(cart, now).await
}
