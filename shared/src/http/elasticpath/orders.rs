//! Elastic Path's checkout body and its orders: `{"data": order}` with `status`, `payment`
//! and `shipping`, the addresses and contact, and `meta.display_price`; an order's items
//! priced as a cart's are.

use super::taxes::Envelope;
use super::views::{
    DisplayPrice, ItemMeta, ItemPrice, Related, as_uuid, item_meta, page, reference,
};
use crate::Error;
use crate::domain::address::Address;
use crate::domain::cart::Contact;
use crate::domain::order::{CheckoutInput, Order, OrderStatus, PaymentStatus, ShippingStatus};
use crate::domain::values::{CustomerId, Email, Integer, Name, Text, timestamp};
use crate::http::ApiRequest;
use crate::http::bodies::{AddressBody, present};
use crate::http::response::json;
use crate::http::views::Money;
use lambda_http::{Body, Response, http::StatusCode};
use serde::{Deserialize, Deserializer, Serialize, de};
use uuid::Uuid;

/// A postcode as Elastic Path's clients write it: text, or (as its own examples do) a
/// number, taken as its digits.
#[derive(Debug, Clone)]
struct Postcode(Text<1, 32>);

impl<'de> Deserialize<'de> for Postcode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Text(String),
            Number(Integer),
        }
        let text = match Written::deserialize(deserializer)? {
            Written::Text(text) => text,
            Written::Number(Integer(number)) if number >= 0 => number.to_string(),
            Written::Number(_) => return Err(de::Error::custom("must not be negative")),
        };
        Text::try_from(text)
            .map(Postcode)
            .map_err(de::Error::custom)
    }
}

impl From<Postcode> for Text<1, 32> {
    fn from(postcode: Postcode) -> Text<1, 32> {
        postcode.0
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckoutBody {
    #[serde(default, deserialize_with = "present")]
    customer: Option<CustomerBody>,
    #[serde(default, deserialize_with = "present")]
    account: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "present")]
    contact: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "present")]
    billing_address: Option<AddressBody<Postcode>>,
    #[serde(default, deserialize_with = "present")]
    shipping_address: Option<AddressBody<Postcode>>,
}

/// `customer`: a customer by `id`, or a guest by `email` and `name`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerBody {
    #[serde(default, deserialize_with = "present")]
    id: Option<CustomerId>,
    #[serde(default, deserialize_with = "present")]
    email: Option<Email>,
    #[serde(default, deserialize_with = "present")]
    name: Option<Name>,
}

/// `err` from a checkout with its sources in this body's terms: the buyer is
/// `data.customer`; a line item has no place in the body, so its source goes.
pub fn in_checkout(mut err: Error) -> Error {
    for problem in &mut err.problems {
        problem.source = match problem.source.as_deref() {
            Some("customer.id") => Some("data.customer.id".into()),
            Some("contact.email") => Some("data.customer.email".into()),
            Some(source) if source.starts_with("line_items") => None,
            _ => problem.source.take(),
        };
    }
    err
}

/// `POST /v2/carts/{cart_id}/checkout`: who buys (a customer by id, or a guest by e-mail
/// and name) and where to bill and ship. Accounts are not supported (`400`).
pub fn checkout(request: &ApiRequest) -> Result<CheckoutInput, Error> {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Request {
        #[serde(default, deserialize_with = "present")]
        data: Option<CheckoutBody>,
    }
    let body = request.json::<Option<Request>>()?.and_then(|r| r.data);
    let Some(body) = body else {
        return Ok(CheckoutInput::default());
    };
    if body.account.is_some() || body.contact.is_some() {
        let at = if body.account.is_some() {
            "data.account"
        } else {
            "data.contact"
        };
        return Err(Error::invalid(
            at,
            "Trolley has no accounts: check out for a customer (customer.id) or a guest \
             (customer.email and customer.name)",
        ));
    }
    let (customer, contact, contact_name) = match body.customer {
        None => (None, None, None),
        Some(CustomerBody {
            id: Some(_),
            email: Some(_),
            ..
        })
        | Some(CustomerBody {
            id: Some(_),
            name: Some(_),
            ..
        }) => {
            return Err(Error::invalid(
                "data.customer",
                "name a customer by id, or a guest by email and name, not both",
            ));
        }
        Some(CustomerBody { id: Some(id), .. }) => (Some(id), None, None),
        Some(CustomerBody { email, name, .. }) => {
            let email = email.ok_or_else(|| {
                Error::invalid("data.customer.email", "a guest needs an e-mail address")
            })?;
            (None, Some(email), name)
        }
    };
    Ok(CheckoutInput {
        contact,
        contact_name,
        customer,
        billing_address: body.billing_address.map(Address::from),
        shipping_address: body.shipping_address.map(Address::from),
    })
}

#[derive(Serialize)]
struct OrderView<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    status: OrderStatus,
    payment: PaymentStatus,
    shipping: ShippingStatus,
    anonymized: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<CustomerView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<&'a Contact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_address: Option<&'a Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_address: Option<&'a Address>,
    links: Links,
    meta: OrderMeta,
    relationships: OrderRelationships,
}

