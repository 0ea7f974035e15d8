//! The minimal catalog: products with prices per currency, optional variants and stock.
//! Line items take their name, sku and price from here.

use super::money::Currency;
use super::values::{ClientId, Name, Sku, Stock, UnitPrice};
use crate::Error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_VARIANTS: usize = 100;
/// Option values a variant may be (and so selections a line item may give).
pub const MAX_OPTIONS: usize = 20;

/// What a product is: shipped, or delivered as a download (BigCommerce shows a cart's
/// items as `physical_items` and `digital_items` by this).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductKind {
    #[default]
    Physical,
    Digital,
}

impl ProductKind {
    pub fn is_physical(&self) -> bool {
        *self == ProductKind::Physical
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: ClientId,
    pub name: String,
    pub sku: String,
    /// Stored as `type`; products saved before it existed are physical.
    #[serde(default, rename = "type")]
    pub kind: ProductKind,
    pub prices: Vec<Price>,
    /// `None`: stock is not tracked.
    pub stock: Option<u32>,
    pub variants: Vec<Variant>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub id: ClientId,
    pub sku: String,
    /// `None`: the variant sells at the product's prices.
    pub prices: Option<Vec<Price>>,
    pub stock: Option<u32>,
    /// The option values this variant is (size M, colour red): a cart that selects them
    /// gets this variant. Empty for a variant chosen by id only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub option_values: Vec<OptionValue>,
}

/// One value of one of a product's options, as BigCommerce numbers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionValue {
    pub option_id: i64,
    /// The option's name, such as `Size`.
    pub option_name: String,
    pub value_id: i64,
    /// The value's label, such as `Medium`.
    pub label: String,
}

/// A choice of one option: its id, and the value's id (as a number or digits) or label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionSelection {
    pub option_id: i64,
    pub value: String,
}

impl OptionValue {
    fn is_selected_by(&self, selection: &OptionSelection) -> bool {
        self.option_id == selection.option_id
            && (self.value_id.to_string() == selection.value || self.label == selection.value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub currency: Currency,
    pub amount: i64,
}

/// What a line item needs from the catalog: one purchasable product or variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer<'a> {
    pub product: &'a Product,
    pub variant: Option<&'a Variant>,
}

impl Product {
    /// The product itself (`variant_id` absent) or one of its variants.
    pub fn offer(&self, variant_id: Option<&ClientId>) -> Option<Offer<'_>> {
        let variant = match variant_id {
            None => None,
            Some(id) => Some(self.variants.iter().find(|v| &v.id == id)?),
        };
        Some(Offer {
            product: self,
            variant,
        })
    }
}

impl Product {
    /// The variant whose option values are exactly `selections`, if one is.
    pub fn variant_for(&self, selections: &[OptionSelection]) -> Option<&Variant> {
        self.variants.iter().find(|v| {
            !v.option_values.is_empty()
                && selections
                    .iter()
                    .all(|s| v.option_values.iter().any(|o| o.is_selected_by(s)))
                && v.option_values
                    .iter()
                    .all(|o| selections.iter().any(|s| o.is_selected_by(s)))
        })
    }
}

impl Offer<'_> {
    pub fn sku(&self) -> &str {
        self.variant.map_or(&self.product.sku, |v| &v.sku)
    }

    pub fn name(&self) -> &str {
        &self.product.name
    }

    pub fn kind(&self) -> ProductKind {
        self.product.kind
    }

    /// The variant's option values (none for the product itself).
    pub fn option_values(&self) -> &[OptionValue] {
        self.variant.map_or(&[], |v| &v.option_values)
    }

    /// The unit price in `currency`, if the catalog has one.
    pub fn price(&self, currency: Currency) -> Option<i64> {
        let prices = self
            .variant
            .and_then(|v| v.prices.as_ref())
            .unwrap_or(&self.product.prices);
        prices
            .iter()
            .find(|p| p.currency == currency)
            .map(|p| p.amount)
    }

    /// Units in stock, `None` when not tracked.
    pub fn stock(&self) -> Option<u32> {
        match self.variant {
            Some(v) => v.stock,
            None => self.product.stock,
        }
    }

    /// What a line item keeps of the product as it is now (see `CatalogStamp`).
    pub fn stamp(&self) -> CatalogStamp {
        CatalogStamp {
            updated_at: self.product.updated_at,
            tracked: self.stock().is_some(),
            variant_index: self.variant.and_then(|v| {
                self.product
                    .variants
                    .iter()
                    .position(|candidate| candidate.id == v.id)
            }),
        }
    }
}

