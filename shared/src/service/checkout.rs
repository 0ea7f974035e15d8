//! Checkout: a cart becomes an order in one transaction, and reading orders.

use super::carts::load;
use super::{App, Precondition, retry};
use crate::domain::order::{CheckoutInput, Order, stamped_needs};
use crate::store::{CheckoutOutcome, Saved};
use crate::{Code, Error};
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

/// What a checkout request got: a new order, or the one this cart's checkout made before.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkout {
    pub order: Order,
    /// False when the cart had not changed since its last checkout, whose order this is.
    pub created: bool,
}

/// Creates an order from the cart at current catalog prices: copies items, prices,
/// discounts, totals and attributes; takes tracked stock; counts limited promotions; and
/// marks the cart (`last_order_id`; it stays usable). All in one transaction, retried from
/// fresh reads if the cart changes meanwhile.
///
/// Two round trips in a row: the cart, then the transaction. The catalog is not read first:
/// each line keeps the product's `updated_at` as it priced it (`CatalogStamp`), and the
/// transaction takes stock only from products that still have it (and checks those it takes
/// none from). A product saved since refuses the transaction, and checkout starts again
/// from the catalog as it is (`read_catalog`), as it does for lines that keep no stamp.
///
/// At most once per cart version: the order's id is derived from the cart's id and
/// version, so a repeated or retried checkout of an unchanged cart (its answer lost, a
/// double click) finds the order it made instead of making another.
///
/// Refusals write nothing, except `409 price_changed`: a line's price moved since it was
/// added, so the cart takes the new prices (the shopper sees the new total) and a retry
/// goes through. `422 insufficient_stock` or `409 promotion_limit_reached` when the
/// transaction refuses.
pub async fn checkout(
    app: &App,
    cart_id: Uuid,
    precondition: Option<&Precondition>,
    input: CheckoutInput,
    now: DateTime<Utc>,
) -> Result<Checkout, Error> {
    app.check_customer(input.customer.as_ref(), "customer.id")?;
    let key = app.checkout_key()?;
    let settings = app.settings().await?;
    let promotions = app.promotions().await?;
    let read_catalog = AtomicBool::new(false);
    retry::on_conflict(|| async {
        let cart = load(app, cart_id, now).await?;
        if let Some(order_id) = cart.last_order_id.filter(|_| cart.checked_out) {
            return placed_before(app, order_id).await.map(Some);
        }
        if let Some(precondition) = precondition {
            precondition.check(cart.version)?;
        }
        // Refusals that need no catalog come first: they write nothing.
        Order::buyer(&cart, &input)?;
        settings.check_purchasing(cart.channel_id.as_ref())?;
        let stamped = match read_catalog.load(Ordering::Relaxed) {
            true => None,
            false => stamped_needs(&cart.line_items),
        };
        let mut current = cart.clone();
        let (needs, unchanged) = match stamped {
            Some(stamped) => stamped,
            None => {
                let catalog = app
                    .store
                    .get_products(cart.line_items.iter().map(|i| &i.product_id))
                    .await?;
                let changed = current.refresh_prices(&catalog)?;
                if !changed.is_empty() {
                    current.touch(&settings, now);
                    return match app.store.save_cart(&current, cart.version).await? {
                        Saved::Done => Err(Error::many(changed)),
                        Saved::Conflict => Ok(None),
                    };
                }
                // The lines now keep the catalog as it was read (names, skus, stamps; prices
                // are unchanged): the transaction takes stock from it, and is refused if
                // any product is saved before it lands.
                stamped_needs(&current.line_items).ok_or_else(|| {
                    tracing::error!("lines priced from one catalog read disagree on it");
                    Error::internal()
                })?
            }
        };
        let totals = current.price(&promotions, now)?;
        let order = Order {
            id: key.order_id(cart.id, cart.version),
            ..Order::from_cart(&current, totals, input.clone(), now)?
        };
        let uses = order.promotion_uses(&promotions, key)?;

        let mut ordered = current;
        ordered.touch(&settings, now);
        ordered.last_order_id = Some(order.id);
        ordered.checked_out = true;
        match app
            .store
            .checkout(&order, &needs, &unchanged, &uses, &ordered, cart.version)
            .await?
        {
            CheckoutOutcome::Done => Ok(Some(Checkout {
                order,
                created: true,
            })),
            CheckoutOutcome::AlreadyPlaced => placed_before(app, order.id).await.map(Some),
            CheckoutOutcome::Conflict => Ok(None),
            CheckoutOutcome::CatalogChanged => {
                read_catalog.store(true, Ordering::Relaxed);
                Ok(None)
            }
            CheckoutOutcome::OutOfStock {
                sku,
                wanted,
                available,
            } => Err(Error::of(
                Code::InsufficientStock,
                format!("{wanted} of {sku} wanted, {available} in stock"),
            )
            .at(item_source(&order, &sku))),
            CheckoutOutcome::PromotionLimitReached { promotion_id } => Err(Error::of(
                Code::PromotionLimitReached,
                format!("this shopper has used promotion {promotion_id} as often as it allows"),
            )),
        }
    })
    .await
}

/// The order an earlier checkout of this cart made, if the caller may see it (a guest
/// cart checked out for a customer is still open to others; its order is not).
async fn placed_before(app: &App, order_id: Uuid) -> Result<Checkout, Error> {
    let order = app.store.get_order(order_id).await?.ok_or_else(|| {
        tracing::error!(%order_id, "a cart names an order that does not exist");
        Error::internal()
    })?;
    app.check_owner(order.customer_id.as_ref())?;
    Ok(Checkout {
        order,
        created: false,
    })
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

/// Orders counted for one shopper's listing: the newest this many.
pub const MAX_OWN_ORDERS: usize = 1000;

/// The signed-in shopper's orders, newest first, up to `MAX_OWN_ORDERS` (Elastic Path's
/// `GET /v2/orders`). The backend, which speaks for every shopper, is `422 shopper_required`.
pub async fn list_own(app: &App) -> Result<Vec<Order>, Error> {
    let customer = app.shopper().ok_or_else(|| {
        Error::of(
            Code::ShopperRequired,
            "only a signed-in shopper has orders of their own",
        )
    })?;
    app.store
        .list_orders_for_customer(customer, MAX_OWN_ORDERS)
        .await
}
