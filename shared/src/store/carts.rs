//! Carts: one item per cart, the whole cart inside it, written with a version condition.

use super::errors::{Failure, build_error, classify, storage_error};
use super::keys::{self, CUSTOMER_INDEX, GSI1PK, GSI1SK, PK, SK};
use super::metrics::RecordCapacity;
use super::{Store, TransactFailure, from_item, item_size, to_item};
use crate::domain::cart::Cart;
use crate::domain::product::ProductGuard;
use crate::domain::values::CustomerId;
use crate::domain::values::timestamp;
use crate::{Code, Error};
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// How a conditional write ended. A conflict means another writer got there first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Done,
    Conflict,
}

/// How a write guarded by products (`ProductGuard`) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardedSave {
    Done,
    /// A cart changed since it was read: read it again.
    Conflict,
    /// A product is not as the cart's lines took it, or holds less stock than the change
    /// needs: make the change again from the catalog, which says which.
    ProductChanged,
}

/// The stored form: the cart's own fields plus its keys and index keys.
#[derive(Serialize)]
pub(crate) struct CartRecord<'a> {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: &'static str,
    /// Customer index: only carts with a customer are in it.
    #[serde(rename = "GSI1PK", skip_serializing_if = "Option::is_none")]
    gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", skip_serializing_if = "Option::is_none")]
    gsi1sk: Option<String>,
    /// Activity index: only carts that could become abandoned are in it.
    #[serde(rename = "GSI2PK", skip_serializing_if = "Option::is_none")]
    gsi2pk: Option<String>,
    #[serde(rename = "GSI2SK", skip_serializing_if = "Option::is_none")]
    gsi2sk: Option<String>,
    #[serde(flatten)]
    cart: &'a Cart,
}

impl<'a> CartRecord<'a> {
    pub(crate) fn of(cart: &'a Cart) -> Self {
        let customer = cart.customer_id.as_ref();
        let watched = cart.may_become_abandoned();
        CartRecord {
            pk: keys::cart_pk(cart.id),
            sk: "CART",
            gsi1pk: customer.map(keys::customer_pk),
            // Sorts by last change; the id keeps keys unique.
            gsi1sk: customer.map(|_| format!("{}#{}", timestamp(cart.updated_at), cart.id)),
            gsi2pk: watched.then(|| keys::activity_pk(cart.id)),
            gsi2sk: watched.then(|| timestamp(cart.updated_at)),
            cart,
        }
    }
}

/// The most a cart may take in the table. Far beyond any real cart (tens of KB), and low
/// enough that its order (the cart plus its totals) fits in one 400 KB item, and its JSON
/// fits in an idempotency record for replay (tested below).
pub const MAX_CART_BYTES: usize = 200 * 1024;

/// What a cart takes in the table, in bytes as DynamoDB counts them.
pub fn cart_bytes(cart: &Cart) -> Result<usize, Error> {
    Ok(item_size(&to_item(&CartRecord::of(cart))?))
}

/// The cart as a table item; 422 `cart_too_large` past `MAX_CART_BYTES`.
pub(crate) fn cart_item(cart: &Cart) -> Result<HashMap<String, AttributeValue>, Error> {
    let item = to_item(&CartRecord::of(cart))?;
    let size = item_size(&item);
    if size > MAX_CART_BYTES {
        return Err(Error::of(
            Code::CartTooLarge,
            format!(
                "the cart would take {} KB; a cart takes at most {} KB",
                size / 1024,
                MAX_CART_BYTES / 1024
            ),
        ));
    }
    Ok(item)
}

impl Store {
    /// The stored cart, expired or not (expiry is the service's call). Strongly consistent,
    /// so a client always reads its own writes.
    pub async fn get_cart(&self, id: Uuid) -> Result<Option<Cart>, Error> {
        self.get(keys::cart(id), "cart").await
    }

    /// The stored carts among `ids` (expired or not), in one BatchGetItem per 100.
    pub async fn get_carts(&self, ids: &[Uuid]) -> Result<Vec<Cart>, Error> {
        let keys = ids.iter().map(|id| keys::cart(*id)).collect();
        self.batch_get(keys, "carts").await
    }

