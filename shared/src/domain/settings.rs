//! Store-wide cart settings, changed through `PUT /settings/cart`.

use super::money::Currency;
use super::values::Bounded;
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

    /// Applies a change: the fields it names change, the rest stay.
    pub fn apply(&mut self, input: SettingsInput) {
        if let Some(days) = input.cart_expiry_days {
            self.cart_expiry_days = days.get() as u32;
        }
        if let Some(minutes) = input.abandoned_after_minutes {
            self.abandoned_after_minutes = minutes.get() as u32;
        }
        if let Some(enabled) = input.custom_discounts_enabled {
            self.custom_discounts_enabled = enabled;
        }
        if let Some(currency) = input.default_currency {
            self.default_currency = currency;
        }
    }
}

/// A change to the settings: the fields it names change, the rest stay.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub cart_expiry_days: Option<Bounded<1, 365>>,
    pub abandoned_after_minutes: Option<Bounded<5, 43_200>>,
    pub custom_discounts_enabled: Option<bool>,
    pub default_currency: Option<Currency>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_change_names_only_what_it_changes() {
        let mut settings = Settings::default();
        let input: SettingsInput =
            crate::http::bodies::from_value(json!({"cart_expiry_days": 30})).unwrap();
        settings.apply(input);
        assert_eq!(
            settings,
            Settings {
                cart_expiry_days: 30,
                ..Settings::default()
            }
        );
    }

    #[test]
    fn limits_are_checked_at_both_edges() {
        for (body, ok) in [
            (json!({"cart_expiry_days": 1}), true),
            (json!({"cart_expiry_days": 365}), true),
            (json!({"cart_expiry_days": 0}), false),
            (json!({"cart_expiry_days": 366}), false),
            (json!({"abandoned_after_minutes": 5}), true),
            (json!({"abandoned_after_minutes": 43200}), true),
            (json!({"abandoned_after_minutes": 4}), false),
            (json!({"abandoned_after_minutes": 43201}), false),
            (json!({"default_currency": "EUR"}), true),
            (json!({"default_currency": "EURO"}), false),
        ] {
            assert_eq!(
                crate::http::bodies::from_value::<SettingsInput>(body.clone()).is_ok(),
                ok,
                "{body}"
            );
        }
    }
}
