//! Orders, and checkout: one transaction that writes the order, takes stock, counts
//! promotion uses and marks the cart, or does nothing at all.

use super::errors::build_error;
use super::errors::storage_error;
use super::keys::{self, CUSTOMER_INDEX, GSI1PK, PK};
use super::metrics::RecordCapacity;
use super::{DYNAMODB_ITEM_LIMIT, Store, TransactFailure, from_item, item_size, to_item};
use crate::domain::cart::Cart;
use crate::domain::order::{Order, PromotionUse, StockNeed};
use crate::domain::product::{Product, ProductGuard};
use crate::domain::values::{ClientId, CustomerId, timestamp};
use crate::{Code, Error};
use aws_sdk_dynamodb::types::{
    AttributeValue, Put, ReturnConsumedCapacity, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, Update,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// DynamoDB's limit on the writes in one transaction.
pub const MAX_TRANSACTION_ITEMS: usize = 100;

#[derive(Serialize)]
struct OrderRecord<'a> {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: &'static str,
    /// Customer index: a customer's orders, newest first (guest orders are not in it).
    #[serde(rename = "GSI1PK", skip_serializing_if = "Option::is_none")]
    gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", skip_serializing_if = "Option::is_none")]
    gsi1sk: Option<String>,
    #[serde(flatten)]
    order: &'a Order,
}

impl<'a> OrderRecord<'a> {
    fn of(order: &'a Order) -> OrderRecord<'a> {
        OrderRecord {
            pk: keys::order_pk(order.id),
            sk: "ORDER",
            gsi1pk: order.customer_id.as_ref().map(keys::customer_orders_pk),
            gsi1sk: order
                .customer_id
                .as_ref()
                .map(|_| format!("{}#{}", timestamp(order.created_at), order.id)),
            order,
        }
    }
}

/// The order as a table item; 422 `order_too_large` if it would not fit in one (a cart
/// within `MAX_CART_BYTES` always fits).
/// What an order takes in the table, in bytes as DynamoDB counts them.
pub fn order_bytes(order: &Order) -> Result<usize, Error> {
    Ok(item_size(&to_item(&OrderRecord::of(order))?))
}

fn order_item(order: &Order) -> Result<HashMap<String, AttributeValue>, Error> {
    let item = to_item(&OrderRecord::of(order))?;
    if item_size(&item) > DYNAMODB_ITEM_LIMIT {
        return Err(Error::of(
            Code::OrderTooLarge,
            "this cart is too large to be one order",
        ));
    }
    Ok(item)
}

/// How a checkout transaction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutOutcome {
    Done,
    /// The order exists already: this checkout happened before (its answer was lost, or a
    /// concurrent request made it first).
    AlreadyPlaced,
    /// The cart changed since it was read, or another transaction held an item: read again
    /// and retry.
    Conflict,
    OutOfStock {
        sku: String,
        wanted: u32,
        available: u32,
    },
    PromotionLimitReached {
        promotion_id: ClientId,
    },
    /// A product is not as the cart's lines took it (saved since): read the catalog and
    /// check out from it.
    CatalogChanged,
}

/// What each write of the transaction is, to explain a cancellation.
enum Role {
    Order,
    /// The stock taken from one product, and the `updated_at` it must still have, if any.
    Stock(Vec<StockNeed>, Option<DateTime<Utc>>),
    /// A product that must still have this `updated_at` (nothing taken from it).
    Unchanged,
    PromotionUses(Vec<PromotionUse>),
    Cart,
}

impl Store {
    pub async fn get_order(&self, id: uuid::Uuid) -> Result<Option<Order>, Error> {
        self.get(keys::order(id), "order").await
    }

