//! Carts as BigCommerce returns them: `{"data": cart, "meta": {}}`, items grouped by kind,
//! money as decimals in major units, ids of the catalog as numbers.

use super::money::decimal;
use crate::domain::items::{CustomItem, GiftContact, GiftTheme, LineItem};
use crate::domain::money::Currency;
use crate::domain::pricing::{LineTotal, Totals};
use crate::http::response::json;
use crate::service::Priced;
use crate::service::redirects::RedirectUrls;
use chrono::{DateTime, SecondsFormat, Utc};
use lambda_http::http::StatusCode;
use lambda_http::{Body, Response};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use uuid::Uuid;

#[derive(Serialize)]
struct Envelope<T> {
    data: T,
    meta: Map<String, Value>,
}

#[derive(Serialize)]
struct CartView {
    id: Uuid,
    /// 0 is a guest.
    customer_id: u64,
    channel_id: u64,
    email: String,
    currency: CurrencyView,
    tax_included: bool,
    base_amount: Number,
    discount_amount: Number,
    manual_discount_amount: Number,
    cart_amount: Number,
    coupons: Vec<CouponView>,
    discounts: Vec<DiscountView>,
    line_items: LineItemsView,
    created_time: String,
    updated_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<String>,
    version: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_urls: Option<RedirectUrlsView>,
}

#[derive(Serialize)]
struct CurrencyView {
    code: Currency,
}

#[derive(Serialize)]
struct CouponView {
    code: String,
    discounted_amount: Number,
}

#[derive(Serialize)]
struct DiscountView {
    id: String,
    discounted_amount: Number,
}

#[derive(Serialize)]
struct LineItemsView {
    physical_items: Vec<ItemView>,
    /// The same fields: Trolley has no download files to list.
    digital_items: Vec<ItemView>,
    gift_certificates: Vec<GiftCertificateView>,
    custom_items: Vec<CustomItemView>,
}

/// A gift certificate, as BigCommerce lists them (`amount` per certificate).
#[derive(Serialize)]
struct GiftCertificateView {
    id: Uuid,
    name: String,
    theme: GiftTheme,
    amount: Number,
    quantity: u32,
    taxable: bool,
    sender: GiftContact,
    recipient: GiftContact,
    message: String,
}

#[derive(Serialize)]
/// A catalog item, physical or digital (`is_require_shipping` tells them apart).
struct ItemView {
    id: Uuid,
    variant_id: u64,
    product_id: u64,
    sku: String,
    name: String,
    quantity: u32,
    taxable: bool,
    discounts: Vec<DiscountView>,
    coupons: Vec<Value>,
    discount_amount: Number,
    coupon_amount: Number,
    original_price: Number,
    list_price: Number,
    sale_price: Number,
    extended_list_price: Number,
    extended_sale_price: Number,
    is_require_shipping: bool,
    is_mutable: bool,
    added_by_promotion: bool,
    options: Vec<OptionView>,
}

/// One selected option of a line item, named as BigCommerce names them.
#[derive(Serialize)]
struct OptionView {
    name: String,
    #[serde(rename = "nameId")]
    name_id: i64,
    value: String,
    #[serde(rename = "valueId")]
    value_id: i64,
}

/// BigCommerce's schema types a custom item's `quantity` and `list_price` as strings.
#[derive(Serialize)]
struct CustomItemView {
    id: Uuid,
    sku: String,
    name: String,
    quantity: String,
    list_price: String,
    extended_list_price: Number,
}

#[derive(Serialize)]
struct RedirectUrlsView {
    cart_url: String,
    checkout_url: String,
    embedded_checkout_url: String,
}

/// A catalog or customer id as BigCommerce's number; 0 for an id that is not one (a
/// product or customer created through the native API with a text id).
fn number(key: &str) -> u64 {
    key.parse().unwrap_or(0)
}

pub(super) fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn line_total(totals: &Totals, item_id: Uuid) -> Option<&LineTotal> {
    totals.lines.iter().find(|l| l.item_id == item_id)
}

