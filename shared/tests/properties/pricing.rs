//! Totals for random carts, promotions (percent or amount, cart-wide or on a product, with
//! codes, conditions, currencies and dates) and custom discounts, including the largest
//! carts the API accepts.
//!
//! Checked: pricing never fails for what the parsers accept (no overflow), the totals add
//! up (`total + discount == subtotal`, each line's `total == extended - discount`, the
//! discounts listed sum to `discount`, nothing negative, `item_count` is the units), and
//! they equal an independent model of docs/behaviour.md's pricing order and rounding, computed in
//! 128-bit integers.

use crate::common::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};
use trolley::domain::cart::Cart;
use trolley::domain::discounts::{CustomDiscountInput, MAX_CUSTOM_DISCOUNTS, MAX_DISCOUNT};
use trolley::domain::items::{AddItems, MAX_ITEMS};
use trolley::domain::order::{CheckoutInput, Order};
use trolley::domain::pricing::{DiscountSource, Totals};
use trolley::domain::product::Catalog;
use trolley::domain::promotion::MAX_CODES;
use trolley::domain::promotion::{Promotion, PromotionKind, normalize_code};
use trolley::domain::values::{MAX_QUANTITY, MAX_UNIT_PRICE};

/// What docs/behaviour.md says a cart comes to: per line, product promotions (percent before
/// amount, then by id) then the item's custom discounts; then on the sum of the lines, cart
/// promotions then cart-wide custom discounts. Each takes at most what is left; percentages
/// round half up; a product `amount_off` is per unit.
struct Model {
    subtotal: i128,
    lines: Vec<(i128, i128)>,
    taken: Vec<i128>,
    total: i128,
}

fn model(cart: &Cart, promotions: &[Promotion]) -> Model {
    let at = cart.pricing_time(now());
    let mut eligible: Vec<&Promotion> = promotions
        .iter()
        .filter(|p| p.is_eligible(cart, at))
        .collect();
    let rank = |p: &Promotion| (p.kind != PromotionKind::PercentOff, p.id.key().into_owned());
    eligible.sort_by_key(|p| rank(p));
    let off = |p: &Promotion, left: i128, units: i128| -> i128 {
        let value = i128::from(p.value);
        let want = match p.kind {
            PromotionKind::PercentOff => (left * value + 50) / 100,
            PromotionKind::AmountOff => value * units,
        };
        want.min(left)
    };
    let mut taken = Vec::new();
    let mut lines = Vec::new();
    let items = cart
        .line_items
        .iter()
        .map(|i| (i.id, Some(&i.product_id), i.unit_price, i.quantity))
        .chain(
            cart.custom_items
                .iter()
                .map(|i| (i.id, None, i.unit_price, i.quantity)),
        );
    for (id, product, price, quantity) in items {
        let extended = i128::from(price) * i128::from(quantity);
        let mut left = extended;
        for p in &eligible {
            if let (Some(on), Some(product)) = (&p.applies_to, product)
                && on.product_id == *product
            {
                let amount = off(p, left, i128::from(quantity));
                left -= amount;
                taken.push(amount);
            }
        }
        for d in cart
            .custom_discounts
            .iter()
            .filter(|d| d.item_id == Some(id))
        {
            let amount = i128::from(d.amount).min(left);
            left -= amount;
            taken.push(amount);
        }
        lines.push((extended, left));
    }
    let mut left: i128 = lines.iter().map(|(_, total)| total).sum();
    for p in eligible.iter().filter(|p| p.applies_to.is_none()) {
        let amount = off(p, left, 1);
        left -= amount;
        taken.push(amount);
    }
    for d in cart.custom_discounts.iter().filter(|d| d.item_id.is_none()) {
        let amount = i128::from(d.amount).min(left);
        left -= amount;
        taken.push(amount);
    }
    taken.retain(|amount| *amount > 0);
    Model {
        subtotal: lines.iter().map(|(extended, _)| extended).sum(),
        lines,
        taken,
        total: left,
    }
}

