//! Elastic Path's views: a cart (`type: cart`, `meta.display_price`, `meta.timestamps`,
//! `links`, `relationships`) and a cart's items (`data` with each item's prices, `meta` with
//! the cart's). Money is integer minor units with its currency and formatted text, as on
//! the native wire. `with_tax` is what the shopper pays; `tax` is the tax within it, from
//! the items' tax items; an item's discount includes its share of the cart-wide ones.

use super::discounts::{DiscountView, discount_view};
use super::errors::{ProblemView, problems};
use super::taxes::{TaxView, tax_view};
use crate::Error;
use crate::domain::attributes::CustomAttributes;
use crate::domain::cart::{Cart, Contact};
use crate::domain::money::Currency;
use crate::domain::pricing::{LineTotal, Totals};
use crate::domain::values::timestamp;
use crate::error::Problem;
use crate::http::ApiRequest;
use crate::http::request::whole_number;
use crate::http::response::json;
use crate::http::views::Money;
use crate::service::Priced;
use lambda_http::{Body, Response, http::StatusCode};
use serde::Serialize;
use uuid::Uuid;

/// `{"data": …}`, Elastic Path's envelope.
#[derive(Serialize)]
struct Envelope<T> {
    data: T,
}

/// The five prices Elastic Path gives a cart or an item.
#[derive(Serialize)]
pub(super) struct DisplayPrice<T> {
    with_tax: T,
    without_tax: T,
    tax: T,
    /// What was taken off, as a negative amount.
    discount: T,
    without_discount: T,
}

impl DisplayPrice<Money> {
    /// From what is paid (tax included), the tax within it, and what was taken off.
    pub(super) fn of(
        with_tax: i64,
        tax: i64,
        taken: i64,
        currency: Currency,
    ) -> DisplayPrice<Money> {
        let money = |amount| Money::new(amount, currency);
        DisplayPrice {
            with_tax: money(with_tax),
            without_tax: money(with_tax - tax),
            tax: money(tax),
            discount: money(-taken),
            without_discount: money(with_tax + taken),
        }
    }
}

#[derive(Serialize)]
struct CartView<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    description: &'a str,
    discount_settings: DiscountSettingsView,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot_date: Option<String>,
    custom_attributes: &'a CustomAttributes,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<&'a Contact>,
    links: SelfLink,
    meta: CartMeta,
    relationships: Relationships,
}

#[derive(Serialize)]
struct DiscountSettingsView {
    custom_discounts_enabled: bool,
}

#[derive(Serialize)]
struct SelfLink {
    #[serde(rename = "self")]
    href: String,
}

#[derive(Serialize)]
struct CartMeta {
    display_price: DisplayPrice<Money>,
    timestamps: Timestamps,
}

#[derive(Serialize)]
struct Timestamps {
    created_at: String,
    updated_at: String,
    expires_at: String,
}

/// Elastic Path's published spec gives a cart's relationships one object each: the cart's
/// customer, when it has one. Its items are at `…/items` (a list has no place there).
#[derive(Serialize)]
struct Relationships {
    #[serde(skip_serializing_if = "Option::is_none")]
    customers: Option<RelatedOne>,
}

#[derive(Serialize)]
struct RelatedOne {
    data: Reference,
}

#[derive(Serialize)]
pub(super) struct Related {
    pub(super) data: Vec<Reference>,
}

#[derive(Serialize)]
pub(super) struct Reference {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
}

/// Elastic Path's ids are UUIDs, Trolley's catalog and customer ids any text: an id goes
/// where Elastic Path's spec types a UUID only when it is one (the native API shows it
/// either way).
pub(super) fn as_uuid(id: &impl ToString) -> Option<Uuid> {
    Uuid::parse_str(&id.to_string()).ok()
}

pub(super) fn reference(kind: &'static str, id: impl ToString) -> Reference {
    Reference {
        kind,
        id: id.to_string(),
    }
}

fn cart_meta(cart: &Cart, totals: &Totals) -> CartMeta {
    CartMeta {
        display_price: DisplayPrice::of(totals.total, totals.tax, totals.discount, cart.currency),
        timestamps: Timestamps {
            created_at: timestamp(cart.created_at),
            updated_at: timestamp(cart.updated_at),
            expires_at: timestamp(cart.expires_at),
        },
    }
}

fn cart_view(priced: &Priced) -> CartView<'_> {
    let (cart, totals) = (&priced.cart, &priced.totals);
    CartView {
        id: cart.id,
        kind: "cart",
        name: cart.name.as_deref().unwrap_or("Cart"),
        description: cart.description.as_deref().unwrap_or(""),
        discount_settings: DiscountSettingsView {
            custom_discounts_enabled: cart.discount_settings.custom_discounts_enabled,
        },
        snapshot_date: cart.snapshot_date.map(timestamp),
        custom_attributes: &cart.custom_attributes,
        contact: cart.contact.as_ref(),
        links: SelfLink {
            href: format!("/v2/carts/{}", cart.id),
        },
        meta: cart_meta(cart, totals),
        relationships: Relationships {
            customers: cart
                .customer_id
                .as_ref()
                .and_then(as_uuid)
                .map(|c| RelatedOne {
                    data: reference("customer", c),
                }),
        },
    }
}