impl CartView {
    fn of(priced: &Priced, redirect_urls: Option<RedirectUrls>) -> CartView {
        let (cart, totals) = (&priced.cart, &priced.totals);
        let money = |amount| decimal(amount, cart.currency);
        let line_discount = |item_id| line_total(totals, item_id).map_or(0, |l| l.discount);
        let cart_discount: i64 = totals
            .discounts
            .iter()
            .filter(|d| d.item_id.is_none())
            .map(|d| d.amount)
            .sum();
        let (physical, digital): (Vec<&LineItem>, Vec<&LineItem>) = cart
            .line_items
            .iter()
            .partition(|item| item.kind.is_physical());
        let item_view = |item: &LineItem| {
            let extended = i64::from(item.quantity) * item.unit_price;
            ItemView {
                id: item.id,
                variant_id: item.variant_id.as_ref().map_or(0, |v| number(&v.key())),
                product_id: number(&item.product_id.key()),
                sku: item.sku.clone(),
                name: item.name.clone(),
                quantity: item.quantity,
                taxable: false,
                discounts: discounts_on(totals, Some(item.id), cart.currency),
                coupons: Vec::new(),
                discount_amount: money(line_discount(item.id)),
                coupon_amount: money(0),
                original_price: money(item.unit_price),
                list_price: money(item.unit_price),
                sale_price: money(item.unit_price),
                extended_list_price: money(extended),
                extended_sale_price: money(extended),
                is_require_shipping: item.kind.is_physical(),
                is_mutable: true,
                added_by_promotion: false,
                options: item
                    .options
                    .iter()
                    .map(|o| OptionView {
                        name: o.option_name.clone(),
                        name_id: o.option_id,
                        value: o.label.clone(),
                        value_id: o.value_id,
                    })
                    .collect(),
            }
        };
        let (gifts, customs): (Vec<&CustomItem>, Vec<&CustomItem>) = cart
            .custom_items
            .iter()
            .partition(|item| item.is_gift_certificate());
        let gift_certificates = gifts
            .into_iter()
            .filter_map(|item| {
                let gift = item.gift_certificate.clone()?;
                Some(GiftCertificateView {
                    id: item.id,
                    name: item.name.clone(),
                    theme: gift.theme,
                    amount: money(item.unit_price),
                    quantity: item.quantity,
                    taxable: false,
                    sender: gift.sender,
                    recipient: gift.recipient,
                    message: gift.message.unwrap_or_default(),
                })
            })
            .collect();
        let custom_items = customs
            .into_iter()
            .map(|item| CustomItemView {
                id: item.id,
                sku: item.sku.clone(),
                name: item.name.clone(),
                quantity: item.quantity.to_string(),
                list_price: money(item.unit_price).to_string(),
                extended_list_price: money(i64::from(item.quantity) * item.unit_price),
            })
            .collect();
        CartView {
            id: cart.id,
            customer_id: cart.customer_id.as_ref().map_or(0, |c| number(&c.key())),
            channel_id: cart.channel_id.as_ref().map_or(1, |c| number(&c.key())),
            email: cart
                .contact
                .as_ref()
                .map(|c| c.email.clone())
                .unwrap_or_default(),
            currency: CurrencyView {
                code: cart.currency,
            },
            tax_included: false,
            base_amount: money(totals.subtotal),
            discount_amount: money(cart_discount),
            manual_discount_amount: money(0),
            cart_amount: money(totals.total),
            coupons: totals
                .promotions
                .iter()
                .filter_map(|p| {
                    p.code.as_ref().map(|code| CouponView {
                        code: code.clone(),
                        discounted_amount: money(p.amount),
                    })
                })
                .collect(),
            discounts: discounts_on(totals, None, cart.currency),
            line_items: LineItemsView {
                physical_items: physical.into_iter().map(item_view).collect(),
                digital_items: digital.into_iter().map(item_view).collect(),
                gift_certificates,
                custom_items,
            },
            created_time: time(cart.created_at),
            updated_time: time(cart.updated_at),
            locale: cart.locale.clone(),
            version: cart.version,
            redirect_urls: redirect_urls.map(|urls| RedirectUrlsView {
                cart_url: urls.cart_url,
                checkout_url: urls.checkout_url,
                embedded_checkout_url: urls.embedded_checkout_url,
            }),
        }
    }
}

/// The discounts taken off one item (`Some`) or off the cart as a whole (`None`).
fn discounts_on(totals: &Totals, item_id: Option<Uuid>, currency: Currency) -> Vec<DiscountView> {
    totals
        .discounts
        .iter()
        .filter(|d| d.item_id == item_id)
        .map(|d| DiscountView {
            id: d.id.clone(),
            discounted_amount: decimal(d.amount, currency),
        })
        .collect()
}

/// `{"data": ..., "meta": {}}` with `status`.
pub fn data(status: StatusCode, data: &impl Serialize) -> Response<Body> {
    json(
        status,
        &Envelope {
            data,
            meta: Map::new(),
        },
    )
}

/// A cart's storefront links (`201`).
pub fn redirect_urls(urls: RedirectUrls) -> Response<Body> {
    data(
        StatusCode::CREATED,
        &RedirectUrlsView {
            cart_url: urls.cart_url,
            checkout_url: urls.checkout_url,
            embedded_checkout_url: urls.embedded_checkout_url,
        },
    )
}

/// `{"data": cart, "meta": {}}` with `status`.
pub fn cart(status: StatusCode, priced: &Priced) -> Response<Body> {
    data(status, &CartView::of(priced, None))
}

/// A new cart (`201`), with its redirect URLs when they were asked for.
pub fn created_cart(priced: &Priced, redirect_urls: Option<RedirectUrls>) -> Response<Body> {
    data(StatusCode::CREATED, &CartView::of(priced, redirect_urls))
}
