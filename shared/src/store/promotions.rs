//! Promotions: one partition holds them all, so pricing loads every promotion with one
//! Query (paged, should they ever pass 1 MB).

use super::Store;
use super::errors::storage_error;
use super::keys;
use super::metrics::RecordCapacity;
use crate::Error;
use crate::domain::promotion::Promotion;
use crate::domain::values::ClientId;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use aws_sdk_dynamodb::types::ReturnValue;
use serde::Serialize;

#[derive(Serialize)]
struct PromotionRecord<'a> {
    #[serde(rename = "PK")]
    pk: &'static str,
    #[serde(rename = "SK")]
    sk: String,
    #[serde(flatten)]
    promotion: &'a Promotion,
}

impl Store {
    /// Creates or replaces a promotion; true when it did not exist before.
    pub async fn put_promotion(&self, promotion: &Promotion) -> Result<bool, Error> {
        let record = PromotionRecord {
            pk: keys::PROMOTIONS_PK,
            sk: keys::promotion_sk(&promotion.id),
            promotion,
        };
        self.put_reporting_new(&record, "promotion").await
    }

    pub async fn get_promotion(&self, id: &ClientId) -> Result<Option<Promotion>, Error> {
        self.get(keys::promotion(id), "promotion").await
    }

    /// Deletes a promotion; false when there was none.
    pub async fn delete_promotion(&self, id: &ClientId) -> Result<bool, Error> {
        let output = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::promotion(id)))
            .return_values(ReturnValue::AllOld)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity())
            .map_err(|e| storage_error("DeleteItem promotion", e))?;
        Ok(output.attributes.is_some())
    }

    /// Every promotion, enabled or not.
    pub async fn list_promotions(&self) -> Result<Vec<Promotion>, Error> {
        self.query_partition(keys::PROMOTIONS_PK, "promotions")
            .await
    }
}
