//! Use cases: each loads what it needs, applies the domain's rules, and saves with a
//! version condition, retrying when another writer got there first.

pub mod carts;
pub mod items;
pub mod products;
mod retry;

use crate::Error;
use crate::domain::settings::Settings;
use crate::store::Store;
use chrono::{DateTime, SubsecRound, Utc};

/// What every use case works with. Built once per function instance, outside the handler.
#[derive(Clone, Debug)]
pub struct App {
    pub store: Store,
}

impl App {
    pub async fn from_env() -> Result<App, String> {
        Ok(App {
            store: Store::from_env().await?,
        })
    }

    /// The store-wide cart settings.
    pub async fn settings(&self) -> Result<Settings, Error> {
        Ok(Settings::default())
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
