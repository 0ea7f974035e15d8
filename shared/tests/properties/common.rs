//! What the properties share: the run configuration, a fixed clock, edge-biased numbers,
//! and generators for catalogs, promotions and carts built through the public API (request
//! bodies parsed with `parse_json`, then the domain's constructors), so every generated
//! value is one the API could really hold.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;
use serde_json::{Value, json};
use trolley::domain::cart::{Cart, NewCart};
use trolley::domain::product::{Catalog, Product, ProductInput};
use trolley::domain::promotion::{Promotion, PromotionInput};
use trolley::domain::settings::Settings;
use trolley::domain::values::{Bounded, ClientId, MAX_QUANTITY, MAX_STOCK, MAX_UNIT_PRICE, Text};
use trolley::http::bodies::NativeBody;
use trolley::http::parse_json;
use trolley::{Error, ErrorKind};

/// `cases` per property unless `PROPTEST_CASES` says otherwise (every other `PROPTEST_*`
/// variable works as proptest documents it). Failures are not written to files: a shrunk
/// failure becomes a unit test next to the code.
pub fn config(cases: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config.failure_persistence = None;
    config
}

/// The clock every property runs at.
pub fn now() -> DateTime<Utc> {
    "2026-11-22T12:00:00Z".parse().unwrap()
}

/// Parses a request body exactly as a function does.
pub fn parse<T: NativeBody>(body: &Value) -> Result<T, Error> {
    parse_json::<T::Body>(&serde_json::to_vec(body).unwrap()).map(Into::into)
}

/// Parses a body the generators made valid; a refusal is a bug in the generator.
pub fn parse_valid<T: NativeBody>(body: &Value) -> T {
    parse(body).unwrap_or_else(|e| panic!("generated body refused: {e}\n{body}"))
}

/// Whether an error is one a client caused (4xx): every refusal must be.
pub fn is_client_error(kind: ErrorKind) -> bool {
    !matches!(kind, ErrorKind::Unavailable | ErrorKind::Internal)
}

/// The bounds of a validated text or integer type, read from the type itself so a changed
/// limit changes the properties too.
pub trait Limits {
    const MIN: i128;
    const MAX: i128;
}

impl<const MIN: usize, const MAX: usize> Limits for Text<MIN, MAX> {
    const MIN: i128 = MIN as i128;
    const MAX: i128 = MAX as i128;
}

impl<const MIN: i64, const MAX: i64> Limits for Bounded<MIN, MAX> {
    const MIN: i128 = MIN as i128;
    const MAX: i128 = MAX as i128;
}

/// An integer in `min..=max`, mostly small, often at the edges.
pub fn edgy(min: i64, max: i64) -> impl Strategy<Value = i64> + Clone {
    let small_max = max.min(min.saturating_add(5));
    prop_oneof![
        4 => min..=small_max,
        2 => select(vec![min, min.saturating_add(1).min(max), max.saturating_sub(1).max(min), max]),
        1 => min..=max,
    ]
}

pub fn quantity() -> impl Strategy<Value = i64> + Clone {
    edgy(1, MAX_QUANTITY)
}

pub fn unit_price() -> impl Strategy<Value = i64> + Clone {
    prop_oneof![3 => 0..=10_000i64, 1 => edgy(0, MAX_UNIT_PRICE)]
}

/// Currencies with 2, 0 and 3 decimals.
pub const CURRENCIES: [&str; 4] = ["USD", "EUR", "JPY", "KWD"];

/// Product ids the catalog may hold; `2` is an integer id.
pub fn catalog_ids() -> [Value; 4] {
    [json!("p0"), json!("p1"), json!(2), json!("p3")]
}

/// Product ids items and promotions name: the catalog's, `"2"` (the same product as `2`),
/// and one no catalog has.
pub fn product_refs() -> Vec<Value> {
    vec![
        json!("p0"),
        json!("p1"),
        json!(2),
        json!("2"),
        json!("p3"),
        json!("gone"),
    ]
}

/// Variant ids products may have, and the ones items name (`"1"` is the variant `1`).
pub fn variant_refs() -> Vec<Option<Value>> {
    vec![
        None,
        None,
        Some(json!("v0")),
        Some(json!(1)),
        Some(json!("1")),
        Some(json!("vx")),
    ]
}

pub fn client_id(value: &Value) -> ClientId {
    serde_json::from_value(value.clone()).unwrap()
}

/// A price list: some of `CURRENCIES`, at least one when `non_empty`.
fn prices(non_empty: bool) -> BoxedStrategy<Vec<Value>> {
    (
        prop::option::weighted(0.9, unit_price()),
        prop::array::uniform3(prop::option::weighted(0.5, unit_price())),
    )
        .prop_map(move |(usd, others)| {
            let amounts = [usd, others[0], others[1], others[2]];
            let mut list: Vec<Value> = CURRENCIES
                .iter()
                .zip(amounts)
                .filter_map(|(c, a)| a.map(|a| json!({"currency": c, "amount": a})))
                .collect();
            if non_empty && list.is_empty() {
                list.push(json!({"currency": "USD", "amount": 100}));
            }
            list
        })
        .boxed()
}

