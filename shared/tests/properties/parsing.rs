//! Request parsing: `parse_json` for every request body type, fed arbitrary bytes,
//! arbitrary JSON, and valid bodies with parts changed, never panics; every refusal is
//! a 400 `malformed_json` (only for text that is not JSON) or `validation_failed`, and a
//! field's `source` names a place in the body: the field itself, or for a missing field the
//! object that lacks it. Valid bodies with one value at, just inside or just past a limit
//! are accepted or refused exactly at the limit, naming the field.

use crate::common::*;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value, json};
use trolley::domain::cart::{Cart, CartPatch, NewCart};
use trolley::domain::discounts::{CustomDiscountInput, MAX_DISCOUNT};
use trolley::domain::items::{AddItems, ItemUpdate};
use trolley::domain::merge::MergeInput;
use trolley::domain::order::CheckoutInput;
use trolley::domain::product::ProductInput;
use trolley::domain::promotion::PromotionInput;
use trolley::domain::settings::{Settings, SettingsInput};
use trolley::domain::values::{
    AttributeText, Bounded, ClientId, Description, MAX_UNIT_PRICE, Name, NewQuantity, Quantity,
    Sku, Stock, Text, UnitPrice,
};
use trolley::http::bodies::{NativeBody, PromotionCode};
use trolley::http::parse_json;
use trolley::{Error, ErrorKind};

/// The request body types, by name.
const TYPES: [&str; 11] = [
    "NewCart",
    "CartPatch",
    "AddItems",
    "ItemUpdate",
    "ProductInput",
    "PromotionInput",
    "SettingsInput",
    "CustomDiscountInput",
    "MergeInput",
    "CheckoutInput",
    "CodeInput",
];

fn outcome<T: NativeBody>(body: &[u8]) -> Result<(), Error> {
    parse_json::<T::Body>(body).map(drop)
}

/// Parses `body` as the named type: `Ok` or the error.
fn parse_as(type_name: &str, body: &[u8]) -> Result<(), Error> {
    match type_name {
        "NewCart" => outcome::<NewCart>(body),
        "CartPatch" => outcome::<CartPatch>(body),
        "AddItems" => outcome::<AddItems>(body),
        "ItemUpdate" => outcome::<ItemUpdate>(body),
        "ProductInput" => outcome::<ProductInput>(body),
        "PromotionInput" => outcome::<PromotionInput>(body),
        "SettingsInput" => outcome::<SettingsInput>(body),
        "CustomDiscountInput" => outcome::<CustomDiscountInput>(body),
        "MergeInput" => outcome::<MergeInput>(body),
        "CheckoutInput" => outcome::<CheckoutInput>(body),
        "CodeInput" => outcome::<PromotionCode>(body),
        other => panic!("unknown type {other}"),
    }
}