    /// Writes a new cart; never overwrites one.
    pub async fn create_cart(&self, cart: &Cart) -> Result<Saved, Error> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(cart_item(cart)?))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity());
        conditional("PutItem new cart", result)
    }

    /// Replaces a cart if it is still at `expected_version`.
    pub async fn save_cart(&self, cart: &Cart, expected_version: u64) -> Result<Saved, Error> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(cart_item(cart)?))
            .condition_expression("version = :expected")
            .expression_attribute_values(
                ":expected",
                AttributeValue::N(expected_version.to_string()),
            )
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity());
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
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity());
        conditional("DeleteItem cart", result)
    }
}

/// One page of a customer's carts, and the cursor to the next page if there is one.
#[derive(Debug)]
pub struct CartPage {
    pub carts: Vec<Cart>,
    pub next: Option<String>,
}

impl Store {
    /// A customer's live carts, most recently changed first, from the customer index (never
    /// a Scan). The index is eventually consistent: a change shows up within moments.
    /// Expired carts are left out, so a page may hold fewer than `limit`.
    pub async fn customer_carts(
        &self,
        customer: &CustomerId,
        limit: u32,
        cursor: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<CartPage, Error> {
        let partition = keys::customer_pk(customer);
        let start = cursor.map(|c| decode_cursor(c, &partition)).transpose()?;
        let output = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(CUSTOMER_INDEX)
            .key_condition_expression("#customer = :customer")
            .filter_expression("expires_at > :now")
            .expression_attribute_names("#customer", GSI1PK)
            .expression_attribute_values(":customer", AttributeValue::S(partition))
            .expression_attribute_values(":now", AttributeValue::N(now.timestamp().to_string()))
            .scan_index_forward(false)
            .limit(limit as i32)
            .set_exclusive_start_key(start)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity())
            .map_err(|e| storage_error("Query customer carts", e))?;
        let carts = output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_item)
            .collect::<Result<_, _>>()?;
        let next = output
            .last_evaluated_key
            .map(|key| encode_cursor(&key))
            .transpose()?;
        Ok(CartPage { carts, next })
    }

    /// Saves the merged target cart and deletes the source cart in one transaction, each
    /// at the version it was read at, and only while each guarded product is as the
    /// source's lines took it: all happen, or nothing.
    pub async fn merge_carts(
        &self,
        target: &Cart,
        target_version: u64,
        source_id: Uuid,
        source_version: u64,
        guards: &[ProductGuard],
    ) -> Result<GuardedSave, Error> {
        let save = self.put_at_version(target, target_version)?;
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(keys::cart(source_id)))
            .condition_expression("version = :expected")
            .expression_attribute_values(":expected", AttributeValue::N(source_version.to_string()))
            .build()
            .map_err(build_error)?;
        let writes = vec![
            TransactWriteItem::builder().put(save).build(),
            TransactWriteItem::builder().delete(delete).build(),
        ];
        self.transact_guarded(writes, guards, "merge").await
    }

    /// Saves `cart` if the stored one is still at `expected_version`, and only while each
    /// guarded product is as the cart's lines took it.
    pub async fn save_cart_guarded(
        &self,
        cart: &Cart,
        expected_version: u64,
        guards: &[ProductGuard],
    ) -> Result<GuardedSave, Error> {
        let save = self.put_at_version(cart, expected_version)?;
        let writes = vec![TransactWriteItem::builder().put(save).build()];
        self.transact_guarded(writes, guards, "cart").await
    }

    /// Runs the cart `writes` with a condition check per guard after them, telling a guard
    /// that failed from a cart that changed.
    async fn transact_guarded(
        &self,
        mut writes: Vec<TransactWriteItem>,
        guards: &[ProductGuard],
        what: &str,
    ) -> Result<GuardedSave, Error> {
        let carts = writes.len();
        for guard in guards {
            let check = self.product_guard(guard)?;
            writes.push(TransactWriteItem::builder().condition_check(check).build());
        }
        match self.transact(writes, what).await {
            Ok(()) => Ok(GuardedSave::Done),
            Err(TransactFailure::Conditions(reasons)) => {
                let guard_failed = reasons
                    .iter()
                    .skip(carts)
                    .any(|r| r.code() == Some("ConditionalCheckFailed"));
                Ok(match guard_failed {
                    true => GuardedSave::ProductChanged,
                    false => GuardedSave::Conflict,
                })
            }
            Err(TransactFailure::Conflict) => Ok(GuardedSave::Conflict),
            Err(TransactFailure::Failed(err)) => Err(err),
        }
    }
}

