//! Checkout: a cart becomes an order in one transaction, and reading orders.

use super::carts::load;
use super::{App, IfMatch, retry};
use crate::domain::order::{CheckoutInput, Order};
use crate::store::CheckoutOutcome;
use crate::{Error, ErrorKind};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Creates an order from the cart as priced now: copies items, prices, discounts, totals
/// and attributes; takes tracked stock; counts limited promotions; and marks the cart
/// (`last_order_id`; it stays usable). All in one transaction, retried from fresh reads if
/// the cart changes meanwhile. 409 `insufficient_stock` or `promotion_limit_reached` when
/// the transaction refuses; nothing is written then.
pub async fn checkout(
    app: &App,
    cart_id: Uuid,
    if_match: Option<&IfMatch>,
    input: CheckoutInput,
    now: DateTime<Utc>,
) -> Result<Order, Error> {
    app.check_customer(input.customer.as_ref().map(|c| &c.id), "customer.id")?;
    let settings = app.settings().await?;
    let promotions = app.promotions().await?;
    retry::on_conflict(|| async {
        let cart = load(app, cart_id, now).await?;
        if let Some(if_match) = if_match {
            if_match.check(cart.version)?;
        }
        let totals = cart.price(&promotions, now)?;
        let order = Order::from_cart(&cart, totals, input.clone(), now)?;
        let uses = order.promotion_uses(&promotions)?;
        let catalog = app
            .store
            .get_products(order.line_items.iter().map(|i| &i.product_id))
            .await?;
        let needs = order.stock_needs(&catalog);

        let mut ordered = cart.clone();
        ordered.touch(&settings, now);
        ordered.last_order_id = Some(order.id);
        ordered.checked_out = true;
        match app
            .store
            .checkout(&order, &needs, &uses, &ordered, cart.version)
            .await?
        {
            CheckoutOutcome::Done => Ok(Some(order)),
            CheckoutOutcome::Conflict => Ok(None),
            CheckoutOutcome::OutOfStock {
                sku,
                wanted,
                available,
            } => Err(Error::new(
                ErrorKind::Conflict,
                "insufficient_stock",
                "Insufficient stock",
                format!("{wanted} of {sku} wanted, {available} in stock"),
            )
            .at(item_source(&order, &sku))),
            CheckoutOutcome::PromotionLimitReached { promotion_id } => Err(Error::new(
                ErrorKind::Conflict,
                "promotion_limit_reached",
                "Promotion limit reached",
                format!("this shopper has used promotion {promotion_id} as often as it allows"),
            )),
        }
    })
    .await
}

/// Points at the first line item with this sku.
fn item_source(order: &Order, sku: &str) -> String {
    match order.line_items.iter().position(|i| i.sku == sku) {
        Some(index) => format!("line_items[{index}]"),
        None => "line_items".into(),
    }
}

pub async fn get(app: &App, id: Uuid) -> Result<Order, Error> {
    let order = app
        .store
        .get_order(id)
        .await?
        .ok_or_else(|| Error::not_found("order"))?;
    app.check_owner(order.customer_id.as_ref())?;
    Ok(order)
}