/// Everything that must hold of `totals`, the price of `cart` with `promotions` at `now`.
pub fn check_totals(
    cart: &Cart,
    promotions: &[Promotion],
    totals: &Totals,
) -> Result<(), TestCaseError> {
    prop_assert!(totals.total >= 0, "total {}", totals.total);
    prop_assert!(totals.discount >= 0, "discount {}", totals.discount);
    prop_assert_eq!(totals.total + totals.discount, totals.subtotal);
    let units: u64 = cart
        .line_items
        .iter()
        .map(|i| u64::from(i.quantity))
        .chain(cart.custom_items.iter().map(|i| u64::from(i.quantity)))
        .sum();
    prop_assert_eq!(totals.item_count, units);
    prop_assert_eq!(totals.lines.len(), cart.item_count());

    let mut extended_sum = 0i128;
    for line in &totals.lines {
        prop_assert_eq!(line.total, line.extended - line.discount, "line {:?}", line);
        prop_assert!(line.total >= 0 && line.discount >= 0, "line {:?}", line);
        let listed: i128 = totals
            .discounts
            .iter()
            .filter(|d| d.item_id == Some(line.item_id))
            .map(|d| i128::from(d.amount))
            .sum();
        prop_assert_eq!(listed, i128::from(line.discount), "line {:?}", line);
        extended_sum += i128::from(line.extended);
    }
    prop_assert_eq!(extended_sum, i128::from(totals.subtotal));
    for d in &totals.discounts {
        prop_assert!(d.amount > 0, "an empty discount listed: {:?}", d);
    }
    let listed: i128 = totals.discounts.iter().map(|d| i128::from(d.amount)).sum();
    prop_assert_eq!(listed, i128::from(totals.discount), "the discounts listed");
    let by_promotions: i128 = totals
        .discounts
        .iter()
        .filter(|d| d.source == DiscountSource::Promotion)
        .map(|d| i128::from(d.amount))
        .sum();
    let summarized: i128 = totals.promotions.iter().map(|p| i128::from(p.amount)).sum();
    prop_assert_eq!(by_promotions, summarized, "promotions summarized");
    let codes: Vec<&String> = totals.codes.iter().map(|c| &c.code).collect();
    prop_assert_eq!(codes, cart.promotion_codes.iter().collect::<Vec<_>>());

    let expected = model(cart, promotions);
    prop_assert_eq!(
        i128::from(totals.subtotal),
        expected.subtotal,
        "subtotal (model)"
    );
    prop_assert_eq!(i128::from(totals.total), expected.total, "total (model)");
    let lines: Vec<(i128, i128)> = totals
        .lines
        .iter()
        .map(|l| (i128::from(l.extended), i128::from(l.total)))
        .collect();
    prop_assert_eq!(lines, expected.lines, "lines (model)");
    let taken: Vec<i128> = totals
        .discounts
        .iter()
        .map(|d| i128::from(d.amount))
        .collect();
    prop_assert_eq!(taken, expected.taken, "discounts in order (model)");
    Ok(())
}

/// A cart as `POST /carts` and then adds would make it: catalog items, custom items,
/// custom discounts (cart-wide and on items) and codes entered.
#[derive(Debug, Clone)]
struct CartSpec {
    body: Value,
    lines: Vec<Value>,
    customs: Vec<Value>,
    discounts: Vec<(i64, Option<usize>)>,
    codes: Vec<usize>,
}

fn discount_amount() -> BoxedStrategy<i64> {
    prop_oneof![3 => 1..=5_000i64, 1 => edgy(1, MAX_DISCOUNT)].boxed()
}

fn cart_spec(max_customs: usize) -> BoxedStrategy<CartSpec> {
    (
        new_cart_body(),
        prop::collection::vec(line_item_body(), 0..8),
        prop::collection::vec(custom_item_body(), 0..=max_customs),
        prop::collection::vec((discount_amount(), prop::option::of(0..MAX_ITEMS)), 0..8),
        prop::collection::vec(0..8usize, 0..10),
    )
        .prop_map(|(mut body, lines, customs, discounts, codes)| {
            body["discount_settings"]["custom_discounts_enabled"] = json!(true);
            CartSpec {
                body,
                lines,
                customs,
                discounts,
                codes,
            }
        })
        .boxed()
}

/// Builds the cart, dropping what the rules refuse (unknown products, missing prices,
/// stock, limits): only what the API would hold is priced.
fn build(spec: &CartSpec, catalog: &Catalog) -> Cart {
    let mut cart = new_cart(&spec.body);
    for line in &spec.lines {
        let input: AddItems = parse_valid(&json!({ "line_items": [line] }));
        let _ = cart.add_items(input.line_items.as_slice(), &[], catalog, true);
    }
    for chunk in spec.customs.chunks(MAX_ITEMS) {
        let input: AddItems = parse_valid(&json!({ "custom_items": chunk }));
        let _ = cart.add_items(&[], input.custom_items.as_slice(), catalog, false);
    }
    let ids: Vec<_> = cart
        .line_items
        .iter()
        .map(|i| i.id)
        .chain(cart.custom_items.iter().map(|i| i.id))
        .collect();
    for (amount, target) in &spec.discounts {
        let mut body = json!({"amount": amount, "description": "d", "discount_code": "X"});
        if let (Some(i), false) = (target, ids.is_empty()) {
            body["item_id"] = json!(ids[i % ids.len()]);
        }
        let input: CustomDiscountInput = parse_valid(&body);
        let _ = cart.add_custom_discount(&input);
    }
    for i in &spec.codes {
        let code = normalize_code(&promotion_code(*i));
        if !cart.promotion_codes.contains(&code) && cart.promotion_codes.len() < MAX_CODES {
            cart.promotion_codes.push(code);
        }
    }
    cart
}

/// The largest carts: up to 100 custom items, most at or near 10,000 units of the largest
/// price, with the largest custom discounts.
fn huge_customs() -> BoxedStrategy<Vec<Value>> {
    let near = |max: i64| prop_oneof![3 => Just(max), 1 => edgy(1, max)];

    prop::collection::vec((near(MAX_QUANTITY), near(MAX_UNIT_PRICE)), 90..=MAX_ITEMS).prop_map(
        |items| {
            items
                .into_iter()
                .enumerate()
                .map(|(i, (quantity, price))| {
                    json!({"sku": format!("S{i}"), "name": "n", "quantity": quantity, "price": price})
                })
                .collect()
        },
    )
    .boxed()
}

