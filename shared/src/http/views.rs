//! How resources look on the wire. Built from domain values at response time; totals are
//! computed here, never stored.

use crate::Error;
use crate::domain::attributes::CustomAttributes;
use crate::domain::cart::{Cart, CartStatus, Contact};
use crate::domain::money::{Currency, Money};
use crate::domain::product::{Price, Product, Variant};
use crate::domain::values::{ClientId, timestamp};
use serde::Serialize;
use uuid::Uuid;

#[derive(Serialize)]
pub struct CartView<'a> {
    id: Uuid,
    name: &'a Option<String>,
    description: &'a Option<String>,
    customer_id: &'a Option<ClientId>,
    channel_id: &'a Option<ClientId>,
    currency: CurrencyView,
    locale: &'a Option<String>,
    status: CartStatus,
    line_items: Vec<ItemView<'a>>,
    custom_items: Vec<ItemView<'a>>,
    custom_attributes: &'a CustomAttributes,
    contact: &'a Option<Contact>,
    totals: TotalsView,
    version: u64,
    created_at: String,
    updated_at: String,
    expires_at: String,
    last_order_id: Option<Uuid>,
}

#[derive(Serialize)]
struct CurrencyView {
    code: Currency,
}

/// A line item (`type: product`) or custom item (`type: custom`).
#[derive(Serialize)]
struct ItemView<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<&'a ClientId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant_id: Option<&'a Option<ClientId>>,
    sku: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a Option<String>>,
    quantity: u32,
    /// Price of one unit.
    list_price: Money,
    /// `list_price` x `quantity`.
    extended_price: Money,
    discounts: Vec<()>,
}

#[derive(Serialize)]
struct TotalsView {
    subtotal: Money,
    discount: Money,
    total: Money,
    item_count: u64,
}

impl<'a> CartView<'a> {
    pub fn of(cart: &'a Cart) -> Result<CartView<'a>, Error> {
        let totals = cart.totals()?;
        let money = |amount| Money::new(amount, cart.currency);
        let extended = |id: Uuid| {
            let line = totals
                .lines
                .iter()
                .find(|l| l.item_id == id)
                .map_or(0, |l| l.extended);
            money(line)
        };
        let line_items = cart
            .line_items
            .iter()
            .map(|i| ItemView {
                id: i.id,
                kind: "product",
                product_id: Some(&i.product_id),
                variant_id: Some(&i.variant_id),
                sku: &i.sku,
                name: &i.name,
                description: None,
                quantity: i.quantity,
                list_price: money(i.unit_price),
                extended_price: extended(i.id),
                discounts: Vec::new(),
            })
            .collect();
        let custom_items = cart
            .custom_items
            .iter()
            .map(|i| ItemView {
                id: i.id,
                kind: "custom",
                product_id: None,
                variant_id: None,
                sku: &i.sku,
                name: &i.name,
                description: Some(&i.description),
                quantity: i.quantity,
                list_price: money(i.unit_price),
                extended_price: extended(i.id),
                discounts: Vec::new(),
            })
            .collect();
        Ok(CartView {
            id: cart.id,
            name: &cart.name,
            description: &cart.description,
            customer_id: &cart.customer_id,
            channel_id: &cart.channel_id,
            currency: CurrencyView {
                code: cart.currency,
            },
            locale: &cart.locale,
            status: cart.status,
            line_items,
            custom_items,
            custom_attributes: &cart.custom_attributes,
            contact: &cart.contact,
            totals: TotalsView {
                subtotal: money(totals.subtotal),
                discount: money(totals.discount),
                total: money(totals.total),
                item_count: totals.item_count,
            },
            version: cart.version,
            created_at: timestamp(cart.created_at),
            updated_at: timestamp(cart.updated_at),
            expires_at: timestamp(cart.expires_at),
            last_order_id: cart.last_order_id,
        })
    }
}

#[derive(Serialize)]
pub struct ProductView<'a> {
    id: &'a ClientId,
    name: &'a str,
    sku: &'a str,
    prices: Vec<Money>,
    stock: Option<u32>,
    variants: Vec<VariantView<'a>>,
    updated_at: String,
}

#[derive(Serialize)]
struct VariantView<'a> {
    id: &'a ClientId,
    sku: &'a str,
    prices: Option<Vec<Money>>,
    stock: Option<u32>,
}

fn prices(prices: &[Price]) -> Vec<Money> {
    prices
        .iter()
        .map(|p| Money::new(p.amount, p.currency))
        .collect()
}

impl<'a> ProductView<'a> {
    pub fn of(product: &'a Product) -> ProductView<'a> {
        let variant = |v: &'a Variant| VariantView {
            id: &v.id,
            sku: &v.sku,
            prices: v.prices.as_deref().map(prices),
            stock: v.stock,
        };
        ProductView {
            id: &product.id,
            name: &product.name,
            sku: &product.sku,
            prices: prices(&product.prices),
            stock: product.stock,
            variants: product.variants.iter().map(variant).collect(),
            updated_at: timestamp(product.updated_at),
        }
    }
}
