//! Postal addresses a checkout copies to its order (billing and shipping).

use super::values::Text;
use serde::{Deserialize, Serialize};

/// An address as the order keeps it. Built only from `AddressInput`, so every field has
/// been checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    pub line_1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    pub region: String,
    pub postcode: String,
    /// ISO 3166-1 alpha-2, upper case (`US`).
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Delivery instructions (a shipping address's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
}

/// Address text: 1-255 characters, no control characters.
pub type AddressLine = Text<1, 255>;

/// A country as ISO 3166-1 alpha-2: two upper-case letters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct CountryCode(String);

impl TryFrom<String> for CountryCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        if value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(CountryCode(value))
        } else {
            Err("must be an ISO 3166-1 alpha-2 country code, such as US".into())
        }
    }
}

/// A checked address, as a request gives it.
#[derive(Debug, Clone)]
pub struct AddressInput {
    pub first_name: AddressLine,
    pub last_name: AddressLine,
    pub company_name: Option<AddressLine>,
    pub line_1: AddressLine,
    pub line_2: Option<AddressLine>,
    pub city: Option<AddressLine>,
    pub county: Option<AddressLine>,
    pub region: AddressLine,
    pub postcode: Text<1, 32>,
    pub country: CountryCode,
    pub phone_number: Option<Text<1, 32>>,
    pub instructions: Option<Text<1, 500>>,
}

impl From<AddressInput> for Address {
    fn from(input: AddressInput) -> Address {
        let text = |t: Option<AddressLine>| t.map(Text::into_inner);
        Address {
            first_name: input.first_name.into_inner(),
            last_name: input.last_name.into_inner(),
            company_name: text(input.company_name),
            line_1: input.line_1.into_inner(),
            line_2: text(input.line_2),
            city: text(input.city),
            county: text(input.county),
            region: input.region.into_inner(),
            postcode: input.postcode.into_inner(),
            country: input.country.0,
            phone_number: input.phone_number.map(Text::into_inner),
            instructions: input.instructions.map(Text::into_inner),
        }
    }
}
