//! Redirect tokens are single use: the first resolution records the token here, and a
//! second finds the record. The record lives (TTL) until the token would have expired.

use super::Store;
use super::errors::{Failure, classify, storage_error};
use super::keys;
use super::metrics::RecordCapacity;
use crate::Error;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnConsumedCapacity};
use chrono::{DateTime, Utc};

impl Store {
    /// Records the token with this digest as used; `false` when it already was.
    pub async fn use_token(&self, digest: &str, expires_at: DateTime<Utc>) -> Result<bool, Error> {
        let mut item = keys::used_token(digest);
        item.insert(
            "expires_at".into(),
            AttributeValue::N(expires_at.timestamp().to_string()),
        );
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", keys::PK)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity());
        match result {
            Ok(_) => Ok(true),
            Err(e) if classify(&e) == Failure::Condition => Ok(false),
            Err(e) => Err(storage_error("PutItem used token", e)),
        }
    }

    /// Forgets that the token with this digest was used: for fixtures, which put the world
    /// back as their events expect it (a deployed function never calls this).
    pub async fn forget_token_use(&self, digest: &str) -> Result<(), Error> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::used_token(digest)))
            .send()
            .await
            .map(drop)
            .map_err(|e| storage_error("DeleteItem used token", e))
    }
}
