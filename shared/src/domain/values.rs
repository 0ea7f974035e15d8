//! Validated value types for request bodies. Each rejects bad input while it is being
//! deserialized, so the error carries the path of the offending field. Messages start with
//! "must" so the http layer can prefix the field name ("quantity must be ...").

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A client-supplied id (product, variant, customer, channel, promotion): an integer or a
/// string of `[A-Za-z0-9_-]{1,64}`, returned exactly as given (an integer stays an integer).
/// `80` and `"80"` name the same thing.
#[derive(Debug, Clone, Eq)]
pub enum ClientId {
    Int(i64),
    Text(String),
}

pub const CLIENT_ID_RULE: &str =
    "must be an integer or a string of 1-64 characters A-Z a-z 0-9 _ -";

impl ClientId {
    /// Parses an id taken from a URL path (always text).
    pub fn parse(text: &str) -> Option<ClientId> {
        is_client_id(text).then(|| ClientId::Text(text.to_owned()))
    }

    /// The canonical text form, used in storage keys and comparisons.
    pub fn key(&self) -> Cow<'_, str> {
        match self {
            ClientId::Int(n) => Cow::Owned(n.to_string()),
            ClientId::Text(s) => Cow::Borrowed(s),
        }
    }
}

fn is_client_id(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl PartialEq for ClientId {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl std::hash::Hash for ClientId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state)
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

impl Serialize for ClientId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ClientId::Int(n) => serializer.serialize_i64(*n),
            ClientId::Text(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for ClientId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdVisitor {
            text: ClientId::parse,
            rule: CLIENT_ID_RULE,
        })
    }
}

/// Reads an id that is an integer or text, the text checked by `text`.
struct IdVisitor {
    text: fn(&str) -> Option<ClientId>,
    rule: &'static str,
}

impl Visitor<'_> for IdVisitor {
    type Value = ClientId;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer or a string id")
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<ClientId, E> {
        Ok(ClientId::Int(n))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<ClientId, E> {
        i64::try_from(n)
            .map(ClientId::Int)
            .map_err(|_| E::custom(self.rule))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<ClientId, E> {
        (self.text)(s).ok_or_else(|| E::custom(self.rule))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<ClientId, E> {
        whole(n)
            .map(ClientId::Int)
            .ok_or_else(|| E::custom(self.rule))
    }
}

/// A customer's id: an integer, or text of 1-255 characters with no control characters.
/// Wider than other ids so that any identity provider's subject is a customer id as it is
/// (`auth0|5f7c8ec7c33c6c004bbafe82`, `google-oauth2|1234`, an e-mail address): the JWT
/// claim is used verbatim, so two different subjects are always two different customers.
/// Like `ClientId`, `42` and `"42"` name the same customer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CustomerId(ClientId);

pub const CUSTOMER_ID_RULE: &str =
    "must be an integer or a string of 1-255 characters without control characters";

impl CustomerId {
    /// Text as it comes from a URL path or a token's claim; `None` when it breaks the rule.
    pub fn parse(text: &str) -> Option<CustomerId> {
        customer_text(text).map(CustomerId)
    }

    /// The canonical text form, used in storage keys and comparisons.
    pub fn key(&self) -> Cow<'_, str> {
        self.0.key()
    }
}

fn customer_text(text: &str) -> Option<ClientId> {
    let length = text.chars().count();
    ((1..=255).contains(&length) && !text.chars().any(char::is_control))
        .then(|| ClientId::Text(text.to_owned()))
}

impl From<ClientId> for CustomerId {
    fn from(id: ClientId) -> CustomerId {
        CustomerId(id)
    }
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for CustomerId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(IdVisitor {
                text: customer_text,
                rule: CUSTOMER_ID_RULE,
            })
            .map(CustomerId)
    }
}

/// Text of MIN..=MAX characters with no control characters ("safe characters").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Text<const MIN: usize, const MAX: usize>(String);

/// A cart's or item's name.
pub type Name = Text<1, 255>;
/// A cart's or item's description.
pub type Description = Text<0, 1000>;
/// A gift certificate's message (BigCommerce limits it to 200 characters).
pub type GiftMessage = Text<0, 200>;
/// A stock-keeping unit.
pub type Sku = Text<1, 255>;
/// A string custom attribute value.
pub type AttributeText = Text<0, 255>;

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    pub fn into_inner(self) -> String {
        self.0
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Text that may be empty is empty by default.
impl<const MAX: usize> Default for Text<0, MAX> {
    fn default() -> Self {
        Text(String::new())
    }
}

impl<const MIN: usize, const MAX: usize> TryFrom<String> for Text<MIN, MAX> {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        check_text(&value, MIN, MAX)?;
        Ok(Text(value))
    }
}

