//! DynamoDB: the only module that knows the table layout and attribute names.
//! One table holds every kind of item (see `keys`).

mod abandoned;
pub mod access;
pub mod backoff;
mod carts;
mod errors;
mod guards;
mod idempotency;
mod keys;
mod metafields;
mod metrics;
mod orders;
mod products;
mod promotions;
mod settings;
mod size;
mod used_tokens;

pub use abandoned::{IdleCart, IdlePage, PageKey};
pub use carts::{CartPage, GuardedSave, MAX_CART_BYTES, Saved, cart_bytes};
pub use idempotency::{CLAIM_LIFETIME, Claim, IdempotencyRecord, KEY_LIFETIME, StoredResponse};
pub use keys::ACTIVITY_SHARDS;
pub use metafields::MetafieldEntry;
pub use metrics::{Snapshot, operations, operations_since, snapshot};
pub use orders::{CheckoutOutcome, MAX_TRANSACTION_ITEMS, order_bytes};
pub use size::{DYNAMODB_ITEM_LIMIT, item_size};

use crate::Error;
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use aws_smithy_http_client::tls;
use metrics::RecordCapacity;
use std::time::Duration;

/// A handle on the table; cheap to clone (the SDK client is reference-counted).
#[derive(Clone, Debug)]
pub struct Store {
    client: Client,
    table: String,
}

impl Store {
    pub fn new(client: Client, table: impl Into<String>) -> Store {
        Store {
            client,
            table: table.into(),
        }
    }

    /// The table named by `TABLE_NAME`, through the client every function uses.
    pub async fn from_env() -> Result<Store, String> {
        let table = std::env::var("TABLE_NAME").map_err(|_| "TABLE_NAME is not set".to_string())?;
        Ok(Store::new(dynamodb_client().await, table))
    }

    /// The configured table, with `config` (`aws_config()`) and the call counter.
    pub fn from_config(config: &aws_config::SdkConfig, table: &str) -> Store {
        Store::new(dynamodb_client_from(config), table)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn table(&self) -> &str {
        &self.table
    }
}

/// Time limits on DynamoDB calls, chosen so that a function (timeout 10 s in template.yaml)
/// always answers before Lambda stops it: each attempt may take 2 s, all attempts together
/// (three, with the SDK's standard backoff) 5 s. A healthy call takes milliseconds.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(1000);
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(5);
pub const MAX_ATTEMPTS: u32 = 3;

/// The roots every AWS endpoint's certificate chains to (Amazon Trust Services).
const AWS_ROOT_CERTIFICATES: &str = include_str!("aws-roots.pem");

/// Builds the DynamoDB client: the one place it is configured, used by the functions, the
/// tests and the local tools. Region, credentials and `AWS_ENDPOINT_URL_DYNAMODB` come from
/// the environment. The HTTP client is set explicitly because the SDK is built without its
/// default TLS stack (see Cargo.toml); without it the client would fail at run time.
///
/// It trusts only the Amazon roots, compiled in: reading and parsing the system's ~150 root
/// certificates took 1-5 ms of every cold start, more than the rest of start-up together
/// (bench/RESULTS.md), and the client only ever talks to DynamoDB.
pub async fn dynamodb_client() -> Client {
    dynamodb_client_from(&aws_config().await)
}

fn dynamodb_client_from(config: &aws_config::SdkConfig) -> Client {
    let mut dynamodb =
        aws_sdk_dynamodb::config::Builder::from(config).interceptor(metrics::CountCalls);
    if let Some(record) = access::RecordAccess::from_env() {
        dynamodb = dynamodb.interceptor(record);
    }
    Client::from_conf(dynamodb.build())
}

/// The configuration every AWS client here is built from (DynamoDB's, and Secrets
/// Manager's for the signing keys): region, credentials and endpoints from the environment,
/// the HTTP client that trusts the Amazon roots, and the time limits above.
pub async fn aws_config() -> aws_config::SdkConfig {
    let trust = tls::TrustStore::empty().with_pem_certificate(AWS_ROOT_CERTIFICATES.as_bytes());
    let tls_context = tls::TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .expect("a TLS context from the compiled-in roots");
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .tls_context(tls_context)
        .build_https();
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .load()
        .await
}

/// BatchGetItem reads at most this many keys per call.
const BATCH_GET_LIMIT: usize = 100;

type Item = std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>;

/// Why a transaction wrote nothing.
pub(crate) enum TransactFailure {
    /// Conditions failed: the reasons, one per write in order, say which.
    Conditions(Vec<aws_sdk_dynamodb::types::CancellationReason>),
    /// Another transaction held one of the items: redo from fresh reads.
    Conflict,
    /// Anything else, as the client's error (503 to retry, or 500), already logged.
    Failed(Error),
}

impl Store {
    /// Writes `items` in one transaction, all or nothing, recording the capacity used.
    /// `what` names it in logs.
    async fn transact(
        &self,
        items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
        what: &str,
    ) -> Result<(), TransactFailure> {
        use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
        use errors::Failure;
        let err = match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
        {
            Ok(output) => {
                output.record_capacity();
                return Ok(());
            }
            Err(err) => err,
        };
        let operation = format!("TransactWriteItems {what}");
        let Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) =
            err.as_service_error()
        else {
            return Err(match errors::classify(&err) {
                Failure::Conflict => TransactFailure::Conflict,
                _ => TransactFailure::Failed(errors::storage_error(&operation, err)),
            });
        };
        let reasons = cancelled.cancellation_reasons().to_vec();
        let codes: Vec<&str> = reasons.iter().map(|r| r.code().unwrap_or("None")).collect();
        Err(match errors::cancellation(&reasons) {
            Failure::Condition => TransactFailure::Conditions(reasons),
            Failure::Conflict => TransactFailure::Conflict,
            failure => TransactFailure::Failed(errors::failed(
                &operation,
                failure,
                "cancelled",
                Some(&codes.join(",")),
                None,
            )),
        })
    }