/// A cart, `{"data": cart}`, with `status` (Elastic Path answers a create with `200`).
pub fn cart(status: StatusCode, priced: &Priced) -> Response<Body> {
    json(
        status,
        &Envelope {
            data: cart_view(priced),
        },
    )
}

/// What `GET /v2/carts/{id}?include=…` may add to the cart (comma-separated).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Include {
    items: bool,
    tax_items: bool,
    custom_discounts: bool,
    promotions: bool,
}

impl Include {
    /// The request's `include`: `400` naming it for anything else.
    pub fn of(request: &ApiRequest) -> Result<Include, Error> {
        let mut include = Include::default();
        let Some(text) = request.query("include") else {
            return Ok(include);
        };
        for name in text.split(',').map(str::trim) {
            let flag = match name {
                "items" => &mut include.items,
                "tax_items" => &mut include.tax_items,
                "custom_discounts" => &mut include.custom_discounts,
                "promotions" => &mut include.promotions,
                _ => {
                    return Err(Error::invalid(
                        "include",
                        "include takes items, tax_items, custom_discounts and promotions, comma-separated",
                    ));
                }
            };
            *flag = true;
        }
        Ok(include)
    }
}

/// The records a cart's `include` asked for, each list only when asked for.
#[derive(Serialize)]
struct Included<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<ItemView<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_items: Option<Vec<TaxView<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_discounts: Option<Vec<DiscountView<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    promotions: Option<Vec<PromotionView<'a>>>,
}

/// A promotion that takes something off the cart now, as `include=promotions` lists it.
#[derive(Serialize)]
struct PromotionView<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    amount: Money,
}

#[derive(Serialize)]
struct CartWithIncluded<'a> {
    data: CartView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    included: Option<Included<'a>>,
}

/// A cart with what `include` asked for in `included` (`cart` when it asks for nothing).
pub fn cart_including(priced: &Priced, include: Include) -> Response<Body> {
    let (cart, totals) = (&priced.cart, &priced.totals);
    let wanted = include != Include::default();
    let included = wanted.then(|| Included {
        items: include.items.then(|| item_views(priced)),
        tax_items: include
            .tax_items
            .then(|| cart.tax_items.iter().map(|t| tax_view(cart, t)).collect()),
        custom_discounts: include.custom_discounts.then(|| {
            cart.custom_discounts
                .iter()
                .map(|d| discount_view(cart, d))
                .collect()
        }),
        promotions: include.promotions.then(|| {
            totals
                .promotions
                .iter()
                .map(|p| PromotionView {
                    id: p.id.to_string(),
                    kind: "promotion",
                    name: &p.name,
                    code: p.code.as_deref(),
                    amount: Money::new(-p.amount, cart.currency),
                })
                .collect()
        }),
    });
    let view = CartWithIncluded {
        data: cart_view(priced),
        included,
    };
    json(StatusCode::OK, &view)
}

#[derive(Serialize)]
struct ItemView<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    /// The catalog id, when it is a UUID (see `as_uuid`); `links.product` names it always.
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<Uuid>,
    name: &'a str,
    description: &'a str,
    sku: &'a str,
    quantity: u32,
    unit_price: ItemPrice,
    value: ItemPrice,
    links: ItemLinks,
    relationships: ItemRelationships,
    meta: ItemMeta,
}

#[derive(Serialize)]
struct ItemRelationships {
    taxes: Related,
}

/// An item's price as Elastic Path states it: an amount and whether it includes tax (a
/// catalog price does not; a custom item's does unless it was added with `includes_tax:
/// false`).
#[derive(Serialize)]
pub(super) struct ItemPrice {
    pub(super) amount: i64,
    pub(super) currency: Currency,
    pub(super) includes_tax: bool,
}

#[derive(Serialize)]
struct ItemLinks {
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<String>,
}

#[derive(Serialize)]
pub(super) struct ItemMeta {
    display_price: DisplayPrice<UnitAndValue>,
}

/// One unit's price and the line's. A unit's share of a line discount is the line's
/// divided by the quantity, rounded toward zero; the line's `value` is exact.
#[derive(Serialize)]
struct UnitAndValue {
    unit: Money,
    value: Money,
}

pub(super) fn item_meta(line: Option<&LineTotal>, quantity: u32, currency: Currency) -> ItemMeta {
    let (with_tax, tax, taken) = line.map_or((0, 0, 0), |l| {
        (l.paid(), l.tax, l.discount + l.cart_discount)
    });
    let value = DisplayPrice::of(with_tax, tax, taken, currency);
    let pair = |value: Money| UnitAndValue {
        unit: Money::new(value.amount / i64::from(quantity.max(1)), currency),
        value,
    };
    ItemMeta {
        display_price: DisplayPrice {
            with_tax: pair(value.with_tax),
            without_tax: pair(value.without_tax),
            tax: pair(value.tax),
            discount: pair(value.discount),
            without_discount: pair(value.without_discount),
        },
    }
}