/// A valid body of each type, using every field.
fn sample(type_name: &str) -> Value {
    let custom_item = json!({"sku": "GIFT", "name": "Gift wrap", "description": "Red", "quantity": 1, "price": 350});
    let line_item = json!({"product_id": "lamp", "variant_id": 7, "quantity": 2});
    let attributes = json!({
        "tier": {"type": "string", "value": "VIP"}, "visits": {"type": "integer", "value": 3},
        "score": {"type": "float", "value": 4.5}, "gift": {"type": "boolean", "value": true}
    });
    match type_name {
        "NewCart" => json!({
            "name": "Sam's cart", "description": "For the office", "customer_id": 42,
            "channel_id": "web", "currency": {"code": "EUR"}, "locale": "en-US",
            "line_items": [line_item], "custom_items": [custom_item],
            "discount_settings": {"custom_discounts_enabled": true},
            "snapshot_date": "2027-01-01T00:00:00Z", "custom_attributes": attributes,
            "contact": {"email": "sam@example.com"}
        }),
        "CartPatch" => json!({
            "name": "New name", "description": null, "customer_id": "c-1", "contact": null,
            "discount_settings": {"custom_discounts_enabled": false},
            "custom_attributes": attributes, "snapshot_date": null
        }),
        "AddItems" => json!({"line_items": [line_item, {"product_id": 3, "quantity": 10000}],
            "custom_items": [custom_item], "add_all_or_nothing": false}),
        "ItemUpdate" => json!({"quantity": 0}),
        "ProductInput" => json!({
            "name": "Desk lamp", "sku": "LAMP-1", "prices": [{"currency": "USD", "amount": 4500}],
            "stock": 12, "variants": [{"id": "brass", "sku": "LAMP-1-B",
                "prices": [{"currency": "USD", "amount": 5200}], "stock": 3}]
        }),
        "PromotionInput" => json!({
            "name": "Ten off", "kind": "percent_off", "value": 10,
            "applies_to": {"product_id": "lamp"}, "code": "save10", "currency": "USD",
            "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z",
            "condition": {"custom_attribute": {"name": "tier", "value": "VIP"}},
            "max_uses_per_shopper": 1, "enabled": true
        }),
        "SettingsInput" => json!({"cart_expiry_days": 30, "abandoned_after_minutes": 60,
            "custom_discounts_enabled": true, "default_currency": "EUR"}),
        "CustomDiscountInput" => json!({"amount": 500, "description": "Loyalty",
            "discount_code": "LOYAL5", "item_id": "85560ea0-cdc9-4f04-8e0e-efb8a3b73d65"}),
        "MergeInput" => json!({"source_cart_id": "9ab43a43-b94e-4178-b339-fc1cc067a2fb",
            "strategy": "max"}),
        "CheckoutInput" => json!({"customer": {"id": "c-1"}}),
        "CodeInput" => json!({"code": "save10"}),
        other => panic!("unknown type {other}"),
    }
}

/// Every field name the bodies use, so arbitrary objects often hit real fields.
const FIELDS: &[&str] = &[
    "name",
    "description",
    "customer_id",
    "channel_id",
    "currency",
    "code",
    "locale",
    "line_items",
    "custom_items",
    "product_id",
    "variant_id",
    "quantity",
    "sku",
    "price",
    "discount_settings",
    "custom_discounts_enabled",
    "snapshot_date",
    "custom_attributes",
    "contact",
    "email",
    "type",
    "value",
    "add_all_or_nothing",
    "prices",
    "amount",
    "stock",
    "variants",
    "id",
    "kind",
    "applies_to",
    "starts_at",
    "ends_at",
    "condition",
    "custom_attribute",
    "max_uses_per_shopper",
    "enabled",
    "cart_expiry_days",
    "abandoned_after_minutes",
    "default_currency",
    "discount_code",
    "item_id",
    "source_cart_id",
    "strategy",
    "customer",
];

/// Object keys: field names, names that end like one (`my_value`), and anything.
fn key() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(FIELDS).prop_map(str::to_string),
        1 => (select(vec!["x", "my_", "a.", "`"]), select(FIELDS)).prop_map(|(a, b)| format!("{a}{b}")),
        1 => ".{0,6}",
        1 => "[a-z_.\\[\\]0-9]{0,6}",
    ]
    .boxed()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        select(vec![
            "",
            "USD",
            "EUR",
            "XXX",
            "lamp",
            "sum",
            "max",
            "replace",
            "percent_off",
            "amount_off",
            "string",
            "integer",
            "float",
            "boolean",
            "2026-01-01T00:00:00Z",
            "2027-01-01T00:00:00Z",
            "not a date",
            "9ab43a43-b94e-4178-b339-fc1cc067a2fb",
            "a@b.co",
            "en-US",
            "é",
            "a\u{0}b",
            "\u{1F6D2}",
            "42",
        ])
        .prop_map(str::to_string),
        any::<String>(),
        "[a-zA-Z0-9_-]{0,70}",
    ]
    .boxed()
}