#[derive(Serialize)]
struct CustomerView<'a> {
    id: &'a CustomerId,
}

#[derive(Serialize)]
struct Links {}

#[derive(Serialize)]
struct OrderMeta {
    display_price: OrderPrices,
    timestamps: Timestamps,
}

/// The cart's five prices at checkout, and what has been paid: nothing, as Trolley takes no
/// payments.
#[derive(Serialize)]
struct OrderPrices {
    #[serde(flatten)]
    prices: DisplayPrice<Money>,
    paid: Money,
    authorized: Money,
    balance_owing: Money,
}

#[derive(Serialize)]
struct Timestamps {
    created_at: String,
    updated_at: String,
}

#[derive(Serialize)]
struct OrderRelationships {
    items: Related,
    cart: Related,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<Related>,
}

fn order_view(order: &Order) -> OrderView<'_> {
    let totals = &order.totals;
    let money = |amount| Money::new(amount, order.currency);
    let items = order
        .line_items
        .iter()
        .map(|i| i.id)
        .chain(order.custom_items.iter().map(|i| i.id))
        .map(|id| reference("order_item", id))
        .collect();
    OrderView {
        id: order.id,
        kind: "order",
        status: order.status,
        payment: order.payment,
        shipping: order.shipping,
        anonymized: false,
        customer: order.customer_id.as_ref().map(|id| CustomerView { id }),
        contact: order.contact.as_ref(),
        billing_address: order.billing_address.as_ref(),
        shipping_address: order.shipping_address.as_ref(),
        links: Links {},
        meta: OrderMeta {
            display_price: OrderPrices {
                prices: DisplayPrice::of(totals.total, totals.tax, totals.discount, order.currency),
                paid: money(0),
                authorized: money(0),
                balance_owing: money(totals.total),
            },
            timestamps: Timestamps {
                created_at: timestamp(order.created_at),
                updated_at: timestamp(order.created_at),
            },
        },
        relationships: OrderRelationships {
            items: Related { data: items },
            cart: Related {
                data: vec![reference("cart", order.cart_id)],
            },
            customer: order.customer_id.as_ref().map(|id| Related {
                data: vec![reference("customer", id)],
            }),
        },
    }
}

/// An order, `{"data": order}` (`200`, as Elastic Path answers a checkout too).
pub fn order(order: &Order) -> Response<Body> {
    json(
        StatusCode::OK,
        &Envelope {
            data: order_view(order),
        },
    )
}

/// `GET /v2/orders`: the shopper's orders a page at a time.
pub fn order_list(request: &ApiRequest, orders: &[Order]) -> Result<Response<Body>, Error> {
    page(request, "/v2/orders", orders, order_view)
}

#[derive(Serialize)]
struct OrderItemView<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    /// The catalog id, when it is a UUID (see `as_uuid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<Uuid>,
    name: &'a str,
    sku: &'a str,
    quantity: u32,
    unit_price: ItemPrice,
    value: ItemPrice,
    links: Links,
    meta: ItemMeta,
    relationships: OrderItemRelationships,
}

#[derive(Serialize)]
struct OrderItemRelationships {
    cart_item: CartItemReference,
}

/// Elastic Path names an order item's cart item as one object, not a list.
#[derive(Serialize)]
struct CartItemReference {
    data: super::views::Reference,
}

/// `GET /v2/orders/{order_id}/items`: the order's items, priced as at checkout.
pub fn order_items(order: &Order) -> Response<Body> {
    let line = |id: Uuid| order.totals.lines.iter().find(|l| l.item_id == id);
    let currency = order.currency;
    let price = |amount, includes_tax| ItemPrice {
        amount,
        currency,
        includes_tax,
    };
    let item =
        |id: Uuid, kind, product_id, name, sku, quantity, unit_price, includes_tax| OrderItemView {
            id,
            kind: "order_item",
            product_id,
            name,
            sku,
            quantity,
            unit_price: price(unit_price, includes_tax),
            value: price(line(id).map_or(0, |l| l.extended), includes_tax),
            links: Links {},
            meta: item_meta(line(id), quantity, currency),
            relationships: OrderItemRelationships {
                cart_item: CartItemReference {
                    data: reference(kind, id),
                },
            },
        };
    let products = order.line_items.iter().map(|i| {
        let product = as_uuid(&i.product_id);
        item(
            i.id,
            "cart_item",
            product,
            &i.name,
            &i.sku,
            i.quantity,
            i.unit_price,
            false,
        )
    });
    let customs = order.custom_items.iter().map(|i| {
        let includes_tax = !i.excludes_tax;
        item(
            i.id,
            "custom_item",
            None,
            &i.name,
            &i.sku,
            i.quantity,
            i.unit_price,
            includes_tax,
        )
    });
    json(
        StatusCode::OK,
        &Envelope {
            data: products.chain(customs).collect::<Vec<_>>(),
        },
    )
}
