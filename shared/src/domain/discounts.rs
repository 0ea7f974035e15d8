//! Custom discounts: amounts an external system (a loyalty or pricing service) takes off a
//! cart or one of its items. Only on carts with custom discounts enabled.

use super::cart::Cart;
use super::values::{Bounded, Name, Text};
use crate::{Code, Error};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Custom discounts on the cart as a whole, and on any one item.
pub const MAX_CUSTOM_DISCOUNTS: usize = 5;
/// Largest custom discount, in minor units: 10^15, ten trillion of a two-decimal currency,
/// beyond any real cart (the largest cart the limits allow totals 10^17, so five maximal
/// discounts do not cover it; totals still stop at zero).
pub const MAX_DISCOUNT: i64 = 1_000_000_000_000_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomDiscount {
    pub id: Uuid,
    /// Minor units taken off (never more than what it applies to).
    pub amount: i64,
    pub description: String,
    pub discount_code: String,
    /// `None`: off the cart as a whole.
    pub item_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscountSettings {
    pub custom_discounts_enabled: bool,
}

/// A custom discount to add, to the cart or (with `item_id`) to one item.
#[derive(Debug, Clone)]
pub struct CustomDiscountInput {
    pub amount: Bounded<1, MAX_DISCOUNT>,
    pub description: Name,
    pub discount_code: Text<1, 64>,
    pub item_id: Option<Uuid>,
}

impl Cart {
    /// Adds a custom discount; 422 when they are disabled, the item is not in the cart, or
    /// the cart or item already has five.
    pub fn add_custom_discount(&mut self, input: &CustomDiscountInput) -> Result<Uuid, Error> {
        if !self.discount_settings.custom_discounts_enabled {
            return Err(Error::of(
                Code::CustomDiscountsDisabled,
                "this cart does not accept custom discounts (discount_settings.custom_discounts_enabled)",
            ));
        }
        if let Some(item_id) = input.item_id
            && !self.has_item(item_id)
        {
            return Err(Error::of(
                Code::ItemNotFound,
                format!("the cart has no item {item_id}"),
            )
            .at("item_id"));
        }
        if let Some(item_id) = input.item_id
            && self
                .custom_items
                .iter()
                .any(|i| i.id == item_id && i.is_gift_certificate())
        {
            return Err(Error::of(
                Code::ItemNotDiscountable,
                "a gift certificate is sold at its amount and takes no discount",
            )
            .at("item_id"));
        }
        let same_target = self
            .custom_discounts
            .iter()
            .filter(|d| d.item_id == input.item_id)
            .count();
        if same_target >= MAX_CUSTOM_DISCOUNTS {
            let target = if input.item_id.is_some() {
                "an item"
            } else {
                "a cart"
            };
            return Err(Error::of(
                Code::CustomDiscountLimit,
                format!("{target} takes at most {MAX_CUSTOM_DISCOUNTS} custom discounts"),
            ));
        }
        let id = Uuid::new_v4();
        self.custom_discounts.push(CustomDiscount {
            id,
            amount: input.amount.get(),
            description: input.description.as_str().to_owned(),
            discount_code: input.discount_code.as_str().to_owned(),
            item_id: input.item_id,
        });
        Ok(id)
    }

    pub fn remove_custom_discount(&mut self, id: Uuid) -> Result<(), Error> {
        let before = self.custom_discounts.len();
        self.custom_discounts.retain(|d| d.id != id);
        if self.custom_discounts.len() == before {
            return Err(Error::not_found("custom discount"));
        }
        Ok(())
    }

    /// Turning custom discounts off removes the ones the cart has: a cart never holds
    /// discounts it does not apply.
    pub fn set_discount_settings(&mut self, settings: DiscountSettings) {
        self.discount_settings.custom_discounts_enabled = settings.custom_discounts_enabled;
        if !settings.custom_discounts_enabled {
            self.custom_discounts.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cart::tests::new_cart;
    use serde_json::json;

    fn discount(body: serde_json::Value) -> CustomDiscountInput {
        let mut full = json!({"amount": 500, "description": "Loyalty", "discount_code": "LOYAL5"});
        full.as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        crate::http::bodies::from_value(full).unwrap()
    }

    #[test]
    fn only_when_enabled() {
        let mut cart = new_cart(json!({})).unwrap();
        assert_eq!(
            cart.add_custom_discount(&discount(json!({})))
                .unwrap_err()
                .code(),
            "custom_discounts_disabled"
        );
        let mut cart_on =
            new_cart(json!({"discount_settings": {"custom_discounts_enabled": true}})).unwrap();
        cart_on.add_custom_discount(&discount(json!({}))).unwrap();
        cart.set_discount_settings(DiscountSettings {
            custom_discounts_enabled: true,
        });
        cart.add_custom_discount(&discount(json!({}))).unwrap();
        cart.set_discount_settings(DiscountSettings {
            custom_discounts_enabled: false,
        });
        assert!(cart.custom_discounts.is_empty(), "disabling removes them");
    }

    #[test]
    fn five_per_cart_and_five_per_item() {
        let mut cart =
            new_cart(json!({"discount_settings": {"custom_discounts_enabled": true}})).unwrap();
        let items = [crate::http::bodies::from_value(
            json!({"sku": "A", "name": "A", "quantity": 1, "price": 1000}),
        )
        .unwrap()];
        cart.add_items(&[], &items, &Default::default(), true)
            .unwrap();
        let item = cart.custom_items[0].id;
        for _ in 0..5 {
            cart.add_custom_discount(&discount(json!({}))).unwrap();
            cart.add_custom_discount(&discount(json!({"item_id": item})))
                .unwrap();
        }
        assert_eq!(
            cart.add_custom_discount(&discount(json!({})))
                .unwrap_err()
                .code(),
            "custom_discount_limit"
        );
        let err = cart
            .add_custom_discount(&discount(json!({"item_id": item})))
            .unwrap_err();
        assert_eq!(err.code(), "custom_discount_limit");
        let missing = discount(json!({"item_id": Uuid::new_v4()}));
        assert_eq!(
            cart.add_custom_discount(&missing).unwrap_err().code(),
            "item_not_found"
        );
    }

    #[test]
    fn removing_an_unknown_discount_is_not_found() {
        let mut cart =
            new_cart(json!({"discount_settings": {"custom_discounts_enabled": true}})).unwrap();
        let id = cart.add_custom_discount(&discount(json!({}))).unwrap();
        cart.remove_custom_discount(id).unwrap();
        assert_eq!(
            cart.remove_custom_discount(id).unwrap_err().code(),
            "not_found"
        );
    }
}
