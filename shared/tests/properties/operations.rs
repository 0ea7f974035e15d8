//! Cart operations in random order against a random catalog: adds (catalog and custom
//! items, all-or-nothing or not), quantity changes, removals, clears, custom discounts,
//! promotion codes, merges and updates, on normal and preview carts.
//!
//! After every operation: no panic; a refusal is a 4xx `Err` and leaves the cart exactly as
//! it was; and the cart keeps its invariants (at most 100 distinct items, quantities
//! 1-10,000, one line per product and variant, stock respected outside previews, custom
//! discounts only where allowed and on items it holds, at most `MAX_CODES` distinct codes),
//! and prices without error.

use crate::common::*;
use crate::pricing::check_totals;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};
use std::collections::HashSet;
use trolley::Error;
use trolley::domain::cart::{Cart, CartPatch};
use trolley::domain::discounts::{CustomDiscountInput, MAX_CUSTOM_DISCOUNTS, MAX_DISCOUNT};
use trolley::domain::items::{AddItems, ItemUpdate, MAX_ITEMS};
use trolley::domain::merge::{MergeInput, MergeStrategy};
use trolley::domain::product::Catalog;
use trolley::domain::promotion::MAX_CODES;
use trolley::domain::promotion::Promotion;
use trolley::domain::values::MAX_QUANTITY;
use trolley::http::bodies::PromotionCode;
use uuid::Uuid;

/// Which item (or discount) an operation is about: one the cart has, by position, or one it
/// does not have.
#[derive(Debug, Clone)]
enum Pick {
    Held(usize),
    Missing,
}

#[derive(Debug, Clone)]
enum Op {
    /// `POST /carts/{id}/items`.
    Add(Value),
    /// Many custom items at once, to reach the item limit.
    AddMany {
        count: usize,
        quantity: i64,
    },
    /// `PUT /carts/{id}/items/{item_id}`.
    SetQuantity(Pick, i64),
    Remove(Pick),
    Clear,
    /// `POST /carts/{id}/custom-discounts`, on the cart (`None`) or an item.
    AddDiscount(i64, Option<Pick>),
    RemoveDiscount(Pick),
    /// `POST /carts/{id}/promotions`: a promotion's code (in lower case), or an unknown one.
    ApplyCode(Option<Index>),
    /// `DELETE /carts/{id}/promotions/{code}`: a code the cart has, or an unknown one.
    RemoveCode(Option<Index>),
    /// `POST /carts/{id}/merge` from another cart built with these adds.
    Merge {
        source: Value,
        adds: Vec<Value>,
        codes: Vec<usize>,
        strategy: MergeStrategy,
    },
    MergeItself,
    /// `PUT /carts/{id}`.
    Patch(Value),
}

fn pick() -> BoxedStrategy<Pick> {
    prop_oneof![5 => (0..200usize).prop_map(Pick::Held), 1 => Just(Pick::Missing)].boxed()
}

fn add_body() -> BoxedStrategy<Value> {
    (
        prop::collection::vec(line_item_body(), 0..4),
        prop::collection::vec(custom_item_body(), 0..3),
        prop::option::weighted(0.5, any::<bool>()),
    )
        .prop_map(|(lines, customs, all)| {
            let mut body = json!({"line_items": lines, "custom_items": customs});
            if let Some(all) = all {
                body["add_all_or_nothing"] = json!(all);
            }
            body
        })
        .boxed()
}

fn patch_body() -> BoxedStrategy<Value> {
    let customer = prop_oneof![Just(json!(null)), Just(json!("c1")), Just(json!(42))];
    let contact = prop_oneof![Just(json!(null)), Just(json!({"email": "a@b.co"}))];
    let snapshot = prop_oneof![
        Just(json!(null)),
        Just(json!("2026-01-01T00:00:00Z")),
        Just(json!("2027-01-01T00:00:00Z")),
    ];
    let attributes = prop_oneof![
        Just(json!(null)),
        Just(json!({"tier": {"type": "string", "value": "VIP"}})),
    ];
    (
        prop::option::of(customer),
        prop::option::of(contact),
        prop::option::weighted(0.3, any::<bool>()),
        prop::option::weighted(0.3, snapshot),
        prop::option::weighted(0.3, attributes),
        prop::option::weighted(0.3, Just(json!("Renamed"))),
    )
        .prop_map(
            |(customer, contact, discounts, snapshot, attributes, name)| {
                let mut body = json!({});
                for (field, value) in [
                    ("customer_id", customer),
                    ("contact", contact),
                    ("snapshot_date", snapshot),
                    ("custom_attributes", attributes),
                    ("name", name),
                ] {
                    if let Some(value) = value {
                        body[field] = value;
                    }
                }
                if let Some(enabled) = discounts {
                    body["discount_settings"] = json!({"custom_discounts_enabled": enabled});
                }
                body
            },
        )
        .boxed()
}

