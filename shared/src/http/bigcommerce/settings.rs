//! BigCommerce's cart settings: `allow_purchasing` for the store (`/v3/carts/settings`) and
//! a channel's override of it (`/v3/carts/settings/channels/{channel_id}`, `null`: none).
//! Trolley honours it at checkout.

use super::views::data;
use crate::Error;
use crate::domain::settings::{ChannelSettings, Settings, SettingsInput};
use crate::domain::values::ClientId;
use crate::http::ApiRequest;
use crate::http::bodies::nullable;
use crate::http::request::whole_number;
use lambda_http::{Body, Response, http::StatusCode};
use serde::{Deserialize, Serialize};

/// `PUT /v3/carts/settings` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CartSettings {
    allow_purchasing: bool,
}

impl CartSettings {
    pub fn into_command(self) -> SettingsInput {
        SettingsInput {
            allow_purchasing: Some(self.allow_purchasing),
            ..SettingsInput::default()
        }
    }
}

/// `PUT /v3/carts/settings/channels/{channel_id}` body: a field left out stays, `null`
/// removes the channel's override.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelCartSettings {
    #[serde(default, deserialize_with = "nullable")]
    allow_purchasing: Option<Option<bool>>,
}

impl ChannelCartSettings {
    pub fn apply(&self, to: &mut ChannelSettings) {
        if let Some(allowed) = self.allow_purchasing {
            to.allow_purchasing = allowed;
        }
    }
}

/// The channel a settings route names, if it names one: an integer, as BigCommerce's are
/// (its spec sets no bounds, so any 64-bit integer is a channel id).
pub fn channel(request: &ApiRequest) -> Result<Option<ClientId>, Error> {
    let Some(text) = request.path_param("channel_id") else {
        return Ok(None);
    };
    let id = whole_number(&text).ok_or_else(|| {
        Error::invalid(
            "channel_id",
            "channel_id must be a whole number (a channel's id)",
        )
    })?;
    Ok(Some(ClientId::Int(id)))
}

#[derive(Serialize)]
struct StoreView {
    allow_purchasing: bool,
}

#[derive(Serialize)]
struct ChannelView {
    allow_purchasing: Option<bool>,
}

/// The store's settings, or the channel's overrides when `channel` is given (`200`).
pub fn cart_settings(settings: &Settings, channel: Option<&ClientId>) -> Response<Body> {
    match channel {
        None => data(
            StatusCode::OK,
            &StoreView {
                allow_purchasing: settings.allow_purchasing,
            },
        ),
        Some(channel) => data(
            StatusCode::OK,
            &ChannelView {
                allow_purchasing: settings.channel(channel).allow_purchasing,
            },
        ),
    }
}
