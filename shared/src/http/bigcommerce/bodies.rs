//! Request bodies as BigCommerce clients send them, turned into the domain's commands. A
//! field BigCommerce has and Trolley cannot honour yet is refused with a 422 naming it,
//! never silently dropped.

use super::money::minor_units;
use crate::domain::cart::{CartPatch, NewCart as CartCommand};
use crate::domain::items::{
    AddItems as ItemsCommand, CustomItemInput, GiftCertificate, GiftContact, GiftTheme, ItemList,
    ItemUpdate as QuantityCommand, LineItemInput, MAX_ITEMS,
};
use crate::domain::money::Currency;
use crate::domain::product::{MAX_OPTIONS, OptionSelection};
use crate::domain::settings::BIGCOMMERCE_EXPIRY_DAYS;
use crate::domain::values::{
    ClientId, CustomerId, Email, GiftMessage, Integer, Locale, MAX_UNIT_PRICE, Name, NewQuantity,
    Quantity, Sku, UnitPrice,
};
use crate::http::bodies::{nullable, present};
use crate::http::request::whole_number;
use crate::service::Precondition;
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
    gift_certificates: Vec<GiftCertificateIn>,
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
    /// The caller's own price for the line, instead of the catalog's. Never `null`, as
    /// BigCommerce's schema has it (nor `option_selections`).
    #[serde(default, deserialize_with = "present")]
    list_price: Option<Number>,
    #[serde(default, deserialize_with = "nullable")]
    name: Option<Option<Value>>,
    /// Option values that name a variant (`options_not_available` when none is them).
    #[serde(default, deserialize_with = "present")]
    option_selections: Option<Vec<OptionSelectionIn>>,
    #[serde(default, deserialize_with = "nullable")]
    gift_wrapping: Option<Option<Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionSelectionIn {
    option_id: Integer,
    /// The value's id (a number, or its digits) or its label.
    option_value: Value,
}

fn not_a_value(at: impl Fn(&str) -> String) -> Error {
    Error::invalid(
        at("option_value"),
        "option_value must be a value's id or label (Trolley prices no other option)",
    )
}

impl OptionSelectionIn {
    fn into_selection(self, at: impl Fn(&str) -> String) -> Result<OptionSelection, Error> {
        if self.option_id.0 < 0 {
            return Err(Error::invalid(
                at("option_id"),
                "option_id must not be negative",
            ));
        }
        let value = match self.option_value {
            Value::String(text) if !text.is_empty() => text,
            Value::Number(n) => match whole_number(&n.to_string()) {
                Some(id) if id >= 0 => id.to_string(),
                _ => return Err(not_a_value(at)),
            },
            _ => return Err(not_a_value(at)),
        };
        Ok(OptionSelection {
            option_id: self.option_id.0,
            value,
        })
    }
}

/// Whether any item carries a decimal price, which needs the cart's currency to convert.
fn prices_given(
    line_items: &[LineItem],
    custom_items: &[CustomItem],
    gifts: &[GiftCertificateIn],
) -> bool {
    !custom_items.is_empty()
        || !gifts.is_empty()
        || line_items.iter().any(|l| l.list_price.is_some())
}

/// A gift certificate: a custom item sold at `amount` (1 to 1,000 in the cart's currency,
/// BigCommerce's bounds), never discounted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GiftCertificateIn {
    name: Name,
    theme: GiftTheme,
    amount: Number,
    quantity: Quantity,
    sender: GiftContactIn,
    recipient: GiftContactIn,
    message: Option<GiftMessage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GiftContactIn {
    name: Name,
    email: Email,
}

impl From<GiftContactIn> for GiftContact {
    fn from(contact: GiftContactIn) -> GiftContact {
        GiftContact {
            name: contact.name.as_str().to_owned(),
            email: contact.email.into_inner(),
        }
    }
}

/// The SKU every gift certificate carries: BigCommerce gives them none, Trolley's custom
/// items need one.
pub const GIFT_CERTIFICATE_SKU: &str = "gift-certificate";

