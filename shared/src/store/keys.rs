//! Key layout of the single table (see DESIGN.md). Every key string is built here.

use crate::domain::values::ClientId;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) const PK: &str = "PK";
pub(crate) const SK: &str = "SK";
pub(crate) const GSI1PK: &str = "GSI1PK";
pub(crate) const GSI1SK: &str = "GSI1SK";

/// The index of a customer's carts, newest change first.
pub(crate) const CUSTOMER_INDEX: &str = "ByCustomer";

/// Every promotion lives in this one partition, so a single Query loads them all.
pub(crate) const PROMOTIONS_PK: &str = "PROMOTIONS";

pub(crate) fn cart(id: Uuid) -> HashMap<String, AttributeValue> {
    key(format!("CART#{id}"), "CART")
}

pub(crate) fn cart_pk(id: Uuid) -> String {
    format!("CART#{id}")
}

pub(crate) fn customer_pk(customer_id: &ClientId) -> String {
    format!("CUSTOMER#{}", customer_id.key())
}

pub(crate) fn product(id: &ClientId) -> HashMap<String, AttributeValue> {
    key(product_pk(id), "PRODUCT")
}

pub(crate) fn product_pk(id: &ClientId) -> String {
    format!("PRODUCT#{}", id.key())
}

pub(crate) fn promotion(id: &ClientId) -> HashMap<String, AttributeValue> {
    key(PROMOTIONS_PK.to_string(), &promotion_sk(id))
}

pub(crate) fn promotion_sk(id: &ClientId) -> String {
    format!("PROMOTION#{}", id.key())
}

pub(crate) fn settings() -> HashMap<String, AttributeValue> {
    key("SETTINGS".to_string(), "CART")
}

fn key(pk: String, sk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PK.to_string(), AttributeValue::S(pk)),
        (SK.to_string(), AttributeValue::S(sk.to_string())),
    ])
}
