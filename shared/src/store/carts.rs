//! Carts: one item per cart, the whole cart inside it, written with a version condition.

use super::errors::{is_condition_failure, storage_error};
use super::keys::{self, PK};
use super::{Store, from_item, to_item};
use crate::Error;
use crate::domain::cart::Cart;
use crate::domain::values::timestamp;
use aws_sdk_dynamodb::types::AttributeValue;
use serde::Serialize;
use uuid::Uuid;

/// How a conditional write ended. A conflict means another writer got there first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Done,
    Conflict,
}

/// The stored form: the cart's own fields plus its keys and index keys.
#[derive(Serialize)]
struct CartRecord<'a> {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: &'static str,
    /// Customer index: only carts with a customer are in it.
    #[serde(rename = "GSI1PK", skip_serializing_if = "Option::is_none")]
    gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", skip_serializing_if = "Option::is_none")]
    gsi1sk: Option<String>,
    #[serde(flatten)]
    cart: &'a Cart,
}

impl<'a> CartRecord<'a> {
    fn of(cart: &'a Cart) -> Self {
        let customer = cart.customer_id.as_ref();
        CartRecord {
            pk: keys::cart_pk(cart.id),
            sk: "CART",
            gsi1pk: customer.map(keys::customer_pk),
            // Sorts by last change; the id keeps keys unique.
            gsi1sk: customer.map(|_| format!("{}#{}", timestamp(cart.updated_at), cart.id)),
            cart,
        }
    }
}

impl Store {
    /// The stored cart, expired or not (expiry is the service's call). Strongly consistent,
    /// so a client always reads its own writes.
    pub async fn get_cart(&self, id: Uuid) -> Result<Option<Cart>, Error> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(keys::cart(id)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| storage_error("GetItem cart", e))?;
        output.item.map(from_item).transpose()
    }

    /// Writes a new cart; never overwrites one.
    pub async fn create_cart(&self, cart: &Cart) -> Result<Saved, Error> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&CartRecord::of(cart))?))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .send()
            .await;
        conditional("PutItem new cart", result)
    }

    /// Replaces a cart if it is still at `expected_version`.
    pub async fn save_cart(&self, cart: &Cart, expected_version: u64) -> Result<Saved, Error> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&CartRecord::of(cart))?))
            .condition_expression("version = :expected")
            .expression_attribute_values(
                ":expected",
                AttributeValue::N(expected_version.to_string()),
            )
            .send()
            .await;
        conditional("PutItem cart", result)
    }

    /// Deletes a cart if it is still at `expected_version`.
    pub async fn delete_cart(&self, id: Uuid, expected_version: u64) -> Result<Saved, Error> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::cart(id)))
            .condition_expression("version = :expected")
            .expression_attribute_values(
                ":expected",
                AttributeValue::N(expected_version.to_string()),
            )
            .send()
            .await;
        conditional("DeleteItem cart", result)
    }
}

/// A conditional write's result: done, refused by its condition, or a storage error.
fn conditional<T, E, R>(
    operation: &str,
    result: Result<T, aws_sdk_dynamodb::error::SdkError<E, R>>,
) -> Result<Saved, Error>
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match result {
        Ok(_) => Ok(Saved::Done),
        Err(e) if is_condition_failure(&e) => Ok(Saved::Conflict),
        Err(e) => Err(storage_error(operation, e)),
    }
}