fn number() -> BoxedStrategy<Value> {
    let edges = vec![
        0i64,
        -1,
        1,
        4,
        5,
        100,
        101,
        365,
        366,
        10_000,
        10_001,
        MAX_UNIT_PRICE,
        MAX_UNIT_PRICE + 1,
        i64::MIN,
        i64::MAX,
    ];
    prop_oneof![
        select(edges).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        select(vec![0.5, -0.0, 1.0, 1e300, 1e-300, 3.0]).prop_map(Value::from),
    ]
    .boxed()
}

/// Any JSON value, with keys and strings the bodies use.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

/// One change to a valid body.
#[derive(Debug, Clone)]
enum Change {
    Replace(Index, Value),
    Remove(Index),
    Insert(Index, String, Value),
}

fn change() -> BoxedStrategy<Change> {
    prop_oneof![
        3 => (any::<Index>(), json_value()).prop_map(|(i, v)| Change::Replace(i, v)),
        1 => any::<Index>().prop_map(Change::Remove),
        1 => (any::<Index>(), key(), json_value()).prop_map(|(i, k, v)| Change::Insert(i, k, v)),
    ]
    .boxed()
}

/// JSON pointers to every value inside `value`, the root first.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

fn apply(body: &mut Value, change: &Change) {
    let mut all = Vec::new();
    pointers(body, String::new(), &mut all);
    match change {
        Change::Replace(i, v) => *body.pointer_mut(i.get(&all).as_str()).unwrap() = v.clone(),
        Change::Remove(i) => {
            let at = i.get(&all);
            if let Some((parent, last)) = at.rsplit_once('/') {
                let last = last.replace("~1", "/").replace("~0", "~");
                match body.pointer_mut(parent).unwrap() {
                    Value::Object(map) => {
                        map.remove(&last);
                    }
                    Value::Array(items) => {
                        items.remove(last.parse::<usize>().unwrap());
                    }
                    _ => unreachable!(),
                }
            }
        }
        Change::Insert(i, k, v) => match body.pointer_mut(i.get(&all).as_str()).unwrap() {
            Value::Object(map) => {
                map.insert(k.clone(), v.clone());
            }
            Value::Array(items) => items.push(v.clone()),
            other => *other = v.clone(),
        },
    }
}

/// Checks one refusal of a body that is valid JSON (`input`).
fn check_refusal(type_name: &str, input: &Value, err: &Error) -> Result<(), TestCaseError> {
    prop_assert_eq!(err.kind(), ErrorKind::BadRequest, "{}: {}", type_name, err);
    prop_assert_eq!(err.problems.len(), 1);
    let problem = &err.problems[0];
    prop_assert_eq!(
        problem.code,
        "validation_failed",
        "{}: valid JSON called {}",
        type_name,
        err
    );
    prop_assert!(!problem.detail.is_empty());
    // Details speak JSON, not Rust.
    for rust in [
        "struct ", "enum ", "i64", "u64", "u32", "f64", "Vec<", "Option<", "Text<",
    ] {
        prop_assert!(
            !problem.detail.contains(rust),
            "{}: {:?} names a Rust type ({})",
            type_name,
            problem.detail,
            input
        );
    }
    let Some(source) = &problem.source else {
        return Ok(());
    };
    prop_assert!(!source.is_empty(), "{type_name}: an empty source");
    let mut found = Vec::new();
    resolve(input, source, true, &mut found);
    if let Some(field) = problem.detail.strip_suffix(" is required") {
        // A missing field: the source is the field, inside an object that lacks it.
        let parent = source
            .strip_suffix(field)
            .map(|p| p.strip_suffix('.').unwrap_or(p));
        prop_assert!(
            parent.is_some(),
            "{type_name}: {source:?} does not end in {field:?}"
        );
        let parent = parent.unwrap();
        let mut parents = Vec::new();
        resolve(input, parent, true, &mut parents);
        prop_assert!(
            parents
                .iter()
                .any(|p| p.as_object().is_some_and(|m| !m.contains_key(field))),
            "{}: {:?} is not an object lacking {:?} in {}",
            type_name,
            parent,
            field,
            input
        );
    } else {
        prop_assert!(
            !found.is_empty(),
            "{}: source {:?} names nothing in {} ({})",
            type_name,
            source,
            input,
            err
        );
    }
    if let Some(field) = problem.detail.strip_suffix(" is not a known field") {
        // The unknown field itself, inside an object that has it.
        let parent = source
            .strip_suffix(field)
            .map(|p| p.strip_suffix('.').unwrap_or(p));
        prop_assert!(
            parent.is_some(),
            "{type_name}: {source:?} does not end in {field:?}"
        );
        let mut parents = Vec::new();
        resolve(input, parent.unwrap(), true, &mut parents);
        prop_assert!(
            parents
                .iter()
                .any(|p| p.as_object().is_some_and(|m| m.contains_key(field))),
            "{}: {:?} does not hold {:?} in {}",
            type_name,
            source,
            field,
            input
        );
    }
    Ok(())
}

