//! Key layout of the single table (ARCHITECTURE.md, "The table"). Every key string is built here.

use crate::domain::values::{ClientId, CustomerId};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) const PK: &str = "PK";
pub(crate) const SK: &str = "SK";
pub(crate) const GSI1PK: &str = "GSI1PK";
pub(crate) const GSI1SK: &str = "GSI1SK";

pub(crate) const GSI2PK: &str = "GSI2PK";
pub(crate) const GSI2SK: &str = "GSI2SK";

/// The index of a customer's carts, newest change first.
pub(crate) const CUSTOMER_INDEX: &str = "ByCustomer";
/// The sparse index of carts that could become abandoned, by last activity.
pub(crate) const ACTIVITY_INDEX: &str = "ByActivity";
/// The activity index is spread over this many partitions so that writes to it never
/// crowd one partition; the sweep queries each.
pub const ACTIVITY_SHARDS: u32 = 16;

/// Every promotion lives in this one partition, so a single Query loads them all.
pub(crate) const PROMOTIONS_PK: &str = "PROMOTIONS";

pub(crate) fn cart(id: Uuid) -> HashMap<String, AttributeValue> {
    key(format!("CART#{id}"), "CART")
}

pub(crate) fn cart_pk(id: Uuid) -> String {
    format!("CART#{id}")
}

pub(crate) fn customer_pk(customer_id: &CustomerId) -> String {
    format!("CUSTOMER#{}", customer_id.key())
}

/// A cart's activity shard: the low bits of its random id, so carts spread evenly.
pub(crate) fn activity_pk(cart_id: Uuid) -> String {
    format!(
        "ACTIVE#{}",
        (cart_id.as_u128() % u128::from(ACTIVITY_SHARDS))
    )
}

pub(crate) fn activity_shard_pk(shard: u32) -> String {
    format!("ACTIVE#{shard}")
}

pub(crate) fn order(id: Uuid) -> HashMap<String, AttributeValue> {
    key(order_pk(id), "ORDER")
}

/// The prefix of a customer's orders' partitions: the one key of two fixed parts, so a
/// policy (and `access::leading_key`) can grant it apart from any other `ORDERS…` key.
pub(crate) const CUSTOMER_ORDERS: &str = "ORDERS#CUSTOMER#";

/// A customer's orders in the customer index: a partition of their own, apart from their
/// carts.
pub(crate) fn customer_orders_pk(customer_id: &CustomerId) -> String {
    format!("{CUSTOMER_ORDERS}{}", customer_id.key())
}

pub(crate) fn order_pk(id: Uuid) -> String {
    format!("ORDER#{id}")
}

/// A shopper's promotion counters: one attribute per limited promotion they used.
pub(crate) fn promotion_uses(shopper: &str) -> HashMap<String, AttributeValue> {
    key(format!("PROMOUSE#{shopper}"), "USES")
}

pub(crate) fn idempotency(scope: &str) -> HashMap<String, AttributeValue> {
    key(format!("IDEMPOTENCY#{scope}"), "IDEMPOTENCY")
}

pub(crate) fn product(id: &ClientId) -> HashMap<String, AttributeValue> {
    key(product_pk(id), "PRODUCT")
}

pub(crate) fn product_pk(id: &ClientId) -> String {
    format!("PRODUCT#{}", id.key())
}

/// Which product or variant was last saved with a sku (Elastic Path adds items by sku).
pub(crate) fn sku(sku: &str) -> HashMap<String, AttributeValue> {
    key(sku_pk(sku), "SKU")
}

pub(crate) fn sku_pk(sku: &str) -> String {
    format!("SKU#{sku}")
}

pub(crate) fn promotion(id: &ClientId) -> HashMap<String, AttributeValue> {
    key(PROMOTIONS_PK.to_string(), &promotion_sk(id))
}

pub(crate) fn promotion_sk(id: &ClientId) -> String {
    format!("PROMOTION#{}", id.key())
}

/// A redirect token that has been used (by the SHA-256 of its text).
pub(crate) fn used_token(digest: &str) -> HashMap<String, AttributeValue> {
    key(format!("TOKEN#{digest}"), "USED")
}

/// Every metafield index entry lives in this one partition, so a single Query lists them.
pub(crate) const METAFIELDS_PK: &str = "METAFIELDS";

pub(crate) fn metafield_entry(id: u64) -> HashMap<String, AttributeValue> {
    key(METAFIELDS_PK.to_string(), &metafield_entry_sk(id))
}

/// Zero-padded, so the entries sort by id.
pub(crate) fn metafield_entry_sk(id: u64) -> String {
    format!("METAFIELD#{id:020}")
}

/// The settings items share one partition: the cart settings and the abandoned-cart ones.
pub(crate) const SETTINGS_PK: &str = "SETTINGS";
pub(crate) const SETTINGS_SK: &str = "CART";
pub(crate) const ABANDONED_CART_SETTINGS_SK: &str = "ABANDONED_CARTS";

pub(crate) fn settings() -> HashMap<String, AttributeValue> {
    key(SETTINGS_PK.to_string(), SETTINGS_SK)
}

pub(crate) fn abandoned_cart_settings() -> HashMap<String, AttributeValue> {
    key(SETTINGS_PK.to_string(), ABANDONED_CART_SETTINGS_SK)
}

fn key(pk: String, sk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PK.to_string(), AttributeValue::S(pk)),
        (SK.to_string(), AttributeValue::S(sk.to_string())),
    ])
}
