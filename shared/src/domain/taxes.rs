//! Tax items: a tax an external system (a tax service) sets on one item of a cart, as a
//! rate, or as an amount it has worked out itself, with its name, code and jurisdiction.
//! Trolley computes no tax of its own; it adds up what it is given (see `pricing` for how a
//! line's tax is computed and rounded).

use super::cart::Cart;
use super::values::{Bounded, Text};
use crate::error::Problem;
use crate::{Code, Error};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Tax items on any one item.
pub const MAX_TAX_ITEMS: usize = 5;

/// Largest tax amount, in minor units: as large as a custom discount may be (10^15), far
/// beyond any real line and far from overflowing a total.
pub const MAX_TAX_AMOUNT: i64 = crate::domain::discounts::MAX_DISCOUNT;

/// A tax amount in minor units of the cart's currency.
pub type TaxAmount = Bounded<0, MAX_TAX_AMOUNT>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxItem {
    pub id: Uuid,
    pub item_id: Uuid,
    pub name: String,
    pub code: String,
    pub jurisdiction: String,
    /// The rate; 0 when `amount` is set. Kept as its own attribute (not an enum) so carts
    /// stored before amounts existed read back unchanged.
    rate: TaxRate,
    /// A fixed tax on the whole line, set instead of a rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    amount: Option<i64>,
}

/// What a tax item charges: a rate of what its line comes to, or a fixed amount of tax on
/// the line (in minor units, whatever the quantity: the tax service has done the sum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxCharge {
    Rate(TaxRate),
    Amount(i64),
}

impl TaxItem {
    pub fn charge(&self) -> TaxCharge {
        match self.amount {
            Some(amount) => TaxCharge::Amount(amount),
            None => TaxCharge::Rate(self.rate),
        }
    }

    fn set_charge(&mut self, charge: TaxCharge) {
        (self.rate, self.amount) = match charge {
            TaxCharge::Rate(rate) => (rate, None),
            TaxCharge::Amount(amount) => (TaxRate(0), Some(amount)),
        };
    }
}

/// A rate as millionths (`0.0825`, 8.25 %, is 82,500): six decimals of a fraction are finer
/// than any published rate, and integers keep the arithmetic exact. At most 10 (1,000 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaxRate(u32);

impl TaxRate {
    pub const SCALE: u32 = 1_000_000;
    const MAX: u32 = 10 * Self::SCALE;

    pub fn millionths(self) -> u32 {
        self.0
    }

    pub fn from_millionths(value: u32) -> Result<TaxRate, String> {
        if value > Self::MAX {
            return Err("must be at most 10 (a rate is a fraction: 0.2 is 20 %)".into());
        }
        Ok(TaxRate(value))
    }

    /// A rate written as decimal text (`0.2`, `0.0825`, `1e-2`), read exactly: the digits are
    /// moved, never computed with floats.
    pub fn parse(text: &str) -> Result<TaxRate, String> {
        const RULE: &str = "must be a number from 0 to 10 with at most 6 decimals";
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((mantissa, exponent)) => {
                let exponent = exponent.parse::<i32>().map_err(|_| RULE)?;
                // Beyond this no rate from 0 to 10 with six decimals can be written.
                if exponent.unsigned_abs() > 1000 {
                    return Err(RULE.into());
                }
                (mantissa, exponent)
            }
            None => (text, 0),
        };
        if mantissa.starts_with('-') {
            return Err("must not be negative".into());
        }
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if whole.is_empty() || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(RULE.into());
        }
        // Millionths: the digits, with the point moved six places right (and by the exponent).
        let shift = 6 + exponent - fraction.len() as i32;
        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        let value: u128 = if digits.is_empty() {
            0
        } else if shift >= 0 {
            if digits.len() + shift as usize > 12 {
                return Err(RULE.into());
            }
            format!("{digits}{}", "0".repeat(shift as usize))
                .parse()
                .map_err(|_| RULE)?
        } else {
            let cut = digits.len().saturating_sub(shift.unsigned_abs() as usize);
            let (kept, dropped) = digits.split_at(cut);
            if dropped.bytes().any(|b| b != b'0') {
                return Err(RULE.into());
            }
            if kept.is_empty() {
                0
            } else {
                kept.parse().map_err(|_| RULE)?
            }
        };
        u32::try_from(value)
            .map_err(|_| RULE.to_string())
            .and_then(TaxRate::from_millionths)
    }
}

/// A tax item to set on an item.
#[derive(Debug, Clone)]
pub struct TaxItemInput {
    pub name: Text<0, 255>,
    pub code: Text<0, 64>,
    pub jurisdiction: Text<0, 255>,
    pub charge: TaxCharge,
}

/// A change to a tax item: `None` leaves a field alone (a new charge replaces a rate with
/// an amount, or the other way round).
#[derive(Debug, Clone, Default)]
pub struct TaxItemPatch {
    pub name: Option<Text<0, 255>>,
    pub code: Option<Text<0, 64>>,
    pub jurisdiction: Option<Text<0, 255>>,
    pub charge: Option<TaxCharge>,
}

