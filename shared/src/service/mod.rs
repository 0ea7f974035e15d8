//! Use cases: each loads what it needs, applies the domain's rules, and saves with a
//! version condition, retrying when another writer got there first.

pub mod abandoned;
mod cache;
pub mod carts;
pub mod checkout;
pub mod discounts;
pub mod idempotency;
pub mod items;
pub mod metafields;
pub mod products;
pub mod promotions;
pub mod redirects;
pub mod retry;
pub mod settings;
pub mod taxes;

/// What this process has asked of DynamoDB so far (for the per-request log line).
pub use crate::store::snapshot;

use crate::Error;
use crate::config::Config;
use crate::domain::cart::Cart;
use crate::domain::order::CheckoutKey;
use crate::domain::pricing::Totals;
use crate::domain::promotion::Promotion;
use crate::domain::settings::Settings;
use crate::domain::values::{CustomerId, sha256_hex};
use crate::store::Store;
use cache::Cached;
use chrono::{DateTime, SubsecRound, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Who a request acts for. Decided by the http layer from what API Gateway's authorizer
/// vouched for, never from what a request body says, and never by default: a request
/// whose caller cannot be named positively is refused before it reaches a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A trusted server (the storefront's backend or an admin tool): an IAM-signed call, or
    /// any call where the deployment runs without an authorizer (`CartAuth=NONE`, the local
    /// stack). It speaks for every shopper.
    Backend,
    /// A shopper a JWT authorizer vouched for, as the customer id the token names.
    Shopper(CustomerId),
    /// No one has been named (an `App` before `acting_as`): every check refuses.
    Nobody,
}

impl Principal {
    /// A fixed-length name for this principal, for keys that must keep principals apart
    /// (idempotency keys) without holding a customer id in clear.
    pub fn digest(&self) -> String {
        match self {
            Principal::Backend => "backend".to_string(),
            Principal::Nobody => "nobody".to_string(),
            Principal::Shopper(customer) => {
                format!("shopper-{}", sha256_hex(customer.key().as_bytes()))
            }
        }
    }
}

/// What every use case works with. Built once per function instance, outside the handler,
/// then given each request's principal.
#[derive(Clone)]
pub struct App {
    store: Store,
    settings: Arc<Cached<Settings>>,
    promotions: Arc<Cached<Arc<Vec<Promotion>>>>,
    /// Signing keys and the storefront, in the functions that make or read tokens.
    tokens: Arc<redirects::Tokens>,
    /// Names orders and keys guests' e-mail digests, in the checkout function.
    checkout_key: Option<CheckoutKey>,
    principal: Principal,
}

impl App {
    /// `config_cache`: how long settings and promotions are reused (zero: read every time).
    /// The app acts for no one (every check refuses) until `acting_as` names a principal.
    pub fn new(store: Store, config_cache: Duration) -> App {
        App {
            store,
            settings: Arc::new(Cached::new(config_cache)),
            promotions: Arc::new(Cached::new(config_cache)),
            tokens: Arc::default(),
            checkout_key: None,
            principal: Principal::Nobody,
        }
    }

