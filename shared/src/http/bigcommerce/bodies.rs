//! Request bodies as BigCommerce clients send them, turned into the domain's commands. A
//! field BigCommerce has and Trolley cannot honour yet is refused with a 422 naming it,
//! never silently dropped.

use super::money::minor_units;
use crate::domain::cart::{CurrencyInput, NewCart as CartCommand};
use crate::domain::items::{CustomItemInput, ItemList, LineItemInput};
use crate::domain::money::Currency;
use crate::domain::values::{
    ClientId, CustomerId, Integer, Locale, MAX_UNIT_PRICE, Name, Quantity, Sku,
};
use crate::{Code, Error};
use serde::Deserialize;
use serde_json::{Number, Value};

/// `POST /v3/carts` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCart {
    /// 0 (or none) is a guest.
    customer_id: Option<Integer>,
    #[serde(default)]
    line_items: Vec<LineItem>,
    #[serde(default)]
    custom_items: Vec<CustomItem>,
    #[serde(default)]
    gift_certificates: Vec<Value>,
    channel_id: Option<Integer>,
    currency: Option<CurrencyCode>,
    locale: Option<Locale>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurrencyCode {
    code: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineItem {
    quantity: Quantity,
    product_id: ClientId,
    variant_id: Option<ClientId>,
    list_price: Option<Value>,
    name: Option<Value>,
    option_selections: Option<Value>,
    gift_wrapping: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomItem {
    sku: Sku,
    name: Name,
    quantity: Quantity,
    list_price: Number,
    image_url: Option<String>,
}

fn not_supported(source: String) -> Error {
    Error::of(
        Code::ValidationFailed,
        "Trolley does not support this field on /v3 yet",
    )
    .at(source)
}

impl NewCart {
    /// The domain's command for this body, with decimal prices in minor units of the cart's
    /// currency (the body's, else `default_currency`).
    pub fn into_command(self, default_currency: Currency) -> Result<CartCommand, Error> {
        if !self.gift_certificates.is_empty() {
            return Err(not_supported("gift_certificates".into()));
        }
        if self.customer_id.is_some_and(|id| id.0 < 0) {
            return Err(Error::invalid("customer_id", "must be 0 (a guest) or more"));
        }
        if self.channel_id.is_some_and(|id| id.0 < 0) {
            return Err(Error::invalid("channel_id", "must not be negative"));
        }
        let currency = match self.currency {
            None => default_currency,
            Some(CurrencyCode { code }) => Currency::try_from(code.to_ascii_uppercase())
                .map_err(|e| Error::invalid("currency.code", e))?,
        };
        let line_items = self
            .line_items
            .into_iter()
            .enumerate()
            .map(|(index, item)| item.into_input(index))
            .collect::<Result<Vec<_>, _>>()?;
        let custom_items = self
            .custom_items
            .into_iter()
            .enumerate()
            .map(|(index, item)| item.into_input(index, currency))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CartCommand {
            customer_id: self
                .customer_id
                .filter(|id| id.0 != 0)
                .map(|id| CustomerId::from(ClientId::Int(id.0))),
            channel_id: self.channel_id.map(|id| ClientId::Int(id.0)),
            currency: Some(CurrencyInput { code: currency }),
            locale: self.locale,
            line_items: list("line_items", line_items)?,
            custom_items: list("custom_items", custom_items)?,
            ..CartCommand::default()
        })
    }
}

fn list<T>(field: &str, items: Vec<T>) -> Result<ItemList<T>, Error> {
    ItemList::try_from(items).map_err(|e| Error::invalid(field, e))
}

impl LineItem {
    fn into_input(self, index: usize) -> Result<LineItemInput, Error> {
        let at = |field: &str| format!("line_items[{index}].{field}");
        // A price or name of the caller's own, options and wrapping are not modelled yet.
        let unsupported = [
            ("list_price", self.list_price.is_some()),
            ("name", self.name.is_some()),
            ("option_selections", self.option_selections.is_some()),
            ("gift_wrapping", self.gift_wrapping.is_some()),
        ];
        if let Some((field, _)) = unsupported.iter().find(|(_, given)| *given) {
            return Err(not_supported(at(field)));
        }
        Ok(LineItemInput {
            product_id: self.product_id,
            variant_id: self.variant_id,
            quantity: self.quantity,
        })
    }
}

impl CustomItem {
    fn into_input(self, index: usize, currency: Currency) -> Result<CustomItemInput, Error> {
        let at = |field: &str| format!("custom_items[{index}].{field}");
        if self.image_url.is_some() {
            return Err(not_supported(at("image_url")));
        }
        let price = minor_units(&self.list_price, currency, MAX_UNIT_PRICE)
            .and_then(|amount| amount.try_into())
            .map_err(|e| Error::invalid(at("list_price"), format!("list_price {e}")))?;
        Ok(CustomItemInput {
            sku: self.sku,
            name: self.name,
            description: None,
            quantity: self.quantity,
            price,
        })
    }
}