fn stock() -> BoxedStrategy<Option<i64>> {
    prop::option::weighted(0.4, prop_oneof![4 => 0..=6i64, 1 => edgy(0, MAX_STOCK)]).boxed()
}

/// A `PUT /products/{id}` body.
fn product_body() -> BoxedStrategy<Value> {
    let variant = (
        any::<bool>(),
        prop::option::weighted(0.5, prices(false)),
        stock(),
    );
    (prices(true), stock(), prop::collection::vec(variant, 0..=2))
        .prop_map(|(prices, stock, variants)| {
            let variants: Vec<Value> = variants
                .into_iter()
                .enumerate()
                .map(|(i, (int_id, prices, stock))| {
                    // Ids `v0` or `1`, never twice.
                    let id = if i == 0 && !int_id {
                        json!("v0")
                    } else {
                        json!(i)
                    };
                    let mut v = json!({"id": id, "sku": format!("V-{i}")});
                    if let Some(prices) = prices {
                        v["prices"] = json!(prices);
                    }
                    if let Some(stock) = stock {
                        v["stock"] = json!(stock);
                    }
                    v
                })
                .collect();
            let mut body =
                json!({"name": "Lamp", "sku": "LAMP", "prices": prices, "variants": variants});
            if let Some(stock) = stock {
                body["stock"] = json!(stock);
            }
            body
        })
        .boxed()
}

/// A catalog holding some of `catalog_ids`.
pub fn catalog() -> BoxedStrategy<Catalog> {
    prop::array::uniform4(prop::option::weighted(0.8, product_body()))
        .prop_map(|bodies| {
            let products: Vec<Product> = catalog_ids()
                .iter()
                .zip(bodies)
                .filter_map(|(id, body)| {
                    let body = body?;
                    let input: ProductInput = parse_valid(&body);
                    Some(
                        input
                            .into_product(client_id(id), now())
                            .unwrap_or_else(|e| panic!("generated product refused: {e}\n{body}")),
                    )
                })
                .collect();
            Catalog::new(products)
        })
        .boxed()
}

/// Moments around `now` that promotions start and end at and preview carts are priced at.
fn offset() -> BoxedStrategy<Duration> {
    prop_oneof![
        3 => Just(Duration::days(-30)),
        1 => select(vec![
            Duration::seconds(-1),
            Duration::zero(),
            Duration::seconds(1),
            Duration::days(10),
        ]),
    ]
    .boxed()
}

/// A `PUT /promotions/{id}` body; promotion `i`'s code, if any, is its own.
fn promotion_body(i: usize) -> BoxedStrategy<Value> {
    let percent = prop_oneof![edgy(1, 100), select(vec![10i64, 33, 50])];
    let kind_value = prop_oneof![
        percent.prop_map(|v| ("percent_off", v)),
        prop_oneof![3 => 1..=2_000i64, 1 => edgy(1, MAX_UNIT_PRICE)]
            .prop_map(|v| ("amount_off", v)),
    ];
    let condition = (
        select(vec!["tier", "visits"]),
        select(vec![json!("VIP"), json!(3), json!(3.0), json!(true)]),
    );
    (
        kind_value,
        prop::option::weighted(
            0.5,
            prop_oneof![3 => select(catalog_ids().to_vec()), 1 => select(product_refs())],
        ),
        prop::option::weighted(0.7, any::<bool>()),
        prop::option::weighted(0.2, select(CURRENCIES.to_vec())),
        offset(),
        prop::option::weighted(0.4, select(vec![1i64, 86_400, 60 * 86_400])),
        prop::option::weighted(0.2, condition),
        prop::option::weighted(0.2, 1..=5i64),
        prop::bool::weighted(0.85),
    )
        .prop_map(
            move |(
                (kind, value),
                applies_to,
                code,
                currency,
                start,
                length,
                condition,
                max_uses,
                enabled,
            )| {
                let starts_at = now() + start;
                let mut body = json!({
                    "name": format!("Promotion {i}"), "kind": kind, "value": value,
                    "starts_at": starts_at.to_rfc3339(), "enabled": enabled,
                });
                if let Some(product_id) = applies_to {
                    body["applies_to"] = json!({"product_id": product_id});
                }
                if let Some(lower) = code {
                    // Codes are kept in upper case; a lower-case one must still match.
                    let code = format!("Code{i}");
                    body["code"] = json!(if lower { code.to_lowercase() } else { code });
                }
                if let Some(currency) = currency {
                    body["currency"] = json!(currency);
                }
                if let Some(seconds) = length {
                    body["ends_at"] = json!((starts_at + Duration::seconds(seconds)).to_rfc3339());
                }
                if let Some((name, value)) = condition {
                    body["condition"] = json!({"custom_attribute": {"name": name, "value": value}});
                }
                if let Some(n) = max_uses {
                    body["max_uses_per_shopper"] = json!(n);
                }
                body
            },
        )
        .boxed()
}

