//! The catalog: one item per product, variants inside it.

use super::errors::storage_error;
use super::keys;
use super::metrics::RecordCapacity;
use super::{Store, from_item};
use crate::Error;
use crate::domain::product::{Catalog, Product};
use crate::domain::values::ClientId;
use aws_sdk_dynamodb::types::KeysAndAttributes;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use serde::Serialize;
use std::time::Duration;

#[derive(Serialize)]
struct ProductRecord<'a> {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: &'static str,
    #[serde(flatten)]
    product: &'a Product,
}

/// BatchGetItem reads at most this many keys per call.
const BATCH_LIMIT: usize = 100;

impl Store {
    /// Creates or replaces a product; true when it did not exist before.
    pub async fn put_product(&self, product: &Product) -> Result<bool, Error> {
        let record = ProductRecord {
            pk: keys::product_pk(&product.id),
            sk: "PRODUCT",
            product,
        };
        self.put_reporting_new(&record, "product").await
    }

    pub async fn get_product(&self, id: &ClientId) -> Result<Option<Product>, Error> {
        self.get(keys::product(id), "product").await
    }

    /// The named products that exist, in one BatchGetItem per 100 ids (a cart request never
    /// names more than 100). Keys DynamoDB leaves unprocessed under load are asked again.
    pub async fn get_products<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a ClientId>,
    ) -> Result<Catalog, Error> {
        let mut unique: Vec<&ClientId> = Vec::new();
        for id in ids {
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        let mut products = Vec::with_capacity(unique.len());
        for chunk in unique.chunks(BATCH_LIMIT) {
            let keys = chunk.iter().map(|id| keys::product(id)).collect();
            let mut request = KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .consistent_read(true)
                .build()
                .map_err(|e| {
                    tracing::error!(error = %e, "could not build a batch read");
                    Error::internal()
                })?;
            for attempt in 0.. {
                let output = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .await
                    .inspect(|output| output.record_capacity())
                    .map_err(|e| storage_error("BatchGetItem products", e))?;
                for item in output
                    .responses
                    .unwrap_or_default()
                    .remove(&self.table)
                    .unwrap_or_default()
                {
                    products.push(from_item(item)?);
                }
                match output
                    .unprocessed_keys
                    .and_then(|mut u| u.remove(&self.table))
                {
                    Some(rest) if !rest.keys.is_empty() => {
                        if attempt >= 4 {
                            return Err(Error::unavailable("the catalog is busy; retry shortly"));
                        }
                        tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
                        request = rest;
                    }
                    _ => break,
                }
            }
        }
        Ok(Catalog::new(products))
    }
}
