//! BigCommerce's abandoned-cart settings: the store's (`/v3/abandoned-carts/settings`, every
//! field a value) and a channel's overrides (`…/settings/channels/{channel_id}`, every field
//! nullable: `null` follows the store).

use super::views::data;
use crate::Error;
use crate::domain::abandoned_settings::{
    AbandonedCartChange, AbandonedCartChoices, AbandonedCartSettings, DigestFrequency,
    MerchantEmails,
};
use crate::domain::values::{ClientId, Email};
use crate::http::ApiRequest;
use crate::http::bodies::{nullable, present};
use lambda_http::{Body, Response, http::StatusCode};
use serde::{Deserialize, Deserializer, Serialize};

/// A field the store's body may leave out but not set to `null`: a change that sets it.
fn set_if_present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    present(deserializer).map(|value| value.map(Some))
}

/// `PUT /v3/abandoned-carts/settings`: the fields given change, the rest stay.
/// BigCommerce's spec lists the required `enable_notification` as `enabled`, so a client
/// generated from it sends that name: it is taken as the same field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbandonedCartSettingsBody {
    #[serde(default, alias = "enabled", deserialize_with = "set_if_present")]
    enable_notification: Option<Option<bool>>,
    #[serde(default, deserialize_with = "set_if_present")]
    email_customer_until_cart_is_recovered: Option<Option<bool>>,
    #[serde(default, deserialize_with = "set_if_present")]
    marketing_emails_require_customer_consent: Option<Option<bool>>,
    #[serde(default, deserialize_with = "set_if_present")]
    email_merchant_when_cart_is_converted: Option<Option<bool>>,
    #[serde(default, deserialize_with = "set_if_present")]
    email_merchant_when_cart_is_abandoned: Option<Option<bool>>,
    #[serde(default, deserialize_with = "set_if_present")]
    merchant_email_address: Option<Option<Email>>,
    #[serde(default, deserialize_with = "set_if_present")]
    merchant_abandoned_cart_email_frequency_type: Option<Option<MerchantEmails>>,
    #[serde(default, deserialize_with = "set_if_present")]
    merchant_abandoned_cart_digest_email_frequency: Option<Option<DigestFrequency>>,
}

/// `PUT /v3/abandoned-carts/settings/channels/{channel_id}`: the fields given change,
/// `null` removes the channel's override.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelAbandonedCartSettingsBody {
    #[serde(default, deserialize_with = "nullable")]
    enable_notification: Option<Option<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    email_customer_until_cart_is_recovered: Option<Option<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    marketing_emails_require_customer_consent: Option<Option<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    email_merchant_when_cart_is_converted: Option<Option<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    email_merchant_when_cart_is_abandoned: Option<Option<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    merchant_email_address: Option<Option<Email>>,
    #[serde(default, deserialize_with = "nullable")]
    merchant_abandoned_cart_email_frequency_type: Option<Option<MerchantEmails>>,
    #[serde(default, deserialize_with = "nullable")]
    merchant_abandoned_cart_digest_email_frequency: Option<Option<DigestFrequency>>,
}

/// Both bodies name the same eight fields; only what `null` may mean differs.
macro_rules! into_change {
    ($body:ty) => {
        impl From<$body> for AbandonedCartChange {
            fn from(b: $body) -> Self {
                AbandonedCartChange {
                    enable_notification: b.enable_notification,
                    email_customer_until_cart_is_recovered: b
                        .email_customer_until_cart_is_recovered,
                    marketing_emails_require_customer_consent: b
                        .marketing_emails_require_customer_consent,
                    email_merchant_when_cart_is_converted: b.email_merchant_when_cart_is_converted,
                    email_merchant_when_cart_is_abandoned: b.email_merchant_when_cart_is_abandoned,
                    merchant_email_address: b.merchant_email_address,
                    merchant_abandoned_cart_email_frequency_type: b
                        .merchant_abandoned_cart_email_frequency_type,
                    merchant_abandoned_cart_digest_email_frequency: b
                        .merchant_abandoned_cart_digest_email_frequency,
                }
            }
        }
    };
}
into_change!(AbandonedCartSettingsBody);
into_change!(ChannelAbandonedCartSettingsBody);