/// Checks length (in characters) and that no control character is present.
pub fn check_text(value: &str, min: usize, max: usize) -> Result<(), String> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(if min == 0 {
            format!("must be at most {max} characters")
        } else {
            format!("must be between {min} and {max} characters")
        });
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(())
}

/// An integer as a JSON body writes it: `2`, or `2.0` (JSON does not tell the two apart, and
/// JSON Schema calls both integers); `2.5` is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Integer(pub i64);

/// `n` as an i64 if it is a whole number a float spells exactly: at most 2^53 either way.
/// Past that, JSON text such as `-9223372036854775809` (an integer too large for i64, which
/// serde_json reads as a float) would round to a different, in-range number.
fn whole(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    (n.fract() == 0.0 && (-EXACT..=EXACT).contains(&n)).then_some(n as i64)
}

impl<'de> Deserialize<'de> for Integer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntegerVisitor;
        impl Visitor<'_> for IntegerVisitor {
            type Value = Integer;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Integer, E> {
                Ok(Integer(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Integer, E> {
                i64::try_from(n)
                    .map(Integer)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(n), &self))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Integer, E> {
                whole(n)
                    .map(Integer)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Float(n), &self))
            }
        }
        deserializer.deserialize_any(IntegerVisitor)
    }
}

/// An integer in MIN..=MAX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Integer")]
pub struct Bounded<const MIN: i64, const MAX: i64>(i64);

/// Largest quantity of one item in a cart.
pub const MAX_QUANTITY: i64 = 10_000;
/// Largest unit price in minor units (one billion major units). Keeps every total far from
/// overflow: 100 items x 10,000 x 10^11 = 10^17 < i64::MAX (9.2 x 10^18).
pub const MAX_UNIT_PRICE: i64 = 100_000_000_000;
/// Largest stock level a product or variant may track.
pub const MAX_STOCK: i64 = 1_000_000_000;

/// Quantity when adding an item.
pub type Quantity = Bounded<1, MAX_QUANTITY>;
/// Quantity when changing an item: 0 removes it.
pub type NewQuantity = Bounded<0, MAX_QUANTITY>;
/// A price in minor units.
pub type UnitPrice = Bounded<0, MAX_UNIT_PRICE>;
/// A tracked stock level.
pub type Stock = Bounded<0, MAX_STOCK>;

impl<const MIN: i64, const MAX: i64> Bounded<MIN, MAX> {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl<const MIN: i64, const MAX: i64> Bounded<MIN, MAX> {
    /// For values already known to be in range (tests, constants).
    pub fn new(value: i64) -> Result<Self, String> {
        Self::try_from(value)
    }
}

impl<const MIN: i64, const MAX: i64> TryFrom<Integer> for Bounded<MIN, MAX> {
    type Error = String;
    fn try_from(value: Integer) -> Result<Self, String> {
        Self::try_from(value.0)
    }
}

impl<const MIN: i64, const MAX: i64> TryFrom<i64> for Bounded<MIN, MAX> {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, String> {
        if (MIN..=MAX).contains(&value) {
            Ok(Bounded(value))
        } else {
            Err(format!("must be between {MIN} and {MAX}"))
        }
    }
}

/// A contact e-mail address: a plain `local@domain.tld`, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Email(String);

impl Email {
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        const RULE: &str =
            "must be an e-mail address like name@example.com (at most 254 characters)";
        let valid = value.chars().count() <= 254
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && match value.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid {
            Ok(Email(value))
        } else {
            Err(RULE.into())
        }
    }
}

/// A BCP 47 language tag such as `en` or `en-US` (letters, digits and hyphens).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Locale(String);

