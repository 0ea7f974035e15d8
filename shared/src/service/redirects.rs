//! Redirect URLs: links to a storefront's cart, checkout and embedded checkout pages, each
//! carrying a signed token that resolves back to the cart for 30 days.

use super::App;
use super::carts::load;
use crate::Error;
use crate::domain::tokens::{self, Claims, Purpose, TOKEN_LIFETIME};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Where links point and what signs them: `STOREFRONT_URL` and `REDIRECT_TOKEN_SECRET`
/// (from Secrets Manager in AWS, set by template.yaml; a development value locally).
#[derive(Clone)]
pub struct RedirectConfig {
    storefront: String,
    secret: Vec<u8>,
}

impl RedirectConfig {
    pub fn new(storefront: &str, secret: &[u8]) -> RedirectConfig {
        RedirectConfig {
            storefront: storefront.trim_end_matches('/').to_string(),
            secret: secret.to_vec(),
        }
    }

    /// `None` when the function is not configured for redirects.
    pub fn from_env() -> Option<RedirectConfig> {
        let storefront = std::env::var("STOREFRONT_URL").ok()?;
        let secret = std::env::var("REDIRECT_TOKEN_SECRET")
            .ok()
            .filter(|s| s.len() >= 16)?;
        Some(RedirectConfig::new(&storefront, secret.as_bytes()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUrls {
    pub cart_url: String,
    pub checkout_url: String,
    pub embedded_checkout_url: String,
    pub expires_at: DateTime<Utc>,
}

impl App {
    fn redirect_config(&self) -> Result<&RedirectConfig, Error> {
        self.redirects.as_deref().ok_or_else(|| {
            tracing::error!("STOREFRONT_URL or REDIRECT_TOKEN_SECRET (16+ characters) is not set");
            Error::internal()
        })
    }
}

/// Links for a cart that exists now.
pub async fn create(app: &App, cart_id: Uuid, now: DateTime<Utc>) -> Result<RedirectUrls, Error> {
    let cart = load(app, cart_id, now).await?;
    urls(app, cart.id, now)
}

/// Links for `cart_id` (the caller knows it exists).
pub fn urls(app: &App, cart_id: Uuid, now: DateTime<Utc>) -> Result<RedirectUrls, Error> {
    let config = app.redirect_config()?;
    let expires_at = now + TOKEN_LIFETIME;
    let link = |path: &str, purpose| {
        let token = tokens::sign(
            &config.secret,
            &Claims {
                cart_id,
                purpose,
                expires_at,
            },
        );
        format!("{}/{path}?token={token}", config.storefront)
    };
    Ok(RedirectUrls {
        cart_url: link("cart", Purpose::Cart),
        checkout_url: link("checkout", Purpose::Checkout),
        embedded_checkout_url: link("embedded-checkout", Purpose::EmbeddedCheckout),
        expires_at,
    })
}

/// What a token says, if this service signed it, it has not expired, and its cart is live.
/// Every failure is the same 404, so a caller learns nothing from how a token fails.
pub async fn resolve(app: &App, token: &str, now: DateTime<Utc>) -> Result<Claims, Error> {
    let not_found = || Error::not_found("token");
    let claims =
        tokens::verify(&app.redirect_config()?.secret, token, now).ok_or_else(not_found)?;
    load(app, claims.cart_id, now)
        .await
        .map_err(|_| not_found())?;
    Ok(claims)
}
