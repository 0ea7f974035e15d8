//! Elastic Path's tax items: the bodies that set and change them and the view of one.
//! A tax item is `{"type": "tax_item", "name", "code", "jurisdiction", "rate"}`, the rate a
//! fraction (`0.2` is 20 %); or, where a tax service has worked the tax out itself, with an
//! `amount` in minor units instead of the rate (Trolley's addition: Elastic Path's schema
//! has rates only). Trolley answers with its `id` and the item it is on.

use super::views::{Related, reference};
use crate::Error;
use crate::domain::cart::Cart;
use crate::domain::taxes::{
    NewTaxItem, TaxAmount, TaxCharge, TaxItem, TaxItemInput, TaxItemPatch, TaxRate,
};
use crate::domain::values::Text;
use crate::error::Problem;
use crate::http::ApiRequest;
use crate::http::bodies::present;
use crate::http::response::json;
use lambda_http::{Body, Response, http::StatusCode};
use serde::{Deserialize, Deserializer, Serialize, de};
use uuid::Uuid;

/// A rate in a body: a JSON number (a fraction, `0.2`), read from its text, never through
/// a float.
#[derive(Debug, Clone, Copy)]
struct RateInput(TaxRate);

impl<'de> Deserialize<'de> for RateInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        TaxRate::parse(&number.to_string())
            .map(RateInput)
            .map_err(de::Error::custom)
    }
}