/// A tax item to set on the item `item_id`, from a request's `source` (named by refusals).
#[derive(Debug, Clone)]
pub struct NewTaxItem {
    pub item_id: Uuid,
    pub tax: TaxItemInput,
    pub source: Option<String>,
}

impl Cart {
    /// Sets a tax item on `item_id` (named by the path: 404 when the cart lacks it).
    pub fn add_tax_item(&mut self, item_id: Uuid, tax: &TaxItemInput) -> Result<Uuid, Error> {
        if !self.has_item(item_id) {
            return Err(Error::not_found("item"));
        }
        let new = NewTaxItem {
            item_id,
            tax: tax.clone(),
            source: None,
        };
        let (ids, _) = self.add_tax_items(std::slice::from_ref(&new), true)?;
        Ok(ids[0])
    }

    /// Sets several tax items. Each is refused (422, naming its source) for an item the cart
    /// lacks, a gift certificate (sold at its amount, untaxed), or an item that would have
    /// more than five. `all_or_nothing`: one refusal refuses them all; otherwise the others
    /// are set and the refusals returned (all refused is an error).
    pub fn add_tax_items(
        &mut self,
        taxes: &[NewTaxItem],
        all_or_nothing: bool,
    ) -> Result<(Vec<Uuid>, Vec<Problem>), Error> {
        let (mut ids, mut refused) = (Vec::new(), Vec::new());
        for new in taxes {
            match self.check_taxable(new.item_id) {
                Ok(()) => {
                    let id = Uuid::new_v4();
                    let mut tax = TaxItem {
                        id,
                        item_id: new.item_id,
                        name: new.tax.name.as_str().to_owned(),
                        code: new.tax.code.as_str().to_owned(),
                        jurisdiction: new.tax.jurisdiction.as_str().to_owned(),
                        rate: TaxRate(0),
                        amount: None,
                    };
                    tax.set_charge(new.tax.charge);
                    self.tax_items.push(tax);
                    ids.push(id);
                }
                Err(problem) => refused.push(match &new.source {
                    Some(source) => problem.at(source.clone()),
                    None => problem,
                }),
            }
        }
        if !refused.is_empty() && (all_or_nothing || ids.is_empty()) {
            self.tax_items.retain(|t| !ids.contains(&t.id));
            return Err(Error::many(refused));
        }
        Ok((ids, refused))
    }

    fn check_taxable(&self, item_id: Uuid) -> Result<(), Problem> {
        if !self.has_item(item_id) {
            return Err(Problem::new(
                Code::ItemNotFound,
                format!("the cart has no item {item_id}"),
            ));
        }
        if self
            .custom_items
            .iter()
            .any(|i| i.id == item_id && i.is_gift_certificate())
        {
            return Err(Problem::new(
                Code::ItemNotTaxable,
                "a gift certificate is sold at its amount and takes no tax",
            ));
        }
        if self
            .tax_items
            .iter()
            .filter(|t| t.item_id == item_id)
            .count()
            >= MAX_TAX_ITEMS
        {
            return Err(Problem::new(
                Code::TaxItemLimit,
                format!("an item takes at most {MAX_TAX_ITEMS} tax items"),
            ));
        }
        Ok(())
    }

    /// Changes the tax item `tax_id` on `item_id`.
    pub fn update_tax_item(
        &mut self,
        item_id: Uuid,
        tax_id: Uuid,
        patch: &TaxItemPatch,
    ) -> Result<(), Error> {
        let tax = self
            .tax_items
            .iter_mut()
            .find(|t| t.id == tax_id && t.item_id == item_id)
            .ok_or_else(|| Error::not_found("tax item"))?;
        if let Some(name) = &patch.name {
            tax.name = name.as_str().to_owned();
        }
        if let Some(code) = &patch.code {
            tax.code = code.as_str().to_owned();
        }
        if let Some(jurisdiction) = &patch.jurisdiction {
            tax.jurisdiction = jurisdiction.as_str().to_owned();
        }
        if let Some(charge) = patch.charge {
            tax.set_charge(charge);
        }
        Ok(())
    }

    /// Removes the tax item `tax_id` from `item_id`.
    pub fn remove_tax_item(&mut self, item_id: Uuid, tax_id: Uuid) -> Result<(), Error> {
        let before = self.tax_items.len();
        self.tax_items
            .retain(|t| !(t.id == tax_id && t.item_id == item_id));
        if self.tax_items.len() == before {
            return Err(Error::not_found("tax item"));
        }
        Ok(())
    }

    /// Removes every tax item on every item.
    pub fn clear_tax_items(&mut self) {
        self.tax_items.clear();
    }

