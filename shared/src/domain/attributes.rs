//! Custom attributes: a cart's (and later an order's) typed name/value pairs.

use super::values::{AttributeText, Integer};
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

/// The attribute map as a request gives it: at most 20 names, each `[A-Za-z0-9_]{1,64}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "BTreeMap<AttributeName, AttributeInput>")]
pub struct AttributesInput(BTreeMap<AttributeName, AttributeInput>);

impl TryFrom<BTreeMap<AttributeName, AttributeInput>> for AttributesInput {
    type Error = String;
    fn try_from(map: BTreeMap<AttributeName, AttributeInput>) -> Result<Self, String> {
        if map.len() > MAX_ATTRIBUTES {
            return Err(format!("must have at most {MAX_ATTRIBUTES} attributes"));
        }
        Ok(AttributesInput(map))
    }
}

impl AttributesInput {
    pub fn into_attributes(self) -> CustomAttributes {
        self.0
            .into_iter()
            .map(|(name, value)| (name.0, value.into()))
            .collect()
    }
}

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

/// One value as a request gives it; the value must match the declared type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(
    tag = "type",
    content = "value",
    rename_all = "lowercase",
    deny_unknown_fields
)]
pub enum AttributeInput {
    String(AttributeText),
    Integer(Integer),
    Float(StorableFloat),
    Boolean(bool),
}

impl From<AttributeInput> for CustomAttribute {
    fn from(input: AttributeInput) -> Self {
        match input {
            AttributeInput::String(s) => CustomAttribute::String(s.into_inner()),
            AttributeInput::Integer(n) => CustomAttribute::Integer(n.0),
            AttributeInput::Float(f) => CustomAttribute::Float(f.0),
            AttributeInput::Boolean(b) => CustomAttribute::Boolean(b),
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

    fn parse(value: serde_json::Value) -> Result<AttributesInput, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn values_must_match_their_type() {
        let ok = parse(json!({
            "membership": {"type": "string", "value": "VIP"},
            "visits": {"type": "integer", "value": 3},
            "score": {"type": "float", "value": 4},
            "gift": {"type": "boolean", "value": true}
        }))
        .unwrap()
        .into_attributes();
        assert_eq!(ok["score"], CustomAttribute::Float(4.0));
        assert_eq!(ok["visits"], CustomAttribute::Integer(3));

        assert!(parse(json!({"visits": {"type": "integer", "value": 1.5}})).is_err());
        let whole = parse(json!({"visits": {"type": "integer", "value": 3.0}})).unwrap();
        assert_eq!(
            whole.into_attributes()["visits"],
            CustomAttribute::Integer(3)
        );
        assert!(parse(json!({"gift": {"type": "boolean", "value": "yes"}})).is_err());
        assert!(parse(json!({"x": {"type": "date", "value": "2026-01-01"}})).is_err());
        assert!(parse(json!({"x": {"type": "string"}})).is_err());
        assert!(parse(json!({"x": {"type": "string", "value": "a", "extra": 1}})).is_err());
    }

    #[test]
    fn at_most_twenty_attributes_with_safe_names() {
        let many = |n: usize| {
            let map: serde_json::Map<_, _> = (0..n)
                .map(|i| (format!("a{i}"), json!({"type": "boolean", "value": true})))
                .collect();
            serde_json::Value::Object(map)
        };
        assert!(parse(many(20)).is_ok());
        assert!(parse(many(21)).unwrap_err().contains("at most 20"));
        assert!(parse(json!({"bad-name": {"type": "boolean", "value": true}})).is_err());
        assert!(parse(json!({"": {"type": "boolean", "value": true}})).is_err());
    }

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
