//! Conditions on products inside a cart's transaction, for use cases that rely on what the
//! cart's lines kept of the catalog (`CatalogStamp`) instead of reading it first.

use super::Store;
use super::errors::build_error;
use super::keys;
use crate::Error;
use crate::domain::product::ProductGuard;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

impl Store {
    /// The product is as the lines took it (`updated_at`) and holds the guard's minimums.
    pub(crate) fn product_guard(&self, guard: &ProductGuard) -> Result<ConditionCheck, Error> {
        let mut conditions = vec!["#updated_at = :seen".to_owned()];
        let mut names = HashMap::from([("#updated_at".to_owned(), "updated_at".to_owned())]);
        let mut values = HashMap::from([(":seen".to_owned(), updated_at_value(guard.updated_at)?)]);
        for (i, (variant, quantity)) in guard.minimums.iter().enumerate() {
            names.insert("#stock".to_owned(), "stock".to_owned());
            let path = match variant {
                None => "#stock".to_owned(),
                Some((index, id)) => {
                    names.insert("#variants".to_owned(), "variants".to_owned());
                    names.insert("#id".to_owned(), "id".to_owned());
                    let id = serde_dynamo::to_attribute_value(id).map_err(|_| Error::internal())?;
                    values.insert(format!(":variant{i}"), id);
                    conditions.push(format!("#variants[{index}].#id = :variant{i}"));
                    format!("#variants[{index}].#stock")
                }
            };
            conditions.push(format!("{path} >= :minimum{i}"));
            values.insert(
                format!(":minimum{i}"),
                AttributeValue::N(quantity.to_string()),
            );
        }
        ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::product(&guard.product_id)))
            .condition_expression(conditions.join(" AND "))
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(build_error)
    }
}

/// A product's `updated_at` as the product item stores it.
pub(crate) fn updated_at_value(at: DateTime<Utc>) -> Result<AttributeValue, Error> {
    serde_dynamo::to_attribute_value(at).map_err(|_| Error::internal())
}
