//! Signed tokens: redirect URLs (links to a storefront's cart, checkout and embedded
//! checkout pages, each carrying a token that resolves back to the cart for 30 days) and
//! abandoned carts' recovery tokens (which resolve as long as their cart lives).

use super::carts::load;
use super::{App, misconfigured};
use crate::Error;
use crate::domain::tokens::{Claims, KeyRing, Purpose, TOKEN_LIFETIME, never};
use crate::domain::values::sha256_hex;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What signs tokens, and where redirect URLs point (see `Config`).
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub(crate) keys: Option<KeyRing>,
    pub(crate) storefront: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUrls {
    pub cart_url: String,
    pub checkout_url: String,
    pub embedded_checkout_url: String,
    pub expires_at: DateTime<Utc>,
}

impl App {
    fn signing_keys(&self) -> Result<&KeyRing, Error> {
        (self.tokens.keys.as_ref()).ok_or_else(|| misconfigured("signing keys"))
    }

    fn storefront(&self) -> Result<&str, Error> {
        (self.tokens.storefront.as_deref()).ok_or_else(|| misconfigured("STOREFRONT_URL"))
    }
}

/// Links for a cart that exists now.
pub async fn create(app: &App, cart_id: Uuid, now: DateTime<Utc>) -> Result<RedirectUrls, Error> {
    let cart = load(app, cart_id, now).await?;
    urls(app, cart.id, now)
}

/// Links for `cart_id` (the caller knows it exists).
pub fn urls(app: &App, cart_id: Uuid, now: DateTime<Utc>) -> Result<RedirectUrls, Error> {
    let (keys, storefront) = (app.signing_keys()?, app.storefront()?);
    let expires_at = now + TOKEN_LIFETIME;
    let link = |path: &str, purpose| {
        let token = keys.sign(&Claims {
            cart_id,
            purpose,
            expires_at,
        });
        format!("{storefront}/{path}?token={token}")
    };
    Ok(RedirectUrls {
        cart_url: link("cart", Purpose::Cart),
        checkout_url: link("checkout", Purpose::Checkout),
        embedded_checkout_url: link("embedded-checkout", Purpose::EmbeddedCheckout),
        expires_at,
    })
}

/// What a redirect token says, if this service signed it, it has not expired, its cart is
/// live and it has not been used: a redirect URL works once (as BigCommerce's do), so a
/// link copied out of a shopper's browser does not open their cart again. Every failure is
/// the same 404, so a caller learns nothing from how a token fails.
pub async fn resolve(app: &App, token: &str, now: DateTime<Utc>) -> Result<Claims, Error> {
    let not_found = || Error::not_found("token");
    let claims = app
        .signing_keys()?
        .verify(token, now)
        .filter(|c| c.purpose != Purpose::Recovery)
        .ok_or_else(not_found)?;
    load(app, claims.cart_id, now)
        .await
        .map_err(|_| not_found())?;
    let digest = sha256_hex(token.as_bytes());
    if !app.store.use_token(&digest, claims.expires_at).await? {
        return Err(not_found());
    }
    Ok(claims)
}

/// The recovery token of an abandoned cart: the same for the cart whenever it is asked
/// for, and valid exactly as long as the cart lives.
pub fn recovery_token(app: &App, cart_id: Uuid) -> Result<String, Error> {
    Ok(app.signing_keys()?.sign(&Claims {
        cart_id,
        purpose: Purpose::Recovery,
        expires_at: never(),
    }))
}

/// The cart a recovery token stands for, while that cart lives (404 otherwise, however the
/// token fails).
pub async fn recover(app: &App, token: &str, now: DateTime<Utc>) -> Result<Uuid, Error> {
    let not_found = || Error::not_found("abandoned cart");
    let claims = app
        .signing_keys()?
        .verify(token, now)
        .filter(|c| c.purpose == Purpose::Recovery)
        .ok_or_else(not_found)?;
    let cart = load(app, claims.cart_id, now)
        .await
        .map_err(|_| not_found())?;
    Ok(cart.id)
}
