//! The catalog: one item per product, variants inside it; and one item per sku, naming the
//! product or variant last saved with it.

use super::errors::{build_error, storage_error};
use super::guards::updated_at_value;
use super::keys::{self, PK};
use super::metrics::RecordCapacity;
use super::orders::MAX_TRANSACTION_ITEMS;
use super::{Store, TransactFailure};
use crate::Error;
use crate::domain::product::{Catalog, Product, SkuRecord};
use crate::domain::values::ClientId;
use aws_sdk_dynamodb::types::{Put, ReturnConsumedCapacity, TransactWriteItem};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

/// Saves of one product racing each other (or a checkout taking its stock): each attempt,
/// after a pause (`backoff`), reads the product again.
const SAVE_ATTEMPTS: u32 = 8;

#[derive(Serialize)]
struct ProductRecord<'a> {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: &'static str,
    #[serde(flatten)]
    product: &'a Product,
}

#[derive(Serialize)]
struct SkuItem<'a> {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: &'static str,
    #[serde(flatten)]
    record: &'a SkuRecord,
}

impl Store {
    /// Creates or replaces a product and points its skus (and its variants') at it, in one
    /// transaction (skus past the first 99 follow in more); true when the product did not
    /// exist before. Two round trips in a row: the product as stored, then the writes.
    ///
    /// Each save's `updated_at` is later than the one it replaces: a save in the same
    /// millisecond, or from a Lambda whose clock is behind, takes the stored one's plus 1 ms
    /// (`product.updated_at` says which it got). Carts' lines and checkout tell versions of
    /// a product apart by it (`CatalogStamp`), so two versions must never share one.
    pub async fn put_product(&self, product: &mut Product) -> Result<bool, Error> {
        let asked = product.updated_at;
        let records = sku_records(product);
        let (first, rest) = records.split_at(records.len().min(MAX_TRANSACTION_ITEMS - 1));
        for attempt in 0..SAVE_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(super::backoff::pause(attempt - 1)).await;
            }
            let before = self.product_updated_at(&product.id).await?;
            product.updated_at = match before {
                Some(before) => asked.max(before + TimeDelta::milliseconds(1)),
                None => asked,
            };
            let mut writes = vec![self.product_put(product, before)?];
            writes.extend(sku_puts(&self.table, first)?);
            match self.transact(writes, "product").await {
                Ok(()) => {
                    for chunk in rest.chunks(MAX_TRANSACTION_ITEMS) {
                        self.put_skus(chunk).await?;
                    }
                    return Ok(before.is_none());
                }
                // Saved or held by another request since it was read: read it again.
                Err(TransactFailure::Conditions(_) | TransactFailure::Conflict) => {}
                Err(TransactFailure::Failed(err)) => return Err(err),
            }
        }
        Err(Error::unavailable(
            "the product is being saved by others; retry",
        ))
    }

    /// The stored product's `updated_at`, read strongly consistently, and nothing else of
    /// it: a stored product that no longer reads as a `Product` can still be saved over.
    async fn product_updated_at(&self, id: &ClientId) -> Result<Option<DateTime<Utc>>, Error> {
        #[derive(serde::Deserialize)]
        struct Saved {
            updated_at: DateTime<Utc>,
        }
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(keys::product(id)))
            .consistent_read(true)
            .projection_expression("#updated_at")
            .expression_attribute_names("#updated_at", "updated_at")
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity())
            .map_err(|e| storage_error("GetItem product", e))?;
        let saved: Option<Saved> = output.item.map(super::from_item).transpose()?;
        Ok(saved.map(|s| s.updated_at))
    }

    /// The product's write, if the stored one is still the one `before` names (`None`:
    /// none).
    fn product_put(
        &self,
        product: &Product,
        before: Option<DateTime<Utc>>,
    ) -> Result<TransactWriteItem, Error> {
        let record = ProductRecord {
            pk: keys::product_pk(&product.id),
            sk: "PRODUCT",
            product,
        };
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(super::to_item(&record)?));
        let put = match before {
            None => put
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", PK),
            Some(before) => put
                .condition_expression("#updated_at = :before")
                .expression_attribute_names("#updated_at", "updated_at")
                .expression_attribute_values(":before", updated_at_value(before)?),
        };
        let put = put.build().map_err(build_error)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// Writes sku records that did not fit in the product's transaction, up to 100 at once.
    async fn put_skus(&self, records: &[SkuRecord]) -> Result<(), Error> {
        match self.transact(sku_puts(&self.table, records)?, "skus").await {
            Ok(()) => Ok(()),
            Err(TransactFailure::Failed(err)) => Err(err),
            // Unconditional puts fail only when another write holds a sku: saving again
            // writes them all again.
            Err(TransactFailure::Conditions(_) | TransactFailure::Conflict) => {
                Err(Error::unavailable("the product's skus are busy; retry"))
            }
        }
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
        let keys = unique(ids).into_iter().map(keys::product).collect();
        let products = self.batch_get(keys, "products").await?;
        Ok(Catalog::new(products))
    }

    /// The records of the named skus that have one.
    pub async fn get_skus<'a>(
        &self,
        skus: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<SkuRecord>, Error> {
        let keys = unique(skus).into_iter().map(keys::sku).collect();
        self.batch_get(keys, "skus").await
    }
}

/// Unconditional writes of sku records.
fn sku_puts(table: &str, records: &[SkuRecord]) -> Result<Vec<TransactWriteItem>, Error> {
    let mut writes = Vec::with_capacity(records.len());
    for record in records {
        let item = SkuItem {
            pk: keys::sku_pk(&record.sku),
            sk: "SKU",
            record,
        };
        let put = Put::builder()
            .table_name(table)
            .set_item(Some(super::to_item(&item)?))
            .build()
            .map_err(build_error)?;
        writes.push(TransactWriteItem::builder().put(put).build());
    }
    Ok(writes)
}

/// The product's sku and its variants', each once (the first to name it keeps it).
fn sku_records(product: &Product) -> Vec<SkuRecord> {
    let own = std::iter::once((&product.sku, None));
    let variants = product.variants.iter().map(|v| (&v.sku, Some(&v.id)));
    let mut records: Vec<SkuRecord> = Vec::new();
    for (sku, variant_id) in own.chain(variants) {
        if !records.iter().any(|r| &r.sku == sku) {
            records.push(SkuRecord {
                sku: sku.clone(),
                product_id: product.id.clone(),
                variant_id: variant_id.cloned(),
            });
        }
    }
    records
}

/// Each of `all` once, in order (a BatchGetItem refuses a key named twice).
fn unique<T: PartialEq>(all: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut unique = Vec::new();
    for one in all {
        if !unique.contains(&one) {
            unique.push(one);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::product::ProductInput;
    use serde_json::json;

    #[test]
    fn each_sku_points_at_the_first_to_name_it() {
        let input: ProductInput = crate::http::bodies::from_value(json!({
            "name": "Shirt", "sku": "S", "prices": [{"currency": "USD", "amount": 1000}],
            "variants": [{"id": "a", "sku": "S-A"}, {"id": "b", "sku": "S"}, {"id": "c", "sku": "S-A"}]
        }))
        .unwrap();
        let product = input
            .into_product(ClientId::parse("7").unwrap(), chrono::Utc::now())
            .unwrap();
        let records = sku_records(&product);
        let pointers: Vec<(&str, Option<String>)> = records
            .iter()
            .map(|r| (r.sku.as_str(), r.variant_id.as_ref().map(|v| v.to_string())))
            .collect();
        assert_eq!(pointers, [("S", None), ("S-A", Some("a".to_owned()))]);
    }
}