/// What a transaction that relies on a cart's lines instead of the catalog checks of one
/// product: it is still as the lines took it (`updated_at`), and holds at least these
/// quantities of its tracked stock (the product's own, `None`, or a variant's, by its place
/// and id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductGuard {
    pub product_id: ClientId,
    pub updated_at: DateTime<Utc>,
    pub minimums: Vec<(Option<(usize, ClientId)>, u32)>,
}

impl ProductGuard {
    /// `guards` with one per product (a transaction may name an item once): `None` when two
    /// took different versions of one product.
    pub fn combine(guards: impl IntoIterator<Item = ProductGuard>) -> Option<Vec<ProductGuard>> {
        let mut combined: Vec<ProductGuard> = Vec::new();
        for guard in guards {
            match combined
                .iter_mut()
                .find(|g| g.product_id == guard.product_id)
            {
                Some(same) if same.updated_at != guard.updated_at => return None,
                Some(same) => same.minimums.extend(guard.minimums),
                None => combined.push(guard),
            }
        }
        Some(combined)
    }
}

/// Which product (and variant) a sku names: the one last saved with it. A hint, as a
/// product saved again without the sku leaves it behind: a reader checks the product still
/// has the sku (`service::products::by_sku`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkuRecord {
    pub sku: String,
    pub product_id: ClientId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<ClientId>,
}

/// A product as a line item last took it from the catalog: the product's `updated_at`
/// (which every save of the product changes and taking stock does not), whether the line's
/// stock is tracked, and where its variant sits among the product's. While the product's
/// `updated_at` is the same, so are its prices, names and which stock it tracks: checkout
/// conditions its transaction on that instead of reading the catalog first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogStamp {
    pub updated_at: DateTime<Utc>,
    pub tracked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_index: Option<usize>,
}

/// The products one request needs, fetched together.
#[derive(Debug, Clone, Default)]
pub struct Catalog(Vec<Product>);

impl Catalog {
    pub fn new(products: Vec<Product>) -> Catalog {
        Catalog(products)
    }

    pub fn get(&self, id: &ClientId) -> Option<&Product> {
        self.0.iter().find(|p| &p.id == id)
    }
}

/// A product to create or replace, checked by `into_product`.
#[derive(Debug, Clone)]
pub struct ProductInput {
    pub name: Name,
    pub sku: Sku,
    pub kind: ProductKind,
    pub prices: Vec<PriceInput>,
    pub stock: Option<Stock>,
    pub variants: Vec<VariantInput>,
}

#[derive(Debug, Clone)]
pub struct VariantInput {
    pub id: ClientId,
    pub sku: Sku,
    pub prices: Option<Vec<PriceInput>>,
    pub stock: Option<Stock>,
    pub option_values: Vec<OptionValue>,
}

#[derive(Debug, Clone)]
pub struct PriceInput {
    pub currency: Currency,
    pub amount: UnitPrice,
}

impl ProductInput {
    /// Checks the rules that span fields, then builds the product.
    pub fn into_product(self, id: ClientId, now: DateTime<Utc>) -> Result<Product, Error> {
        if self.prices.is_empty() {
            return Err(Error::invalid(
                "prices",
                "prices must have at least one price",
            ));
        }
        let prices = into_prices(self.prices, "prices")?;
        if self.variants.len() > MAX_VARIANTS {
            return Err(Error::invalid(
                "variants",
                format!("variants must have at most {MAX_VARIANTS} entries"),
            ));
        }
        let mut variants: Vec<Variant> = Vec::with_capacity(self.variants.len());
        for (i, v) in self.variants.into_iter().enumerate() {
            if variants.iter().any(|seen| seen.id == v.id) {
                return Err(Error::invalid(
                    format!("variants[{i}].id"),
                    format!("variant id {} appears twice", v.id),
                ));
            }
            let prices = match v.prices {
                Some(prices) => Some(into_prices(prices, &format!("variants[{i}].prices"))?),
                None => None,
            };
            check_option_values(&v.option_values, &variants, i)?;
            variants.push(Variant {
                id: v.id,
                sku: v.sku.into_inner(),
                prices,
                stock: v.stock.map(stock),
                option_values: v.option_values,
            });
        }
        Ok(Product {
            id,
            name: self.name.into_inner(),
            sku: self.sku.into_inner(),
            kind: self.kind,
            prices,
            stock: self.stock.map(stock),
            variants,
            updated_at: now,
        })
    }
}

