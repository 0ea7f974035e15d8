//! The catalog: one item per product, variants inside it; and one item per sku, naming the
//! product or variant last saved with it.

use super::carts::{Saved, conditional};
use super::errors::build_error;
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

/// Saves of one product racing each other: each attempt reads the product again.
const SAVE_ATTEMPTS: usize = 5;

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
    /// Creates or replaces a product, then points its skus (and its variants') at it; true
    /// when the product did not exist before.
    ///
    /// Each save's `updated_at` is later than the one it replaces: a save in the same
    /// millisecond, or from a Lambda whose clock is behind, takes the stored one's plus 1 ms
    /// (`product.updated_at` says which it got). Carts' lines and checkout tell versions of
    /// a product apart by it (`CatalogStamp`), so two versions must never share one.
    pub async fn put_product(&self, product: &mut Product) -> Result<bool, Error> {
        let asked = product.updated_at;
        for _ in 0..SAVE_ATTEMPTS {
            let before = self.get_product(&product.id).await?;
            let before = before.map(|b| b.updated_at);
            product.updated_at = match before {
                Some(before) => asked.max(before + TimeDelta::milliseconds(1)),
                None => asked,
            };
            if self.put_product_replacing(product, before).await? == Saved::Done {
                self.put_skus(&sku_records(product)).await?;
                return Ok(before.is_none());
            }
        }
        Err(Error::unavailable(
            "the product is being saved by others; retry",
        ))
    }

    /// Writes the product if the stored one is still the one `before` names (`None`: none).
    async fn put_product_replacing(
        &self,
        product: &Product,
        before: Option<DateTime<Utc>>,
    ) -> Result<Saved, Error> {
        let record = ProductRecord {
            pk: keys::product_pk(&product.id),
            sk: "PRODUCT",
            product,
        };
        let request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(super::to_item(&record)?))
            .return_consumed_capacity(ReturnConsumedCapacity::Total);
        let request = match before {
            None => request
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", PK),
            Some(before) => request
                .condition_expression("#updated_at = :before")
                .expression_attribute_names("#updated_at", "updated_at")
                .expression_attribute_values(":before", updated_at_value(before)?),
        };
        let result = request
            .send()
            .await
            .inspect(|output| output.record_capacity());
        conditional("PutItem product", result)
    }

    /// Writes the sku records, up to 100 in a transaction.
    async fn put_skus(&self, records: &[SkuRecord]) -> Result<(), Error> {
        for chunk in records.chunks(MAX_TRANSACTION_ITEMS) {
            let mut writes = Vec::with_capacity(chunk.len());
            for record in chunk {
                let item = SkuItem {
                    pk: keys::sku_pk(&record.sku),
                    sk: "SKU",
                    record,
                };
                let put = Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(super::to_item(&item)?))
                    .build()
                    .map_err(build_error)?;
                writes.push(TransactWriteItem::builder().put(put).build());
            }
            match self.transact(writes, "skus").await {
                Ok(()) => {}
                Err(TransactFailure::Failed(err)) => return Err(err),
                // Unconditional puts fail only when another write holds a sku: saving again
                // writes them all again.
                Err(TransactFailure::Conditions(_) | TransactFailure::Conflict) => {
                    return Err(Error::unavailable("the product's skus are busy; retry"));
                }
            }
        }
        Ok(())
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