    /// This app, acting for `principal` (set per request).
    pub fn acting_as(mut self, principal: Principal) -> App {
        self.principal = principal;
        self
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The signed-in shopper, if a shopper (rather than the backend) is acting.
    pub(crate) fn shopper(&self) -> Option<&CustomerId> {
        match &self.principal {
            Principal::Shopper(customer) => Some(customer),
            Principal::Backend | Principal::Nobody => None,
        }
    }

    /// 403 when no one is named: the start of every check.
    fn check_someone(&self) -> Result<(), Error> {
        match self.principal {
            Principal::Nobody => Err(Error::forbidden("no caller is named")),
            Principal::Backend | Principal::Shopper(_) => Ok(()),
        }
    }

    /// 403 when a signed-in shopper names a customer other than themselves.
    fn check_customer(&self, claimed: Option<&CustomerId>, source: &str) -> Result<(), Error> {
        self.check_someone()?;
        match (self.shopper(), claimed) {
            (Some(shopper), Some(claimed)) if shopper != claimed => Err(Error::forbidden(format!(
                "{source} must be the signed-in shopper's own id"
            ))
            .at(source)),
            _ => Ok(()),
        }
    }

    /// 403 when a signed-in shopper reaches for another customer's cart or order. Guest carts
    /// (no customer) are open to whoever holds their id, so a shopper can claim or merge one.
    fn check_owner(&self, owner: Option<&CustomerId>) -> Result<(), Error> {
        self.check_someone()?;
        match (self.shopper(), owner) {
            (Some(shopper), Some(owner)) if shopper != owner => {
                Err(Error::forbidden("this belongs to another customer"))
            }
            _ => Ok(()),
        }
    }

    /// 403 unless a trusted server (rather than a shopper) sends what only a server may:
    /// custom items carry their own price.
    fn check_trusted(&self, source: &str) -> Result<(), Error> {
        self.check_backend().map_err(|_| {
            Error::forbidden(format!(
                "{source} can only be sent by a trusted server (IAM)"
            ))
            .at(source)
        })
    }

    /// 403 unless the backend is acting: the admin use cases (catalog, settings,
    /// promotions, custom discounts, the abandoned-cart sweep) are never a shopper's,
    /// whatever route reached them.
    fn check_backend(&self) -> Result<(), Error> {
        match self.principal {
            Principal::Backend => Ok(()),
            Principal::Shopper(_) | Principal::Nobody => {
                Err(Error::forbidden("only a trusted server (IAM) may do this"))
            }
        }
    }

    /// The checkout function's key (`CheckoutKey`): a deployment without it is a bug in
    /// template.yaml, a 500 with the reason in the log.
    fn checkout_key(&self) -> Result<&CheckoutKey, Error> {
        (self.checkout_key.as_ref()).ok_or_else(|| misconfigured("checkout key"))
    }

    /// The app `config` describes, over `store`.
    pub fn from_config(config: &Config, store: Store) -> App {
        App {
            tokens: Arc::new(redirects::Tokens {
                keys: config.signing_keys.clone(),
                storefront: config.storefront_url.clone(),
            }),
            checkout_key: config.checkout_key.clone(),
            ..App::new(store, config.config_cache)
        }
    }

    /// The app the environment describes (what the functions run with).
    pub async fn from_env() -> Result<App, String> {
        Ok(start().await?.1)
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

/// A deployment without a key or URL a route needs is a bug in template.yaml: a 500, with
/// the reason in the log.
fn misconfigured(what: &str) -> Error {
    tracing::error!("this function has no {what} (template.yaml)");
    Error::internal()
}

/// A function's start: its configuration (signing keys included), and the app over the
/// table it names. `Err` says what is missing or wrong.
pub async fn start() -> Result<(Config, App), String> {
    let aws = crate::store::aws_config().await;
    let config = Config::load(&aws).await?;
    let app = App::from_config(&config, Store::from_config(&aws, &config.table));
    Ok((config, app))
}

/// The `/v3` token authorizer's start: no table, only the token its clients must send
/// (`config::load_v3_token`). `Err` says what is missing or wrong.
pub async fn start_token_authorizer() -> Result<String, String> {
    let aws = crate::store::aws_config().await;
    crate::config::load_v3_token(|name| std::env::var(name).ok(), &aws).await
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

/// The versions a write expects the cart to be at: `Any`, or one of `Versions`. The wire
/// format decides where it comes from (the native API's `If-Match` header, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    Any,
    Versions(Vec<u64>),
}

impl Precondition {
    /// 412 unless the cart's current version is one the client named.
    pub fn check(&self, current_version: u64) -> Result<(), Error> {
        match self {
            Precondition::Any => Ok(()),
            Precondition::Versions(versions) if versions.contains(&current_version) => Ok(()),
            Precondition::Versions(_) => Err(Error::version_mismatch(current_version)),
        }
    }
}