impl Locale {
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<String> for Locale {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        let mut parts = value.split('-');
        let language = parts.next().unwrap_or_default();
        let valid = value.len() <= 35
            && (2..=3).contains(&language.len())
            && language.bytes().all(|b| b.is_ascii_alphabetic())
            && parts.all(|p| {
                (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if valid {
            Ok(Locale(value))
        } else {
            Err("must be a language tag such as en or en-US".into())
        }
    }
}

/// The API's timestamp form: RFC 3339, UTC, milliseconds (fixed width, so it sorts as text).
/// Lower-case hex of `bytes` (digests in keys and fingerprints).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `text`, in hex.
pub fn sha256_hex(text: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(text))
}

pub fn timestamp(time: chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_ids_keep_their_json_type_and_compare_by_text() {
        let int: ClientId = serde_json::from_value(json!(80)).unwrap();
        let text: ClientId = serde_json::from_value(json!("80")).unwrap();
        assert_eq!(int, text);
        assert_eq!(serde_json::to_value(&int).unwrap(), json!(80));
        assert_eq!(serde_json::to_value(&text).unwrap(), json!("80"));
    }

    #[test]
    fn client_ids_reject_unsafe_text_and_floats() {
        for bad in [
            json!(""),
            json!("a b"),
            json!("x".repeat(65)),
            json!("é"),
            json!(1.5),
            json!(1e19),
            json!(null),
        ] {
            assert!(
                serde_json::from_value::<ClientId>(bad.clone()).is_err(),
                "{bad}"
            );
        }
        assert!(serde_json::from_value::<ClientId>(json!("A-z_09")).is_ok());
        assert!(serde_json::from_value::<ClientId>(json!(u64::MAX)).is_err());
    }

    #[test]
    fn customer_ids_take_any_subject_of_up_to_255_characters_verbatim() {
        for subject in [
            "auth0|mallory",
            "google-oauth2|123",
            " ana",
            "ana ",
            "é",
            "a@b.co",
        ] {
            let id = CustomerId::parse(subject).unwrap();
            assert_eq!(id.key(), subject);
            assert_eq!(serde_json::to_value(&id).unwrap(), json!(subject));
        }
        assert!(CustomerId::parse(&"é".repeat(255)).is_some());
        assert!(CustomerId::parse(&"é".repeat(256)).is_none());
        assert!(CustomerId::parse("").is_none());
        assert!(CustomerId::parse("a\nb").is_none());
        assert_ne!(CustomerId::parse("ana"), CustomerId::parse("ana "));
        let int: CustomerId = serde_json::from_value(json!(42)).unwrap();
        assert_eq!(int, CustomerId::parse("42").unwrap());
        assert_eq!(serde_json::to_value(&int).unwrap(), json!(42));
        assert!(serde_json::from_value::<CustomerId>(json!("x".repeat(256))).is_err());
    }

    #[test]
    fn text_counts_characters_and_refuses_control_characters() {
        assert!(Name::try_from("é".repeat(255)).is_ok());
        assert!(Name::try_from("é".repeat(256)).is_err());
        assert!(Name::try_from(String::new()).is_err());
        assert!(Description::try_from(String::new()).is_ok());
        assert_eq!(
            Name::try_from("a\u{0}b".to_string()).unwrap_err(),
            "must not contain control characters"
        );
        assert!(Name::try_from("tab\there".to_string()).is_err());
    }

    #[test]
    fn bounded_integers_check_both_edges() {
        assert!(Quantity::new(0).is_err());
        assert!(Quantity::new(1).is_ok());
        assert!(Quantity::new(10_000).is_ok());
        assert_eq!(
            Quantity::new(10_001).unwrap_err(),
            "must be between 1 and 10000"
        );
        assert!(NewQuantity::new(0).is_ok());
        assert!(UnitPrice::new(-1).is_err());
    }

    #[test]
    fn integers_may_be_written_with_a_zero_fraction() {
        let quantity = |value: serde_json::Value| serde_json::from_value::<Quantity>(value);
        assert_eq!(quantity(json!(2.0)).unwrap().get(), 2);
        assert!(quantity(json!(2.5)).is_err());
        assert!(quantity(json!("2")).is_err());
        assert_eq!(
            quantity(json!(0.0)).unwrap_err().to_string(),
            "must be between 1 and 10000"
        );
        let integer = |text: &str| serde_json::from_str::<Integer>(text);
        assert_eq!(integer("9007199254740992.0").unwrap(), Integer(1 << 53));
        assert_eq!(integer("-9007199254740992.0").unwrap(), Integer(-(1 << 53)));
        assert_eq!(integer("-9223372036854775808").unwrap(), Integer(i64::MIN));
        for text in [
            "9007199254740994.0",
            "-9223372036854775809",
            "9223372036854775808",
            "18446744073709551616",
            "1e300",
        ] {
            assert!(integer(text).is_err(), "{text}");
        }
        assert!(serde_json::from_str::<ClientId>("-9223372036854775809").is_err());

        let id: ClientId = serde_json::from_value(json!(80.0)).unwrap();
        assert_eq!(serde_json::to_value(&id).unwrap(), json!(80));
        assert!(serde_json::from_value::<ClientId>(json!(80.5)).is_err());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for good in ["a@b.co", "first.last+tag@example.com"] {
            assert!(Email::try_from(good.to_string()).is_ok(), "{good}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@@b.co", "a b@c.de", "a@b.co.", "a@.b.co",
        ] {
            assert!(Email::try_from(bad.to_string()).is_err(), "{bad}");
        }
        // At most 254 characters, however many bytes they take.
        let wide = format!("{}@example.com", "é".repeat(242));
        assert!(Email::try_from(wide.clone()).is_ok(), "254 characters");
        assert!(
            Email::try_from(format!("é{wide}")).is_err(),
            "255 characters"
        );
    }

    #[test]
    fn locales_are_language_tags() {
        for good in ["en", "en-US", "zh-Hant-TW", "fil"] {
            assert!(Locale::try_from(good.to_string()).is_ok(), "{good}");
        }
        for bad in ["", "e", "english", "en_US", "en-", "en-toolongsubtag"] {
            assert!(Locale::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }
}