/// The code promotion `i` may have, as a shopper could type it.
pub fn promotion_code(i: usize) -> String {
    format!("code{i}")
}

/// Up to `max` promotions with distinct ids (integers and strings alike).
pub fn promotions(max: usize) -> BoxedStrategy<Vec<Promotion>> {
    (0..=max)
        .prop_flat_map(|n| (0..n).map(promotion_body).collect::<Vec<_>>())
        .prop_map(|bodies| {
            bodies
                .iter()
                .enumerate()
                .map(|(i, body)| {
                    let id = if i % 2 == 0 {
                        ClientId::Int(i as i64 * 7)
                    } else {
                        ClientId::parse(&format!("promo-{i}")).unwrap()
                    };
                    let input: PromotionInput = parse_valid(body);
                    input
                        .into_promotion(id, now())
                        .unwrap_or_else(|e| panic!("generated promotion refused: {e}\n{body}"))
                })
                .collect()
        })
        .boxed()
}

/// A `POST /carts` body without items: currency, discounts on or off, maybe a preview,
/// attributes promotions may look at, and a customer or a contact.
pub fn new_cart_body() -> BoxedStrategy<Value> {
    let attributes = (
        prop::option::of(select(vec!["VIP", "basic"])),
        prop::option::of(prop_oneof![
            Just(json!({"type": "integer", "value": 3})),
            Just(json!({"type": "float", "value": 3.0})),
            Just(json!({"type": "integer", "value": 4})),
        ]),
    );
    (
        prop_oneof![3 => Just("USD"), 1 => select(CURRENCIES.to_vec())],
        any::<bool>(),
        prop::option::weighted(0.25, select(vec![1i64, 10 * 86_400, 40 * 86_400])),
        attributes,
        0..3u8,
    )
        .prop_map(|(currency, discounts, preview, (tier, visits), shopper)| {
            let mut body = json!({
                "currency": {"code": currency},
                "discount_settings": {"custom_discounts_enabled": discounts},
                "custom_attributes": {},
            });
            if let Some(seconds) = preview {
                body["snapshot_date"] = json!((now() + Duration::seconds(seconds)).to_rfc3339());
            }
            if let Some(tier) = tier {
                body["custom_attributes"]["tier"] = json!({"type": "string", "value": tier});
            }
            if let Some(visits) = visits {
                body["custom_attributes"]["visits"] = visits;
            }
            match shopper {
                1 => body["customer_id"] = json!("c1"),
                2 => body["contact"] = json!({"email": "sam@example.com"}),
                _ => {}
            }
            body
        })
        .boxed()
}

pub fn new_cart(body: &Value) -> Cart {
    let input: NewCart = parse_valid(body);
    Cart::new(&input, &Settings::default(), now())
        .unwrap_or_else(|e| panic!("generated cart refused: {e}\n{body}"))
}

/// One catalog item to add: a product (maybe unknown), a variant (maybe unknown), a
/// quantity.
pub fn line_item_body() -> BoxedStrategy<Value> {
    let product = prop_oneof![6 => select(catalog_ids().to_vec()), 1 => select(product_refs())];
    let variant = prop_oneof![2 => Just(None), 1 => select(variant_refs())];
    (product, variant, quantity())
        .prop_map(|(product_id, variant_id, quantity)| {
            let mut body = json!({"product_id": product_id, "quantity": quantity});
            if let Some(variant_id) = variant_id {
                body["variant_id"] = variant_id;
            }
            body
        })
        .boxed()
}

/// One custom item to add; skus repeat so merges find matches.
pub fn custom_item_body() -> BoxedStrategy<Value> {
    (select(vec!["GIFT", "WRAP", "Ünï"]), quantity(), unit_price()).prop_map(
        |(sku, quantity, price)| {
            json!({"sku": sku, "name": "Custom", "description": "d", "quantity": quantity, "price": price})
        },
    )
    .boxed()
}

/// The values `path` (as `line_items[0].quantity`, the form `source` takes) can name in
/// `value`. Keys may hold dots and brackets, so every reading is tried.
pub fn resolve<'a>(value: &'a Value, path: &str, first: bool, found: &mut Vec<&'a Value>) {
    if path.is_empty() {
        found.push(value);
        return;
    }
    match value {
        Value::Array(items) => {
            let index = path
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(i, rest)| Some((i.parse::<usize>().ok()?, rest)));
            if let Some((i, rest)) = index
                && let Some(item) = items.get(i)
            {
                resolve(item, rest, false, found);
            }
        }
        Value::Object(map) => {
            let rest = if first {
                Some(path)
            } else {
                path.strip_prefix('.')
            };
            if let Some(rest) = rest {
                for (k, v) in map {
                    if let Some(after) = rest.strip_prefix(k.as_str()) {
                        resolve(v, after, false, found);
                    }
                }
            }
        }
        _ => {}
    }
}
