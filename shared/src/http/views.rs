//! How resources look on the wire. Built from domain values at response time; totals are
//! computed here, never stored.

use crate::domain::address::Address;
use crate::domain::attributes::CustomAttributes;
use crate::domain::cart::{CartStatus, Contact};
use crate::domain::discounts::{CustomDiscount, DiscountSettings};
use crate::domain::items::{CustomItem, GiftCertificate, LineItem};
use crate::domain::money::Currency;
use crate::domain::order::Order;
use crate::domain::order::{OrderStatus, PaymentStatus, ShippingStatus};
use crate::domain::pricing::DiscountSource;
use crate::domain::pricing::Totals;
use crate::domain::product::{OptionValue, Price, Product, ProductKind, Variant};
use crate::domain::promotion::{AppliesTo, Condition, Promotion, PromotionKind};
use crate::domain::settings::Settings;
use crate::domain::values::{ClientId, CustomerId, timestamp};
use crate::service::Priced;
use crate::service::redirects::RedirectUrls;
use serde::Serialize;
use uuid::Uuid;

/// The store's cart settings as `GET /settings/cart` shows them (channel overrides are
/// BigCommerce's routes').
#[derive(Debug, Serialize)]
pub struct SettingsView {
    cart_expiry_days: u32,
    abandoned_after_minutes: u32,
    custom_discounts_enabled: bool,
    default_currency: Currency,
    allow_purchasing: bool,
}

impl SettingsView {
    pub fn of(settings: &Settings) -> SettingsView {
        SettingsView {
            cart_expiry_days: settings.expiry_days(),
            abandoned_after_minutes: settings.abandoned_after_minutes,
            custom_discounts_enabled: settings.custom_discounts_enabled,
            default_currency: settings.default_currency,
            allow_purchasing: settings.allow_purchasing,
        }
    }
}

/// Money as the native API shows it: `{"amount":1999,"currency":"USD","formatted":"$19.99"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    pub amount: i64,
    pub currency: Currency,
    pub formatted: String,
}

impl Money {
    pub fn new(amount: i64, currency: Currency) -> Money {
        Money {
            amount,
            currency,
            formatted: currency.format(amount),
        }
    }
}

#[derive(Serialize)]
pub struct CartView<'a> {
    id: Uuid,
    name: &'a Option<String>,
    description: &'a Option<String>,
    customer_id: &'a Option<CustomerId>,
    channel_id: &'a Option<ClientId>,
    currency: CurrencyView,
    locale: &'a Option<String>,
    status: CartStatus,
    #[serde(flatten)]
    priced: PricedView<'a>,
    discount_settings: DiscountSettings,
    /// Codes the shopper entered, and whether each applies now.
    promotion_codes: Vec<CodeView<'a>>,
    custom_attributes: &'a CustomAttributes,
    contact: &'a Option<Contact>,
    snapshot_date: Option<String>,
    version: u64,
    created_at: String,
    updated_at: String,
    expires_at: String,
    last_order_id: Option<Uuid>,
}

#[derive(Serialize)]
pub struct OrderView<'a> {
    id: Uuid,
    cart_id: Uuid,
    customer_id: &'a Option<CustomerId>,
    contact: &'a Option<Contact>,
    currency: CurrencyView,
    #[serde(flatten)]
    priced: PricedView<'a>,
    custom_attributes: &'a CustomAttributes,
    created_at: String,
    billing_address: &'a Option<Address>,
    shipping_address: &'a Option<Address>,
    /// Trolley takes no payments and ships nothing: `incomplete`, `unpaid`, `unfulfilled`.
    status: OrderStatus,
    payment: PaymentStatus,
    shipping: ShippingStatus,
}

#[derive(Serialize)]
struct CurrencyView {
    code: Currency,
}

