//! Elastic Path's cart settings: `{"data": {"type": "settings", "cart_expiry_days",
//! "discounts": {"custom_discounts_enabled", "use_rule_promotions"}}}`, the store-wide
//! settings the native `/settings/cart` changes too.

use super::taxes::{Envelope, One};
use crate::Error;
use crate::domain::settings::{DEFAULT_EXPIRY_DAYS, Settings, SettingsInput};
use crate::domain::values::Bounded;
use crate::http::ApiRequest;
use crate::http::bodies::present;
use crate::http::response::json;
use lambda_http::{Body, Response, http::StatusCode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SettingsKind {
    Settings,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsBody {
    #[serde(rename = "type")]
    _kind: SettingsKind,
    #[serde(default, deserialize_with = "present")]
    cart_expiry_days: Option<Bounded<1, 365>>,
    #[serde(default, deserialize_with = "present")]
    discounts: Option<DiscountsBody>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscountsBody {
    #[serde(default, deserialize_with = "present")]
    custom_discounts_enabled: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    use_rule_promotions: Option<bool>,
}

/// `PUT /v2/settings/cart`: the fields given change. Trolley's promotions are its own
/// (`/promotions`), so `use_rule_promotions` may only be `false`.
pub fn settings_change(request: &ApiRequest) -> Result<SettingsInput, Error> {
    let body = request.json::<One<SettingsBody>>()?.data;
    let discounts = body.discounts.unwrap_or(DiscountsBody {
        custom_discounts_enabled: None,
        use_rule_promotions: None,
    });
    if discounts.use_rule_promotions == Some(true) {
        return Err(Error::invalid(
            "data.discounts.use_rule_promotions",
            "Trolley's promotions are its own (/promotions): use_rule_promotions can only be false",
        ));
    }
    Ok(SettingsInput {
        cart_expiry_days: body.cart_expiry_days,
        custom_discounts_enabled: discounts.custom_discounts_enabled,
        ..SettingsInput::default()
    })
}

#[derive(Serialize)]
struct SettingsView {
    #[serde(rename = "type")]
    kind: &'static str,
    cart_expiry_days: u32,
    discounts: DiscountsView,
}

#[derive(Serialize)]
struct DiscountsView {
    custom_discounts_enabled: bool,
    use_rule_promotions: bool,
}

/// The store's cart settings, `{"data": settings}`; a lifetime the store never set is the
/// week a cart made under `/v2` takes.
pub fn settings(settings: &Settings) -> Response<Body> {
    let view = SettingsView {
        kind: "settings",
        cart_expiry_days: settings.cart_expiry_days.unwrap_or(DEFAULT_EXPIRY_DAYS),
        discounts: DiscountsView {
            custom_discounts_enabled: settings.custom_discounts_enabled,
            use_rule_promotions: false,
        },
    };
    json(StatusCode::OK, &Envelope { data: view })
}