    /// A customer's newest `limit` orders, newest first, from the customer index (one Query,
    /// more only when a page of 1 MB holds fewer).
    pub async fn list_orders_for_customer(
        &self,
        customer_id: &CustomerId,
        limit: usize,
    ) -> Result<Vec<Order>, Error> {
        let (mut orders, mut start) = (Vec::new(), None);
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(CUSTOMER_INDEX)
                .key_condition_expression("#customer = :customer")
                .expression_attribute_names("#customer", GSI1PK)
                .expression_attribute_values(
                    ":customer",
                    AttributeValue::S(keys::customer_orders_pk(customer_id)),
                )
                .scan_index_forward(false)
                .limit((limit - orders.len()) as i32)
                .set_exclusive_start_key(start)
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .send()
                .await
                .inspect(|output| output.record_capacity())
                .map_err(|e| storage_error("Query customer orders", e))?;
            for item in output.items.unwrap_or_default() {
                orders.push(from_item(item)?);
            }
            start = output.last_evaluated_key;
            if start.is_none() || orders.len() >= limit {
                return Ok(orders);
            }
        }
    }

    /// Checkout in one `TransactWriteItems`: the order (new), a conditional stock decrement
    /// per tracked product (`stock >= :wanted`), a condition that each of `unchanged` still
    /// has the `updated_at` the cart's lines took (on its stock decrement, or a check of its
    /// own), a use counter per limited promotion (`uses < :max`), and the cart saved at
    /// `expected_version`.
    pub async fn checkout(
        &self,
        order: &Order,
        needs: &[StockNeed],
        unchanged: &[ProductGuard],
        uses: &[PromotionUse],
        cart: &Cart,
        expected_version: u64,
    ) -> Result<CheckoutOutcome, Error> {
        let mut items = Vec::new();
        let mut roles = Vec::new();

        let put_order = Put::builder()
            .table_name(&self.table)
            .set_item(Some(order_item(order)?))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .build()
            .map_err(build_error)?;
        items.push(TransactWriteItem::builder().put(put_order).build());
        roles.push(Role::Order);

        let mut by_product: Vec<(&ClientId, Vec<StockNeed>)> = Vec::new();
        for need in needs {
            match by_product
                .iter_mut()
                .find(|(id, _)| **id == need.product_id)
            {
                Some((_, group)) => group.push(need.clone()),
                None => by_product.push((&need.product_id, vec![need.clone()])),
            }
        }
        let seen = |product_id: &ClientId| {
            unchanged
                .iter()
                .find(|u| &u.product_id == product_id)
                .map(|u| u.updated_at)
        };
        for (product_id, group) in &by_product {
            let seen = seen(product_id);
            items.push(
                TransactWriteItem::builder()
                    .update(self.stock_update(product_id, group, seen)?)
                    .build(),
            );
            roles.push(Role::Stock(group.clone(), seen));
        }
        for product in unchanged {
            if by_product.iter().any(|(id, _)| **id == product.product_id) {
                continue;
            }
            items.push(
                TransactWriteItem::builder()
                    .condition_check(self.product_guard(product)?)
                    .build(),
            );
            roles.push(Role::Unchanged);
        }

        if let Some(first) = uses.first() {
            items.push(
                TransactWriteItem::builder()
                    .update(self.promotion_uses_update(&first.shopper, uses)?)
                    .build(),
            );
            roles.push(Role::PromotionUses(uses.to_vec()));
        }

        let save_cart = self.put_at_version(cart, expected_version)?;
        items.push(TransactWriteItem::builder().put(save_cart).build());
        roles.push(Role::Cart);

        if items.len() > MAX_TRANSACTION_ITEMS {
            return Err(Error::of(
                Code::CheckoutTooLarge,
                format!(
                    "this checkout needs {} writes; one transaction takes {MAX_TRANSACTION_ITEMS}",
                    items.len()
                ),
            ));
        }
        match self.transact(items, "checkout").await {
            Ok(()) => Ok(CheckoutOutcome::Done),
            Err(TransactFailure::Conditions(reasons)) => explain(&reasons, &roles),
            Err(TransactFailure::Conflict) => Ok(CheckoutOutcome::Conflict),
            Err(TransactFailure::Failed(err)) => Err(err),
        }
    }

    /// One update counting every limited promotion an order uses against its shopper, each
    /// with its own limit: a shopper's counters share one item, so however many promotions
    /// apply, checkout spends one write of its transaction on them.
    fn promotion_uses_update(&self, shopper: &str, uses: &[PromotionUse]) -> Result<Update, Error> {
        let mut update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::promotion_uses(shopper)))
            .expression_attribute_values(":zero", AttributeValue::N("0".into()))
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        let (mut sets, mut conditions) = (Vec::new(), Vec::new());
        for (i, used) in uses.iter().enumerate() {
            sets.push(format!("#p{i} = if_not_exists(#p{i}, :zero) + :one"));
            conditions.push(format!("(attribute_not_exists(#p{i}) OR #p{i} < :max{i})"));
            update = update
                .expression_attribute_names(
                    format!("#p{i}"),
                    promotion_uses_attribute(&used.promotion_id),
                )
                .expression_attribute_values(
                    format!(":max{i}"),
                    AttributeValue::N(used.max_uses.to_string()),
                );
        }
        update
            .update_expression(format!("SET {}", sets.join(", ")))
            .condition_expression(conditions.join(" AND "))
            .build()
            .map_err(build_error)
    }

    /// One update taking every need from one product item, each with its own condition, and
    /// (`seen`) only from the product as the cart's lines took it.
    fn stock_update(
        &self,
        product_id: &ClientId,
        needs: &[StockNeed],
        seen: Option<DateTime<Utc>>,
    ) -> Result<Update, Error> {
        let mut sets = Vec::new();
        let mut conditions = Vec::new();
        let mut values = HashMap::new();
        if let Some(seen) = seen {
            conditions.push("#updated_at = :seen".to_owned());
            values.insert(":seen".to_owned(), super::guards::updated_at_value(seen)?);
        }
        for (i, need) in needs.iter().enumerate() {
            let path = match &need.variant {
                None => "#stock".to_string(),
                Some((index, id)) => {
                    let id = serde_dynamo::to_attribute_value(id).map_err(|_| Error::internal())?;
                    values.insert(format!(":variant{i}"), id);
                    conditions.push(format!("#variants[{index}].#id = :variant{i}"));
                    format!("#variants[{index}].#stock")
                }
            };
            sets.push(format!("{path} = {path} - :wanted{i}"));
            conditions.push(format!("{path} >= :wanted{i}"));
            values.insert(
                format!(":wanted{i}"),
                AttributeValue::N(need.quantity.to_string()),
            );
        }
        let mut update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::product(product_id)))
            .update_expression(format!("SET {}", sets.join(", ")))
            .condition_expression(conditions.join(" AND "))
            .expression_attribute_names("#stock", "stock")
            .set_expression_attribute_values(Some(values))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        if needs.iter().any(|n| n.variant.is_some()) {
            update = update
                .expression_attribute_names("#variants", "variants")
                .expression_attribute_names("#id", "id");
        }
        if seen.is_some() {
            update = update.expression_attribute_names("#updated_at", "updated_at");
        }
        update.build().map_err(build_error)
    }
}