fn price_and_check(cart: &Cart, promotions: &[Promotion]) -> Result<Totals, TestCaseError> {
    let totals = cart
        .price(promotions, now())
        .map_err(|e| TestCaseError::fail(format!("pricing refused an accepted cart: {e}")))?;
    check_totals(cart, promotions, &totals)?;
    Ok(totals)
}

/// An independent model of the stock checkout takes, from the catalog as it is: per
/// tracked product or variant (its place in the product's list), its sku and the units.
fn tracked_stock_taken(
    lines: &[trolley::domain::items::LineItem],
    catalog: &Catalog,
) -> Vec<(String, Option<usize>, String, u32)> {
    let mut taken: Vec<(String, Option<usize>, String, u32)> = Vec::new();
    for line in lines {
        let Some(product) = catalog.get(&line.product_id) else {
            continue;
        };
        let (index, stock, sku) = match &line.variant_id {
            None => (None, product.stock, &product.sku),
            Some(id) => match product.variants.iter().position(|v| &v.id == id) {
                Some(i) => (Some(i), product.variants[i].stock, &product.variants[i].sku),
                None => continue,
            },
        };
        if stock.is_none() {
            continue;
        }
        let id = line.product_id.to_string();
        match taken.iter_mut().find(|t| t.0 == id && t.1 == index) {
            Some(t) => t.3 += line.quantity,
            None => taken.push((id, index, sku.clone(), line.quantity)),
        }
    }
    taken
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn totals_add_up_and_follow_the_pricing_rules(
        catalog in catalog(),
        promotions in promotions(8),
        spec in cart_spec(6),
    ) {
        let cart = build(&spec, &catalog);
        let totals = price_and_check(&cart, &promotions)?;
        // Checkout copies the totals; what it counts and takes never panics either.
        if let Ok(order) = Order::from_cart(&cart, totals, CheckoutInput::default(), now()) {
            let _ = order.promotion_uses(&promotions, &trolley::domain::order::CheckoutKey::new(b"property-key"));
            // What the lines kept of the catalog when added says what the catalog does.
            let (stamped, _) = trolley::domain::order::stamped_needs(&order.line_items)
                .ok_or_else(|| TestCaseError::fail("every line added from the catalog keeps its stamp"))?;
            for need in &stamped {
                prop_assert!(need.quantity >= 1 && i64::from(need.quantity) <= MAX_QUANTITY);
            }
            let taken: Vec<_> = stamped
                .iter()
                .map(|n| (n.product_id.to_string(), n.variant.as_ref().map(|v| v.0), n.sku.clone(), n.quantity))
                .collect();
            prop_assert_eq!(taken, tracked_stock_taken(&order.line_items, &catalog));
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn the_largest_carts_price_without_overflow(
        catalog in catalog(),
        promotions in promotions(8),
        mut spec in cart_spec(0),
        customs in huge_customs(),
        max_discounts in any::<bool>(),
    ) {
        spec.customs = customs;
        if max_discounts {
            // Five of the largest on the cart and on the first item.
            spec.discounts = [None, Some(0)]
                .into_iter()
                .flat_map(|t| std::iter::repeat_n((MAX_DISCOUNT, t), MAX_CUSTOM_DISCOUNTS))
                .collect();
        }
        let cart = build(&spec, &catalog);
        price_and_check(&cart, &promotions)?;
    }
}

#[test]
fn the_largest_possible_cart_prices() {
    let mut spec = CartSpec {
        body: json!({"discount_settings": {"custom_discounts_enabled": true}}),
        lines: Vec::new(),
        customs: (0..MAX_ITEMS)
            .map(|i| json!({"sku": format!("S{i}"), "name": "n", "quantity": MAX_QUANTITY, "price": MAX_UNIT_PRICE}))
            .collect(),
        discounts: Vec::new(),
        codes: Vec::new(),
    };
    let cart = build(&spec, &Catalog::default());
    assert_eq!(cart.item_count(), MAX_ITEMS);
    let totals = cart.price(&[], now()).unwrap();
    assert_eq!(
        i128::from(totals.total),
        i128::from(MAX_UNIT_PRICE) * i128::from(MAX_QUANTITY) * MAX_ITEMS as i128
    );
    spec.discounts = vec![(MAX_DISCOUNT, None); MAX_CUSTOM_DISCOUNTS];
    let cart = build(&spec, &Catalog::default());
    assert_eq!(cart.custom_discounts.len(), MAX_CUSTOM_DISCOUNTS);
    let totals = cart.price(&[], now()).unwrap();
    assert_eq!(totals.discount, MAX_DISCOUNT * MAX_CUSTOM_DISCOUNTS as i64);
    assert_eq!(totals.total + totals.discount, totals.subtotal);
}
