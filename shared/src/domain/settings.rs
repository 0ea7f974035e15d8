//! Store-wide cart settings, changed through `PUT /settings/cart`.

use super::money::Currency;
use super::values::{Bounded, ClientId};
use crate::{Code, Error};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// A cart expires this many days after its last change; `None` until the store sets it,
    /// and then each cart's own default applies (`Cart::expiry_from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_expiry_days: Option<u32>,
    /// A cart with items and no change for this long is flagged abandoned.
    pub abandoned_after_minutes: u32,
    /// New carts accept custom discounts unless they say otherwise.
    pub custom_discounts_enabled: bool,
    /// Currency of carts created without one.
    pub default_currency: Currency,
    /// Whether carts may be checked out (BigCommerce's `allow_purchasing`); a channel may
    /// say otherwise for its own carts.
    #[serde(default = "yes")]
    pub allow_purchasing: bool,
    /// Overrides by channel id (the key is the id's text form).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub channels: BTreeMap<String, ChannelSettings>,
}

/// What one channel says differently from the store; `None` follows the store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChannelSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_purchasing: Option<bool>,
}

/// A cart's lifetime after its last change when the store sets none: a week, and 30 days
/// for carts made through BigCommerce's API, which keeps carts that long.
pub const DEFAULT_EXPIRY_DAYS: u32 = 7;
pub const BIGCOMMERCE_EXPIRY_DAYS: u32 = 30;

/// Channels with settings of their own, so the settings item (read by most requests)
/// stays small.
pub const MAX_CHANNELS: usize = 100;

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cart_expiry_days: None,
            abandoned_after_minutes: 60,
            custom_discounts_enabled: false,
            default_currency: Currency::USD,
            allow_purchasing: true,
            channels: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// The store's cart lifetime in days, as shown: the default when it set none.
    pub fn expiry_days(&self) -> u32 {
        self.cart_expiry_days.unwrap_or(DEFAULT_EXPIRY_DAYS)
    }

    /// When a cart changed at `now` expires: after the store's lifetime, else the cart's own
    /// default (`cart_default`), else a week; whole seconds, as the TTL attribute stores it.
    pub fn expiry_from(&self, now: DateTime<Utc>, cart_default: Option<u32>) -> DateTime<Utc> {
        let days = self
            .cart_expiry_days
            .or(cart_default)
            .unwrap_or(DEFAULT_EXPIRY_DAYS);
        (now + Duration::days(i64::from(days))).trunc_subsecs(0)
    }

    /// Applies a change: the fields it names change, the rest stay.
    pub fn apply(&mut self, input: SettingsInput) {
        if let Some(days) = input.cart_expiry_days {
            self.cart_expiry_days = Some(days.get() as u32);
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
        if let Some(allowed) = input.allow_purchasing {
            self.allow_purchasing = allowed;
        }
    }

    /// What a channel says differently from the store (nothing, for a channel never set).
    pub fn channel(&self, channel: &ClientId) -> ChannelSettings {
        overrides_of(&self.channels, channel)
    }

    /// Replaces a channel's overrides; one that overrides nothing is forgotten.
    pub fn set_channel(
        &mut self,
        channel: &ClientId,
        settings: ChannelSettings,
    ) -> Result<(), Error> {
        set_overrides(&mut self.channels, channel, settings)
    }

    /// Checkout's rule: purchasing must be allowed for the cart's channel (its own setting
    /// when it has one, the store's otherwise).
    pub fn check_purchasing(&self, channel: Option<&ClientId>) -> Result<(), Error> {
        let allowed = channel
            .and_then(|c| self.channel(c).allow_purchasing)
            .unwrap_or(self.allow_purchasing);
        if allowed {
            return Ok(());
        }
        Err(Error::of(
            Code::PurchasingDisabled,
            "purchasing is turned off for this cart's channel (allow_purchasing)",
        ))
    }
}

/// A channel's overrides in `channels` (none, for a channel never set).
pub(crate) fn overrides_of<T: Clone + Default>(
    channels: &BTreeMap<String, T>,
    channel: &ClientId,
) -> T {
    channels
        .get(channel.key().as_ref())
        .cloned()
        .unwrap_or_default()
}

/// Replaces a channel's overrides in `channels`: one that overrides nothing is forgotten,
/// and at most `MAX_CHANNELS` channels have any.
pub(crate) fn set_overrides<T: Default + PartialEq>(
    channels: &mut BTreeMap<String, T>,
    channel: &ClientId,
    overrides: T,
) -> Result<(), Error> {
    let key = channel.key().into_owned();
    if overrides == T::default() {
        channels.remove(&key);
        return Ok(());
    }
    if !channels.contains_key(&key) && channels.len() >= MAX_CHANNELS {
        return Err(Error::of(
            Code::ChannelLimit,
            format!("at most {MAX_CHANNELS} channels may have settings of their own"),
        )
        .at("channel_id"));
    }
    channels.insert(key, overrides);
    Ok(())
}

/// A change to the settings: the fields it names change, the rest stay.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub cart_expiry_days: Option<Bounded<1, 365>>,
    pub abandoned_after_minutes: Option<Bounded<5, 43_200>>,
    pub custom_discounts_enabled: Option<bool>,
    pub default_currency: Option<Currency>,
    pub allow_purchasing: Option<bool>,
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
                cart_expiry_days: Some(30),
                ..Settings::default()
            }
        );
    }

    #[test]
    fn a_channel_may_turn_purchasing_off_or_back_on() {
        let mut settings = Settings::default();
        let web = ClientId::Int(1);
        let pos = ClientId::Int(2);
        assert!(settings.check_purchasing(Some(&web)).is_ok());
        let off = ChannelSettings {
            allow_purchasing: Some(false),
        };
        settings.set_channel(&web, off.clone()).unwrap();
        let refused = settings.check_purchasing(Some(&web)).unwrap_err();
        assert_eq!(refused.code(), Code::PurchasingDisabled);
        assert!(settings.check_purchasing(Some(&pos)).is_ok());
        assert!(settings.check_purchasing(None).is_ok());

        settings.allow_purchasing = false;
        assert!(settings.check_purchasing(None).is_err());
        let on = ChannelSettings {
            allow_purchasing: Some(true),
        };
        settings.set_channel(&pos, on).unwrap();
        assert!(settings.check_purchasing(Some(&pos)).is_ok());

        // Overriding nothing forgets the channel.
        settings
            .set_channel(&web, ChannelSettings::default())
            .unwrap();
        assert!(!settings.channels.contains_key("1"));
    }

    #[test]
    fn channels_with_settings_are_bounded() {
        let mut settings = Settings::default();
        let off = ChannelSettings {
            allow_purchasing: Some(false),
        };
        for id in 0..MAX_CHANNELS as i64 {
            settings
                .set_channel(&ClientId::Int(id), off.clone())
                .unwrap();
        }
        let over = settings.set_channel(&ClientId::Int(-1), off.clone());
        assert_eq!(over.unwrap_err().code(), Code::ChannelLimit);
        // A channel already listed may still change.
        settings.set_channel(&ClientId::Int(0), off).unwrap();
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