/// A rate as a JSON number (`0.0825`): the shortest double that reads back as it.
fn rate_number(rate: TaxRate) -> serde_json::Number {
    let scale = TaxRate::SCALE;
    let text = format!(
        "{}.{:06}",
        rate.millionths() / scale,
        rate.millionths() % scale
    );
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .unwrap_or_else(|| serde_json::Number::from(0))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum TaxKind {
    TaxItem,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ItemKind {
    CartItem,
    CustomItem,
}

/// A tax item's fields, as every tax body holds them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxBody {
    #[serde(rename = "type")]
    _kind: TaxKind,
    /// Taken, as Elastic Path's schema lists it; Trolley gives each tax item its own id.
    #[serde(default, rename = "id", deserialize_with = "present")]
    _id: Option<Uuid>,
    #[serde(default)]
    name: Text<0, 255>,
    #[serde(default)]
    code: Text<0, 64>,
    #[serde(default)]
    jurisdiction: Text<0, 255>,
    #[serde(default, deserialize_with = "present")]
    rate: Option<RateInput>,
    #[serde(default, deserialize_with = "present")]
    amount: Option<TaxAmount>,
    /// In a bulk body, the item the tax item is for (Elastic Path's schema calls the key
    /// `order`, its guide `item`; both are read).
    #[serde(default, deserialize_with = "present")]
    relationships: Option<ItemRelationships>,
}

/// `relationships` in a bulk body: the item a tax item or custom discount is for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ItemRelationships {
    #[serde(alias = "order")]
    item: ItemReference,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemReference {
    data: ItemData,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemData {
    #[serde(rename = "type")]
    _kind: ItemKind,
    id: Uuid,
}

impl ItemRelationships {
    pub(super) fn item_id(&self) -> Uuid {
        self.item.data.id
    }
}

/// The charge of a body that may give a rate or an amount (one, not both); `at` is where
/// the body sits (`data`, `data[2]`), to name the field.
fn charge(
    rate: Option<RateInput>,
    amount: Option<TaxAmount>,
    at: &str,
) -> Result<Option<TaxCharge>, Error> {
    match (rate, amount) {
        (Some(_), Some(_)) => Err(Error::invalid(
            format!("{at}.amount"),
            "give a rate or an amount, not both",
        )),
        (Some(rate), None) => Ok(Some(TaxCharge::Rate(rate.0))),
        (None, Some(amount)) => Ok(Some(TaxCharge::Amount(amount.get()))),
        (None, None) => Ok(None),
    }
}

impl TaxBody {
    fn input(self, at: &str) -> Result<TaxItemInput, Error> {
        let charge = charge(self.rate, self.amount, at)?.ok_or_else(|| {
            Error::invalid(
                format!("{at}.rate"),
                "give a rate (a fraction: 0.2 is 20 %) or an amount of tax in minor units",
            )
        })?;
        Ok(TaxItemInput {
            name: self.name,
            code: self.code,
            jurisdiction: self.jurisdiction,
            charge,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct One<T> {
    pub(super) data: T,
}

/// `POST …/items/{item_id}/taxes`: one tax item for the item the path names.
pub fn new_tax_item(request: &ApiRequest) -> Result<TaxItemInput, Error> {
    let body = request.json::<One<TaxBody>>()?.data;
    if body.relationships.is_some() {
        return Err(Error::invalid(
            "data.relationships",
            "the path names the item; relationships belong in a bulk body",
        ));
    }
    body.input("data")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkBody {
    data: Vec<TaxBody>,
    #[serde(default)]
    options: BulkOptions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BulkOptions {
    #[serde(default)]
    pub(super) add_all_or_nothing: bool,
}

/// `POST /v2/carts/{cart_id}/taxes`: tax items for any items of the cart, each naming its
/// item in `relationships.item.data`; and whether one refusal refuses them all.
pub fn new_tax_items(request: &ApiRequest) -> Result<(Vec<NewTaxItem>, bool), Error> {
    let body = request.json::<BulkBody>()?;
    if body.data.is_empty() || body.data.len() > 100 {
        return Err(Error::invalid("data", "name from 1 to 100 tax items"));
    }
    let mut taxes = Vec::with_capacity(body.data.len());
    for (i, tax) in body.data.into_iter().enumerate() {
        let source = format!("data[{i}]");
        let Some(relationships) = tax.relationships.as_ref() else {
            return Err(Error::invalid(
                format!("{source}.relationships.item.data.id"),
                "name the item each tax item is for",
            ));
        };
        let item_id = relationships.item_id();
        taxes.push(NewTaxItem {
            item_id,
            tax: tax.input(&source)?,
            source: Some(source),
        });
    }
    Ok((taxes, body.options.add_all_or_nothing))
}

/// `PUT …/taxes/{tax_id}`: the fields given change; an `id` in the body must be the path's.
pub fn tax_item_patch(request: &ApiRequest, tax_id: Uuid) -> Result<TaxItemPatch, Error> {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PatchBody {
        #[serde(rename = "type")]
        _kind: TaxKind,
        #[serde(default, deserialize_with = "present")]
        id: Option<Uuid>,
        #[serde(default, deserialize_with = "present")]
        name: Option<Text<0, 255>>,
        #[serde(default, deserialize_with = "present")]
        code: Option<Text<0, 64>>,
        #[serde(default, deserialize_with = "present")]
        jurisdiction: Option<Text<0, 255>>,
        #[serde(default, deserialize_with = "present")]
        rate: Option<RateInput>,
        #[serde(default, deserialize_with = "present")]
        amount: Option<TaxAmount>,
    }
    let body = request.json::<One<PatchBody>>()?.data;
    if body.id.is_some_and(|id| id != tax_id) {
        return Err(Error::invalid(
            "data.id",
            "data.id must be the tax item the path names",
        ));
    }
    Ok(TaxItemPatch {
        name: body.name,
        code: body.code,
        jurisdiction: body.jurisdiction,
        charge: charge(body.rate, body.amount, "data")?,
    })
}

#[derive(Serialize)]
pub(super) struct TaxView<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    code: &'a str,
    jurisdiction: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<i64>,
    relationships: TaxViewRelationships,
}

#[derive(Serialize)]
struct TaxViewRelationships {
    item: Related,
}

/// A reference to the item `item_id` of `cart`, by its kind.
pub(super) fn item_reference(cart: &Cart, item_id: Uuid) -> Related {
    let kind = match cart.line_item(item_id) {
        Some(_) => "cart_item",
        None => "custom_item",
    };
    Related {
        data: vec![reference(kind, item_id)],
    }
}

pub(super) fn tax_view<'a>(cart: &Cart, tax: &'a TaxItem) -> TaxView<'a> {
    let (rate, amount) = match tax.charge() {
        TaxCharge::Rate(rate) => (Some(rate_number(rate)), None),
        TaxCharge::Amount(amount) => (None, Some(amount)),
    };
    TaxView {
        id: tax.id,
        kind: "tax_item",
        name: &tax.name,
        code: &tax.code,
        jurisdiction: &tax.jurisdiction,
        rate,
        amount,
        relationships: TaxViewRelationships {
            item: item_reference(cart, tax.item_id),
        },
    }
}

#[derive(Serialize)]
pub(super) struct Envelope<T> {
    pub(super) data: T,
}

/// One tax item of `cart`, `{"data": tax_item}`.
pub fn tax_item(cart: &Cart, tax_id: Uuid) -> Result<Response<Body>, Error> {
    let tax = cart
        .tax_items
        .iter()
        .find(|t| t.id == tax_id)
        .ok_or_else(Error::internal)?;
    Ok(json(
        StatusCode::OK,
        &Envelope {
            data: tax_view(cart, tax),
        },
    ))
}

#[derive(Serialize)]
struct TaxList<'a> {
    data: Vec<TaxView<'a>>,
    /// Tax items refused while others were set (`add_all_or_nothing` off).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<super::errors::ProblemView<'a>>,
}

/// The tax items a bulk request set, `{"data": [tax_item, …]}`, with the refused in `errors`.
pub fn tax_items(cart: &Cart, ids: &[Uuid], refused: &[Problem]) -> Response<Body> {
    let view = TaxList {
        data: ids
            .iter()
            .filter_map(|id| cart.tax_items.iter().find(|t| t.id == *id))
            .map(|t| tax_view(cart, t))
            .collect(),
        errors: super::errors::problems(refused),
    };
    json(StatusCode::OK, &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_written_back_as_the_same_number() {
        for text in ["0.2", "0.0825", "0", "1", "10", "0.000001", "0.123456"] {
            let rate = TaxRate::parse(text).unwrap();
            let written = rate_number(rate).to_string();
            assert_eq!(
                TaxRate::parse(&written),
                Ok(rate),
                "{text} written as {written}"
            );
        }
    }
}