/// Which condition refused, and why: the order exists already, a product short of stock, a
/// promotion used up, a product saved since the lines took it, or a change to the cart
/// since it was read. The order's write comes first, so a checkout made before wins over the rest.
fn explain(
    reasons: &[aws_sdk_dynamodb::types::CancellationReason],
    roles: &[Role],
) -> Result<CheckoutOutcome, Error> {
    for (reason, role) in reasons.iter().zip(roles) {
        if reason.code() != Some("ConditionalCheckFailed") {
            continue;
        }
        return match role {
            Role::Cart => Ok(CheckoutOutcome::Conflict),
            Role::PromotionUses(uses) => Ok(used_up(reason.item(), uses)),
            Role::Order => Ok(CheckoutOutcome::AlreadyPlaced),
            Role::Unchanged => Ok(CheckoutOutcome::CatalogChanged),
            Role::Stock(needs, seen) => {
                let Some(item) = reason.item() else {
                    return Ok(match seen {
                        Some(_) => CheckoutOutcome::CatalogChanged,
                        None => CheckoutOutcome::Conflict,
                    });
                };
                let product: Product = from_item(item.clone())?;
                if seen.is_some_and(|seen| product.updated_at != seen) {
                    return Ok(CheckoutOutcome::CatalogChanged);
                }
                // A product as the lines took it that the lines cannot explain: read the
                // catalog rather than retry from the same stamps.
                Ok(match shortage(&product, needs) {
                    CheckoutOutcome::Conflict if seen.is_some() => CheckoutOutcome::CatalogChanged,
                    outcome => outcome,
                })
            }
        };
    }
    Ok(CheckoutOutcome::Conflict)
}

