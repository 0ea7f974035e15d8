//! Custom discounts: amounts an external system (a loyalty or pricing service) takes off a
//! cart or one of its items. Only on carts with custom discounts enabled.

use super::cart::Cart;
use super::values::{Bounded, Name, Text};
use crate::error::Problem;
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
    /// The discount's id in the system that gave it (Elastic Path's `external_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The system that gave it (Elastic Path's `discount_engine`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_engine: Option<String>,
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
    pub external_id: Option<Text<0, 255>>,
    pub discount_engine: Option<Text<0, 255>>,
}

/// A custom discount to add, from a request's `source` (named by refusals).
#[derive(Debug, Clone)]
pub struct NewCustomDiscount {
    pub discount: CustomDiscountInput,
    pub source: String,
}

fn disabled() -> Error {
    Error::of(
        Code::CustomDiscountsDisabled,
        "this cart does not accept custom discounts (discount_settings.custom_discounts_enabled)",
    )
}

impl Cart {
    /// Adds a custom discount; 422 when they are disabled, the item is not in the cart, or
    /// the cart or item already has five.
    pub fn add_custom_discount(&mut self, input: &CustomDiscountInput) -> Result<Uuid, Error> {
        if !self.discount_settings.custom_discounts_enabled {
            return Err(disabled());
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
            external_id: input.external_id.as_ref().map(|t| t.as_str().to_owned()),
            discount_engine: input
                .discount_engine
                .as_ref()
                .map(|t| t.as_str().to_owned()),
        });
        Ok(id)
    }

    /// Adds several custom discounts, each refused (naming its source) as `add_custom_discount`
    /// would refuse it. `all_or_nothing`: one refusal refuses them all; otherwise the others
    /// are added and the refusals returned (all refused is an error).
    pub fn add_custom_discounts(
        &mut self,
        discounts: &[NewCustomDiscount],
        all_or_nothing: bool,
    ) -> Result<(Vec<Uuid>, Vec<Problem>), Error> {
        let (mut ids, mut refused) = (Vec::new(), Vec::new());
        for new in discounts {
            match self.add_custom_discount(&new.discount) {
                Ok(id) => ids.push(id),
                Err(err) => refused.extend(err.problems.into_iter().map(|p| Problem {
                    source: Some(new.source.clone()),
                    ..p
                })),
            }
        }
        if !refused.is_empty() && (all_or_nothing || ids.is_empty()) {
            self.custom_discounts.retain(|d| !ids.contains(&d.id));
            return Err(Error::many(refused));
        }
        Ok((ids, refused))
    }

    /// Replaces what the custom discount `id` takes and says; `item_id` is where the request
    /// found it (`None`: on the cart as a whole), and it stays there.
    pub fn update_custom_discount(
        &mut self,
        id: Uuid,
        item_id: Option<Uuid>,
        input: &CustomDiscountInput,
    ) -> Result<(), Error> {
        if !self.discount_settings.custom_discounts_enabled {
            return Err(disabled());
        }
        let discount = self
            .custom_discounts
            .iter_mut()
            .find(|d| d.id == id && d.item_id == item_id)
            .ok_or_else(|| Error::not_found("custom discount"))?;
        discount.amount = input.amount.get();
        discount.description = input.description.as_str().to_owned();
        discount.discount_code = input.discount_code.as_str().to_owned();
        discount.external_id = input.external_id.as_ref().map(|t| t.as_str().to_owned());
        discount.discount_engine = input
            .discount_engine
            .as_ref()
            .map(|t| t.as_str().to_owned());
        Ok(())
    }

    /// Removes every custom discount, the cart's and its items'.
    pub fn clear_custom_discounts(&mut self) {
        self.custom_discounts.clear();
    }

    /// Removes the custom discount `id`; with `item_id`, only if it is on that item.
    pub fn remove_custom_discount(&mut self, id: Uuid, item_id: Option<Uuid>) -> Result<(), Error> {
        let before = self.custom_discounts.len();
        self.custom_discounts
            .retain(|d| d.id != id || item_id.is_some_and(|item| d.item_id != Some(item)));
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
        cart.remove_custom_discount(id, None).unwrap();
        assert_eq!(
            cart.remove_custom_discount(id, None).unwrap_err().code(),
            "not_found"
        );
    }
}
