//! Store-wide cart settings. Issue 3 makes them editable; until then the defaults apply.

use super::money::Currency;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// A cart expires this many days after its last change.
    pub cart_expiry_days: u32,
    /// A cart with items and no change for this long is flagged abandoned.
    pub abandoned_after_minutes: u32,
    /// New carts accept custom discounts unless they say otherwise.
    pub custom_discounts_enabled: bool,
    /// Currency of carts created without one.
    pub default_currency: Currency,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cart_expiry_days: 7,
            abandoned_after_minutes: 60,
            custom_discounts_enabled: false,
            default_currency: Currency::USD,
        }
    }
}

impl Settings {
    /// When a cart changed at `now` expires: whole seconds, as the TTL attribute stores it.
    pub fn expiry_from(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        (now + Duration::days(i64::from(self.cart_expiry_days))).trunc_subsecs(0)
    }
}