/// A variant names each option once, and no two variants are the same option values (a
/// selection must lead to one variant).
fn check_option_values(values: &[OptionValue], earlier: &[Variant], i: usize) -> Result<(), Error> {
    let at = format!("variants[{i}].option_values");
    if values.len() > MAX_OPTIONS {
        return Err(Error::invalid(
            at,
            format!("a variant has at most {MAX_OPTIONS} option values"),
        ));
    }
    for (j, value) in values.iter().enumerate() {
        if values[..j].iter().any(|v| v.option_id == value.option_id) {
            return Err(Error::invalid(
                at,
                format!("option {} appears twice", value.option_id),
            ));
        }
    }
    let key = |values: &[OptionValue]| {
        let mut key: Vec<(i64, i64)> = values.iter().map(|v| (v.option_id, v.value_id)).collect();
        key.sort_unstable();
        key
    };
    if !values.is_empty() && earlier.iter().any(|v| key(&v.option_values) == key(values)) {
        return Err(Error::invalid(
            at,
            "another variant has the same option values",
        ));
    }
    Ok(())
}

fn stock(s: Stock) -> u32 {
    // Stock is bounded to 10^9, well inside u32.
    s.get() as u32
}

fn into_prices(inputs: Vec<PriceInput>, source: &str) -> Result<Vec<Price>, Error> {
    let mut prices: Vec<Price> = Vec::with_capacity(inputs.len());
    for (i, p) in inputs.into_iter().enumerate() {
        if prices.iter().any(|seen| seen.currency == p.currency) {
            return Err(Error::invalid(
                format!("{source}[{i}].currency"),
                format!("currency {} appears twice", p.currency),
            ));
        }
        prices.push(Price {
            currency: p.currency,
            amount: p.amount.get(),
        });
    }
    Ok(prices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn product(body: serde_json::Value) -> Result<Product, Error> {
        let input: ProductInput = crate::http::bodies::from_value(body).unwrap();
        input.into_product(ClientId::parse("80").unwrap(), Utc::now())
    }

    fn widget() -> Product {
        product(json!({
            "name": "Widget", "sku": "W-1", "prices": [{"currency": "USD", "amount": 1999}], "stock": 12,
            "variants": [
                {"id": "v1", "sku": "W-1-RED", "prices": [{"currency": "USD", "amount": 2099}], "stock": 3},
                {"id": 2, "sku": "W-1-BLUE"}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn variants_fall_back_to_the_product_prices() {
        let widget = widget();
        let red = widget.offer(Some(&ClientId::parse("v1").unwrap())).unwrap();
        assert_eq!(
            (red.sku(), red.price(Currency::USD), red.stock()),
            ("W-1-RED", Some(2099), Some(3))
        );
        let blue = widget.offer(Some(&ClientId::Int(2))).unwrap();
        assert_eq!(
            (blue.sku(), blue.price(Currency::USD), blue.stock()),
            ("W-1-BLUE", Some(1999), None)
        );
        let base = widget.offer(None).unwrap();
        assert_eq!((base.sku(), base.stock()), ("W-1", Some(12)));
        assert!(
            widget
                .offer(Some(&ClientId::parse("nope").unwrap()))
                .is_none()
        );
        let eur = Currency::try_from("EUR".to_string()).unwrap();
        assert_eq!(base.price(eur), None);
    }

    #[test]
    fn a_product_needs_a_price_and_unique_currencies_and_variant_ids() {
        let no_price = product(json!({"name": "W", "sku": "W", "prices": []})).unwrap_err();
        assert_eq!(no_price.problems[0].source.as_deref(), Some("prices"));
        let twice = product(json!({"name": "W", "sku": "W", "prices": [
            {"currency": "USD", "amount": 1}, {"currency": "USD", "amount": 2}]}))
        .unwrap_err();
        assert_eq!(
            twice.problems[0].source.as_deref(),
            Some("prices[1].currency")
        );
        let dup = product(
            json!({"name": "W", "sku": "W", "prices": [{"currency": "USD", "amount": 1}],
            "variants": [{"id": "a", "sku": "A"}, {"id": "a", "sku": "B"}]}),
        )
        .unwrap_err();
        assert_eq!(dup.problems[0].source.as_deref(), Some("variants[1].id"));
    }
}

#[cfg(test)]
mod option_tests {
    use super::*;
    use serde_json::json;

    fn value(option_id: i64, option_name: &str, value_id: i64, label: &str) -> serde_json::Value {
        json!({"option_id": option_id, "option_name": option_name, "value_id": value_id, "label": label})
    }

    fn shirt(variants: serde_json::Value) -> Result<Product, Error> {
        let input: ProductInput = crate::http::bodies::from_value(json!({
            "name": "Shirt", "sku": "S", "prices": [{"currency": "USD", "amount": 1000}],
            "variants": variants
        }))
        .unwrap();
        input.into_product(ClientId::Int(77), Utc::now())
    }

    fn select(option_id: i64, value: &str) -> OptionSelection {
        OptionSelection {
            option_id,
            value: value.into(),
        }
    }

    #[test]
    fn selections_name_the_variant_whose_values_they_are_exactly() {
        let shirt = shirt(json!([
            {"id": 1, "sku": "S-S-R", "option_values": [value(8, "Size", 81, "Small"), value(9, "Colour", 91, "Red")]},
            {"id": 2, "sku": "S-M-R", "option_values": [value(8, "Size", 82, "Medium"), value(9, "Colour", 91, "Red")]},
            {"id": 3, "sku": "S-PLAIN"}
        ]))
        .unwrap();
        let found =
            |selections: &[OptionSelection]| shirt.variant_for(selections).map(|v| v.id.clone());
        // By value id or label, in any order.
        assert_eq!(
            found(&[select(8, "82"), select(9, "91")]),
            Some(ClientId::Int(2))
        );
        assert_eq!(
            found(&[select(9, "Red"), select(8, "Small")]),
            Some(ClientId::Int(1))
        );
        // Not all of a variant's options, an option too many, or a value no variant has.
        assert_eq!(found(&[select(8, "82")]), None);
        assert_eq!(found(&[select(8, "82"), select(8, "82")]), None);
        assert_eq!(found(&[]), None);
        assert_eq!(
            found(&[select(8, "82"), select(9, "91"), select(10, "1")]),
            None
        );
        assert_eq!(found(&[select(8, "83"), select(9, "91")]), None);
        assert_eq!(found(&[select(8, "Red"), select(9, "Small")]), None);
    }

    #[test]
    fn a_variant_names_each_option_once_and_no_two_are_the_same() {
        let twice = shirt(json!([
            {"id": 1, "sku": "A", "option_values": [value(8, "Size", 81, "S"), value(8, "Size", 82, "M")]}
        ]))
        .unwrap_err();
        assert_eq!(
            twice.problems[0].source.as_deref(),
            Some("variants[0].option_values")
        );
        let same = shirt(json!([
            {"id": 1, "sku": "A", "option_values": [value(8, "Size", 81, "S"), value(9, "C", 91, "R")]},
            {"id": 2, "sku": "B", "option_values": [value(9, "C", 91, "R"), value(8, "Size", 81, "S")]}
        ]))
        .unwrap_err();
        assert_eq!(
            same.problems[0].source.as_deref(),
            Some("variants[1].option_values")
        );
        let many: Vec<_> = (0..=MAX_OPTIONS as i64)
            .map(|i| value(i, "O", i, "V"))
            .collect();
        let too_many = shirt(json!([{"id": 1, "sku": "A", "option_values": many}])).unwrap_err();
        assert_eq!(
            too_many.problems[0].source.as_deref(),
            Some("variants[0].option_values")
        );
    }
}
