//! Use cases: each loads what it needs, applies the domain's rules, and saves with a
//! version condition, retrying when another writer got there first.

pub mod abandoned;
mod cache;
pub mod carts;
pub mod checkout;
pub mod discounts;
pub mod items;
pub mod products;
pub mod promotions;
pub mod redirects;
pub mod retry;
pub mod settings;

use crate::Error;
use crate::domain::cart::Cart;
use crate::domain::pricing::Totals;
use crate::domain::promotion::Promotion;
use crate::domain::settings::Settings;
use crate::domain::values::ClientId;
use crate::store::Store;
use cache::Cached;
use chrono::{DateTime, SubsecRound, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a warm function keeps settings and promotions unless `CONFIG_CACHE_SECONDS`
/// says otherwise: an admin change applies everywhere within this.
pub const DEFAULT_CONFIG_CACHE: Duration = Duration::from_secs(30);

/// What every use case works with. Built once per function instance, outside the handler.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    settings: Arc<Cached<Settings>>,
    promotions: Arc<Cached<Arc<Vec<Promotion>>>>,
    /// Set in the functions that make or read redirect URLs.
    redirects: Option<Arc<redirects::RedirectConfig>>,
    /// The signed-in shopper this request is from, if a JWT authorizer vouched for one.
    shopper: Option<ClientId>,
}

impl App {
    /// `config_cache`: how long settings and promotions are reused (zero: read every time).
    pub fn new(store: Store, config_cache: Duration) -> App {
        App {
            store,
            settings: Arc::new(Cached::new(config_cache)),
            promotions: Arc::new(Cached::new(config_cache)),
            redirects: None,
            shopper: None,
        }
    }

    /// This app, acting for `shopper` (set per request).
    pub fn for_shopper(mut self, shopper: Option<ClientId>) -> App {
        self.shopper = shopper;
        self
    }

    /// 403 when a signed-in shopper names a customer other than themselves.
    fn check_customer(&self, claimed: Option<&ClientId>, source: &str) -> Result<(), Error> {
        match (&self.shopper, claimed) {
            (Some(shopper), Some(claimed)) if shopper != claimed => Err(Error::forbidden(format!(
                "{source} must be the signed-in shopper's own id"
            ))
            .at(source)),
            _ => Ok(()),
        }
    }

    /// 403 when a signed-in shopper reaches for another customer's cart or order. Guest carts
    /// (no customer) are open to whoever holds their id, so a shopper can claim or merge one.
    fn check_owner(&self, owner: Option<&ClientId>) -> Result<(), Error> {
        match (&self.shopper, owner) {
            (Some(shopper), Some(owner)) if shopper != owner => {
                Err(Error::forbidden("this belongs to another customer"))
            }
            _ => Ok(()),
        }
    }

    /// 403 when a shopper (rather than a trusted server) sends what only a server may:
    /// custom items carry their own price.
    fn check_trusted(&self, source: &str) -> Result<(), Error> {
        match self.shopper {
            Some(_) => Err(Error::forbidden(format!(
                "{source} can only be sent by a trusted server (IAM)"
            ))
            .at(source)),
            None => Ok(()),
        }
    }

    /// Makes and reads redirect URLs with `config`.
    pub fn with_redirects(mut self, config: redirects::RedirectConfig) -> App {
        self.redirects = Some(Arc::new(config));
        self
    }

    pub async fn from_env() -> Result<App, String> {
        let cache = match std::env::var("CONFIG_CACHE_SECONDS") {
            Ok(seconds) => Duration::from_secs(
                seconds
                    .parse()
                    .map_err(|_| "CONFIG_CACHE_SECONDS is not a number")?,
            ),
            Err(_) => DEFAULT_CONFIG_CACHE,
        };
        let app = App::new(Store::from_env().await?, cache);
        Ok(match redirects::RedirectConfig::from_env() {
            Some(config) => app.with_redirects(config),
            None => app,
        })
    }

    /// The store-wide cart settings (cached).
    pub async fn settings(&self) -> Result<Settings, Error> {
        if let Some(settings) = self.settings.get(Instant::now()) {
            return Ok(settings);
        }
        let settings = self.store.get_settings().await?;
        self.settings.put(Instant::now(), settings.clone());
        Ok(settings)
    }

    /// Every promotion (cached).
    pub async fn promotions(&self) -> Result<Arc<Vec<Promotion>>, Error> {
        if let Some(promotions) = self.promotions.get(Instant::now()) {
            return Ok(promotions);
        }
        let promotions = Arc::new(self.store.list_promotions().await?);
        self.promotions.put(Instant::now(), promotions.clone());
        Ok(promotions)
    }

    /// Prices a cart with the (cached) promotions.
    pub async fn price(&self, cart: Cart, now: DateTime<Utc>) -> Result<Priced, Error> {
        let promotions = self.promotions().await?;
        Priced::new(cart, &promotions, now)
    }
}

/// A cart with its totals, as every cart route returns it.
#[derive(Debug, Clone)]
pub struct Priced {
    pub cart: Cart,
    pub totals: Totals,
}

impl Priced {
    pub fn new(cart: Cart, promotions: &[Promotion], now: DateTime<Utc>) -> Result<Priced, Error> {
        let totals = cart.price(promotions, now)?;
        Ok(Priced { cart, totals })
    }
}

/// The current time at the API's precision (milliseconds), so what is stored is exactly
/// what is shown.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// An `If-Match` header: `*`, or the versions (strong entity tags) it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Any,
    Versions(Vec<u64>),
}

impl IfMatch {
    /// 412 unless the cart's current version is one the client named.
    pub fn check(&self, current_version: u64) -> Result<(), Error> {
        match self {
            IfMatch::Any => Ok(()),
            IfMatch::Versions(versions) if versions.contains(&current_version) => Ok(()),
            IfMatch::Versions(_) => Err(Error::version_mismatch(current_version)),
        }
    }
}