    /// The item at `key`, read strongly consistently, as a `T`. `what` names it in logs.
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        key: Item,
        what: &str,
    ) -> Result<Option<T>, Error> {
        self.get_item(key, what).await?.map(from_item).transpose()
    }

    /// The raw item at `key`, read strongly consistently.
    async fn get_item(&self, key: Item, what: &str) -> Result<Option<Item>, Error> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .consistent_read(true)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity())
            .map_err(|e| errors::storage_error(&format!("GetItem {what}"), e))?;
        Ok(output.item)
    }

    /// The items at `keys` that exist, as `T`s, read strongly consistently in one
    /// BatchGetItem per 100 keys. Keys DynamoDB leaves unprocessed under load are asked
    /// again, a few times, before the read gives up with 503.
    async fn batch_get<T: serde::de::DeserializeOwned>(
        &self,
        keys: Vec<Item>,
        what: &str,
    ) -> Result<Vec<T>, Error> {
        use aws_sdk_dynamodb::types::KeysAndAttributes;
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(BATCH_GET_LIMIT) {
            let mut request = KeysAndAttributes::builder()
                .set_keys(Some(chunk.to_vec()))
                .consistent_read(true)
                .build()
                .map_err(errors::build_error)?;
            for attempt in 0.. {
                let output = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .await
                    .inspect(|output| output.record_capacity())
                    .map_err(|e| errors::storage_error(&format!("BatchGetItem {what}"), e))?;
                for item in output
                    .responses
                    .unwrap_or_default()
                    .remove(&self.table)
                    .unwrap_or_default()
                {
                    found.push(from_item(item)?);
                }
                match output
                    .unprocessed_keys
                    .and_then(|mut u| u.remove(&self.table))
                {
                    Some(rest) if !rest.keys.is_empty() => {
                        if attempt >= 4 {
                            return Err(Error::unavailable(format!(
                                "the {what} are busy; retry shortly"
                            )));
                        }
                        tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
                        request = rest;
                    }
                    _ => break,
                }
            }
        }
        Ok(found)
    }

    /// Every item of the partition `pk`, as `T`s, strongly consistent (paged past 1 MB).
    async fn query_partition<T: serde::de::DeserializeOwned>(
        &self,
        pk: &str,
        what: &str,
    ) -> Result<Vec<T>, Error> {
        use aws_sdk_dynamodb::types::AttributeValue;
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", keys::PK)
                .expression_attribute_values(":pk", AttributeValue::S(pk.to_string()))
                .set_exclusive_start_key(start)
                .consistent_read(true)
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .send()
                .await
                .inspect(|output| output.record_capacity())
                .map_err(|e| errors::storage_error(&format!("Query {what}"), e))?;
            for item in output.items.unwrap_or_default() {
                found.push(from_item(item)?);
            }
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(found);
            }
        }
    }

    /// Writes `record` (keys included), replacing what was there; true when nothing was.
    async fn put_reporting_new<T: serde::Serialize>(
        &self,
        record: &T,
        what: &str,
    ) -> Result<bool, Error> {
        let output = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(record)?))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity())
            .map_err(|e| errors::storage_error(&format!("PutItem {what}"), e))?;
        Ok(output.attributes.is_none())
    }
}

/// Serializes a record to a DynamoDB item.
fn to_item<T: serde::Serialize>(
    record: &T,
) -> Result<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>, Error> {
    serde_dynamo::to_item(record).map_err(|e| {
        tracing::error!(error = %e, "could not serialize a record");
        Error::internal()
    })
}

/// Reads a DynamoDB item back into a record.
fn from_item<T: serde::de::DeserializeOwned>(
    item: std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
) -> Result<T, Error> {
    serde_dynamo::from_item(item).map_err(|e| {
        tracing::error!(error = %e, "could not read a stored record");
        Error::internal()
    })
}