/// What carts and orders show alike: items with their prices and discounts, the custom
/// discounts, the promotions applied, and the totals.
#[derive(Serialize)]
struct PricedView<'a> {
    line_items: Vec<ItemView<'a>>,
    custom_items: Vec<ItemView<'a>>,
    custom_discounts: Vec<CustomDiscountView<'a>>,
    /// Promotions taking something off, with what each takes in all.
    promotions: Vec<PromotionApplied<'a>>,
    totals: TotalsView<'a>,
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
    /// What was taken off this line, in the order applied.
    discounts: Vec<DiscountView<'a>>,
    /// `extended_price` less `discounts`.
    total_price: Money,
    /// The tax on the line from its tax items, after every discount (cart-wide ones too).
    tax: Money,
    /// A custom item that is a gift certificate (added through BigCommerce's API) says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    gift_certificate: Option<&'a GiftCertificate>,
    /// A line item's variant's option values, where it has them.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    options: &'a [OptionValue],
}

#[derive(Serialize)]
struct DiscountView<'a> {
    source: &'static str,
    id: &'a str,
    code: &'a Option<String>,
    amount: Money,
}

#[derive(Serialize)]
struct CustomDiscountView<'a> {
    id: Uuid,
    amount: Money,
    description: &'a str,
    discount_code: &'a str,
    item_id: Option<Uuid>,
    external_id: &'a Option<String>,
    discount_engine: &'a Option<String>,
}

#[derive(Serialize)]
struct PromotionApplied<'a> {
    id: &'a ClientId,
    name: &'a str,
    code: &'a Option<String>,
    amount: Money,
}

#[derive(Serialize)]
struct CodeView<'a> {
    code: &'a str,
    applied: bool,
}

#[derive(Serialize)]
struct TotalsView<'a> {
    subtotal: Money,
    discount: Money,
    total: Money,
    /// The tax within `total`.
    tax: Money,
    item_count: u64,
    /// Discounts taken off the cart as a whole (line discounts are on the lines).
    discounts: Vec<DiscountView<'a>>,
}

impl<'a> PricedView<'a> {
    fn of(
        line_items: &'a [LineItem],
        custom_items: &'a [CustomItem],
        custom_discounts: &'a [CustomDiscount],
        totals: &'a Totals,
        currency: Currency,
    ) -> PricedView<'a> {
        let money = |amount| Money::new(amount, currency);
        let discounts_on = |item_id: Option<Uuid>| -> Vec<DiscountView<'a>> {
            totals
                .discounts
                .iter()
                .filter(|d| d.item_id == item_id)
                .map(|d| DiscountView {
                    source: source_name(d.source),
                    id: &d.id,
                    code: &d.code,
                    amount: money(d.amount),
                })
                .collect()
        };
        let line = |id: Uuid| totals.lines.iter().find(|l| l.item_id == id);
        let item = |id: Uuid, kind, unit_price, quantity, sku, name| ItemView {
            id,
            kind,
            product_id: None,
            variant_id: None,
            sku,
            name,
            description: None,
            quantity,
            list_price: money(unit_price),
            extended_price: money(line(id).map_or(0, |l| l.extended)),
            discounts: discounts_on(Some(id)),
            total_price: money(line(id).map_or(0, |l| l.total)),
            tax: money(line(id).map_or(0, |l| l.tax)),
            gift_certificate: None,
            options: &[],
        };
        PricedView {
            line_items: line_items
                .iter()
                .map(|i| ItemView {
                    product_id: Some(&i.product_id),
                    variant_id: Some(&i.variant_id),
                    options: &i.options,
                    ..item(i.id, "product", i.unit_price, i.quantity, &i.sku, &i.name)
                })
                .collect(),
            custom_items: custom_items
                .iter()
                .map(|i| ItemView {
                    description: Some(&i.description),
                    gift_certificate: i.gift_certificate.as_ref(),
                    ..item(i.id, "custom", i.unit_price, i.quantity, &i.sku, &i.name)
                })
                .collect(),
            custom_discounts: custom_discounts
                .iter()
                .map(|d| CustomDiscountView {
                    id: d.id,
                    amount: money(d.amount),
                    description: &d.description,
                    discount_code: &d.discount_code,
                    item_id: d.item_id,
                    external_id: &d.external_id,
                    discount_engine: &d.discount_engine,
                })
                .collect(),
            promotions: totals
                .promotions
                .iter()
                .map(|p| PromotionApplied {
                    id: &p.id,
                    name: &p.name,
                    code: &p.code,
                    amount: money(p.amount),
                })
                .collect(),
            totals: TotalsView {
                subtotal: money(totals.subtotal),
                discount: money(totals.discount),
                total: money(totals.total),
                tax: money(totals.tax),
                item_count: totals.item_count,
                discounts: discounts_on(None),
            },
        }
    }
}

