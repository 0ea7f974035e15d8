//! Pricing: what each line costs, what is taken off, and what the cart comes to. Computed
//! whenever a cart is shown, never stored, so promotions that start or end are reflected at
//! once. All arithmetic is checked or done in 128 bits.
//!
//! Order (each discount applies to what is left after the ones before it, and never takes
//! more than is left, so no line and no total goes below zero):
//! 1. On each line: promotions on its product (`percent_off` before `amount_off`, then by
//!    promotion id), then custom discounts on that item, in the order they were added.
//! 2. On the cart (the sum of what the lines came to): promotions on the whole cart (same
//!    order), then cart-wide custom discounts, in the order they were added.
//!
//! 3. Tax, on each line, from its tax items, on what the line comes to after its own
//!    discounts and its share of the cart-wide ones (shared in proportion to what the lines
//!    came to, remainders to the largest lines first, so the shares add up exactly). A
//!    price that excludes tax gets `amount x rate` added, rounded half up per tax item,
//!    plus each fixed tax amount; a price that includes it holds its fixed amounts (at most
//!    all of it) and `rest - rest / (1 + rates)` of the rest, the division rounded half up
//!    once for the line.
//!
//! Rounding: a percentage of an amount in minor units is rounded half up (2.5 cents off
//! becomes 3), once per line for product promotions and once for the cart for cart-wide
//! ones. `amount_off` on a product takes its value off each unit; on the cart, once.

use super::cart::Cart;
use super::discounts::CustomDiscount;
use super::promotion::{Promotion, PromotionKind};
use super::taxes::{TaxCharge, TaxRate};
use super::values::ClientId;
use crate::{Code, Error};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Serializable because an order keeps the totals its cart had at checkout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Sum of every line's extended price (unit price x quantity).
    pub subtotal: i64,
    /// Everything taken off.
    pub discount: i64,
    /// What the shopper pays: `subtotal - discount`, plus the tax on prices that exclude it.
    pub total: i64,
    /// The tax within `total` (on every line, whether its price included tax or not).
    #[serde(default)]
    pub tax: i64,
    /// Units in the cart, all items together.
    pub item_count: u64,
    pub lines: Vec<LineTotal>,
    /// Every discount taken, in the order applied: line ones (with `item_id`), then cart ones.
    pub discounts: Vec<AppliedDiscount>,
    /// Each promotion that took something, with what it took in all.
    pub promotions: Vec<AppliedPromotion>,
    /// Each code on the cart, and whether it takes anything off now.
    pub codes: Vec<CodeStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTotal {
    pub item_id: Uuid,
    pub extended: i64,
    /// Taken off this line by its own discounts.
    pub discount: i64,
    /// `extended - discount`, in the line's own terms (tax included or not, as its price).
    pub total: i64,
    /// The line's share of the cart-wide discounts (the tax is on what is left after it).
    #[serde(default)]
    pub cart_discount: i64,
    /// The tax on the line, after every discount.
    #[serde(default)]
    pub tax: i64,
    /// What the line comes to with its tax, after every discount (read through
    /// `LineTotal::paid`: orders kept from before tax was computed lack it).
    #[serde(default)]
    pub with_tax: i64,
}