impl GiftCertificateIn {
    fn into_input(self, index: usize, currency: Currency) -> Result<CustomItemInput, Error> {
        let source = format!("gift_certificates[{index}].amount");
        let scale = 10i64.pow(currency.exponent());
        let amount = minor_units(&self.amount, currency, 1000 * scale)
            .and_then(|amount| {
                if amount >= scale {
                    Ok(amount)
                } else {
                    Err("must be at least 1".to_owned())
                }
            })
            .and_then(|amount| amount.try_into())
            .map_err(|e| {
                Error::invalid(&source, format!("amount {e} (1 to 1000 in {})", currency))
            })?;
        Ok(CustomItemInput {
            sku: Sku::try_from(GIFT_CERTIFICATE_SKU.to_owned()).map_err(|_| Error::internal())?,
            name: self.name,
            description: None,
            quantity: self.quantity,
            price: amount,
            excludes_tax: false,
            gift_certificate: Some(GiftCertificate {
                theme: self.theme,
                sender: self.sender.into(),
                recipient: self.recipient.into(),
                message: self.message.map(|m| m.as_str().to_owned()),
            }),
        })
    }
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
    /// Whether the body prices items without naming a currency: then the store's default
    /// currency must be read to convert them (and only then).
    pub fn needs_default_currency(&self) -> bool {
        prices_given(
            &self.line_items,
            &self.custom_items,
            &self.gift_certificates,
        ) && self.currency.is_none()
    }

    /// The domain's command for this body, with decimal prices in minor units of the cart's
    /// currency: the body's, else `default_currency` (given when `needs_default_currency`).
    pub fn into_command(self, default_currency: Option<Currency>) -> Result<CartCommand, Error> {
        if self.customer_id.is_some_and(|id| id.0 < 0) {
            return Err(Error::invalid("customer_id", "must be 0 (a guest) or more"));
        }
        if self.channel_id.is_some_and(|id| id.0 < 0) {
            return Err(Error::invalid("channel_id", "must not be negative"));
        }
        let currency = match self.currency {
            None => None,
            Some(CurrencyCode { code }) => Some(
                Currency::try_from(code.to_ascii_uppercase())
                    .map_err(|e| Error::invalid("currency.code", e))?,
            ),
        };
        let prices_in = currency.or(default_currency);
        let (lines, customs) = item_lists(
            self.line_items,
            self.custom_items,
            self.gift_certificates,
            prices_in,
        )?;
        Ok(CartCommand {
            customer_id: self
                .customer_id
                .filter(|id| id.0 != 0)
                .map(|id| CustomerId::from(ClientId::Int(id.0))),
            channel_id: self.channel_id.map(|id| ClientId::Int(id.0)),
            // None: the cart takes the store's default, as on the native route.
            currency,
            locale: self.locale,
            line_items: lines,
            custom_items: customs,
            // BigCommerce keeps a cart 30 days after its last change (unless the store
            // sets a lifetime of its own).
            default_expiry_days: Some(BIGCOMMERCE_EXPIRY_DAYS),
            ..CartCommand::default()
        })
    }
}

/// The most a `list_price` may be: 100,000,000 in major units, and never more minor units
/// than any price may have.
fn max_price(currency: Currency) -> i64 {
    10i64
        .checked_pow(currency.exponent())
        .and_then(|scale| scale.checked_mul(100_000_000))
        .map_or(MAX_UNIT_PRICE, |max| max.min(MAX_UNIT_PRICE))
}

fn list<T>(field: &str, items: Vec<T>) -> Result<ItemList<T>, Error> {
    ItemList::try_from(items).map_err(|e| Error::invalid(field, e))
}

/// A body's items as the domain's lists, priced in `currency`; gift certificates are custom
/// items that carry their certificate.
fn item_lists(
    line_items: Vec<LineItem>,
    custom_items: Vec<CustomItem>,
    gift_certificates: Vec<GiftCertificateIn>,
    currency: Option<Currency>,
) -> Result<(ItemList<LineItemInput>, ItemList<CustomItemInput>), Error> {
    // Each list may hold 100, as the spec says; together they are one list here, and a
    // cart holds 100 items in all.
    if custom_items.len() + gift_certificates.len() > MAX_ITEMS {
        return Err(Error::of(
            Code::CartItemLimit,
            format!("a cart holds at most {MAX_ITEMS} distinct items"),
        )
        .at("gift_certificates"));
    }
    let gifts = gift_certificates
        .into_iter()
        .enumerate()
        .map(|(index, gift)| gift.into_input(index, currency.ok_or_else(Error::internal)?));
    let line_items = line_items
        .into_iter()
        .enumerate()
        .map(|(index, item)| item.into_input(index, currency))
        .collect::<Result<Vec<_>, _>>()?;
    let custom_items = custom_items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            // The handlers read a currency whenever an item has a price (`needs_*`).
            item.into_input(index, currency.ok_or_else(Error::internal)?)
        })
        .chain(gifts)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((
        list("line_items", line_items)?,
        list("custom_items", custom_items)?,
    ))
}

