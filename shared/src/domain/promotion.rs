//! Promotions: percent or amount off, on the whole cart or on one product, active between
//! two dates, automatic or behind a code, optionally only for carts with a given custom
//! attribute. They are evaluated whenever a cart is priced (see `pricing`).

use super::attributes::CustomAttribute;
use super::cart::Cart;
use super::money::Currency;
use super::values::{Bounded, ClientId, MAX_UNIT_PRICE, Name};
use crate::{Code, Error};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Promotion {
    pub id: ClientId,
    pub name: String,
    pub kind: PromotionKind,
    /// A percentage (1-100) for `percent_off`; minor units for `amount_off`.
    pub value: i64,
    /// `None`: the whole cart.
    pub applies_to: Option<AppliesTo>,
    /// `None`: applied automatically to every eligible cart. Stored in upper case.
    pub code: Option<String>,
    /// `None`: carts in any currency (an `amount_off` is then in the cart's currency).
    pub currency: Option<Currency>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub condition: Option<Condition>,
    /// Counted at checkout per customer id or contact e-mail.
    pub max_uses_per_shopper: Option<u32>,
    pub enabled: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromotionKind {
    PercentOff,
    AmountOff,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliesTo {
    pub product_id: ClientId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub custom_attribute: AttributeCondition,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeCondition {
    pub name: String,
    pub value: ConditionValue,
}

/// The value a cart's attribute must have: compared by value, whatever the attribute's type
/// (`3` matches an integer 3 or a float 3.0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConditionValue {
    Boolean(bool),
    Integer(i64),
    Float(f64),
    Text(String),
}

impl ConditionValue {
    fn matches(&self, attribute: &CustomAttribute) -> bool {
        match (self, attribute) {
            (ConditionValue::Text(want), CustomAttribute::String(have)) => want == have,
            (ConditionValue::Boolean(want), CustomAttribute::Boolean(have)) => want == have,
            (ConditionValue::Integer(want), CustomAttribute::Integer(have)) => want == have,
            (ConditionValue::Integer(want), CustomAttribute::Float(have)) => *want as f64 == *have,
            (ConditionValue::Float(want), CustomAttribute::Float(have)) => want == have,
            (ConditionValue::Float(want), CustomAttribute::Integer(have)) => *want == *have as f64,
            _ => false,
        }
    }
}

impl Promotion {
    /// Enabled and within its dates at `at` (`ends_at` itself is outside).
    pub fn is_active(&self, at: DateTime<Utc>) -> bool {
        self.enabled && self.starts_at <= at && self.ends_at.is_none_or(|end| at < end)
    }

    /// Whether the promotion may apply to `cart` priced at `at`; whether it takes anything
    /// off depends on the cart's items too (see `pricing`).
    pub fn is_eligible(&self, cart: &Cart, at: DateTime<Utc>) -> bool {
        let condition_met = self.condition.as_ref().is_none_or(|c| {
            let wanted = &c.custom_attribute;
            cart.custom_attributes
                .get(&wanted.name)
                .is_some_and(|have| wanted.value.matches(have))
        });
        let code_entered = self
            .code
            .as_ref()
            .is_none_or(|code| cart.promotion_codes.contains(code));
        self.is_active(at)
            && self.currency.is_none_or(|c| c == cart.currency)
            && condition_met
            && code_entered
    }
}

/// A promotion code as typed by a shopper: compared without regard to case.
pub fn normalize_code(code: &str) -> String {
    code.to_ascii_uppercase()
}

/// A promotion to create or replace, checked by `into_promotion`.
#[derive(Debug, Clone)]
pub struct PromotionInput {
    pub name: Name,
    pub kind: PromotionKind,
    pub value: Bounded<1, MAX_UNIT_PRICE>,
    pub applies_to: Option<AppliesTo>,
    pub code: Option<ClientId>,
    pub currency: Option<Currency>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub condition: Option<Condition>,
    pub max_uses_per_shopper: Option<Bounded<1, 1_000_000>>,
    pub enabled: bool,
}

impl PromotionInput {
    pub fn into_promotion(self, id: ClientId, now: DateTime<Utc>) -> Result<Promotion, Error> {
        if self.kind == PromotionKind::PercentOff && self.value.get() > 100 {
            return Err(Error::invalid(
                "value",
                "value must be between 1 and 100 for percent_off",
            ));
        }
        if let Some(ends_at) = self.ends_at
            && ends_at <= self.starts_at
        {
            return Err(Error::invalid("ends_at", "ends_at must be after starts_at"));
        }
        Ok(Promotion {
            id,
            name: self.name.into_inner(),
            kind: self.kind,
            value: self.value.get(),
            applies_to: self.applies_to,
            code: self.code.map(|c| normalize_code(&c.key())),
            currency: self.currency,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            condition: self.condition,
            max_uses_per_shopper: self.max_uses_per_shopper.map(|n| n.get() as u32),
            enabled: self.enabled,
            updated_at: now,
        })
    }
}

/// Promotion codes one cart may hold.
pub const MAX_CODES: usize = 10;

/// Promotion codes on a cart.
impl Cart {
    /// Adds `code` if it takes something off the cart now; otherwise 422
    /// `promotion_not_applicable` (unknown, not active, or the cart is not eligible). A code
    /// the cart holds already is kept as it is.
    pub fn apply_code(
        &mut self,
        code: &str,
        promotions: &[Promotion],
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let code = normalize_code(code);
        if self.promotion_codes.contains(&code) {
            return Ok(());
        }
        if self.promotion_codes.len() >= MAX_CODES {
            return Err(Error::of(
                Code::PromotionCodeLimit,
                format!("a cart holds at most {MAX_CODES} promotion codes"),
            )
            .at("code"));
        }
        let mut trial = self.clone();
        trial.promotion_codes.push(code.clone());
        let totals = trial.price(promotions, now)?;
        if !totals
            .codes
            .iter()
            .any(|status| status.code == code && status.applied)
        {
            return Err(Error::of(
                Code::PromotionNotApplicable,
                format!("the code {code} is unknown, not active, or does not apply to this cart"),
            )
            .at("code"));
        }
        *self = trial;
        Ok(())
    }

    /// Removes `code`; 404 when the cart does not hold it.
    pub fn remove_code(&mut self, code: &str) -> Result<(), Error> {
        let code = normalize_code(code);
        let before = self.promotion_codes.len();
        self.promotion_codes.retain(|c| *c != code);
        if self.promotion_codes.len() == before {
            return Err(Error::not_found("promotion code"));
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::cart::tests::{new_cart, now};
    use serde_json::json;

    pub(crate) fn promotion(body: serde_json::Value) -> Promotion {
        let mut full = json!({"name": "Promo", "starts_at": "2026-01-01T00:00:00Z"});
        full.as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        let input: PromotionInput = crate::http::bodies::from_value(full).unwrap();
        let id = input.name.as_str().to_string();
        input
            .into_promotion(ClientId::parse(&id.replace(' ', "-")).unwrap(), now())
            .unwrap()
    }

    #[test]
    fn active_between_its_dates_and_only_when_enabled() {
        let p = promotion(
            json!({"kind": "percent_off", "value": 10, "ends_at": "2026-12-01T00:00:00Z"}),
        );
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(!p.is_active(at("2025-12-31T23:59:59Z")));
        assert!(p.is_active(at("2026-01-01T00:00:00Z")));
        assert!(!p.is_active(at("2026-12-01T00:00:00Z")));
        let off = Promotion {
            enabled: false,
            ..p
        };
        assert!(!off.is_active(at("2026-06-01T00:00:00Z")));
    }

    #[test]
    fn eligibility_checks_code_currency_and_attribute_condition() {
        let vip = promotion(json!({"kind": "percent_off", "value": 10, "code": "vip10",
            "condition": {"custom_attribute": {"name": "membership", "value": "VIP"}}}));
        assert_eq!(vip.code.as_deref(), Some("VIP10"));
        let mut cart = new_cart(
            json!({"custom_attributes": {"membership": {"type": "string", "value": "VIP"}}}),
        )
        .unwrap();
        assert!(!vip.is_eligible(&cart, now()), "the code was not entered");
        cart.promotion_codes.push("VIP10".into());
        assert!(vip.is_eligible(&cart, now()));
        cart.custom_attributes
            .insert("membership".into(), CustomAttribute::String("basic".into()));
        assert!(!vip.is_eligible(&cart, now()));

        let euro = promotion(json!({"kind": "amount_off", "value": 500, "currency": "EUR"}));
        assert!(!euro.is_eligible(&new_cart(json!({})).unwrap(), now()));
        assert!(euro.is_eligible(
            &new_cart(json!({"currency": {"code": "EUR"}})).unwrap(),
            now()
        ));
    }

    #[test]
    fn numeric_conditions_compare_by_value() {
        let three = ConditionValue::Integer(3);
        assert!(three.matches(&CustomAttribute::Integer(3)));
        assert!(three.matches(&CustomAttribute::Float(3.0)));
        assert!(!three.matches(&CustomAttribute::String("3".into())));
        assert!(ConditionValue::Boolean(true).matches(&CustomAttribute::Boolean(true)));
    }

    #[test]
    fn inputs_are_checked_across_fields() {
        let input = |body: serde_json::Value| {
            let mut full = json!({"name": "P", "starts_at": "2026-01-01T00:00:00Z"});
            full.as_object_mut()
                .unwrap()
                .extend(body.as_object().unwrap().clone());
            crate::http::bodies::from_value::<PromotionInput>(full)
                .map_err(|e| e.to_string())
                .and_then(|i| {
                    i.into_promotion(ClientId::Int(1), now())
                        .map_err(|e| e.to_string())
                })
        };
        assert!(input(json!({"kind": "percent_off", "value": 100})).is_ok());
        assert!(input(json!({"kind": "percent_off", "value": 101})).is_err());
        assert!(input(json!({"kind": "amount_off", "value": 101})).is_ok());
        assert!(input(json!({"kind": "amount_off", "value": 0})).is_err());
        assert!(input(json!({"kind": "free", "value": 1})).is_err());
        assert!(
            input(json!({"kind": "amount_off", "value": 1, "ends_at": "2026-01-01T00:00:00Z"}))
                .is_err()
        );
        assert!(input(json!({"kind": "amount_off", "value": 1, "code": "has space"})).is_err());
        assert!(
            input(json!({"kind": "amount_off", "value": 1, "max_uses_per_shopper": 0})).is_err()
        );
        assert!(
            input(json!({"kind": "amount_off", "value": 1,
            "condition": {"custom_attribute": {"name": "bad name", "value": "x"}}}))
            .is_err()
        );
    }
}