impl LineTotal {
    /// What the line comes to with its tax, after every discount. Without tax that is
    /// `total - cart_discount`, which also covers totals stored before `with_tax` was.
    pub fn paid(&self) -> i64 {
        if self.tax == 0 {
            self.total - self.cart_discount
        } else {
            self.with_tax
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountSource {
    Promotion,
    CustomDiscount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedDiscount {
    pub source: DiscountSource,
    /// The promotion's id or the custom discount's id.
    pub id: String,
    /// The promotion code or the custom discount's `discount_code`.
    pub code: Option<String>,
    /// The item it was taken off; `None` for the cart as a whole.
    pub item_id: Option<Uuid>,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedPromotion {
    pub id: ClientId,
    pub name: String,
    pub code: Option<String>,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeStatus {
    pub code: String,
    pub applied: bool,
}

fn overflow() -> Error {
    Error::of(Code::AmountOverflow, "the cart's totals would overflow")
}

/// `percent`% of `amount` minor units, rounded half up.
pub fn percent_of(amount: i64, percent: i64) -> i64 {
    let exact = i128::from(amount) * i128::from(percent);
    // Non-negative inputs: adding 50 before dividing rounds halves up. Fits: the result is
    // at most `amount` for percent <= 100.
    ((exact + 50) / 100) as i64
}

/// What a promotion wants off `remaining`, for `quantity` units (capped by the caller).
fn wanted(promotion: &Promotion, remaining: i64, quantity: u32) -> i64 {
    match promotion.kind {
        PromotionKind::PercentOff => percent_of(remaining, promotion.value),
        PromotionKind::AmountOff => {
            let per_unit = i128::from(promotion.value) * i128::from(quantity);
            per_unit.min(i128::from(i64::MAX)) as i64
        }
    }
}

/// Takes discounts off an amount in order, recording what each took.
struct Ledger<'a> {
    remaining: i64,
    item_id: Option<Uuid>,
    taken: &'a mut Vec<AppliedDiscount>,
}

impl Ledger<'_> {
    /// Takes `promotions` (in order), then `customs`, off what remains: the one order in
    /// which discounts apply, on a line (`quantity` units) and on the whole cart (1).
    fn apply<'p, 'c>(
        &mut self,
        promotions: impl IntoIterator<Item = &'p Promotion>,
        customs: impl IntoIterator<Item = &'c CustomDiscount>,
        quantity: u32,
    ) {
        for promotion in promotions {
            let want = wanted(promotion, self.remaining, quantity);
            let (id, code) = (promotion.id.to_string(), promotion.code.clone());
            self.take(DiscountSource::Promotion, id, code, want);
        }
        for custom in customs {
            let (id, code) = (custom.id.to_string(), Some(custom.discount_code.clone()));
            self.take(DiscountSource::CustomDiscount, id, code, custom.amount);
        }
    }

    fn take(&mut self, source: DiscountSource, id: String, code: Option<String>, wanted: i64) {
        let amount = wanted.clamp(0, self.remaining);
        if amount > 0 {
            self.remaining -= amount;
            self.taken.push(AppliedDiscount {
                source,
                id,
                code,
                item_id: self.item_id,
                amount,
            });
        }
    }
}

impl Cart {
    /// Prices the cart with the promotions in force at its pricing time (`snapshot_date`
    /// for a preview cart, else `now`).
    pub fn price(&self, promotions: &[Promotion], now: DateTime<Utc>) -> Result<Totals, Error> {
        let at = self.pricing_time(now);
        let mut eligible: Vec<&Promotion> = promotions
            .iter()
            .filter(|p| p.is_eligible(self, at))
            .collect();
        eligible.sort_by(|a, b| (a.kind, a.id.key()).cmp(&(b.kind, b.id.key())));
        let (on_products, on_cart): (Vec<&Promotion>, Vec<&Promotion>) =
            eligible.into_iter().partition(|p| p.applies_to.is_some());

        let mut discounts = Vec::new();
        let mut lines = Vec::with_capacity(self.item_count());
        let (mut subtotal, mut item_count, mut gifts) = (0i64, 0u64, 0i64);
        // Product promotions match a line by its product; a line whose price the backend
        // set is passed by, as BigCommerce does by default (cart-wide ones still apply).
        let items = self
            .line_items
            .iter()
            .map(|i| {
                let product = Some(&i.product_id).filter(|_| !i.price_overridden);
                (i.id, product, i.unit_price, i.quantity, false)
            })
            .chain(self.custom_items.iter().map(|i| {
                (
                    i.id,
                    None,
                    i.unit_price,
                    i.quantity,
                    i.is_gift_certificate(),
                )
            }));
        for (item_id, product_id, unit_price, quantity, gift) in items {
            let extended = unit_price
                .checked_mul(i64::from(quantity))
                .ok_or_else(overflow)?;
            subtotal = subtotal.checked_add(extended).ok_or_else(overflow)?;
            item_count += u64::from(quantity);
            if gift {
                // Gift certificates are sold at their amount: no discount reaches them.
                gifts = gifts.checked_add(extended).ok_or_else(overflow)?;
                lines.push(LineTotal {
                    item_id,
                    extended,
                    discount: 0,
                    total: extended,
                    cart_discount: 0,
                    tax: 0,
                    with_tax: extended,
                });
                continue;
            }
            let mut ledger = Ledger {
                remaining: extended,
                item_id: Some(item_id),
                taken: &mut discounts,
            };
            ledger.apply(
                on_products
                    .iter()
                    .copied()
                    .filter(|p| p.applies_to.as_ref().map(|a| &a.product_id) == product_id),
                self.custom_discounts
                    .iter()
                    .filter(|d| d.item_id == Some(item_id)),
                quantity,
            );
            let total = ledger.remaining;
            lines.push(LineTotal {
                item_id,
                extended,
                discount: extended - total,
                total,
                cart_discount: 0,
                tax: 0,
                with_tax: total,
            });
        }

        // Cart-wide discounts take from the items that may be discounted only.
        let after_lines = lines
            .iter()
            .try_fold(0i64, |sum, l| sum.checked_add(l.total))
            .ok_or_else(overflow)?
            - gifts;
        let mut ledger = Ledger {
            remaining: after_lines,
            item_id: None,
            taken: &mut discounts,
        };
        ledger.apply(
            on_cart.iter().copied(),
            self.custom_discounts.iter().filter(|d| d.item_id.is_none()),
            1,
        );
        let cart_taken = after_lines - ledger.remaining;
        share_out(&mut lines, cart_taken, |id| self.is_gift(id));
        let (mut tax, mut added_tax) = (0i64, 0i64);
        for line in &mut lines {
            let taxed = line.total - line.cart_discount;
            let exclusive = !self.price_includes_tax(line.item_id);
            line.tax = self.tax_on(line.item_id, taxed, exclusive)?;
            line.with_tax = if exclusive { taxed + line.tax } else { taxed };
            tax = tax.checked_add(line.tax).ok_or_else(overflow)?;
            if exclusive {
                added_tax = added_tax.checked_add(line.tax).ok_or_else(overflow)?;
            }
        }
        let total = ledger.remaining + gifts;

        let promotions = summarize(promotions, &discounts);
        let codes = self
            .promotion_codes
            .iter()
            .map(|code| CodeStatus {
                code: code.clone(),
                applied: promotions.iter().any(|p| p.code.as_ref() == Some(code)),
            })
            .collect();
        Ok(Totals {
            subtotal,
            discount: subtotal - total,
            total: total.checked_add(added_tax).ok_or_else(overflow)?,
            tax,
            item_count,
            lines,
            discounts,
            promotions,
            codes,
        })
    }
}

/// Shares `amount` out over the lines that may be discounted, in proportion to what each
/// came to: each gets the floor of its share, and what is left goes a unit at a time to the
/// largest remainders (the earlier line on a tie), so the shares add up to `amount`.
fn share_out(lines: &mut [LineTotal], amount: i64, excluded: impl Fn(Uuid) -> bool) {
    let base: i128 = lines
        .iter()
        .filter(|l| !excluded(l.item_id))
        .map(|l| i128::from(l.total))
        .sum();
    if amount <= 0 || base <= 0 {
        return;
    }
    let mut remainders = Vec::new();
    let mut given = 0i64;
    for (index, line) in lines.iter_mut().enumerate() {
        if excluded(line.item_id) {
            continue;
        }
        let exact = i128::from(amount) * i128::from(line.total);
        // Fits: the share is at most `amount`.
        line.cart_discount = (exact / base) as i64;
        given += line.cart_discount;
        remainders.push((exact % base, index));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.into_iter().take((amount - given) as usize) {
        lines[index].cart_discount += 1;
    }
}

impl Cart {
    fn is_gift(&self, item_id: Uuid) -> bool {
        self.custom_items
            .iter()
            .any(|i| i.id == item_id && i.is_gift_certificate())
    }

    /// Catalog prices are before tax; a custom item's includes it unless it says not.
    fn price_includes_tax(&self, item_id: Uuid) -> bool {
        self.custom_items
            .iter()
            .any(|i| i.id == item_id && !i.excludes_tax)
    }

    /// The tax on `amount` of the item `item_id` (see the module's rules), in 128 bits; an
    /// amount beyond i64 is the overflow error.
    fn tax_on(&self, item_id: Uuid, amount: i64, exclusive: bool) -> Result<i64, Error> {
        let scale = i128::from(TaxRate::SCALE);
        let half_up =
            |numerator: i128, denominator: i128| (2 * numerator + denominator) / (2 * denominator);
        let amount = i128::from(amount.max(0));
        let (mut rates, mut fixed) = (0i128, 0i128);
        let mut added = 0i128;
        for charge in self.tax_charges_of(item_id) {
            match charge {
                TaxCharge::Rate(rate) => {
                    let rate = i128::from(rate.millionths());
                    rates += rate;
                    added += half_up(amount * rate, scale);
                }
                TaxCharge::Amount(tax) => fixed += i128::from(tax),
            }
        }
        let tax = if exclusive {
            added + fixed
        } else {
            // A price that includes tax holds the fixed amounts (as much of them as it can)
            // and the rates' share of the rest.
            let fixed = fixed.min(amount);
            let rest = amount - fixed;
            fixed + rest - half_up(rest * scale, scale + rates)
        };
        i64::try_from(tax).map_err(|_| overflow())
    }
}

/// One entry per promotion that took something, in the order they first applied.
fn summarize(promotions: &[Promotion], discounts: &[AppliedDiscount]) -> Vec<AppliedPromotion> {
    let mut applied: Vec<AppliedPromotion> = Vec::new();
    for d in discounts
        .iter()
        .filter(|d| d.source == DiscountSource::Promotion)
    {
        match applied.iter_mut().find(|a| a.id.to_string() == d.id) {
            Some(entry) => entry.amount += d.amount,
            None => {
                if let Some(p) = promotions.iter().find(|p| p.id.to_string() == d.id) {
                    applied.push(AppliedPromotion {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        code: p.code.clone(),
                        amount: d.amount,
                    });
                }
            }
        }
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cart::tests::{new_cart, now};
    use crate::domain::product::{Catalog, ProductInput};
    use crate::domain::promotion::tests::promotion;
    use crate::domain::values::{MAX_QUANTITY, MAX_UNIT_PRICE};
    use serde_json::json;

    fn catalog() -> Catalog {
        let product = |id: &str, amount: i64| {
            let input: ProductInput =
                crate::http::bodies::from_value(json!({"name": id, "sku": id,
                "prices": [{"currency": "USD", "amount": amount}]}))
                .unwrap();
            input
                .into_product(ClientId::parse(id).unwrap(), now())
                .unwrap()
        };
        Catalog::new(vec![product("a", 1999), product("b", 5), product("c", 15)])
    }

    fn cart(lines: &[(&str, u32)]) -> Cart {
        let mut cart =
            new_cart(json!({"discount_settings": {"custom_discounts_enabled": true}})).unwrap();
        let inputs: Vec<_> = lines
            .iter()
            .map(|(id, qty)| {
                crate::http::bodies::from_value(json!({"product_id": id, "quantity": qty})).unwrap()
            })
            .collect();
        cart.add_items(&inputs, &[], &catalog(), true).unwrap();
        cart
    }

    fn custom_discount(cart: &mut Cart, amount: i64, item: Option<Uuid>) {
        let input = crate::http::bodies::from_value(
            json!({"amount": amount, "description": "d", "discount_code": "X", "item_id": item}),
        );
        cart.add_custom_discount(&input.unwrap()).unwrap();
    }

    #[test]
    fn without_discounts_the_total_is_the_subtotal() {
        let totals = cart(&[("a", 2), ("b", 3)]).price(&[], now()).unwrap();
        assert_eq!(
            (
                totals.subtotal,
                totals.discount,
                totals.total,
                totals.item_count
            ),
            (4013, 0, 4013, 5)
        );
        assert_eq!(totals.lines[0].extended, 3998);
    }

    #[test]
    fn percentages_round_half_up_on_minor_units() {
        assert_eq!(percent_of(1999, 10), 200); // 199.9
        assert_eq!(percent_of(5, 10), 1); // 0.5
        assert_eq!(percent_of(15, 10), 2); // 1.5
        assert_eq!(percent_of(14, 10), 1); // 1.4
        assert_eq!(percent_of(1, 1), 0); // 0.01
        assert_eq!(percent_of(1999, 100), 1999);
        assert_eq!(percent_of(0, 50), 0);
        let max = MAX_UNIT_PRICE * MAX_QUANTITY * 100;
        assert_eq!(percent_of(max, 100), max, "no overflow at the largest cart");
    }

    #[test]
    fn a_hundred_percent_takes_everything_and_no_more() {
        let all = promotion(json!({"kind": "percent_off", "value": 100}));
        let extra = promotion(json!({"name": "extra", "kind": "amount_off", "value": 500}));
        let totals = cart(&[("a", 3)]).price(&[all, extra], now()).unwrap();
        assert_eq!((totals.discount, totals.total), (5997, 0));
        assert_eq!(
            totals.promotions.len(),
            1,
            "nothing was left for the second"
        );
    }

    /// A gift certificate is sold at its amount: cart-wide discounts, however large, take
    /// from the other items only.
    #[test]
    fn no_discount_reaches_a_gift_certificate() {
        use crate::domain::items::{CustomItemInput, GiftCertificate, GiftContact, GiftTheme};
        let contact = GiftContact {
            name: "N".into(),
            email: "n@example.com".into(),
        };
        let gift = CustomItemInput {
            gift_certificate: Some(GiftCertificate {
                theme: GiftTheme::Girl,
                sender: contact.clone(),
                recipient: contact,
                message: None,
            }),
            ..crate::http::bodies::from_value(
                json!({"sku": "gift-certificate", "name": "G", "quantity": 2, "price": 1000}),
            )
            .unwrap()
        };
        let mut c = cart(&[("c", 1)]);
        c.add_items(&[], &[gift], &catalog(), true).unwrap();
        custom_discount(&mut c, 5000, None);
        let half = promotion(json!({"kind": "percent_off", "value": 50}));
        let totals = c.price(&[half], now()).unwrap();
        assert_eq!(
            (totals.subtotal, totals.discount, totals.total),
            (2015, 15, 2000)
        );
        let gift_line = &totals.lines[1];
        assert_eq!((gift_line.discount, gift_line.total), (0, 2000));
    }

    fn tax(cart: &mut Cart, item: Uuid, rate: &str) {
        charge(cart, item, TaxCharge::Rate(TaxRate::parse(rate).unwrap()));
    }

    fn charge(cart: &mut Cart, item: Uuid, charge: TaxCharge) {
        let input = crate::domain::taxes::TaxItemInput {
            name: "VAT".to_string().try_into().unwrap(),
            code: "VAT".to_string().try_into().unwrap(),
            jurisdiction: "UK".to_string().try_into().unwrap(),
            charge,
        };
        cart.add_tax_item(item, &input).unwrap();
    }

    fn custom_item(cart: &mut Cart, price: i64, excludes_tax: bool) -> Uuid {
        let input = crate::domain::items::CustomItemInput {
            excludes_tax,
            ..crate::http::bodies::from_value(
                json!({"sku": format!("s{price}{excludes_tax}"), "name": "C", "quantity": 1, "price": price}),
            )
            .unwrap()
        };
        cart.add_items(&[], &[input], &catalog(), true).unwrap();
        cart.custom_items.last().unwrap().id
    }

    #[test]
    fn tax_is_added_to_prices_that_exclude_it_rounded_half_up_per_tax_item() {
        let mut c = cart(&[("a", 1)]); // 1999
        let item = c.line_items[0].id;
        tax(&mut c, item, "0.0825"); // 164.9175 -> 165
        tax(&mut c, item, "0.0025"); // 4.9975 -> 5
        let totals = c.price(&[], now()).unwrap();
        assert_eq!(
            (totals.subtotal, totals.tax, totals.total),
            (1999, 170, 2169)
        );
        assert_eq!((totals.lines[0].tax, totals.lines[0].with_tax), (170, 2169));
    }

    #[test]
    fn tax_within_prices_that_include_it_is_taken_out_not_added() {
        let mut c = cart(&[]);
        let inclusive = custom_item(&mut c, 1200, false);
        tax(&mut c, inclusive, "0.2"); // 1200 holds 1000 + 200
        let exclusive = custom_item(&mut c, 1000, true);
        tax(&mut c, exclusive, "0.2"); // 1000 + 200
        let totals = c.price(&[], now()).unwrap();
        assert_eq!(
            (totals.subtotal, totals.tax, totals.total),
            (2200, 400, 2400)
        );
        assert_eq!((totals.lines[0].tax, totals.lines[0].with_tax), (200, 1200));
        assert_eq!((totals.lines[1].tax, totals.lines[1].with_tax), (200, 1200));
        // 999 / 1.2 = 832.5 -> 833 without tax, so 166 of tax.
        let mut c = cart(&[]);
        let odd = custom_item(&mut c, 999, false);
        tax(&mut c, odd, "0.2");
        assert_eq!(c.price(&[], now()).unwrap().tax, 166);
    }

    #[test]
    fn a_fixed_tax_amount_is_added_to_an_exclusive_price_and_held_by_an_inclusive_one() {
        let mut c = cart(&[]);
        let exclusive = custom_item(&mut c, 1000, true);
        charge(&mut c, exclusive, TaxCharge::Amount(75));
        tax(&mut c, exclusive, "0.1"); // + 100
        let inclusive = custom_item(&mut c, 1275, false);
        charge(&mut c, inclusive, TaxCharge::Amount(75));
        tax(&mut c, inclusive, "0.2"); // 1275 holds 75, and 1200 holds 1000 + 200
        let totals = c.price(&[], now()).unwrap();
        assert_eq!((totals.lines[0].tax, totals.lines[0].with_tax), (175, 1175));
        assert_eq!((totals.lines[1].tax, totals.lines[1].with_tax), (275, 1275));
        assert_eq!((totals.tax, totals.total), (450, 2450));
        // An inclusive price holds at most all of itself as tax.
        let mut c = cart(&[]);
        let small = custom_item(&mut c, 50, false);
        charge(&mut c, small, TaxCharge::Amount(75));
        let totals = c.price(&[], now()).unwrap();
        assert_eq!((totals.tax, totals.total), (50, 50));
    }

    #[test]
    fn tax_is_on_what_is_left_after_line_and_cart_discounts() {
        let mut c = cart(&[("a", 1), ("c", 1)]); // 1999 + 15
        let (a, cc) = (c.line_items[0].id, c.line_items[1].id);
        tax(&mut c, a, "0.1");
        tax(&mut c, cc, "0.1");
        custom_discount(&mut c, 999, Some(a)); // a: 1000
        custom_discount(&mut c, 101, None); // 101 over 1000 and 15: 99.5 and 1.49
        let totals = c.price(&[], now()).unwrap();
        let shares: Vec<i64> = totals.lines.iter().map(|l| l.cart_discount).collect();
        assert_eq!(
            shares,
            vec![100, 1],
            "the shares add up to what the cart took"
        );
        // a: (1000 - 100) x 0.1 = 90; c: (15 - 1) x 0.1 = 1.4 -> 1.
        assert_eq!(totals.tax, 91);
        assert_eq!(totals.total, 2014 - 999 - 101 + 91);
    }

    #[test]
    fn removing_an_item_removes_its_tax_items() {
        let mut c = cart(&[("a", 1), ("c", 1)]);
        let (a, cc) = (c.line_items[0].id, c.line_items[1].id);
        tax(&mut c, a, "0.1");
        tax(&mut c, cc, "0.1");
        c.remove_item(a).unwrap();
        assert_eq!(c.tax_items.len(), 1);
        assert_eq!(c.price(&[], now()).unwrap().tax, 2); // 1.5 -> 2
    }

    #[test]
    fn amounts_larger_than_the_cart_stop_at_zero() {
        let big = promotion(json!({"kind": "amount_off", "value": 1_000_000}));
        let mut c = cart(&[("b", 1)]);
        custom_discount(&mut c, 300, None);
        let totals = c.price(&[big], now()).unwrap();
        assert_eq!((totals.subtotal, totals.total, totals.discount), (5, 0, 5));
        assert_eq!(
            totals.discounts.len(),
            1,
            "the custom discount found nothing left"
        );
    }

    #[test]
    fn product_promotions_work_per_line_and_amounts_per_unit() {
        let on_b =
            promotion(json!({"kind": "amount_off", "value": 2, "applies_to": {"product_id": "b"}}));
        let totals = cart(&[("a", 1), ("b", 4)]).price(&[on_b], now()).unwrap();
        assert_eq!(totals.lines[1].discount, 8, "2 off each of 4 units");
        assert_eq!(totals.lines[0].discount, 0, "other products untouched");
        assert_eq!(totals.total, 1999 + 20 - 8);
        assert_eq!(totals.discounts[0].item_id, Some(totals.lines[1].item_id));
    }

    #[test]
    fn many_lines_round_each_line_for_product_promotions_and_once_for_the_cart() {
        // Half of 5 cents, on each of 100 lines: each rounds to 3 cents off.
        let lines: Vec<_> = (0..100).map(|_| ("b", 1)).collect();
        let mut many = new_cart(json!({})).unwrap();
        for _ in &lines {
            let custom = [crate::http::bodies::from_value(
                json!({"sku": "b", "name": "b", "quantity": 1, "price": 5}),
            )
            .unwrap()];
            many.add_items(&[], &custom, &catalog(), true).unwrap();
        }
        let half_cart = promotion(json!({"kind": "percent_off", "value": 50}));
        let totals = many.price(&[half_cart], now()).unwrap();
        assert_eq!(
            (totals.subtotal, totals.discount),
            (500, 250),
            "one rounding on the cart sum"
        );

        let c = cart(&[("c", 1), ("b", 1)]);
        let half_each = promotion(
            json!({"kind": "percent_off", "value": 50, "applies_to": {"product_id": "c"}}),
        );
        let totals = c.price(&[half_each], now()).unwrap();
        assert_eq!(totals.lines[0].discount, 8, "7.5 rounds up");
    }

    #[test]
    fn percent_goes_first_then_amounts_then_custom_discounts_then_the_cart() {
        let mut c = cart(&[("a", 1)]);
        let item = c.line_items[0].id;
        custom_discount(&mut c, 100, Some(item));
        custom_discount(&mut c, 50, None);
        let promotions = [
            promotion(
                json!({"name": "z-amount", "kind": "amount_off", "value": 99, "applies_to": {"product_id": "a"}}),
            ),
            promotion(
                json!({"name": "a-percent", "kind": "percent_off", "value": 10, "applies_to": {"product_id": "a"}}),
            ),
            promotion(json!({"name": "cart", "kind": "percent_off", "value": 10})),
        ];
        let totals = c.price(&promotions, now()).unwrap();
        let taken: Vec<i64> = totals.discounts.iter().map(|d| d.amount).collect();
        // 1999 -200 (10%) =1799 -99 =1700 -100 (custom) =1600 | cart: -160 (10%) =1440 -50 =1390
        assert_eq!(taken, [200, 99, 100, 160, 50]);
        assert_eq!(totals.total, 1390);
        assert_eq!(totals.discount, 1999 - 1390);
        assert_eq!(totals.promotions.iter().map(|p| p.amount).sum::<i64>(), 459);
    }

    #[test]
    fn codes_apply_only_when_entered_and_report_their_status() {
        let coded = promotion(json!({"kind": "amount_off", "value": 100, "code": "SAVE"}));
        let mut c = cart(&[("a", 1)]);
        assert_eq!(
            c.price(std::slice::from_ref(&coded), now())
                .unwrap()
                .discount,
            0
        );
        c.promotion_codes = vec!["SAVE".into(), "UNKNOWN".into()];
        let totals = c.price(&[coded], now()).unwrap();
        assert_eq!(totals.discount, 100);
        let statuses: Vec<_> = totals
            .codes
            .iter()
            .map(|s| (s.code.as_str(), s.applied))
            .collect();
        assert_eq!(statuses, [("SAVE", true), ("UNKNOWN", false)]);
    }

    #[test]
    fn preview_carts_are_priced_at_their_snapshot_date() {
        let christmas = promotion(
            json!({"kind": "percent_off", "value": 20, "starts_at": "2026-12-24T00:00:00Z"}),
        );
        let mut c = cart(&[("a", 1)]);
        assert_eq!(
            c.price(std::slice::from_ref(&christmas), now())
                .unwrap()
                .discount,
            0
        );
        c.snapshot_date = Some("2026-12-24T10:00:00Z".parse().unwrap());
        assert_eq!(c.price(&[christmas], now()).unwrap().discount, 400);
    }

    #[test]
    fn the_largest_possible_cart_does_not_overflow() {
        let mut c = new_cart(json!({})).unwrap();
        let items: Vec<_> = (0..100)
            .map(|i| crate::http::bodies::from_value(json!({"sku": format!("s{i}"), "name": "n", "quantity": MAX_QUANTITY, "price": MAX_UNIT_PRICE})).unwrap())
            .collect();
        c.add_items(&[], &items, &catalog(), true).unwrap();
        let totals = c
            .price(
                &[promotion(json!({"kind": "percent_off", "value": 33}))],
                now(),
            )
            .unwrap();
        assert_eq!(totals.subtotal, 100 * MAX_QUANTITY * MAX_UNIT_PRICE);
        assert_eq!(totals.total + totals.discount, totals.subtotal);
    }
}
