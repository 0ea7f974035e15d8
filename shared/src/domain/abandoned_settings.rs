//! What the store says about abandoned-cart e-mails (BigCommerce's abandoned-cart
//! settings), for the store and by channel. Trolley sends no e-mail: it keeps these for the
//! mailer that follows its abandoned-cart sweep, and serves them back.

use super::settings::{overrides_of, set_overrides};
use super::values::{Bounded, ClientId, Email};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the merchant hears of abandoned carts: one e-mail each, or a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantEmails {
    Digest,
    Individual,
}

/// The digest goes out every this many (BigCommerce bounds it to 2..=1000).
pub type DigestFrequency = Bounded<2, 1000>;

/// The eight choices; `None` is "not set": the default for the store, the store's value for
/// a channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AbandonedCartChoices {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_notification: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_customer_until_cart_is_recovered: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing_emails_require_customer_consent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_merchant_when_cart_is_converted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_merchant_when_cart_is_abandoned: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_email_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_abandoned_cart_email_frequency_type: Option<MerchantEmails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_abandoned_cart_digest_email_frequency: Option<u32>,
}

/// The store's choices with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreAbandonedCartSettings {
    pub enable_notification: bool,
    pub email_customer_until_cart_is_recovered: bool,
    pub marketing_emails_require_customer_consent: bool,
    pub email_merchant_when_cart_is_converted: bool,
    pub email_merchant_when_cart_is_abandoned: bool,
    /// No address until one is set.
    pub merchant_email_address: Option<String>,
    pub merchant_abandoned_cart_email_frequency_type: MerchantEmails,
    pub merchant_abandoned_cart_digest_email_frequency: u32,
}

/// The stored item: the store's choices and each channel's overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AbandonedCartSettings {
    #[serde(default)]
    pub store: AbandonedCartChoices,
    /// Overrides by channel id (the key is the id's text form).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub channels: BTreeMap<String, AbandonedCartChoices>,
}

/// A change: `None` leaves a choice as it is, `Some(None)` unsets it (a channel then
/// follows the store), `Some(Some(v))` sets it.
#[derive(Debug, Clone, Default)]
pub struct AbandonedCartChange {
    pub enable_notification: Option<Option<bool>>,
    pub email_customer_until_cart_is_recovered: Option<Option<bool>>,
    pub marketing_emails_require_customer_consent: Option<Option<bool>>,
    pub email_merchant_when_cart_is_converted: Option<Option<bool>>,
    pub email_merchant_when_cart_is_abandoned: Option<Option<bool>>,
    pub merchant_email_address: Option<Option<Email>>,
    pub merchant_abandoned_cart_email_frequency_type: Option<Option<MerchantEmails>>,
    pub merchant_abandoned_cart_digest_email_frequency: Option<Option<DigestFrequency>>,
}

/// Sets or unsets `choice` when the change names it.
fn change<T>(choice: &mut Option<T>, to: Option<Option<T>>) {
    if let Some(value) = to {
        *choice = value;
    }
}

impl AbandonedCartChoices {
    fn apply(&mut self, c: AbandonedCartChange) {
        change(&mut self.enable_notification, c.enable_notification);
        change(
            &mut self.email_customer_until_cart_is_recovered,
            c.email_customer_until_cart_is_recovered,
        );
        change(
            &mut self.marketing_emails_require_customer_consent,
            c.marketing_emails_require_customer_consent,
        );
        change(
            &mut self.email_merchant_when_cart_is_converted,
            c.email_merchant_when_cart_is_converted,
        );
        change(
            &mut self.email_merchant_when_cart_is_abandoned,
            c.email_merchant_when_cart_is_abandoned,
        );
        let email = c.merchant_email_address.map(|e| e.map(Email::into_inner));
        change(&mut self.merchant_email_address, email);
        change(
            &mut self.merchant_abandoned_cart_email_frequency_type,
            c.merchant_abandoned_cart_email_frequency_type,
        );
        let digest = c
            .merchant_abandoned_cart_digest_email_frequency
            .map(|f| f.map(|f| f.get() as u32));
        change(
            &mut self.merchant_abandoned_cart_digest_email_frequency,
            digest,
        );
    }
}