#[derive(Serialize)]
struct ItemsView<'a> {
    data: Vec<ItemView<'a>>,
    meta: CartMeta,
    /// Items refused while others were added (`add_all_or_nothing` off).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ProblemView<'a>>,
}

/// A cart's items, `{"data": [item, …], "meta": {display_price, timestamps}}`.
pub fn items(status: StatusCode, priced: &Priced) -> Response<Body> {
    items_with_refusals(status, priced, &[])
}

/// A cart's items, with the items a request could not add in `errors`.
pub fn items_with_refusals(
    status: StatusCode,
    priced: &Priced,
    refused: &[Problem],
) -> Response<Body> {
    let view = ItemsView {
        data: item_views(priced),
        meta: cart_meta(&priced.cart, &priced.totals),
        errors: problems(refused),
    };
    json(status, &view)
}

/// A cart's items, catalog items first.
fn item_views(priced: &Priced) -> Vec<ItemView<'_>> {
    let (cart, totals) = (&priced.cart, &priced.totals);
    let currency = cart.currency;
    let line = |id: Uuid| totals.lines.iter().find(|l| l.item_id == id);
    let price = |amount, includes_tax| ItemPrice {
        amount,
        currency,
        includes_tax,
    };
    let taxes = |id: Uuid| Related {
        data: cart
            .tax_items
            .iter()
            .filter(|t| t.item_id == id)
            .map(|t| reference("tax_item", t.id))
            .collect(),
    };
    let products = cart.line_items.iter().map(|i| ItemView {
        id: i.id,
        kind: "cart_item",
        product_id: as_uuid(&i.product_id),
        name: &i.name,
        description: "",
        sku: &i.sku,
        quantity: i.quantity,
        unit_price: price(i.unit_price, false),
        value: price(line(i.id).map_or(0, |l| l.extended), false),
        links: ItemLinks {
            product: Some(format!("/products/{}", i.product_id)),
        },
        relationships: ItemRelationships { taxes: taxes(i.id) },
        meta: item_meta(line(i.id), i.quantity, currency),
    });
    let customs = cart.custom_items.iter().map(|i| ItemView {
        id: i.id,
        kind: "custom_item",
        product_id: None,
        name: &i.name,
        description: i.description.as_deref().unwrap_or(""),
        sku: &i.sku,
        quantity: i.quantity,
        unit_price: price(i.unit_price, !i.excludes_tax),
        value: price(line(i.id).map_or(0, |l| l.extended), !i.excludes_tax),
        links: ItemLinks { product: None },
        relationships: ItemRelationships { taxes: taxes(i.id) },
        meta: item_meta(line(i.id), i.quantity, currency),
    });
    products.chain(customs).collect()
}

#[derive(Serialize)]
struct Page<V> {
    data: Vec<V>,
    links: PageLinks,
    meta: ListMeta,
}

#[derive(Serialize)]
struct PageLinks {
    current: String,
    first: String,
    last: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<String>,
}

#[derive(Serialize)]
struct ListMeta {
    page: PageMeta,
    results: Results,
}

#[derive(Serialize)]
struct PageMeta {
    current: usize,
    limit: usize,
    offset: usize,
    /// Pages in all.
    total: usize,
}

#[derive(Serialize)]
struct Results {
    total: usize,
}

/// `GET /v2/carts`: the shopper's carts a page at a time (see `page`).
pub fn cart_list(request: &ApiRequest, carts: &[Priced]) -> Result<Response<Body>, Error> {
    page(request, "/v2/carts", carts, cart_view)
}

/// A list a page at a time, by `page[offset]` (from 0) and `page[limit]` (1-100, default
/// 25), with Elastic Path's `links` (to `base`) and `meta`.
pub(super) fn page<'a, T, V: Serialize>(
    request: &ApiRequest,
    base: &str,
    all: &'a [T],
    view: impl Fn(&'a T) -> V,
) -> Result<Response<Body>, Error> {
    let limit = request.query_count("page[limit]", 25, 100)? as usize;
    let offset = match request.query("page[offset]") {
        None => 0,
        Some(text) => whole_number(&text)
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n <= 1_000_000)
            .ok_or_else(|| {
                Error::invalid(
                    "page[offset]",
                    "page[offset] must be an integer from 0 to 1000000",
                )
            })?,
    };
    let total = all.len();
    let pages = total.div_ceil(limit);
    let link = |offset: usize| format!("{base}?page[offset]={offset}&page[limit]={limit}");
    let view = Page {
        data: all.iter().skip(offset).take(limit).map(view).collect(),
        links: PageLinks {
            current: link(offset),
            first: link(0),
            last: link(pages.saturating_sub(1) * limit),
            next: (offset + limit < total).then(|| link(offset + limit)),
            prev: (offset > 0).then(|| link(offset.saturating_sub(limit))),
        },
        meta: ListMeta {
            page: PageMeta {
                current: offset / limit + 1,
                limit,
                offset,
                total: pages,
            },
            results: Results { total },
        },
    };
    Ok(json(StatusCode::OK, &view))
}
