//! The native API's request bodies: which fields each route takes, their names, nesting,
//! defaults and the rule that an unknown field is a 400. Each body turns into the domain
//! command the use case takes; the values inside (names, quantities, e-mails…) are the
//! domain's own types, which check themselves as they are read, so every wire format gets
//! the same checks.

use crate::domain::address::{Address, AddressInput, AddressLine, CountryCode};
use crate::domain::attributes::{AttributeName, CustomAttribute, CustomAttributes};
use crate::domain::attributes::{MAX_ATTRIBUTES, StorableFloat};
use crate::domain::cart::{CartPatch, NewCart};
use crate::domain::discounts::{CustomDiscountInput, DiscountSettings, MAX_DISCOUNT};
use crate::domain::items::{AddItems, CustomItemInput, ItemList, ItemUpdate, LineItemInput};
use crate::domain::merge::{MergeInput, MergeStrategy};
use crate::domain::money::Currency;
use crate::domain::order::CheckoutInput;
use crate::domain::product::{OptionValue, PriceInput, ProductInput, ProductKind, VariantInput};
use crate::domain::promotion::{AppliesTo, PromotionInput, PromotionKind};
use crate::domain::promotion::{AttributeCondition, Condition, ConditionValue};
use crate::domain::settings::SettingsInput;
use crate::domain::values::{
    AttributeText, Bounded, ClientId, CustomerId, Description, Email, Integer, Locale,
    MAX_UNIT_PRICE, Name, NewQuantity, Quantity, Sku, Stock, Text, UnitPrice,
};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A domain command and the native body it is read from.
pub trait NativeBody: Sized {
    type Body: DeserializeOwned + Into<Self>;
}

macro_rules! native_bodies {
    ($($command:ty => $body:ty),* $(,)?) => {
        $(impl NativeBody for $command {
            type Body = $body;
        })*
    };
}

native_bodies! {
    NewCart => NewCartBody,
    CartPatch => CartPatchBody,
    AddItems => AddItemsBody,
    ItemUpdate => ItemUpdateBody,
    CheckoutInput => CheckoutBody,
    MergeInput => MergeBody,
    CustomDiscountInput => CustomDiscountBody,
    SettingsInput => SettingsBody,
    ProductInput => ProductBody,
    PromotionInput => PromotionBody,
    LineItemInput => LineItemBody,
    CustomItemInput => CustomItemBody,
    PromotionCode => PromotionCodeBody,
}

/// Reads a command from a JSON value written as the native API takes it (tests and fixtures
/// write their inputs this way).
pub fn from_value<C: NativeBody>(value: serde_json::Value) -> Result<C, serde_json::Error> {
    serde_json::from_value::<C::Body>(value).map(Into::into)
}

/// Deserializes a field that tells "absent" (outer `None`, with `#[serde(default)]`) from
/// `null` (`Some(None)`): in an update, absent leaves a value alone and `null` clears it.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// For a field that may be left out but is never `null`: `Some(value)` when given (a
/// `null` is refused as the wrong type, naming the field).
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

fn yes() -> bool {
    true
}

/// `POST /carts`; every field is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCartBody {
    name: Option<Name>,
    description: Option<Description>,
    customer_id: Option<CustomerId>,
    channel_id: Option<ClientId>,
    currency: Option<CurrencyBody>,
    locale: Option<Locale>,
    #[serde(default)]
    line_items: ItemList<LineItemBody>,
    #[serde(default)]
    custom_items: ItemList<CustomItemBody>,
    discount_settings: Option<DiscountSettingsBody>,
    snapshot_date: Option<DateTime<Utc>>,
    custom_attributes: Option<AttributesBody>,
    contact: Option<ContactBody>,
}

