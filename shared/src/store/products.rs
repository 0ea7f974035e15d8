//! The catalog: one item per product, variants inside it.

use super::Store;
use super::keys;
use crate::Error;
use crate::domain::product::{Catalog, Product};
use crate::domain::values::ClientId;
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
        let keys = unique.into_iter().map(keys::product).collect();
        let products = self.batch_get(keys, "products").await?;
        Ok(Catalog::new(products))
    }
}
