//! Idempotency keys: the first request with a key claims it, runs, and stores its response;
//! later requests with the key replay that response. Records live 24 hours (TTL).

use super::Store;
use super::errors::{Failure, classify, storage_error};
use super::keys::{self, PK};
use super::metrics::RecordCapacity;
use crate::Error;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How long a key is remembered.
pub const KEY_LIFETIME: Duration = Duration::hours(24);
/// How long a claim blocks others before it is presumed dead. Longer than any function's
/// timeout (10 s), so a claim is never taken over while its request can still finish.
pub const CLAIM_LIFETIME: Duration = Duration::seconds(30);

/// A stored response: status, body and the headers worth replaying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    pub headers: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IdempotencyRecord {
    /// A digest of what the first request sent (method, path, body).
    pub fingerprint: String,
    /// `None` while the first request is still running.
    pub response: Option<StoredResponse>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub expires_at: DateTime<Utc>,
}

/// Whether this request got the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    Claimed,
    Taken,
}

impl Store {
    /// Claims `scope` for the request `owner`, unless a live record holds it (finished, or
    /// still running and claimed less than `CLAIM_LIFETIME` ago).
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        fingerprint: &str,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim, Error> {
        let mut item = keys::idempotency(scope);
        item.insert("fingerprint".into(), AttributeValue::S(fingerprint.into()));
        item.insert("owner".into(), AttributeValue::S(owner.into()));
        item.insert(
            "claimed_until".into(),
            AttributeValue::N((now + CLAIM_LIFETIME).timestamp().to_string()),
        );
        item.insert(
            "expires_at".into(),
            AttributeValue::N((now + KEY_LIFETIME).timestamp().to_string()),
        );
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(
                "attribute_not_exists(#pk) OR expires_at <= :now \
                 OR (attribute_not_exists(#response) AND claimed_until <= :now)",
            )
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#response", "response")
            .expression_attribute_values(":now", AttributeValue::N(now.timestamp().to_string()))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity());
        match result {
            Ok(_) => Ok(Claim::Claimed),
            Err(e) if classify(&e) == Failure::Condition => Ok(Claim::Taken),
            Err(e) => Err(storage_error("PutItem idempotency claim", e)),
        }
    }

    /// The live record for `scope`, if any.
    pub async fn get_idempotency_record(
        &self,
        scope: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<IdempotencyRecord>, Error> {
        let record: Option<IdempotencyRecord> = self
            .get(keys::idempotency(scope), "idempotency key")
            .await?;
        Ok(record.filter(|r| r.expires_at > now))
    }

    /// Stores the claimed request's response, if the claim is still this request's.
    pub async fn complete_idempotency_key(
        &self,
        scope: &str,
        owner: &str,
        response: &StoredResponse,
    ) -> Result<(), Error> {
        let value = serde_dynamo::to_attribute_value(response).map_err(|_| Error::internal())?;
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::idempotency(scope)))
            .update_expression("SET #response = :response")
            .condition_expression("#owner = :owner")
            .expression_attribute_names("#response", "response")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":response", value)
            .expression_attribute_values(":owner", AttributeValue::S(owner.into()))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity());
        match result {
            Err(e) if classify(&e) != Failure::Condition => {
                Err(storage_error("UpdateItem idempotency", e))
            }
            _ => Ok(()),
        }
    }

    /// Gives up a claim (the request failed in a way worth retrying), if it is still ours:
    /// its claim lapses at once, so the next request with the key claims it again. (An
    /// update rather than a delete: the functions need no `DeleteItem` on keys at all.)
    pub async fn release_idempotency_key(&self, scope: &str, owner: &str) -> Result<(), Error> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::idempotency(scope)))
            .update_expression("SET claimed_until = :lapsed")
            .condition_expression("#owner = :owner")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":owner", AttributeValue::S(owner.into()))
            .expression_attribute_values(":lapsed", AttributeValue::N("0".into()))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity());
        match result {
            Err(e) if classify(&e) != Failure::Condition => {
                Err(storage_error("UpdateItem idempotency release", e))
            }
            _ => Ok(()),
        }
    }
}