impl From<NewCartBody> for NewCart {
    fn from(body: NewCartBody) -> NewCart {
        NewCart {
            name: body.name,
            description: body.description,
            customer_id: body.customer_id,
            channel_id: body.channel_id,
            currency: body.currency.map(|c| c.code),
            locale: body.locale,
            line_items: body.line_items.map(Into::into),
            custom_items: body.custom_items.map(Into::into),
            discount_settings: body.discount_settings.map(Into::into),
            snapshot_date: body.snapshot_date,
            custom_attributes: body.custom_attributes.map(AttributesBody::into_attributes),
            contact: body.contact.map(|c| c.email),
            default_expiry_days: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurrencyBody {
    code: Currency,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactBody {
    pub(crate) email: Email,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscountSettingsBody {
    custom_discounts_enabled: bool,
}

impl From<DiscountSettingsBody> for DiscountSettings {
    fn from(body: DiscountSettingsBody) -> DiscountSettings {
        DiscountSettings {
            custom_discounts_enabled: body.custom_discounts_enabled,
        }
    }
}

/// `PUT /carts/{cart_id}`: a field left out is unchanged, `null` clears it, and
/// `custom_attributes` replaces the whole map.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CartPatchBody {
    #[serde(default, deserialize_with = "nullable")]
    name: Option<Option<Name>>,
    #[serde(default, deserialize_with = "nullable")]
    description: Option<Option<Description>>,
    #[serde(default, deserialize_with = "nullable")]
    customer_id: Option<Option<CustomerId>>,
    #[serde(default, deserialize_with = "nullable")]
    contact: Option<Option<ContactBody>>,
    discount_settings: Option<DiscountSettingsBody>,
    #[serde(default, deserialize_with = "nullable")]
    custom_attributes: Option<Option<AttributesBody>>,
    #[serde(default, deserialize_with = "nullable")]
    snapshot_date: Option<Option<DateTime<Utc>>>,
}

impl From<CartPatchBody> for CartPatch {
    fn from(body: CartPatchBody) -> CartPatch {
        CartPatch {
            name: body.name,
            description: body.description,
            customer_id: body.customer_id,
            contact: body.contact.map(|c| c.map(|c| c.email)),
            discount_settings: body.discount_settings.map(Into::into),
            custom_attributes: body
                .custom_attributes
                .map(|a| a.map(AttributesBody::into_attributes).unwrap_or_default()),
            snapshot_date: body.snapshot_date,
        }
    }
}

/// The attribute map: at most 20 names, each `[A-Za-z0-9_]{1,64}`, each value typed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "BTreeMap<AttributeName, AttributeBody>")]
pub(crate) struct AttributesBody(BTreeMap<AttributeName, AttributeBody>);

impl TryFrom<BTreeMap<AttributeName, AttributeBody>> for AttributesBody {
    type Error = String;
    fn try_from(map: BTreeMap<AttributeName, AttributeBody>) -> Result<Self, String> {
        if map.len() > MAX_ATTRIBUTES {
            return Err(format!("must have at most {MAX_ATTRIBUTES} attributes"));
        }
        Ok(AttributesBody(map))
    }
}

impl AttributesBody {
    pub(crate) fn into_attributes(self) -> CustomAttributes {
        self.0
            .into_iter()
            .map(|(name, value)| (name.into_inner(), value.into()))
            .collect()
    }
}

/// One attribute, `{"type": "integer", "value": 3}`; the value must match the type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(
    tag = "type",
    content = "value",
    rename_all = "lowercase",
    deny_unknown_fields
)]
pub(crate) enum AttributeBody {
    String(AttributeText),
    Integer(Integer),
    Float(StorableFloat),
    Boolean(bool),
}

impl From<AttributeBody> for CustomAttribute {
    fn from(body: AttributeBody) -> Self {
        match body {
            AttributeBody::String(s) => CustomAttribute::String(s.into_inner()),
            AttributeBody::Integer(n) => CustomAttribute::Integer(n.0),
            AttributeBody::Float(f) => CustomAttribute::Float(f.get()),
            AttributeBody::Boolean(b) => CustomAttribute::Boolean(b),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItemBody {
    product_id: ClientId,
    variant_id: Option<ClientId>,
    quantity: Quantity,
}

impl From<LineItemBody> for LineItemInput {
    fn from(body: LineItemBody) -> LineItemInput {
        LineItemInput {
            product_id: body.product_id,
            variant_id: body.variant_id,
            quantity: body.quantity,
            // The native API prices catalog items from the catalog only, and names a
            // variant by its id.
            list_price: None,
            option_selections: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomItemBody {
    sku: Sku,
    name: Name,
    description: Option<Description>,
    quantity: Quantity,
    price: UnitPrice,
}

impl From<CustomItemBody> for CustomItemInput {
    fn from(body: CustomItemBody) -> CustomItemInput {
        CustomItemInput {
            sku: body.sku,
            name: body.name,
            description: body.description,
            quantity: body.quantity,
            price: body.price,
            // Gift certificates come by BigCommerce's wire only.
            gift_certificate: None,
            excludes_tax: false,
        }
    }
}

/// `POST /carts/{cart_id}/items`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddItemsBody {
    #[serde(default)]
    line_items: ItemList<LineItemBody>,
    #[serde(default)]
    custom_items: ItemList<CustomItemBody>,
    #[serde(default = "yes")]
    add_all_or_nothing: bool,
}

impl From<AddItemsBody> for AddItems {
    fn from(body: AddItemsBody) -> AddItems {
        AddItems {
            line_items: body.line_items.map(Into::into),
            custom_items: body.custom_items.map(Into::into),
            add_all_or_nothing: body.add_all_or_nothing,
        }
    }
}

/// `PUT /carts/{cart_id}/items/{item_id}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemUpdateBody {
    quantity: NewQuantity,
}

impl From<ItemUpdateBody> for ItemUpdate {
    fn from(body: ItemUpdateBody) -> ItemUpdate {
        ItemUpdate {
            quantity: body.quantity,
        }
    }
}

/// `POST /carts/{cart_id}/checkout` (optional): who is buying, for a cart that does not say,
/// and where to bill and ship.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckoutBody {
    contact: Option<ContactBody>,
    customer: Option<CustomerBody>,
    #[serde(default, deserialize_with = "present")]
    billing_address: Option<AddressBody>,
    #[serde(default, deserialize_with = "present")]
    shipping_address: Option<AddressBody>,
}

/// A postal address; `P` is how the postcode is written (Elastic Path's clients may send a
/// number).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddressBody<P = Text<1, 32>> {
    first_name: AddressLine,
    last_name: AddressLine,
    #[serde(default, deserialize_with = "present")]
    company_name: Option<AddressLine>,
    line_1: AddressLine,
    #[serde(default, deserialize_with = "present")]
    line_2: Option<AddressLine>,
    #[serde(default, deserialize_with = "present")]
    city: Option<AddressLine>,
    #[serde(default, deserialize_with = "present")]
    county: Option<AddressLine>,
    region: AddressLine,
    postcode: P,
    country: CountryCode,
    #[serde(default, deserialize_with = "present")]
    phone_number: Option<Text<1, 32>>,
    #[serde(default, deserialize_with = "present")]
    instructions: Option<Text<1, 500>>,
}

impl<P: Into<Text<1, 32>>> From<AddressBody<P>> for Address {
    fn from(body: AddressBody<P>) -> Address {
        Address::from(AddressInput {
            first_name: body.first_name,
            last_name: body.last_name,
            company_name: body.company_name,
            line_1: body.line_1,
            line_2: body.line_2,
            city: body.city,
            county: body.county,
            region: body.region,
            postcode: body.postcode.into(),
            country: body.country,
            phone_number: body.phone_number,
            instructions: body.instructions,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerBody {
    id: CustomerId,
}

impl From<CheckoutBody> for CheckoutInput {
    fn from(body: CheckoutBody) -> CheckoutInput {
        CheckoutInput {
            contact: body.contact.map(|c| c.email),
            contact_name: None,
            customer: body.customer.map(|c| c.id),
            billing_address: body.billing_address.map(Address::from),
            shipping_address: body.shipping_address.map(Address::from),
        }
    }
}

/// `POST /carts/{cart_id}/merge`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    source_cart_id: Uuid,
    #[serde(default)]
    strategy: MergeStrategy,
}

impl From<MergeBody> for MergeInput {
    fn from(body: MergeBody) -> MergeInput {
        MergeInput {
            source_cart_id: body.source_cart_id,
            strategy: body.strategy,
        }
    }
}

/// `POST /carts/{cart_id}/custom-discounts`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDiscountBody {
    amount: Bounded<1, MAX_DISCOUNT>,
    description: Name,
    discount_code: Text<1, 64>,
    item_id: Option<Uuid>,
    #[serde(default, deserialize_with = "present")]
    external_id: Option<Text<0, 255>>,
    #[serde(default, deserialize_with = "present")]
    discount_engine: Option<Text<0, 255>>,
}

impl From<CustomDiscountBody> for CustomDiscountInput {
    fn from(body: CustomDiscountBody) -> CustomDiscountInput {
        CustomDiscountInput {
            amount: body.amount,
            description: body.description,
            discount_code: body.discount_code,
            item_id: body.item_id,
            external_id: body.external_id,
            discount_engine: body.discount_engine,
        }
    }
}

/// `POST /carts/{cart_id}/promotions`: the code a shopper typed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromotionCodeBody {
    code: Text<1, 64>,
}

/// A promotion code as a shopper typed it.
pub type PromotionCode = Text<1, 64>;

impl From<PromotionCodeBody> for PromotionCode {
    fn from(body: PromotionCodeBody) -> PromotionCode {
        body.code
    }
}

/// `PUT /settings/cart`; every field is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    cart_expiry_days: Option<Bounded<1, 365>>,
    abandoned_after_minutes: Option<Bounded<5, 43_200>>,
    custom_discounts_enabled: Option<bool>,
    default_currency: Option<Currency>,
    allow_purchasing: Option<bool>,
}

impl From<SettingsBody> for SettingsInput {
    fn from(body: SettingsBody) -> SettingsInput {
        SettingsInput {
            cart_expiry_days: body.cart_expiry_days,
            abandoned_after_minutes: body.abandoned_after_minutes,
            custom_discounts_enabled: body.custom_discounts_enabled,
            default_currency: body.default_currency,
            allow_purchasing: body.allow_purchasing,
        }
    }
}

/// `PUT /products/{product_id}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductBody {
    name: Name,
    sku: Sku,
    #[serde(default, rename = "type")]
    kind: ProductKind,
    prices: Vec<PriceBody>,
    stock: Option<Stock>,
    #[serde(default)]
    variants: Vec<VariantBody>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantBody {
    id: ClientId,
    sku: Sku,
    prices: Option<Vec<PriceBody>>,
    stock: Option<Stock>,
    #[serde(default)]
    option_values: Vec<OptionValueBody>,
}

/// An option value a variant stands for, numbered as in BigCommerce's catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionValueBody {
    option_id: Bounded<0, { i64::MAX }>,
    option_name: Name,
    value_id: Bounded<0, { i64::MAX }>,
    label: Name,
}

impl From<OptionValueBody> for OptionValue {
    fn from(body: OptionValueBody) -> OptionValue {
        OptionValue {
            option_id: body.option_id.get(),
            option_name: body.option_name.into_inner(),
            value_id: body.value_id.get(),
            label: body.label.into_inner(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceBody {
    currency: Currency,
    amount: UnitPrice,
}

fn prices(prices: Vec<PriceBody>) -> Vec<PriceInput> {
    prices
        .into_iter()
        .map(|p| PriceInput {
            currency: p.currency,
            amount: p.amount,
        })
        .collect()
}

impl From<ProductBody> for ProductInput {
    fn from(body: ProductBody) -> ProductInput {
        ProductInput {
            name: body.name,
            sku: body.sku,
            kind: body.kind,
            prices: prices(body.prices),
            stock: body.stock,
            variants: body
                .variants
                .into_iter()
                .map(|v| VariantInput {
                    id: v.id,
                    sku: v.sku,
                    prices: v.prices.map(prices),
                    stock: v.stock,
                    option_values: v.option_values.into_iter().map(Into::into).collect(),
                })
                .collect(),
        }
    }
}

/// `PUT /promotions/{promotion_id}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromotionBody {
    name: Name,
    kind: PromotionKind,
    value: Bounded<1, MAX_UNIT_PRICE>,
    applies_to: Option<AppliesToBody>,
    code: Option<ClientId>,
    currency: Option<Currency>,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    condition: Option<ConditionBody>,
    max_uses_per_shopper: Option<Bounded<1, 1_000_000>>,
    #[serde(default = "yes")]
    enabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppliesToBody {
    product_id: ClientId,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionBody {
    custom_attribute: AttributeConditionBody,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributeConditionBody {
    name: AttributeName,
    value: ConditionValueBody,
}

/// A string of at most 255 safe characters, a number or a boolean.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a string, a number or a boolean")]
enum ConditionValueBody {
    Boolean(bool),
    Integer(Integer),
    Float(StorableFloat),
    Text(AttributeText),
}

impl From<ConditionBody> for Condition {
    fn from(body: ConditionBody) -> Condition {
        let attribute = body.custom_attribute;
        Condition {
            custom_attribute: AttributeCondition {
                name: attribute.name.into_inner(),
                value: match attribute.value {
                    ConditionValueBody::Boolean(b) => ConditionValue::Boolean(b),
                    ConditionValueBody::Integer(n) => ConditionValue::Integer(n.0),
                    ConditionValueBody::Float(f) => ConditionValue::Float(f.get()),
                    ConditionValueBody::Text(t) => ConditionValue::Text(t.into_inner()),
                },
            },
        }
    }
}

impl From<PromotionBody> for PromotionInput {
    fn from(body: PromotionBody) -> PromotionInput {
        PromotionInput {
            name: body.name,
            kind: body.kind,
            value: body.value,
            applies_to: body.applies_to.map(|a| AppliesTo {
                product_id: a.product_id,
            }),
            code: body.code,
            currency: body.currency,
            starts_at: body.starts_at,
            ends_at: body.ends_at,
            condition: body.condition.map(Into::into),
            max_uses_per_shopper: body.max_uses_per_shopper,
            enabled: body.enabled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<AttributesBody, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn values_must_match_their_type() {
        let ok = parse(json!({
            "membership": {"type": "string", "value": "VIP"},
            "visits": {"type": "integer", "value": 3},
            "score": {"type": "float", "value": 4},
            "gift": {"type": "boolean", "value": true}
        }))
        .unwrap()
        .into_attributes();
        assert_eq!(ok["score"], CustomAttribute::Float(4.0));
        assert_eq!(ok["visits"], CustomAttribute::Integer(3));

        assert!(parse(json!({"visits": {"type": "integer", "value": 1.5}})).is_err());
        let whole = parse(json!({"visits": {"type": "integer", "value": 3.0}})).unwrap();
        assert_eq!(
            whole.into_attributes()["visits"],
            CustomAttribute::Integer(3)
        );
        assert!(parse(json!({"gift": {"type": "boolean", "value": "yes"}})).is_err());
        assert!(parse(json!({"x": {"type": "date", "value": "2026-01-01"}})).is_err());
        assert!(parse(json!({"x": {"type": "string"}})).is_err());
        assert!(parse(json!({"x": {"type": "string", "value": "a", "extra": 1}})).is_err());
    }

    #[test]
    fn at_most_twenty_attributes_with_safe_names() {
        let many = |n: usize| {
            let map: serde_json::Map<_, _> = (0..n)
                .map(|i| (format!("a{i}"), json!({"type": "boolean", "value": true})))
                .collect();
            serde_json::Value::Object(map)
        };
        assert!(parse(many(20)).is_ok());
        assert!(parse(many(21)).unwrap_err().contains("at most 20"));
        assert!(parse(json!({"bad-name": {"type": "boolean", "value": true}})).is_err());
        assert!(parse(json!({"": {"type": "boolean", "value": true}})).is_err());
    }

    #[test]
    fn null_clears_and_absent_leaves_alone() {
        let patch: CartPatch =
            from_value(json!({"name": null, "custom_attributes": null})).unwrap();
        assert_eq!(patch.name, Some(None));
        assert_eq!(patch.description, None);
        assert_eq!(patch.custom_attributes, Some(CustomAttributes::new()));
    }
}
