//! Elastic Path's cart-customer relationship: `{"data": [{"type": "customer", "id"}]}`
//! names the one customer a cart belongs to. Trolley has customers, not accounts.

use super::views::{Related, reference};
use crate::domain::cart::{Cart, CartPatch};
use crate::domain::values::CustomerId;
use crate::http::ApiRequest;
use crate::http::response::json;
use crate::{Code, Error};
use lambda_http::{Body, Response, http::StatusCode};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CustomerKind {
    Customer,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerReference {
    #[serde(rename = "type")]
    _kind: CustomerKind,
    id: CustomerId,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomersBody {
    data: Vec<CustomerReference>,
}

/// The one customer a relationship body names.
fn one_customer(request: &ApiRequest) -> Result<CustomerId, Error> {
    let mut body = request.json::<CustomersBody>()?;
    if body.data.len() != 1 {
        return Err(Error::invalid(
            "data",
            "name exactly one customer: a cart has one",
        ));
    }
    Ok(body.data.remove(0).id)
}

/// `POST …/relationships/customers`: the one customer the cart is to belong to (a shopper
/// may only name themselves). A guest's contact e-mail goes: the cart is the customer's now
/// (a cart has a customer or a guest's e-mail, never both).
pub fn customer_relationship(request: &ApiRequest) -> Result<CartPatch, Error> {
    Ok(CartPatch {
        customer_id: Some(Some(one_customer(request)?)),
        contact: Some(None),
        ..CartPatch::default()
    })
}

/// `DELETE …/relationships/customers`: the customer a body names, if it is sent (it must
/// be the relationship's shape); the cart becomes a guest cart only if that is its customer.
pub fn customer_to_remove(request: &ApiRequest) -> Result<Option<CustomerId>, Error> {
    if request.body().iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    one_customer(request).map(Some)
}

/// `err` with the cart's `customer_id` named as this body names it, `data[0].id`.
pub fn in_relationship(mut err: Error) -> Error {
    for problem in &mut err.problems {
        if problem.source.as_deref() == Some("customer_id") {
            problem.source = Some("data[0].id".into());
        }
    }
    err
}

/// Trolley has no accounts: `…/relationships/accounts` is refused (`422`), pointing at
/// customers.
pub fn no_accounts() -> Error {
    Error::of(
        Code::AccountsNotSupported,
        "Trolley has customers, not accounts: use /relationships/customers",
    )
}

/// The cart's customer relationship, `{"data": [{"type": "customer", "id"}]}`.
pub fn customer_relationships(cart: &Cart) -> Response<Body> {
    let view = Related {
        data: cart
            .customer_id
            .iter()
            .map(|id| reference("customer", id))
            .collect(),
    };
    json(StatusCode::OK, &view)
}