/// Whether the request came by an abandoned-cart settings route (the settings functions
/// serve BigCommerce's cart settings too).
pub fn is_abandoned_cart_settings(request: &ApiRequest) -> bool {
    request.route().contains("/v3/abandoned-carts/settings")
}

/// The change a `PUT` asks for: the store's body, or a channel's (where `null` unsets).
pub fn abandoned_cart_change(
    request: &ApiRequest,
    for_channel: bool,
) -> Result<AbandonedCartChange, Error> {
    Ok(if for_channel {
        request
            .required_json::<ChannelAbandonedCartSettingsBody>()?
            .into()
    } else {
        request.required_json::<AbandonedCartSettingsBody>()?.into()
    })
}

#[derive(Serialize)]
struct StoreView {
    enable_notification: bool,
    email_customer_until_cart_is_recovered: bool,
    marketing_emails_require_customer_consent: bool,
    email_merchant_when_cart_is_converted: bool,
    email_merchant_when_cart_is_abandoned: bool,
    /// Left out until an address is set (the field is not nullable in BigCommerce's spec).
    #[serde(skip_serializing_if = "Option::is_none")]
    merchant_email_address: Option<String>,
    merchant_abandoned_cart_email_frequency_type: MerchantEmails,
    merchant_abandoned_cart_digest_email_frequency: u32,
}

/// The store's abandoned-cart settings, or the channel's overrides (every field, `null`
/// where it follows the store) when `channel` is given (`200`).
pub fn abandoned_cart_settings(
    settings: &AbandonedCartSettings,
    channel: Option<&ClientId>,
) -> Response<Body> {
    let Some(channel) = channel else {
        let s = settings.store();
        return data(
            StatusCode::OK,
            &StoreView {
                enable_notification: s.enable_notification,
                email_customer_until_cart_is_recovered: s.email_customer_until_cart_is_recovered,
                marketing_emails_require_customer_consent: s
                    .marketing_emails_require_customer_consent,
                email_merchant_when_cart_is_converted: s.email_merchant_when_cart_is_converted,
                email_merchant_when_cart_is_abandoned: s.email_merchant_when_cart_is_abandoned,
                merchant_email_address: s.merchant_email_address,
                merchant_abandoned_cart_email_frequency_type: s
                    .merchant_abandoned_cart_email_frequency_type,
                merchant_abandoned_cart_digest_email_frequency: s
                    .merchant_abandoned_cart_digest_email_frequency,
            },
        );
    };
    data(
        StatusCode::OK,
        &ChannelView::from(settings.channel(channel)),
    )
}

/// A channel's overrides with every field present (`null`: follows the store).
#[derive(Serialize)]
struct ChannelView {
    enable_notification: Option<bool>,
    email_customer_until_cart_is_recovered: Option<bool>,
    marketing_emails_require_customer_consent: Option<bool>,
    email_merchant_when_cart_is_converted: Option<bool>,
    email_merchant_when_cart_is_abandoned: Option<bool>,
    merchant_email_address: Option<String>,
    merchant_abandoned_cart_email_frequency_type: Option<MerchantEmails>,
    merchant_abandoned_cart_digest_email_frequency: Option<u32>,
}

impl From<AbandonedCartChoices> for ChannelView {
    fn from(c: AbandonedCartChoices) -> Self {
        ChannelView {
            enable_notification: c.enable_notification,
            email_customer_until_cart_is_recovered: c.email_customer_until_cart_is_recovered,
            marketing_emails_require_customer_consent: c.marketing_emails_require_customer_consent,
            email_merchant_when_cart_is_converted: c.email_merchant_when_cart_is_converted,
            email_merchant_when_cart_is_abandoned: c.email_merchant_when_cart_is_abandoned,
            merchant_email_address: c.merchant_email_address,
            merchant_abandoned_cart_email_frequency_type: c
                .merchant_abandoned_cart_email_frequency_type,
            merchant_abandoned_cart_digest_email_frequency: c
                .merchant_abandoned_cart_digest_email_frequency,
        }
    }
}
