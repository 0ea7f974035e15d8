//! The abandoned-cart sweep's storage: the sparse activity index, read a shard at a time,
//! and the conditional flag that a concurrent change to the cart always wins against.
//! Recovery tokens are signed (`service::redirects`), so nothing else is stored.

use super::carts::conditional;
use super::errors::storage_error;
use super::keys::{self, ACTIVITY_INDEX, GSI2PK, GSI2SK, PK};
use super::metrics::RecordCapacity;
use super::{Saved, Store};
use crate::Error;
use crate::domain::values::timestamp;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnConsumedCapacity};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// A cart the index says has been idle since before the cutoff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdleCart {
    pub cart_id: Uuid,
    /// The version the index saw; the flag only lands if the cart is still at it.
    pub version: u64,
    pub expires_at: i64,
}

pub type PageKey = HashMap<String, AttributeValue>;

#[derive(Debug)]
pub struct IdlePage {
    pub carts: Vec<IdleCart>,
    /// Index entries read for this page (what the sweep pays for).
    pub items_read: u64,
    pub next: Option<PageKey>,
}

fn number(item: &HashMap<String, AttributeValue>, name: &str) -> Option<i64> {
    item.get(name)?.as_n().ok()?.parse().ok()
}

impl Store {
    /// One page of a shard's carts idle since before `cutoff`: a Query on the activity
    /// index (never a Scan), which holds only carts that could become abandoned.
    pub async fn idle_carts(
        &self,
        shard: u32,
        cutoff: DateTime<Utc>,
        start: Option<PageKey>,
    ) -> Result<IdlePage, Error> {
        let output = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(ACTIVITY_INDEX)
            .key_condition_expression("#shard = :shard AND #activity < :cutoff")
            .expression_attribute_names("#shard", GSI2PK)
            .expression_attribute_names("#activity", GSI2SK)
            .expression_attribute_values(
                ":shard",
                AttributeValue::S(keys::activity_shard_pk(shard)),
            )
            .expression_attribute_values(":cutoff", AttributeValue::S(timestamp(cutoff)))
            .set_exclusive_start_key(start)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity())
            .map_err(|e| storage_error("Query activity index", e))?;
        let items_read = output.scanned_count.max(0) as u64;
        let carts = output
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|item| {
                let cart_id = item
                    .get(PK)?
                    .as_s()
                    .ok()?
                    .strip_prefix("CART#")?
                    .parse()
                    .ok()?;
                Some(IdleCart {
                    cart_id,
                    version: number(item, "version")?.try_into().ok()?,
                    expires_at: number(item, "expires_at")?,
                })
            })
            .collect();
        Ok(IdlePage {
            carts,
            items_read,
            next: output.last_evaluated_key,
        })
    }

    /// Flags a cart abandoned, with its recovery token, only if the cart is still at the
    /// version the index showed and still active: a change racing the sweep wins, and so
    /// does a transaction holding the cart (checkout, merge). The cart leaves the activity
    /// index.
    pub async fn flag_abandoned(
        &self,
        cart: &IdleCart,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Saved, Error> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::cart(cart.cart_id)))
            .update_expression(
                "SET #status = :abandoned, abandoned_at = :now, abandoned_token = :token REMOVE #gsi2pk, #gsi2sk",
            )
            .condition_expression("version = :version AND #status = :active")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#gsi2pk", GSI2PK)
            .expression_attribute_names("#gsi2sk", GSI2SK)
            .expression_attribute_values(":abandoned", AttributeValue::S("abandoned".into()))
            .expression_attribute_values(":active", AttributeValue::S("active".into()))
            .expression_attribute_values(":now", AttributeValue::S(timestamp(now)))
            .expression_attribute_values(":token", AttributeValue::S(token.into()))
            .expression_attribute_values(":version", AttributeValue::N(cart.version.to_string()))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity());
        conditional("UpdateItem flag abandoned", result)
    }
}