impl AbandonedCartSettings {
    /// The store's choices, defaults filled in: every e-mail off until turned on, and
    /// merchant e-mails one per cart.
    pub fn store(&self) -> StoreAbandonedCartSettings {
        let s = &self.store;
        StoreAbandonedCartSettings {
            enable_notification: s.enable_notification.unwrap_or(false),
            email_customer_until_cart_is_recovered: s
                .email_customer_until_cart_is_recovered
                .unwrap_or(false),
            marketing_emails_require_customer_consent: s
                .marketing_emails_require_customer_consent
                .unwrap_or(false),
            email_merchant_when_cart_is_converted: s
                .email_merchant_when_cart_is_converted
                .unwrap_or(false),
            email_merchant_when_cart_is_abandoned: s
                .email_merchant_when_cart_is_abandoned
                .unwrap_or(false),
            merchant_email_address: s.merchant_email_address.clone(),
            merchant_abandoned_cart_email_frequency_type: s
                .merchant_abandoned_cart_email_frequency_type
                .unwrap_or(MerchantEmails::Individual),
            merchant_abandoned_cart_digest_email_frequency: s
                .merchant_abandoned_cart_digest_email_frequency
                .unwrap_or(2),
        }
    }

    /// What a channel says differently from the store (nothing, for a channel never set).
    pub fn channel(&self, channel: &ClientId) -> AbandonedCartChoices {
        overrides_of(&self.channels, channel)
    }

    /// Applies a change to the store's choices.
    pub fn change_store(&mut self, change: AbandonedCartChange) {
        self.store.apply(change);
    }

    /// Applies a change to a channel's overrides (bounded and forgotten as the cart
    /// settings' are).
    pub fn change_channel(
        &mut self,
        channel: &ClientId,
        change: AbandonedCartChange,
    ) -> Result<(), Error> {
        let mut overrides = self.channel(channel);
        overrides.apply(change);
        set_overrides(&mut self.channels, channel, overrides)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;
    use crate::domain::settings::MAX_CHANNELS;

    fn email(text: &str) -> Email {
        Email::try_from(text.to_string()).unwrap()
    }

    #[test]
    fn the_store_has_defaults_and_keeps_what_a_change_does_not_name() {
        let mut settings = AbandonedCartSettings::default();
        assert!(!settings.store().enable_notification);
        assert_eq!(settings.store().merchant_email_address, None);
        settings.change_store(AbandonedCartChange {
            enable_notification: Some(Some(true)),
            merchant_email_address: Some(Some(email("shop@example.com"))),
            ..AbandonedCartChange::default()
        });
        settings.change_store(AbandonedCartChange {
            merchant_abandoned_cart_digest_email_frequency: Some(Some(
                DigestFrequency::new(24).unwrap(),
            )),
            ..AbandonedCartChange::default()
        });
        let store = settings.store();
        assert!(store.enable_notification);
        assert_eq!(
            store.merchant_email_address.as_deref(),
            Some("shop@example.com")
        );
        assert_eq!(store.merchant_abandoned_cart_digest_email_frequency, 24);
    }

    #[test]
    fn a_channel_overrides_until_unset_and_is_then_forgotten() {
        let mut settings = AbandonedCartSettings::default();
        let web = ClientId::Int(7);
        settings
            .change_channel(
                &web,
                AbandonedCartChange {
                    enable_notification: Some(Some(true)),
                    ..AbandonedCartChange::default()
                },
            )
            .unwrap();
        assert_eq!(settings.channel(&web).enable_notification, Some(true));
        assert_eq!(
            settings.channel(&ClientId::Int(8)),
            AbandonedCartChoices::default()
        );
        settings
            .change_channel(
                &web,
                AbandonedCartChange {
                    enable_notification: Some(None),
                    ..AbandonedCartChange::default()
                },
            )
            .unwrap();
        assert!(settings.channels.is_empty());
    }

    #[test]
    fn channels_with_overrides_are_bounded() {
        let mut settings = AbandonedCartSettings::default();
        let on = || AbandonedCartChange {
            enable_notification: Some(Some(true)),
            ..AbandonedCartChange::default()
        };
        for id in 0..MAX_CHANNELS as i64 {
            settings.change_channel(&ClientId::Int(id), on()).unwrap();
        }
        let over = settings.change_channel(&ClientId::Int(-1), on());
        assert_eq!(over.unwrap_err().code(), Code::ChannelLimit);
        settings.change_channel(&ClientId::Int(0), on()).unwrap();
    }
}
