//! The store-wide settings: one item for the cart settings (read by most requests, so kept
//! small) and one for the abandoned-cart e-mail settings (read only by their own routes).
//! Both are changed read-modify-write: a write names the `revision` it read, so two admins
//! changing different fields at once both keep their change.

use super::errors::{Failure, classify, storage_error};
use super::keys;
use super::metrics::RecordCapacity;
use super::{Item, Store, to_item};
use crate::Error;
use crate::domain::abandoned_settings::AbandonedCartSettings;
use crate::domain::settings::{DEFAULT_EXPIRY_DAYS, Settings};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnConsumedCapacity};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// A settings value as read, with the revision a write must still find.
pub struct Revised<T> {
    pub value: T,
    pub revision: u64,
}

#[derive(Deserialize)]
struct Stored<T> {
    #[serde(flatten)]
    value: T,
    #[serde(default)]
    revision: u64,
}

#[derive(Serialize)]
struct Record<'a, T> {
    #[serde(rename = "PK")]
    pk: &'static str,
    #[serde(rename = "SK")]
    sk: &'static str,
    #[serde(flatten)]
    value: &'a T,
    revision: u64,
}

impl Store {
    /// The cart settings, or the defaults when none were ever saved.
    pub async fn get_settings(&self) -> Result<Settings, Error> {
        Ok(self.get_settings_revised().await?.value)
    }

    pub async fn get_settings_revised(&self) -> Result<Revised<Settings>, Error> {
        let read = self.get_revised(keys::settings(), "settings").await?;
        Ok(unset_old_default_expiry(read))
    }

    /// Saves the cart settings unless they changed since `read` (then `false`).
    pub async fn put_settings(&self, settings: &Settings, read: u64) -> Result<bool, Error> {
        self.put_revised(keys::SETTINGS_SK, settings, read).await
    }

    pub async fn get_abandoned_cart_settings(
        &self,
    ) -> Result<Revised<AbandonedCartSettings>, Error> {
        let key = keys::abandoned_cart_settings();
        self.get_revised(key, "abandoned-cart settings").await
    }

    /// Saves the abandoned-cart settings unless they changed since `read` (then `false`).
    pub async fn put_abandoned_cart_settings(
        &self,
        settings: &AbandonedCartSettings,
        read: u64,
    ) -> Result<bool, Error> {
        let sk = keys::ABANDONED_CART_SETTINGS_SK;
        self.put_revised(sk, settings, read).await
    }

    async fn get_revised<T: DeserializeOwned + Default>(
        &self,
        key: Item,
        what: &str,
    ) -> Result<Revised<T>, Error> {
        Ok(match self.get::<Stored<T>>(key, what).await? {
            Some(stored) => Revised {
                value: stored.value,
                revision: stored.revision,
            },
            None => Revised {
                value: T::default(),
                revision: 0,
            },
        })
    }

    async fn put_revised<T: Serialize>(
        &self,
        sk: &'static str,
        value: &T,
        read: u64,
    ) -> Result<bool, Error> {
        let record = Record {
            pk: keys::SETTINGS_PK,
            sk,
            value,
            revision: read + 1,
        };
        // Revision 0 is "never saved" (or saved before revisions were kept).
        let condition = if read == 0 {
            "attribute_not_exists(#revision)"
        } else {
            "#revision = :read"
        };
        let mut request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&record)?))
            .condition_expression(condition)
            .expression_attribute_names("#revision", "revision")
            .return_consumed_capacity(ReturnConsumedCapacity::Total);
        if read > 0 {
            request =
                request.expression_attribute_values(":read", AttributeValue::N(read.to_string()));
        }
        match request.send().await {
            Ok(output) => {
                output.record_capacity();
                Ok(true)
            }
            Err(e) if classify(&e) == Failure::Condition => Ok(false),
            Err(e) => Err(storage_error(&format!("PutItem {sk} settings"), e)),
        }
    }
}

/// Items saved before revisions existed always held `cart_expiry_days`, 7 by default: that
/// 7 is the old default, not a lifetime the store chose, so it reads as unset.
fn unset_old_default_expiry(mut read: Revised<Settings>) -> Revised<Settings> {
    if read.revision == 0 && read.value.cart_expiry_days == Some(DEFAULT_EXPIRY_DAYS) {
        read.value.cart_expiry_days = None;
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(days: Option<u32>, revision: u64) -> Option<u32> {
        let value = Settings {
            cart_expiry_days: days,
            ..Settings::default()
        };
        unset_old_default_expiry(Revised { value, revision })
            .value
            .cart_expiry_days
    }

    #[test]
    fn only_an_old_items_7_reads_as_unset() {
        assert_eq!(
            read(Some(7), 0),
            None,
            "saved before revisions: the old default"
        );
        assert_eq!(read(Some(14), 0), Some(14), "a lifetime the store chose");
        assert_eq!(read(Some(7), 3), Some(7), "set since revisions exist");
        assert_eq!(read(None, 0), None);
    }
}