    /// What the tax items on `item_id` charge.
    pub fn tax_charges_of(&self, item_id: Uuid) -> impl Iterator<Item = TaxCharge> + '_ {
        self.tax_items
            .iter()
            .filter(move |t| t.item_id == item_id)
            .map(TaxItem::charge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_read_exactly_as_millionths() {
        let rate = |text: &str| TaxRate::parse(text).map(TaxRate::millionths);
        assert_eq!(rate("0.2"), Ok(200_000));
        assert_eq!(rate("0.0825"), Ok(82_500));
        assert_eq!(rate("0"), Ok(0));
        assert_eq!(rate("1"), Ok(1_000_000));
        assert_eq!(rate("10"), Ok(10_000_000));
        assert_eq!(rate("2e-1"), Ok(200_000));
        assert_eq!(rate("1e-6"), Ok(1));
        assert_eq!(rate("0.1000000"), Ok(100_000));
        assert!(rate("0.0000001").is_err());
        assert!(rate("10.000001").is_err());
        assert!(rate("-0.1").is_err());
        assert!(rate("1e30").is_err());
        assert!(rate("abc").is_err());
    }
}

#[cfg(test)]
mod cart_tests {
    use super::*;
    use crate::domain::cart::tests::new_cart;
    use serde_json::json;

    fn vat() -> TaxItemInput {
        TaxItemInput {
            name: "VAT".to_string().try_into().unwrap(),
            code: "VAT".to_string().try_into().unwrap(),
            jurisdiction: "UK".to_string().try_into().unwrap(),
            charge: TaxCharge::Rate(TaxRate::parse("0.2").unwrap()),
        }
    }

    fn cart_with_item() -> (Cart, Uuid) {
        let mut cart = new_cart(json!({})).unwrap();
        let item = crate::http::bodies::from_value(
            json!({"sku": "s", "name": "n", "quantity": 1, "price": 100}),
        )
        .unwrap();
        let catalog = crate::domain::product::Catalog::new(vec![]);
        cart.add_items(&[], &[item], &catalog, true).unwrap();
        let id = cart.custom_items[0].id;
        (cart, id)
    }

    #[test]
    fn an_item_takes_five_tax_items_and_no_more() {
        let (mut cart, item) = cart_with_item();
        for _ in 0..MAX_TAX_ITEMS {
            cart.add_tax_item(item, &vat()).unwrap();
        }
        let err = cart.add_tax_item(item, &vat()).unwrap_err();
        assert_eq!(err.code(), "tax_item_limit");
        assert_eq!(err.problems[0].source, None, "the path names the item");
        assert_eq!(cart.tax_items.len(), MAX_TAX_ITEMS);
    }

    #[test]
    fn a_new_charge_replaces_a_rate_with_an_amount_and_back() {
        let (mut cart, item) = cart_with_item();
        let tax = cart.add_tax_item(item, &vat()).unwrap();
        let change = |charge| TaxItemPatch {
            charge: Some(charge),
            ..TaxItemPatch::default()
        };
        cart.update_tax_item(item, tax, &change(TaxCharge::Amount(17)))
            .unwrap();
        assert_eq!(cart.tax_items[0].charge(), TaxCharge::Amount(17));
        let rate = TaxCharge::Rate(TaxRate::parse("0.05").unwrap());
        cart.update_tax_item(item, tax, &change(rate)).unwrap();
        assert_eq!(cart.tax_items[0].charge(), rate);
        assert_eq!(cart.tax_items[0].amount, None);
    }

    #[test]
    fn a_tax_item_stored_with_a_rate_reads_back_as_that_rate() {
        let stored = json!({"id": Uuid::nil(), "item_id": Uuid::nil(), "name": "VAT",
            "code": "", "jurisdiction": "", "rate": 200_000});
        let tax: TaxItem = serde_json::from_value(stored.clone()).unwrap();
        assert_eq!(tax.charge(), TaxCharge::Rate(TaxRate(200_000)));
        assert_eq!(serde_json::to_value(&tax).unwrap(), stored);
    }

    #[test]
    fn a_missing_item_is_not_found_by_path_and_refused_in_bulk() {
        let (mut cart, item) = cart_with_item();
        let missing = Uuid::new_v4();
        assert_eq!(
            cart.add_tax_item(missing, &vat()).unwrap_err().code(),
            "not_found"
        );
        let new = |item_id, source: &str| NewTaxItem {
            item_id,
            tax: vat(),
            source: Some(source.into()),
        };
        let bulk = [new(item, "data[0]"), new(missing, "data[1]")];
        let err = cart.add_tax_items(&bulk, true).unwrap_err();
        assert_eq!(err.problems[0].source.as_deref(), Some("data[1]"));
        assert!(cart.tax_items.is_empty(), "all or nothing");
        let (ids, refused) = cart.add_tax_items(&bulk, false).unwrap();
        assert_eq!((ids.len(), refused.len()), (1, 1));
        assert_eq!(refused[0].code, "item_not_found");
    }
}
