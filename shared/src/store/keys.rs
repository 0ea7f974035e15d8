//! Key layout of the single table (see DESIGN.md). Every key string is built here.

use crate::domain::values::ClientId;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) const PK: &str = "PK";
pub(crate) const SK: &str = "SK";

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

fn key(pk: String, sk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PK.to_string(), AttributeValue::S(pk)),
        (SK.to_string(), AttributeValue::S(sk.to_string())),
    ])
}
