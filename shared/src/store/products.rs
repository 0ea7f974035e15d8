//! The catalog: one item per product, variants inside it; and one item per sku, naming the
//! product or variant last saved with it.

use super::errors::build_error;
use super::keys;
use super::orders::MAX_TRANSACTION_ITEMS;
use super::{Store, TransactFailure};
use crate::Error;
use crate::domain::product::{Catalog, Product, SkuRecord};
use crate::domain::values::ClientId;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use serde::Serialize;

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
    pub async fn put_product(&self, product: &Product) -> Result<bool, Error> {
        let record = ProductRecord {
            pk: keys::product_pk(&product.id),
            sk: "PRODUCT",
            product,
        };
        let created = self.put_reporting_new(&record, "product").await?;
        self.put_skus(&sku_records(product)).await?;
        Ok(created)
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