fn op() -> BoxedStrategy<Op> {
    let merge = (
        new_cart_body(),
        prop::collection::vec(add_body(), 0..4),
        prop::collection::vec(0..6usize, 0..3),
        select(vec![
            MergeStrategy::Sum,
            MergeStrategy::Max,
            MergeStrategy::Replace,
        ]),
    )
        .prop_map(|(source, adds, codes, strategy)| Op::Merge {
            source,
            adds,
            codes,
            strategy,
        });
    prop_oneof![
        8 => add_body().prop_map(Op::Add),
        2 => (prop_oneof![1..=MAX_ITEMS, 40..=MAX_ITEMS], quantity()).prop_map(|(count, quantity)| Op::AddMany { count, quantity }),
        4 => (pick(), edgy(0, MAX_QUANTITY)).prop_map(|(p, q)| Op::SetQuantity(p, q)),
        2 => pick().prop_map(Op::Remove),
        1 => Just(Op::Clear),
        3 => (edgy(1, MAX_DISCOUNT), prop::option::of(pick())).prop_map(|(a, p)| Op::AddDiscount(a, p)),
        1 => pick().prop_map(Op::RemoveDiscount),
        3 => prop::option::weighted(0.9, any::<Index>()).prop_map(Op::ApplyCode),
        1 => prop::option::weighted(0.8, any::<Index>()).prop_map(Op::RemoveCode),
        2 => merge,
        1 => Just(Op::MergeItself),
        2 => patch_body().prop_map(Op::Patch),
    ]
    .boxed()
}

fn item_ids(cart: &Cart) -> Vec<Uuid> {
    cart.line_items
        .iter()
        .map(|i| i.id)
        .chain(cart.custom_items.iter().map(|i| i.id))
        .collect()
}

fn item_id(cart: &Cart, pick: &Pick) -> Uuid {
    let ids = item_ids(cart);
    match pick {
        Pick::Held(i) if !ids.is_empty() => ids[i % ids.len()],
        _ => Uuid::from_u128(0x5eed),
    }
}

fn discount_id(cart: &Cart, pick: &Pick) -> Uuid {
    match pick {
        Pick::Held(i) if !cart.custom_discounts.is_empty() => {
            cart.custom_discounts[i % cart.custom_discounts.len()].id
        }
        _ => Uuid::from_u128(0xd15c),
    }
}

/// One of `codes`, or one no promotion has.
fn code(codes: &[String], pick: &Option<Index>) -> String {
    match pick {
        Some(i) if !codes.is_empty() => i.get(codes).to_lowercase(),
        _ => "NOPE".to_string(),
    }
}

/// `POST /carts/{id}/items` as the service runs it.
fn add(cart: &mut Cart, body: &Value, catalog: &Catalog) -> Result<(), Error> {
    let input: AddItems = parse_valid(body);
    input.check_not_empty()?;
    cart.add_items(
        input.line_items.as_slice(),
        input.custom_items.as_slice(),
        catalog,
        input.add_all_or_nothing,
    )
    .map(drop)
}

/// `POST /carts/{id}/promotions` as the service runs it (`service::promotions::apply`).
fn apply_code(cart: &mut Cart, code: &str, promotions: &[Promotion]) -> Result<(), Error> {
    let code: PromotionCode = parse_valid(&json!({ "code": code }));
    cart.apply_code(code.as_str(), promotions, now())
}

/// Runs `op` on `cart`: the request body it sent (`null` for none) and the outcome.
fn run(
    cart: &mut Cart,
    op: &Op,
    catalog: &Catalog,
    promotions: &[Promotion],
) -> (Value, Result<(), Error>) {
    match op {
        Op::Add(body) => (body.clone(), add(cart, body, catalog)),
        Op::AddMany { count, quantity } => {
            let customs: Vec<Value> = (0..*count)
                .map(|i| json!({"sku": format!("MANY-{i}"), "name": "n", "quantity": quantity, "price": 1}))
                .collect();
            let body = json!({ "custom_items": customs });
            let result = add(cart, &body, catalog);
            (body, result)
        }
        Op::SetQuantity(pick, quantity) => {
            let body = json!({ "quantity": quantity });
            let input: ItemUpdate = parse_valid(&body);
            let result = cart.set_quantity(item_id(cart, pick), input.quantity, catalog);
            (body, result)
        }
        Op::Remove(pick) => (Value::Null, cart.remove_item(item_id(cart, pick))),
        Op::Clear => {
            cart.clear_items();
            (Value::Null, Ok(()))
        }
        Op::AddDiscount(amount, target) => {
            let mut body =
                json!({"amount": amount, "description": "Loyalty", "discount_code": "L"});
            if let Some(pick) = target {
                body["item_id"] = json!(item_id(cart, pick));
            }
            let input: CustomDiscountInput = parse_valid(&body);
            (body, cart.add_custom_discount(&input).map(drop))
        }
        Op::RemoveDiscount(pick) => (
            Value::Null,
            cart.remove_custom_discount(discount_id(cart, pick), None),
        ),
        Op::ApplyCode(pick) => {
            let codes: Vec<String> = promotions.iter().filter_map(|p| p.code.clone()).collect();
            let code = code(&codes, pick);
            let result = apply_code(cart, &code, promotions);
            (json!({ "code": code }), result)
        }
        Op::RemoveCode(pick) => {
            let codes = cart.promotion_codes.clone();
            (Value::Null, cart.remove_code(&code(&codes, pick)))
        }
        Op::Merge {
            source,
            adds,
            codes,
            strategy,
        } => {
            let mut source = new_cart(source);
            for body in adds {
                let _ = add(&mut source, body, catalog);
            }
            for i in codes {
                let _ = apply_code(&mut source, &promotion_code(*i), promotions);
            }
            let strategy = serde_json::to_value(strategy).unwrap();
            let body = json!({"source_cart_id": source.id, "strategy": strategy});
            let input: MergeInput = parse_valid(&body);
            (
                body,
                cart.merge_from(&source, input.strategy, catalog).map(drop),
            )
        }
        Op::MergeItself => {
            let body = json!({ "source_cart_id": cart.id });
            let itself = cart.clone();
            let result = cart.merge_from(&itself, MergeStrategy::Sum, catalog);
            (body, result.map(drop))
        }
        Op::Patch(body) => {
            let patch: CartPatch = parse_valid(body);
            (body.clone(), cart.apply_patch(patch, now()))
        }
    }
}

