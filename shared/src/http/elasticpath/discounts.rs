//! Elastic Path's custom discounts: an external engine's amounts off the cart or one item.
//! A request names the amount as a negative integer in minor units (`-1000`); the view
//! gives it as money (`{"amount": -1000, "currency", "formatted"}`).

use super::taxes::{BulkOptions, Envelope, ItemRelationships, One, item_reference};
use super::views::Related;
use crate::Error;
use crate::domain::cart::Cart;
use crate::domain::discounts::{
    CustomDiscount, CustomDiscountInput, MAX_DISCOUNT, NewCustomDiscount,
};
use crate::domain::values::{Bounded, Name, Text};
use crate::error::Problem;
use crate::http::ApiRequest;
use crate::http::bodies::present;
use crate::http::response::json;
use crate::http::views::Money;
use lambda_http::{Body, Response, http::StatusCode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum DiscountKind {
    CustomDiscount,
}

/// A custom discount as Elastic Path's bodies hold it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscountBody {
    #[serde(rename = "type")]
    _kind: DiscountKind,
    /// Taken, as Elastic Path's bulk schema lists it; Trolley gives each its own id.
    #[serde(default, rename = "id", deserialize_with = "present")]
    _id: Option<serde_json::Value>,
    /// Negative: what is taken off, in minor units.
    amount: Bounded<{ -MAX_DISCOUNT }, -1>,
    description: Name,
    discount_code: Text<1, 64>,
    #[serde(default, deserialize_with = "present")]
    discount_engine: Option<Text<0, 255>>,
    #[serde(default, deserialize_with = "present")]
    external_id: Option<Text<0, 255>>,
    /// In a bulk body, the item it is for; left out, it is off the cart as a whole.
    #[serde(default, deserialize_with = "present")]
    relationships: Option<ItemRelationships>,
}

impl DiscountBody {
    fn input(self, item_id: Option<Uuid>) -> Result<CustomDiscountInput, Error> {
        Ok(CustomDiscountInput {
            amount: Bounded::new(-self.amount.get()).map_err(|_| Error::internal())?,
            description: self.description,
            discount_code: self.discount_code,
            item_id: item_id.or_else(|| self.relationships.as_ref().map(|r| r.item_id())),
            external_id: self.external_id,
            discount_engine: self.discount_engine,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkBody {
    data: Vec<DiscountBody>,
    #[serde(default)]
    options: BulkOptions,
}

/// `POST /v2/carts/{cart_id}/custom-discounts`: discounts off the cart, or off the item a
/// discount names in `relationships.item.data`; and whether one refusal refuses them all.
pub fn new_custom_discounts(request: &ApiRequest) -> Result<(Vec<NewCustomDiscount>, bool), Error> {
    let body = request.json::<BulkBody>()?;
    if body.data.is_empty() || body.data.len() > 100 {
        return Err(Error::invalid(
            "data",
            "name from 1 to 100 custom discounts",
        ));
    }
    let mut discounts = Vec::with_capacity(body.data.len());
    for (i, discount) in body.data.into_iter().enumerate() {
        discounts.push(NewCustomDiscount {
            discount: discount.input(None)?,
            source: format!("data[{i}]"),
        });
    }
    Ok((discounts, body.options.add_all_or_nothing))
}

/// One custom discount, for the item `item_id` (the path's) or, `None`, the path's cart.
/// Taken wrapped in `{"data": …}`, and, for an item, as Elastic Path's reference also shows
/// it, without.
pub fn custom_discount(
    request: &ApiRequest,
    item_id: Option<Uuid>,
) -> Result<CustomDiscountInput, Error> {
    let wrapped = request.json::<serde_json::Value>()?.get("data").is_some();
    let body = match wrapped || item_id.is_none() {
        true => request.json::<One<DiscountBody>>()?.data,
        false => request.json::<DiscountBody>()?,
    };
    if body.relationships.is_some() {
        let at = if wrapped {
            "data.relationships"
        } else {
            "relationships"
        };
        return Err(Error::invalid(
            at,
            "the path says where the discount is; relationships belong in a bulk body",
        ));
    }
    body.input(item_id)
}

#[derive(Serialize)]
pub(super) struct DiscountView<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    amount: Money,
    description: &'a str,
    discount_code: &'a str,
    discount_engine: &'a str,
    external_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    relationships: Option<DiscountRelationships>,
}

#[derive(Serialize)]
struct DiscountRelationships {
    item: Related,
}

pub(super) fn discount_view<'a>(cart: &Cart, discount: &'a CustomDiscount) -> DiscountView<'a> {
    DiscountView {
        id: discount.id,
        kind: "custom_discount",
        amount: Money::new(-discount.amount, cart.currency),
        description: &discount.description,
        discount_code: &discount.discount_code,
        discount_engine: discount.discount_engine.as_deref().unwrap_or(""),
        external_id: discount.external_id.as_deref().unwrap_or(""),
        relationships: discount.item_id.map(|item_id| DiscountRelationships {
            item: item_reference(cart, item_id),
        }),
    }
}

/// One custom discount of `cart`, `{"data": custom_discount}`.
pub fn custom_discount_view(cart: &Cart, id: Uuid) -> Result<Response<Body>, Error> {
    let discount = cart
        .custom_discounts
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(Error::internal)?;
    Ok(json(
        StatusCode::OK,
        &Envelope {
            data: discount_view(cart, discount),
        },
    ))
}

#[derive(Serialize)]
struct DiscountList<'a> {
    data: Vec<DiscountView<'a>>,
    /// Discounts refused while the others were added (`add_all_or_nothing` off).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<super::errors::ProblemView<'a>>,
}

/// The custom discounts a bulk request added, with the refused in `errors`.
pub fn custom_discount_list(cart: &Cart, ids: &[Uuid], refused: &[Problem]) -> Response<Body> {
    let view = DiscountList {
        data: ids
            .iter()
            .filter_map(|id| cart.custom_discounts.iter().find(|d| d.id == *id))
            .map(|d| discount_view(cart, d))
            .collect(),
        errors: super::errors::problems(refused),
    };
    json(StatusCode::OK, &view)
}