/// Parses valid JSON as every type; each either parses or is refused properly.
fn check_json(input: &Value) -> Result<(), TestCaseError> {
    let body = serde_json::to_vec(input).unwrap();
    for type_name in TYPES {
        match parse_as(type_name, &body) {
            Err(err) => check_refusal(type_name, input, &err)?,
            Ok(()) => check_rules(type_name, input)?,
        }
    }
    Ok(())
}

/// The rules a parsed body meets next (across fields, or against a new cart): never a
/// panic, and a refusal is a 400 that names a field of the body, or one it should have.
fn check_rules(type_name: &str, input: &Value) -> Result<(), TestCaseError> {
    let cart = || new_cart(&json!({}));
    let result = match type_name {
        "NewCart" => {
            let new: NewCart = parse_valid(input);
            Cart::new(&new, &Settings::default(), now()).map(drop)
        }
        "CartPatch" => cart().apply_patch(parse_valid(input), now()),
        "AddItems" => parse_valid::<AddItems>(input).check_not_empty(),
        "ProductInput" => parse_valid::<ProductInput>(input)
            .into_product(ClientId::Int(1), now())
            .map(drop),
        "PromotionInput" => parse_valid::<PromotionInput>(input)
            .into_promotion(ClientId::Int(1), now())
            .map(drop),
        _ => Ok(()),
    };
    let Err(err) = result else {
        return Ok(());
    };
    prop_assert_eq!(err.kind(), ErrorKind::BadRequest, "{}: {}", type_name, err);
    prop_assert!(
        matches!(
            err.code().name(),
            "validation_failed" | "preview_cart" | "contact_on_customer_cart"
        ),
        "{type_name}: {err}"
    );
    for problem in &err.problems {
        let Some(source) = &problem.source else {
            continue;
        };
        let mut found = Vec::new();
        resolve(input, source, true, &mut found);
        let parent = source.rsplit_once('.').map_or("", |(parent, _)| parent);
        let mut parents = Vec::new();
        resolve(input, parent, true, &mut parents);
        prop_assert!(
            !found.is_empty() || parents.iter().any(|p| p.is_object()),
            "{}: {:?} names nothing in {} ({})",
            type_name,
            source,
            input,
            err
        );
    }
    Ok(())
}

/// Parses any bytes as every type; each either parses or is a 400 with one of the two codes.
fn check_bytes(body: &[u8]) -> Result<(), TestCaseError> {
    // A blank body means `{}`.
    let json: Option<Value> = if body.iter().all(u8::is_ascii_whitespace) {
        Some(json!({}))
    } else {
        serde_json::from_slice(body).ok()
    };
    for type_name in TYPES {
        if let Err(err) = parse_as(type_name, body) {
            prop_assert_eq!(err.kind(), ErrorKind::BadRequest, "{}: {}", type_name, err);
            prop_assert!(
                matches!(err.code().name(), "malformed_json" | "validation_failed"),
                "{type_name}: {err}"
            );
            match &json {
                Some(value) => check_refusal(type_name, value, &err)?,
                None => prop_assert_eq!(err.code(), "malformed_json", "{}: {}", type_name, err),
            }
        }
    }
    Ok(())
}