impl<'a> CartView<'a> {
    pub fn of(priced: &'a Priced) -> CartView<'a> {
        let (cart, totals) = (&priced.cart, &priced.totals);
        CartView {
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
            priced: PricedView::of(
                &cart.line_items,
                &cart.custom_items,
                &cart.custom_discounts,
                totals,
                cart.currency,
            ),
            discount_settings: cart.discount_settings,
            promotion_codes: totals
                .codes
                .iter()
                .map(|c| CodeView {
                    code: &c.code,
                    applied: c.applied,
                })
                .collect(),
            custom_attributes: &cart.custom_attributes,
            contact: &cart.contact,
            snapshot_date: cart.snapshot_date.map(timestamp),
            version: cart.version,
            created_at: timestamp(cart.created_at),
            updated_at: timestamp(cart.updated_at),
            expires_at: timestamp(cart.expires_at),
            last_order_id: cart.last_order_id,
        }
    }
}

impl<'a> OrderView<'a> {
    pub fn of(order: &'a Order) -> OrderView<'a> {
        OrderView {
            id: order.id,
            cart_id: order.cart_id,
            customer_id: &order.customer_id,
            contact: &order.contact,
            currency: CurrencyView {
                code: order.currency,
            },
            priced: PricedView::of(
                &order.line_items,
                &order.custom_items,
                &order.custom_discounts,
                &order.totals,
                order.currency,
            ),
            custom_attributes: &order.custom_attributes,
            created_at: timestamp(order.created_at),
            billing_address: &order.billing_address,
            shipping_address: &order.shipping_address,
            status: order.status,
            payment: order.payment,
            shipping: order.shipping,
        }
    }
}

#[derive(Serialize)]
pub struct RedirectUrlsView {
    cart_url: String,
    checkout_url: String,
    embedded_checkout_url: String,
    expires_at: String,
}

impl RedirectUrlsView {
    pub fn of(urls: RedirectUrls) -> RedirectUrlsView {
        RedirectUrlsView {
            cart_url: urls.cart_url,
            checkout_url: urls.checkout_url,
            embedded_checkout_url: urls.embedded_checkout_url,
            expires_at: timestamp(urls.expires_at),
        }
    }
}

fn source_name(source: DiscountSource) -> &'static str {
    match source {
        DiscountSource::Promotion => "promotion",
        DiscountSource::CustomDiscount => "custom_discount",
    }
}

#[derive(Serialize)]
pub struct ProductView<'a> {
    id: &'a ClientId,
    name: &'a str,
    sku: &'a str,
    #[serde(rename = "type")]
    kind: ProductKind,
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
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    option_values: &'a [OptionValue],
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
            option_values: &v.option_values,
        };
        ProductView {
            id: &product.id,
            name: &product.name,
            sku: &product.sku,
            kind: product.kind,
            prices: prices(&product.prices),
            stock: product.stock,
            variants: product.variants.iter().map(variant).collect(),
            updated_at: timestamp(product.updated_at),
        }
    }
}

#[derive(Serialize)]
pub struct PromotionView<'a> {
    id: &'a ClientId,
    name: &'a str,
    kind: PromotionKind,
    value: i64,
    applies_to: &'a Option<AppliesTo>,
    code: &'a Option<String>,
    currency: Option<Currency>,
    starts_at: String,
    ends_at: Option<String>,
    condition: &'a Option<Condition>,
    max_uses_per_shopper: Option<u32>,
    enabled: bool,
    updated_at: String,
}

impl<'a> PromotionView<'a> {
    pub fn of(p: &'a Promotion) -> PromotionView<'a> {
        PromotionView {
            id: &p.id,
            name: &p.name,
            kind: p.kind,
            value: p.value,
            applies_to: &p.applies_to,
            code: &p.code,
            currency: p.currency,
            starts_at: timestamp(p.starts_at),
            ends_at: p.ends_at.map(timestamp),
            condition: &p.condition,
            max_uses_per_shopper: p.max_uses_per_shopper,
            enabled: p.enabled,
            updated_at: timestamp(p.updated_at),
        }
    }
}