/// Which promotion the shopper has used up, from their counters as they stand.
fn used_up(
    counters: Option<&HashMap<String, AttributeValue>>,
    uses: &[PromotionUse],
) -> CheckoutOutcome {
    let count = |used: &PromotionUse| {
        counters
            .and_then(|item| item.get(&promotion_uses_attribute(&used.promotion_id)))
            .and_then(|value| value.as_n().ok())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    };
    match uses.iter().find(|used| count(used) >= used.max_uses) {
        Some(used) => CheckoutOutcome::PromotionLimitReached {
            promotion_id: used.promotion_id.clone(),
        },
        None => CheckoutOutcome::Conflict,
    }
}

/// The attribute counting a promotion's uses on a shopper's counters item.
fn promotion_uses_attribute(promotion: &ClientId) -> String {
    format!("uses:{}", promotion.key())
}

/// The first need the product as it stands cannot meet; a conflict if its variants moved.
fn shortage(product: &Product, needs: &[StockNeed]) -> CheckoutOutcome {
    for need in needs {
        let stock = match &need.variant {
            None => product.stock,
            Some((index, id)) => match product.variants.get(*index) {
                Some(v) if &v.id == id => v.stock,
                _ => return CheckoutOutcome::Conflict,
            },
        };
        // No longer tracked: the retry will not ask for it.
        let Some(available) = stock else {
            return CheckoutOutcome::Conflict;
        };
        if available < need.quantity {
            return CheckoutOutcome::OutOfStock {
                sku: need.sku.clone(),
                wanted: need.quantity,
                available,
            };
        }
    }
    CheckoutOutcome::Conflict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::product::ProductInput;
    use aws_sdk_dynamodb::types::CancellationReason;
    use serde_json::json;

    /// A refusal from a product still at the `updated_at` the lines took, which their
    /// stamps cannot explain (its variant is not where the line took it), sends checkout to
    /// the catalog instead of retrying from the same stamps until it gives up. Without an
    /// `updated_at` to hold the product to, the same refusal is a race, retried from a fresh
    /// read.
    #[test]
    fn a_refusal_the_stamps_cannot_explain_sends_checkout_to_the_catalog() {
        let input: ProductInput = crate::http::bodies::from_value(json!({
            "name": "Shirt", "sku": "S", "prices": [{"currency": "USD", "amount": 1000}],
            "variants": [{"id": "red", "sku": "S-RED", "stock": 5}]
        }))
        .unwrap();
        let product = input
            .into_product(ClientId::parse("shirt").unwrap(), Utc::now())
            .unwrap();
        let moved = StockNeed {
            product_id: product.id.clone(),
            variant: Some((0, ClientId::parse("blue").unwrap())),
            sku: "S-BLUE".into(),
            quantity: 1,
        };
        let refused = [CancellationReason::builder()
            .code("ConditionalCheckFailed")
            .set_item(Some(super::super::to_item(&product).unwrap()))
            .build()];
        let roles = |seen| [Role::Stock(vec![moved.clone()], seen)];
        assert_eq!(
            explain(&refused, &roles(Some(product.updated_at))).unwrap(),
            CheckoutOutcome::CatalogChanged
        );
        assert_eq!(
            explain(&refused, &roles(None)).unwrap(),
            CheckoutOutcome::Conflict
        );
    }
}
