//! DynamoDB: the only module that knows the table layout and attribute names.
//! One table holds every kind of item (see `keys`).

mod abandoned;
mod carts;
mod errors;
mod idempotency;
mod keys;
mod metrics;
mod orders;
mod products;
mod promotions;
mod settings;
mod size;

pub use abandoned::{IdleCart, IdlePage, PageKey};
pub use carts::{CartPage, MAX_CART_BYTES, Saved, cart_bytes};
pub use idempotency::{CLAIM_LIFETIME, Claim, IdempotencyRecord, KEY_LIFETIME, StoredResponse};
pub use keys::ACTIVITY_SHARDS;
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
    let config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .load()
        .await;
    let dynamodb = aws_sdk_dynamodb::config::Builder::from(&config)
        .interceptor(metrics::CountCalls)
        .build();
    Client::from_conf(dynamodb)
}

type Item = std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>;

/// What a failed `TransactWriteItems` returns; each caller reads its cancellation reasons.
type TransactError = aws_sdk_dynamodb::error::SdkError<
    aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError,
    aws_smithy_runtime_api::http::Response,
>;

impl Store {
    /// Writes `items` in one transaction, all or nothing, recording the capacity used.
    async fn transact(
        &self,
        items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    ) -> Result<(), TransactError> {
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity())
            .map(|_| ())
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
