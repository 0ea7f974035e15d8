//! The store-wide settings: one item.

use super::errors::storage_error;
use super::keys;
use super::metrics::RecordCapacity;
use super::{Store, to_item};
use crate::Error;
use crate::domain::settings::Settings;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use serde::Serialize;

#[derive(Serialize)]
struct SettingsRecord<'a> {
    #[serde(rename = "PK")]
    pk: &'static str,
    #[serde(rename = "SK")]
    sk: &'static str,
    #[serde(flatten)]
    settings: &'a Settings,
}

impl Store {
    /// The settings, or the defaults when none were ever saved.
    pub async fn get_settings(&self) -> Result<Settings, Error> {
        Ok(self
            .get(keys::settings(), "settings")
            .await?
            .unwrap_or_default())
    }

    pub async fn put_settings(&self, settings: &Settings) -> Result<(), Error> {
        let record = SettingsRecord {
            pk: "SETTINGS",
            sk: "CART",
            settings,
        };
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&record)?))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(|output| output.record_capacity())
            .map_err(|e| storage_error("PutItem settings", e))?;
        Ok(())
    }
}