impl Store {
    /// A transaction's write of `cart`, if the stored cart is still at `expected_version`.
    pub(crate) fn put_at_version(&self, cart: &Cart, expected_version: u64) -> Result<Put, Error> {
        Put::builder()
            .table_name(&self.table)
            .set_item(Some(cart_item(cart)?))
            .condition_expression("version = :expected")
            .expression_attribute_values(
                ":expected",
                AttributeValue::N(expected_version.to_string()),
            )
            .build()
            .map_err(build_error)
    }
}

/// A page cursor: the last key read, as base64url JSON. Opaque to clients.
fn encode_cursor(key: &HashMap<String, AttributeValue>) -> Result<String, Error> {
    let mut plain = BTreeMap::new();
    for (name, value) in key {
        let text = value.as_s().map_err(|_| Error::internal())?;
        plain.insert(name.as_str(), text.as_str());
    }
    let json = serde_json::to_vec(&plain).map_err(|_| Error::internal())?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

/// Reads a cursor back, refusing anything this service did not hand out for `partition`.
fn decode_cursor(cursor: &str, partition: &str) -> Result<HashMap<String, AttributeValue>, Error> {
    let invalid = || Error::invalid("cursor", "cursor is not one this list handed out");
    let json = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let plain: BTreeMap<String, String> = serde_json::from_slice(&json).map_err(|_| invalid())?;
    let expected = [PK, SK, GSI1PK, GSI1SK];
    if plain.len() != expected.len() || !expected.iter().all(|k| plain.contains_key(*k)) {
        return Err(invalid());
    }
    if plain[GSI1PK] != partition {
        return Err(invalid());
    }
    Ok(plain
        .into_iter()
        .map(|(k, v)| (k, AttributeValue::S(v)))
        .collect())
}

/// A conditional write's result: done, refused (by its condition, or because another
/// transaction held the item: either way nothing was written and the caller redoes its
/// change from a fresh read), or a storage error.
pub(crate) fn conditional<T, E, R>(
    operation: &str,
    result: Result<T, aws_sdk_dynamodb::error::SdkError<E, R>>,
) -> Result<Saved, Error>
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match result {
        Ok(_) => Ok(Saved::Done),
        Err(e) => match classify(&e) {
            Failure::Condition | Failure::Conflict => Ok(Saved::Conflict),
            _ => Err(storage_error(operation, e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_other_partitions_and_garbage() {
        let key: HashMap<String, AttributeValue> = [
            (PK, "CART#1"),
            (SK, "CART"),
            (GSI1PK, "CUSTOMER#42"),
            (GSI1SK, "2026-01-01T00:00:00.000Z#1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), AttributeValue::S(v.to_string())))
        .collect();
        let cursor = encode_cursor(&key).unwrap();
        assert_eq!(decode_cursor(&cursor, "CUSTOMER#42").unwrap(), key);
        assert!(
            decode_cursor(&cursor, "CUSTOMER#43").is_err(),
            "another customer's cursor"
        );
        for garbage in ["", "!!!", "e30", &URL_SAFE_NO_PAD.encode(r#"{"PK":"x"}"#)] {
            assert_eq!(
                decode_cursor(garbage, "CUSTOMER#42").unwrap_err().code(),
                "validation_failed"
            );
        }
    }
}