/// What must hold of every cart the operations can make.
fn check_cart(
    cart: &Cart,
    catalog: &Catalog,
    promotions: &[Promotion],
) -> Result<(), TestCaseError> {
    prop_assert!(
        cart.item_count() <= MAX_ITEMS,
        "{} items",
        cart.item_count()
    );
    let quantities = cart
        .line_items
        .iter()
        .map(|i| i.quantity)
        .chain(cart.custom_items.iter().map(|i| i.quantity));
    for quantity in quantities {
        prop_assert!(
            (1..=MAX_QUANTITY).contains(&i64::from(quantity)),
            "quantity {quantity}"
        );
    }
    let ids = item_ids(cart);
    prop_assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "item ids repeat"
    );
    let lines: HashSet<_> = cart
        .line_items
        .iter()
        .map(|i| {
            (
                i.product_id.key().into_owned(),
                i.variant_id.as_ref().map(|v| v.key().into_owned()),
            )
        })
        .collect();
    prop_assert_eq!(
        lines.len(),
        cart.line_items.len(),
        "a product and variant on two lines"
    );

    if !cart.is_preview() {
        for item in &cart.line_items {
            let stock = catalog
                .get(&item.product_id)
                .and_then(|p| p.offer(item.variant_id.as_ref()))
                .and_then(|o| o.stock());
            if let Some(stock) = stock {
                prop_assert!(
                    item.quantity <= stock,
                    "{} of {} in stock",
                    item.quantity,
                    stock
                );
            }
        }
    }

    if !cart.discount_settings.custom_discounts_enabled {
        prop_assert!(
            cart.custom_discounts.is_empty(),
            "discounts on a cart without them"
        );
    }
    for discount in &cart.custom_discounts {
        if let Some(item) = discount.item_id {
            prop_assert!(ids.contains(&item), "a discount on an item the cart lacks");
        }
        let same = cart
            .custom_discounts
            .iter()
            .filter(|d| d.item_id == discount.item_id)
            .count();
        prop_assert!(
            same <= MAX_CUSTOM_DISCOUNTS,
            "{same} discounts on one target"
        );
    }
    prop_assert!(cart.promotion_codes.len() <= MAX_CODES);
    let codes: HashSet<_> = cart.promotion_codes.iter().collect();
    prop_assert_eq!(codes.len(), cart.promotion_codes.len(), "a code twice");
    prop_assert!(
        cart.customer_id.is_none() || cart.contact.is_none(),
        "a customer cart with a contact"
    );

    let totals = cart
        .price(promotions, now())
        .map_err(|e| TestCaseError::fail(format!("pricing failed: {e}")))?;
    check_totals(cart, promotions, &totals)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn operations_keep_the_cart_valid_and_refusals_change_nothing(
        catalog in catalog(),
        promotions in promotions(6),
        body in new_cart_body(),
        ops in prop::collection::vec(op(), 1..24),
    ) {
        let mut cart = new_cart(&body);
        for (step, op) in ops.iter().enumerate() {
            let before = cart.clone();
            let (body, outcome) = run(&mut cart, op, &catalog, &promotions);
            match outcome {
                Ok(()) => {}
                Err(err) => {
                    prop_assert!(
                        is_client_error(err.kind()),
                        "step {step} {op:?}: not a client error: {err:?}"
                    );
                    prop_assert!(!err.problems.is_empty());
                    for problem in &err.problems {
                        // A refusal names a field of the request (`line_items[2].quantity`).
                        if let Some(source) = &problem.source {
                            let mut found = Vec::new();
                            resolve(&body, source, true, &mut found);
                            prop_assert!(
                                !found.is_empty(),
                                "step {step}: {source:?} names nothing in {body} ({err})"
                            );
                        }
                    }
                    prop_assert_eq!(&cart, &before, "step {} {:?} was refused ({}) but changed the cart", step, op, err);
                }
            }
            check_cart(&cart, &catalog, &promotions)
                .map_err(|e| TestCaseError::fail(format!("after step {step} {op:?}: {e}")))?;
        }
    }
}
