//! Totals: what each line costs and what the cart comes to. Computed whenever a cart is
//! shown, never stored, so they cannot go stale. All arithmetic is checked.

use super::cart::Cart;
use crate::Error;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Sum of every line's extended price.
    pub subtotal: i64,
    /// Everything taken off (promotions and custom discounts).
    pub discount: i64,
    /// `subtotal - discount`, never below zero.
    pub total: i64,
    /// Units in the cart, all items together.
    pub item_count: u64,
    pub lines: Vec<LineTotal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTotal {
    pub item_id: Uuid,
    /// Unit price x quantity.
    pub extended: i64,
}

fn overflow() -> Error {
    Error::unprocessable(
        "amount_overflow",
        "Amount too large",
        "the cart's totals would overflow",
    )
}

impl Cart {
    pub fn totals(&self) -> Result<Totals, Error> {
        let items = self
            .line_items
            .iter()
            .map(|i| (i.id, i.unit_price, i.quantity))
            .chain(
                self.custom_items
                    .iter()
                    .map(|i| (i.id, i.unit_price, i.quantity)),
            );
        let mut lines = Vec::with_capacity(self.item_count());
        let (mut subtotal, mut item_count) = (0i64, 0u64);
        for (item_id, unit_price, quantity) in items {
            let extended = unit_price
                .checked_mul(i64::from(quantity))
                .ok_or_else(overflow)?;
            subtotal = subtotal.checked_add(extended).ok_or_else(overflow)?;
            item_count += u64::from(quantity);
            lines.push(LineTotal { item_id, extended });
        }
        Ok(Totals {
            subtotal,
            discount: 0,
            total: subtotal,
            item_count,
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::cart::tests::new_cart;
    use crate::domain::values::{MAX_QUANTITY, MAX_UNIT_PRICE};
    use serde_json::json;

    #[test]
    fn totals_add_up_lines() {
        let cart = new_cart(json!({})).unwrap();
        let mut cart = cart;
        let items: Vec<_> = [(1999, 2), (1, 3)]
            .iter()
            .map(|(price, qty)| {
                serde_json::from_value(
                    json!({"sku": "s", "name": "n", "quantity": qty, "price": price}),
                )
                .unwrap()
            })
            .collect();
        cart.add_items(&[], &items, &Default::default(), true)
            .unwrap();
        let totals = cart.totals().unwrap();
        assert_eq!(
            (
                totals.subtotal,
                totals.discount,
                totals.total,
                totals.item_count
            ),
            (4001, 0, 4001, 5)
        );
        assert_eq!(totals.lines[0].extended, 3998);
    }

    #[test]
    fn the_largest_possible_cart_does_not_overflow() {
        let mut cart = new_cart(json!({})).unwrap();
        let items: Vec<_> = (0..100)
            .map(|i| serde_json::from_value(json!({"sku": format!("s{i}"), "name": "n", "quantity": MAX_QUANTITY, "price": MAX_UNIT_PRICE})).unwrap())
            .collect();
        cart.add_items(&[], &items, &Default::default(), true)
            .unwrap();
        let totals = cart.totals().unwrap();
        assert_eq!(totals.subtotal, 100 * MAX_QUANTITY * MAX_UNIT_PRICE);
    }
}