/// One byte-level edit to a body's text.
fn edit_bytes(mut body: Vec<u8>, edits: &[(Index, u8, u8)]) -> Vec<u8> {
    for (at, byte, what) in edits {
        let i = at.index(body.len() + 1);
        match what % 3 {
            0 if i < body.len() => body[i] = *byte,
            1 if i < body.len() => {
                body.remove(i);
            }
            _ => body.insert(i, *byte),
        }
    }
    body
}

#[test]
fn the_samples_are_valid() {
    for type_name in TYPES {
        let body = serde_json::to_vec(&sample(type_name)).unwrap();
        parse_as(type_name, &body).unwrap_or_else(|e| panic!("{type_name}: {e}"));
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_json_is_parsed_or_refused_with_a_true_source(input in json_value()) {
        check_json(&input)?;
    }

    #[test]
    fn arbitrary_objects_with_real_field_names_too(
        entries in prop::collection::vec((key(), json_value()), 0..8),
    ) {
        check_json(&Value::Object(entries.into_iter().collect()))?;
    }

    #[test]
    fn valid_bodies_with_changes_are_parsed_or_refused_with_a_true_source(
        type_name in select(TYPES.to_vec()),
        changes in prop::collection::vec(change(), 1..4),
    ) {
        let mut input = sample(type_name);
        for change in &changes {
            apply(&mut input, change);
        }
        let body = serde_json::to_vec(&input).unwrap();
        if let Err(err) = parse_as(type_name, &body) {
            check_refusal(type_name, &input, &err)?;
        }
        check_json(&input)?;
    }

    #[test]
    fn arbitrary_bytes_are_refused_as_malformed_or_invalid(
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        check_bytes(&body)?;
    }

    #[test]
    fn valid_bodies_with_bytes_changed_are_refused_properly(
        type_name in select(TYPES.to_vec()),
        edits in prop::collection::vec((any::<Index>(), any::<u8>(), any::<u8>()), 1..4),
    ) {
        let body = serde_json::to_vec(&sample(type_name)).unwrap();
        check_bytes(&edit_bytes(body, &edits))?;
    }
}

// ---- Values at the limits ------------------------------------------------------------

/// The custom item description's limit (`CustomItemInput::description`).
type CustomItemDescription = Description;
/// Codes and discount codes (`CodeInput::code`, `CustomDiscountInput::discount_code`).
type Code = Text<1, 64>;

/// A field with a limit: the body type, a valid body, where the field is (a JSON pointer),
/// and its bounds.
struct Limited {
    type_name: &'static str,
    body: Value,
    pointer: &'static str,
    min: i128,
    max: i128,
}

fn limited<L: Limits>(type_name: &'static str, body: Value, pointer: &'static str) -> Limited {
    Limited {
        type_name,
        body,
        pointer,
        min: L::MIN,
        max: L::MAX,
    }
}

/// `line_items[0].quantity` for `/line_items/0/quantity`.
fn source_of(pointer: &str) -> String {
    let mut source = String::new();
    for part in pointer.split('/').skip(1) {
        if part.parse::<usize>().is_ok() {
            source.push_str(&format!("[{part}]"));
        } else {
            if !source.is_empty() {
                source.push('.');
            }
            source.push_str(part);
        }
    }
    source
}

fn integer_fields() -> Vec<Limited> {
    let discount = json!({"amount": 1, "description": "d", "discount_code": "c"});
    let promotion = json!({"name": "P", "kind": "amount_off", "value": 1,
        "starts_at": "2026-01-01T00:00:00Z", "max_uses_per_shopper": 1});
    let product = sample("ProductInput");
    vec![
        limited::<Quantity>("AddItems", sample("AddItems"), "/line_items/0/quantity"),
        limited::<Quantity>("AddItems", sample("AddItems"), "/custom_items/0/quantity"),
        limited::<UnitPrice>("AddItems", sample("AddItems"), "/custom_items/0/price"),
        limited::<Quantity>("NewCart", sample("NewCart"), "/line_items/0/quantity"),
        limited::<Quantity>("NewCart", sample("NewCart"), "/custom_items/0/quantity"),
        limited::<UnitPrice>("NewCart", sample("NewCart"), "/custom_items/0/price"),
        limited::<NewQuantity>("ItemUpdate", sample("ItemUpdate"), "/quantity"),
        limited::<UnitPrice>("ProductInput", product.clone(), "/prices/0/amount"),
        limited::<UnitPrice>(
            "ProductInput",
            product.clone(),
            "/variants/0/prices/0/amount",
        ),
        limited::<Stock>("ProductInput", product.clone(), "/stock"),
        limited::<Stock>("ProductInput", product, "/variants/0/stock"),
        limited::<Bounded<1, MAX_UNIT_PRICE>>("PromotionInput", promotion.clone(), "/value"),
        limited::<Bounded<1, 1_000_000>>("PromotionInput", promotion, "/max_uses_per_shopper"),
        limited::<Bounded<1, 365>>("SettingsInput", json!({}), "/cart_expiry_days"),
        limited::<Bounded<5, 43_200>>("SettingsInput", json!({}), "/abandoned_after_minutes"),
        limited::<Bounded<1, MAX_DISCOUNT>>("CustomDiscountInput", discount, "/amount"),
    ]
}

fn text_fields() -> Vec<Limited> {
    let discount = json!({"amount": 1, "description": "d", "discount_code": "c"});
    let product = sample("ProductInput");
    vec![
        limited::<Name>("NewCart", sample("NewCart"), "/name"),
        limited::<Description>("NewCart", sample("NewCart"), "/description"),
        limited::<Name>("CartPatch", sample("CartPatch"), "/name"),
        limited::<Description>("CartPatch", sample("CartPatch"), "/description"),
        limited::<AttributeText>(
            "NewCart",
            sample("NewCart"),
            "/custom_attributes/tier/value",
        ),
        limited::<AttributeText>(
            "CartPatch",
            sample("CartPatch"),
            "/custom_attributes/tier/value",
        ),
        limited::<Sku>("AddItems", sample("AddItems"), "/custom_items/0/sku"),
        limited::<Name>("AddItems", sample("AddItems"), "/custom_items/0/name"),
        limited::<CustomItemDescription>(
            "AddItems",
            sample("AddItems"),
            "/custom_items/0/description",
        ),
        limited::<Sku>("NewCart", sample("NewCart"), "/custom_items/0/sku"),
        limited::<Name>("NewCart", sample("NewCart"), "/custom_items/0/name"),
        limited::<CustomItemDescription>(
            "NewCart",
            sample("NewCart"),
            "/custom_items/0/description",
        ),
        limited::<Name>("ProductInput", product.clone(), "/name"),
        limited::<Sku>("ProductInput", product.clone(), "/sku"),
        limited::<Sku>("ProductInput", product, "/variants/0/sku"),
        limited::<Name>("PromotionInput", sample("PromotionInput"), "/name"),
        limited::<AttributeText>(
            "PromotionInput",
            sample("PromotionInput"),
            "/condition/custom_attribute/value",
        ),
        limited::<Name>("CustomDiscountInput", discount.clone(), "/description"),
        limited::<Code>("CustomDiscountInput", discount, "/discount_code"),
        limited::<Code>("CodeInput", sample("CodeInput"), "/code"),
    ]
}

/// Sets the field (creating it in an object if absent) and parses the body.
fn try_value(field: &Limited, value: Value) -> (Value, Result<(), Error>) {
    let mut body = field.body.clone();
    let (parent, name) = field.pointer.rsplit_once('/').unwrap();
    body.pointer_mut(parent).unwrap()[name] = value;
    let result = parse_as(field.type_name, &serde_json::to_vec(&body).unwrap());
    (body, result)
}

/// Accepted exactly when `valid`; refused naming the field.
fn check_edge(field: &Limited, value: Value, valid: bool) -> Result<(), TestCaseError> {
    let (body, result) = try_value(field, value);
    match result {
        Ok(()) => prop_assert!(valid, "{} accepted {}", field.type_name, body),
        Err(err) => {
            prop_assert!(!valid, "{} refused {}: {}", field.type_name, body, err);
            prop_assert_eq!(err.code(), "validation_failed");
            let source = source_of(field.pointer);
            prop_assert_eq!(
                err.problems[0].source.as_deref(),
                Some(source.as_str()),
                "{}",
                err
            );
        }
    }
    Ok(())
}

/// Offsets from a limit.
fn near() -> BoxedStrategy<i128> {
    prop_oneof![4 => -2i128..=2, 1 => -1_000_000i128..=1_000_000].boxed()
}

/// Characters of 1 to 4 bytes, a combining mark and a zero-width joiner: all count as one.
const CHARS: &[char] = &[
    'a',
    'Z',
    '7',
    ' ',
    'é',
    '中',
    '\u{1F6D2}',
    '\u{0301}',
    '\u{200D}',
];
/// Control characters, never allowed.
const CONTROLS: &[char] = &[
    '\u{0}', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
];

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn integers_are_accepted_exactly_within_their_limits(
        field in any::<Index>(),
        at_max in any::<bool>(),
        offset in near(),
        wide in any::<i64>(),
        use_wide in prop::bool::weighted(0.1),
    ) {
        let fields = integer_fields();
        let field = field.get(&fields);
        let edge = if at_max { field.max } else { field.min };
        let value = if use_wide { i128::from(wide) } else { edge + offset };
        let valid = (field.min..=field.max).contains(&value);
        // Past i64 JSON still has integers; they are refused like any other out of range.
        let json = match (i64::try_from(value), u64::try_from(value)) {
            (Ok(n), _) => json!(n),
            (_, Ok(n)) => json!(n),
            _ => return Ok(()),
        };
        check_edge(field, json, valid)?;
        // The same number as a float is never an integer.
        if let Ok(n) = i32::try_from(value) {
            check_edge(field, json!(f64::from(n) + 0.5), false)?;
        }
    }

    #[test]
    fn texts_are_accepted_exactly_within_their_limits(
        field in any::<Index>(),
        at_max in any::<bool>(),
        offset in -2i128..=2,
        chars in prop::collection::vec(select(CHARS), 1..8),
        control in prop::option::weighted(0.25, (select(CONTROLS), any::<Index>())),
    ) {
        let fields = text_fields();
        let field = field.get(&fields);
        let edge = if at_max { field.max } else { field.min };
        let Ok(len) = usize::try_from(edge + offset) else {
            return Ok(());
        };
        let mut text: Vec<char> = chars.iter().cycle().take(len).copied().collect();
        if let (Some((c, at)), false) = (control, text.is_empty()) {
            let i = at.index(text.len());
            text[i] = c;
        }
        let valid = (field.min..=field.max).contains(&(len as i128))
            && !text.iter().any(|c| c.is_control());
        check_edge(field, json!(text.into_iter().collect::<String>()), valid)?;
    }
}

#[test]
fn percentages_stop_at_one_hundred() {
    let promotion = |value: i64| {
        let body = json!({"name": "P", "kind": "percent_off", "value": value,
            "starts_at": "2026-01-01T00:00:00Z"});
        let input: PromotionInput = parse(&body).unwrap();
        input.into_promotion(trolley::domain::values::ClientId::Int(1), now())
    };
    assert!(promotion(1).is_ok());
    assert!(promotion(100).is_ok());
    let err = promotion(101).unwrap_err();
    assert_eq!(
        (err.code().name(), err.problems[0].source.as_deref()),
        ("validation_failed", Some("value"))
    );
}