/// The first of a line item's fields Trolley does not model yet (a name of the caller's
/// own, gift wrapping) that the body gives.
fn unmodelled(given: &[(&'static str, bool)]) -> Option<&'static str> {
    given
        .iter()
        .find(|(_, given)| *given)
        .map(|(name, _)| *name)
}

impl LineItem {
    fn into_input(self, index: usize, currency: Option<Currency>) -> Result<LineItemInput, Error> {
        let at = |field: &str| format!("line_items[{index}].{field}");
        let extra = unmodelled(&[
            ("name", self.name.is_some()),
            ("gift_wrapping", self.gift_wrapping.is_some()),
        ]);
        if let Some(field) = extra {
            return Err(not_supported(at(field)));
        }
        let selections = self.option_selections.unwrap_or_default();
        if selections.len() > MAX_OPTIONS {
            return Err(Error::invalid(
                at("option_selections"),
                format!("at most {MAX_OPTIONS} option selections"),
            ));
        }
        let option_selections = selections
            .into_iter()
            .enumerate()
            .map(|(j, selection)| {
                selection.into_selection(|field| at(&format!("option_selections[{j}].{field}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let list_price = match &self.list_price {
            None => None,
            Some(price) => Some(unit_price(
                price,
                currency.ok_or_else(Error::internal)?,
                at,
            )?),
        };
        Ok(LineItemInput {
            product_id: self.product_id,
            variant_id: self.variant_id,
            quantity: self.quantity,
            list_price,
            option_selections,
        })
    }
}

/// A body's decimal `list_price` as a unit price in minor units of `currency`.
fn unit_price(
    price: &Number,
    currency: Currency,
    at: impl Fn(&str) -> String,
) -> Result<UnitPrice, Error> {
    minor_units(price, currency, max_price(currency))
        .and_then(|amount| amount.try_into())
        .map_err(|e| Error::invalid(at("list_price"), format!("list_price {e}")))
}

impl CustomItem {
    fn into_input(self, index: usize, currency: Currency) -> Result<CustomItemInput, Error> {
        let at = |field: &str| format!("custom_items[{index}].{field}");
        if self.image_url.is_some() {
            return Err(not_supported(at("image_url")));
        }
        let price = unit_price(&self.list_price, currency, at)?;
        Ok(CustomItemInput {
            sku: self.sku,
            name: self.name,
            description: None,
            quantity: self.quantity,
            price,
            gift_certificate: None,
            excludes_tax: false,
        })
    }
}

/// `POST /v3/carts/{cart_id}/items` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddItems {
    #[serde(default)]
    line_items: Vec<LineItem>,
    #[serde(default)]
    custom_items: Vec<CustomItem>,
    #[serde(default)]
    gift_certificates: Vec<GiftCertificateIn>,
    version: Option<Integer>,
}

impl AddItems {
    /// Whether an item's price needs the cart's currency to be read (and only then).
    pub fn needs_cart_currency(&self) -> bool {
        prices_given(
            &self.line_items,
            &self.custom_items,
            &self.gift_certificates,
        )
    }

    /// The domain's command (all or nothing, as BigCommerce adds), and the version the
    /// client expects the cart at, if it gave one.
    pub fn into_command(
        self,
        currency: Option<Currency>,
    ) -> Result<(ItemsCommand, Option<Precondition>), Error> {
        let (lines, customs) = item_lists(
            self.line_items,
            self.custom_items,
            self.gift_certificates,
            currency,
        )?;
        let command = ItemsCommand {
            line_items: lines,
            custom_items: customs,
            add_all_or_nothing: true,
        };
        Ok((command, precondition(self.version)?))
    }
}

/// `PUT /v3/carts/{cart_id}/items/{item_id}` body: BigCommerce changes a quantity here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemUpdate {
    line_item: Option<ItemChange>,
    /// BigCommerce's way to change a certificate; Trolley changes its quantity through
    /// `line_item` only.
    #[serde(default, deserialize_with = "nullable")]
    gift_certificate: Option<Option<Value>>,
    #[serde(default)]
    custom_items: Vec<Value>,
    version: Option<Integer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemChange {
    quantity: NewQuantity,
    /// Named again by BigCommerce's clients; the item keeps its product and variant.
    #[allow(dead_code)]
    product_id: Option<ClientId>,
    #[allow(dead_code)]
    variant_id: Option<ClientId>,
    #[serde(default, deserialize_with = "nullable")]
    list_price: Option<Option<Value>>,
    #[serde(default, deserialize_with = "nullable")]
    name: Option<Option<Value>>,
    #[serde(default, deserialize_with = "nullable")]
    option_selections: Option<Option<Value>>,
    #[serde(default, deserialize_with = "nullable")]
    gift_wrapping: Option<Option<Value>>,
}

impl ItemUpdate {
    pub fn into_command(self) -> Result<(QuantityCommand, Option<Precondition>), Error> {
        if self.gift_certificate.is_some() {
            return Err(not_supported("gift_certificate".into()));
        }
        if !self.custom_items.is_empty() {
            return Err(not_supported("custom_items".into()));
        }
        let Some(change) = self.line_item else {
            return Err(Error::invalid(
                "line_item",
                "line_item must give the new quantity",
            ));
        };
        let given = [
            ("list_price", change.list_price.is_some()),
            ("name", change.name.is_some()),
            ("option_selections", change.option_selections.is_some()),
            ("gift_wrapping", change.gift_wrapping.is_some()),
        ];
        if let Some(field) = unmodelled(&given) {
            return Err(not_supported(format!("line_item.{field}")));
        }
        let command = QuantityCommand {
            quantity: change.quantity,
        };
        Ok((command, precondition(self.version)?))
    }
}

/// `PUT /v3/carts/{cart_id}` body: BigCommerce changes the customer here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CartUpdate {
    customer_id: Option<Integer>,
    version: Option<Integer>,
}

impl CartUpdate {
    pub fn into_command(self) -> Result<(CartPatch, Option<Precondition>), Error> {
        let customer_id = match self.customer_id {
            None => None,
            Some(Integer(id)) if id < 0 => {
                return Err(Error::invalid("customer_id", "must be 0 (a guest) or more"));
            }
            // 0 makes the cart a guest's.
            Some(Integer(0)) => Some(None),
            Some(Integer(id)) => Some(Some(CustomerId::from(ClientId::Int(id)))),
        };
        let patch = CartPatch {
            customer_id,
            ..CartPatch::default()
        };
        Ok((patch, precondition(self.version)?))
    }
}

/// The optional body of `DELETE /v3/carts/{cart_id}/items/{item_id}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    version: Option<Integer>,
}

impl Version {
    pub fn precondition(self) -> Result<Option<Precondition>, Error> {
        precondition(self.version)
    }
}

/// `POST /v3/carts/{cart_id}/redirect_urls` body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectUrls {
    query_params: Option<serde_json::Map<String, Value>>,
}

impl RedirectUrls {
    /// Extra query parameters are not carried on the links yet: refused rather than dropped.
    pub fn check(&self) -> Result<(), Error> {
        match &self.query_params {
            Some(params) if !params.is_empty() => Err(not_supported("query_params".into())),
            _ => Ok(()),
        }
    }
}

/// BigCommerce's `version`: the cart must be at it, else `409`.
fn precondition(version: Option<Integer>) -> Result<Option<Precondition>, Error> {
    match version {
        None => Ok(None),
        Some(Integer(v)) if v >= 1 => Ok(Some(Precondition::Versions(vec![v as u64]))),
        Some(_) => Err(Error::invalid("version", "version must be 1 or more")),
    }
}
