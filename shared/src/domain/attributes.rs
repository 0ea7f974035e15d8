//! Custom attributes: a cart's (and later an order's) typed name/value pairs.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_ATTRIBUTES: usize = 20;

/// A stored attribute value, `{"type":"integer","value":3}` on the wire and in the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum CustomAttribute {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
}

pub type CustomAttributes = BTreeMap<String, CustomAttribute>;

/// An attribute's name: 1-64 characters `[A-Za-z0-9_]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct AttributeName(String);

impl AttributeName {
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<String> for AttributeName {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        let valid = (1..=64).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if valid {
            Ok(AttributeName(name))
        } else {
            Err(format!(
                "must be 1-64 characters A-Z a-z 0-9 _ (got {name:?})"
            ))
        }
    }
}

/// A float DynamoDB can store: zero, or a magnitude between 1e-130 and 1e125.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "f64")]
pub struct StorableFloat(f64);

impl StorableFloat {
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for StorableFloat {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        let magnitude = value.abs();
        if value == 0.0 || (1e-130..=1e125).contains(&magnitude) {
            Ok(StorableFloat(value))
        } else {
            Err("must be 0 or have a magnitude between 1e-130 and 1e125".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_must_fit_dynamodb_numbers() {
        assert!(StorableFloat::try_from(1e125).is_ok());
        assert!(StorableFloat::try_from(-1e-130).is_ok());
        assert!(StorableFloat::try_from(0.0).is_ok());
        assert!(StorableFloat::try_from(1e126).is_err());
        assert!(StorableFloat::try_from(1e-131).is_err());
        // The bounds hold as JSON text too: parsing is exact (serde_json's float_roundtrip).
        for text in ["1e-130", "-1e-130", "1e125", "-1e125"] {
            assert!(
                serde_json::from_str::<StorableFloat>(text).is_ok(),
                "{text}"
            );
        }
        assert!(serde_json::from_str::<StorableFloat>("9.9e-131").is_err());
    }

    #[test]
    fn stored_form_round_trips() {
        let value = CustomAttribute::String("VIP".into());
        let json = serde_json::to_value(&value).unwrap();
        assert_eq!(json, json!({"type": "string", "value": "VIP"}));
        assert_eq!(
            serde_json::from_value::<CustomAttribute>(json).unwrap(),
            value
        );
    }
}
