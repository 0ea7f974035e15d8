//! Merging one cart into another: how a guest's cart joins a shopper's cart at login.

use super::cart::Cart;
use super::items::{CustomItem, LineItem, MAX_ITEMS, check_quantity};
use super::product::{Catalog, ProductGuard};
use crate::{Code, Error, Problem};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Which cart to merge into this one, and how shared items combine.
#[derive(Debug, Clone)]
pub struct MergeInput {
    pub source_cart_id: Uuid,
    pub strategy: MergeStrategy,
}

/// What happens to an item both carts hold (same product and variant, or for custom items
/// the same sku at the same price, tax included or not alike).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MergeStrategy {
    /// Add the quantities.
    #[default]
    Sum,
    /// Keep the larger quantity.
    Max,
    /// Take the source cart's quantity.
    Replace,
}

impl MergeStrategy {
    fn combine(self, target: u32, source: u32) -> u32 {
        match self {
            MergeStrategy::Sum => target + source,
            MergeStrategy::Max => target.max(source),
            MergeStrategy::Replace => source,
        }
    }
}

/// What a merge changed in the target cart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    pub added_items: Vec<Uuid>,
    pub updated_items: Vec<QuantityChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuantityChange {
    pub id: Uuid,
    pub quantity_before: u32,
    pub quantity_after: u32,
}

impl Cart {
    /// Brings `source`'s items, codes and missing attributes into this cart. Line items take
    /// their current catalog price and are checked against stock, as any add is. The
    /// source's custom discounts are not carried over: they were granted for that cart.
    /// All or nothing: any refusal leaves this cart as it was.
    pub fn merge_from(
        &mut self,
        source: &Cart,
        strategy: MergeStrategy,
        catalog: &Catalog,
    ) -> Result<MergeReport, Error> {
        if source.id == self.id {
            return Err(Error::invalid(
                "source_cart_id",
                "source_cart_id must name another cart",
            ));
        }
        if source.currency != self.currency {
            return Err(Error::of(
                Code::CurrencyMismatch,
                format!(
                    "the source cart is in {}, this cart in {}",
                    source.currency, self.currency
                ),
            )
            .at("source_cart_id"));
        }
        let mut merged = self.clone();
        let mut report = MergeReport::default();
        let mut problems = Vec::new();
        for item in &source.line_items {
            if let Err(problem) = merged.merge_line_item(item, strategy, catalog, &mut report) {
                problems.push(problem);
            }
        }
        for item in &source.custom_items {
            if let Err(problem) = merged.merge_custom_item(item, strategy, &mut report) {
                problems.push(problem);
            }
        }
        if !problems.is_empty() {
            return Err(Error::many(problems));
        }
        for code in &source.promotion_codes {
            if !merged.promotion_codes.contains(code)
                && merged.promotion_codes.len() < super::promotion::MAX_CODES
            {
                merged.promotion_codes.push(code.clone());
            }
        }
        for (name, value) in &source.custom_attributes {
            if merged.custom_attributes.len() < super::attributes::MAX_ATTRIBUTES {
                merged
                    .custom_attributes
                    .entry(name.clone())
                    .or_insert_with(|| value.clone());
            }
        }
        *self = merged;
        Ok(report)
    }

    /// What merging `source` into this cart (`self`, merged without the catalog) relies on:
    /// each product of the source's lines as they took it, holding the merged quantity of
    /// its tracked stock. `None` when a source line keeps no stamp, or two lines (the
    /// source's, or a source line and the target line it joined) took different versions
    /// of one product: the merge then reads the catalog.
    pub fn merge_guards(&self, source: &Cart) -> Option<Vec<ProductGuard>> {
        let mut guards: Vec<ProductGuard> = Vec::new();
        for item in &source.line_items {
            let stamp = item.stamp?;
            let joined = self
                .line_items
                .iter()
                .find(|i| i.product_id == item.product_id && i.variant_id == item.variant_id);
            if joined.is_some_and(|line| line.stamp != Some(stamp)) {
                return None;
            }
            let index = match guards.iter().position(|g| g.product_id == item.product_id) {
                Some(index) if guards[index].updated_at != stamp.updated_at => return None,
                Some(index) => index,
                None => {
                    guards.push(ProductGuard {
                        product_id: item.product_id.clone(),
                        updated_at: stamp.updated_at,
                        minimums: Vec::new(),
                    });
                    guards.len() - 1
                }
            };
            // A preview cart checks no stock.
            if !stamp.tracked || self.is_preview() {
                continue;
            }
            let variant = item.tracked_stock()?;
            let merged = joined.map_or(0, |i| i.quantity);
            guards[index].minimums.push((variant, merged));
        }
        Some(guards)
    }

    fn merge_line_item(
        &mut self,
        item: &LineItem,
        strategy: MergeStrategy,
        catalog: &Catalog,
        report: &mut MergeReport,
    ) -> Result<(), Problem> {
        let offer = catalog
            .get(&item.product_id)
            .and_then(|p| p.offer(item.variant_id.as_ref()));
        let existing = self
            .line_items
            .iter()
            .position(|i| i.product_id == item.product_id && i.variant_id == item.variant_id);
        // A price the backend set stays with its line: the target's line keeps its own, a
        // source line that moves over alone keeps its own, and a source line joining a
        // target line at the catalog price takes the catalog price.
        let target_price = existing
            .map(|i| &self.line_items[i])
            .filter(|t| t.price_overridden)
            .map(|t| t.unit_price);
        let moved_price = (existing.is_none() && item.price_overridden).then_some(item.unit_price);
        let price_overridden = target_price.or(moved_price).is_some();
        let unit_price = target_price
            .or(moved_price)
            .unwrap_or_else(|| match &offer {
                Some(offer) => offer.price(self.currency).unwrap_or(item.unit_price),
                // The catalog was not read: a line at the catalog price has it (the target's,
                // when the source's was set by the backend). `merge_guards` reads the
                // catalog when the two lines took different versions of the product.
                None => existing
                    .filter(|_| item.price_overridden)
                    .map_or(item.unit_price, |i| self.line_items[i].unit_price),
            });
        let before = existing.map(|i| self.line_items[i].quantity);
        let quantity = before.map_or(item.quantity, |b| strategy.combine(b, item.quantity));
        let at = "source_cart_id";
        check_quantity(quantity, at).map_err(|p| about(p, item.id))?;
        if let Some(offer) = &offer {
            self.check_stock(offer, quantity, at)
                .map_err(|p| about(p, item.id))?;
        }
        let merged = LineItem {
            id: existing.map_or_else(Uuid::new_v4, |i| self.line_items[i].id),
            quantity,
            unit_price,
            sku: offer
                .as_ref()
                .map_or(item.sku.clone(), |o| o.sku().to_owned()),
            name: offer
                .as_ref()
                .map_or(item.name.clone(), |o| o.name().to_owned()),
            kind: offer.as_ref().map_or(item.kind, |o| o.kind()),
            options: offer
                .as_ref()
                .map_or(item.options.clone(), |o| o.option_values().to_vec()),
            price_overridden,
            // Read from the catalog just now, or as the lines had it if they agree; lines
            // that took different versions of the product leave checkout to read it.
            stamp: match &offer {
                Some(offer) => Some(offer.stamp()),
                None => existing
                    .map_or(item.stamp, |i| self.line_items[i].stamp)
                    .filter(|stamp| Some(*stamp) == item.stamp),
            },
            ..item.clone()
        };
        match existing {
            Some(index) => {
                record_update(report, merged.id, before.unwrap_or_default(), quantity);
                self.line_items[index] = merged;
            }
            None => {
                self.check_merge_room(at)?;
                self.check_product_room(&merged.product_id, at)
                    .map_err(|p| about(p, item.id))?;
                report.added_items.push(merged.id);
                self.line_items.push(merged);
            }
        }
        Ok(())
    }

    fn merge_custom_item(
        &mut self,
        item: &CustomItem,
        strategy: MergeStrategy,
        report: &mut MergeReport,
    ) -> Result<(), Problem> {
        let at = "source_cart_id";
        // Gift certificates are each their own (sender, recipient, message): never combined.
        // Nor are items that share a sku but are priced apart: one line has one price, and
        // combining would charge one cart's quantity at the other's.
        let same = |i: &CustomItem| {
            i.sku == item.sku
                && i.unit_price == item.unit_price
                && i.excludes_tax == item.excludes_tax
                && !i.is_gift_certificate()
                && !item.is_gift_certificate()
        };
        match self.custom_items.iter().position(same) {
            Some(index) => {
                let before = self.custom_items[index].quantity;
                let quantity = strategy.combine(before, item.quantity);
                check_quantity(quantity, at).map_err(|p| about(p, item.id))?;
                self.custom_items[index].quantity = quantity;
                record_update(report, self.custom_items[index].id, before, quantity);
            }
            None => {
                self.check_merge_room(at)?;
                let copy = CustomItem {
                    id: Uuid::new_v4(),
                    ..item.clone()
                };
                report.added_items.push(copy.id);
                self.custom_items.push(copy);
            }
        }
        Ok(())
    }

    fn check_merge_room(&self, at: &str) -> Result<(), Problem> {
        if self.item_count() >= MAX_ITEMS {
            return Err(Problem::new(
                Code::CartItemLimit,
                format!("merged, the cart would hold more than {MAX_ITEMS} distinct items"),
            )
            .at(at.to_owned()));
        }
        Ok(())
    }
}

/// Says which of the source cart's items a refusal is about.
fn about(mut problem: Problem, item_id: Uuid) -> Problem {
    problem.detail = format!("{} (source cart item {item_id})", problem.detail);
    problem
}

fn record_update(report: &mut MergeReport, id: Uuid, before: u32, after: u32) {
    if before != after {
        report.updated_items.push(QuantityChange {
            id,
            quantity_before: before,
            quantity_after: after,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cart::tests::new_cart;
    use crate::domain::product::ProductInput;
    use crate::domain::values::ClientId;
    use serde_json::json;

    fn catalog() -> Catalog {
        let product: ProductInput = crate::http::bodies::from_value(json!({
            "name": "Widget", "sku": "W", "prices": [{"currency": "USD", "amount": 1000}], "stock": 8
        }))
        .unwrap();
        Catalog::new(vec![
            product
                .into_product(
                    ClientId::parse("w").unwrap(),
                    crate::domain::cart::tests::now(),
                )
                .unwrap(),
        ])
    }

    fn cart_with(widgets: u32, gifts: u32) -> Cart {
        let mut cart = new_cart(json!({})).unwrap();
        let lines =
            [
                crate::http::bodies::from_value(json!({"product_id": "w", "quantity": widgets}))
                    .unwrap(),
            ];
        let customs = [crate::http::bodies::from_value(
            json!({"sku": "GIFT", "name": "Gift", "quantity": gifts, "price": 5}),
        )
        .unwrap()];
        cart.add_items(&lines, &customs, &catalog(), true).unwrap();
        cart
    }

    #[test]
    fn each_strategy_combines_quantities_its_way() {
        for (strategy, expected) in [
            (MergeStrategy::Sum, 5),
            (MergeStrategy::Max, 3),
            (MergeStrategy::Replace, 2),
        ] {
            let (mut target, source) = (cart_with(3, 3), cart_with(2, 2));
            let report = target.merge_from(&source, strategy, &catalog()).unwrap();
            assert_eq!(target.line_items[0].quantity, expected, "{strategy:?}");
            assert_eq!(target.custom_items[0].quantity, expected, "{strategy:?}");
            assert!(report.added_items.is_empty());
            let changes = if expected == 3 { 0 } else { 2 };
            assert_eq!(report.updated_items.len(), changes, "{strategy:?}");
        }
    }

    /// A custom item with the cart's sku but another price, or its price on the other side
    /// of tax, is its own line: each keeps the price it was added at.
    #[test]
    fn custom_items_priced_apart_are_not_combined() {
        let custom = |price: i64, excludes_tax: bool| crate::domain::items::CustomItemInput {
            excludes_tax,
            ..crate::http::bodies::from_value(
                json!({"sku": "S", "name": "Service", "quantity": 1, "price": price}),
            )
            .unwrap()
        };
        let with = |items: &[crate::domain::items::CustomItemInput]| {
            let mut cart = new_cart(json!({})).unwrap();
            cart.add_items(&[], items, &catalog(), true).unwrap();
            cart
        };
        let mut target = with(&[custom(100, false)]);
        let source = with(&[custom(100, false), custom(150, false), custom(100, true)]);
        target
            .merge_from(&source, MergeStrategy::Sum, &catalog())
            .unwrap();
        let lines: Vec<(i64, bool, u32)> = target
            .custom_items
            .iter()
            .map(|i| (i.unit_price, i.excludes_tax, i.quantity))
            .collect();
        assert_eq!(lines, [(100, false, 2), (150, false, 1), (100, true, 1)]);
    }

    /// Two certificates with the same SKU (every certificate has it) stay two: each has its
    /// own sender, recipient and message.
    #[test]
    fn gift_certificates_are_never_combined() {
        use crate::domain::items::{GiftCertificate, GiftContact, GiftTheme};
        let gift =
            |to: &str| {
                let mut cart = new_cart(json!({})).unwrap();
                let customs = [crate::domain::items::CustomItemInput {
                gift_certificate: Some(GiftCertificate {
                    theme: GiftTheme::General,
                    sender: GiftContact { name: "S".into(), email: "s@example.com".into() },
                    recipient: GiftContact { name: to.into(), email: "r@example.com".into() },
                    message: None,
                }),
                ..crate::http::bodies::from_value(
                    json!({"sku": "gift-certificate", "name": "Gift", "quantity": 1, "price": 500}),
                )
                .unwrap()
            }];
                cart.add_items(&[], &customs, &catalog(), true).unwrap();
                cart
            };
        // A plain custom item may use the certificates' SKU: it still never joins one.
        let plain = [crate::http::bodies::from_value(
            json!({"sku": "gift-certificate", "name": "Plain", "quantity": 1, "price": 7}),
        )
        .unwrap()];
        let (mut target, mut source) = (gift("Ann"), gift("Bob"));
        source.add_items(&[], &plain, &catalog(), true).unwrap();
        target
            .merge_from(&source, MergeStrategy::Sum, &catalog())
            .unwrap();
        let names: Vec<_> = target
            .custom_items
            .iter()
            .map(|i| {
                let gift = i.gift_certificate.as_ref();
                (
                    i.quantity,
                    gift.map_or(i.name.as_str(), |g| g.recipient.name.as_str()),
                )
            })
            .collect();
        assert_eq!(names, [(1, "Ann"), (1, "Bob"), (1, "Plain")]);
    }

    /// Merged without reading the catalog, a source line whose price the backend set joins
    /// a target line at the catalog price and takes that price, as it would from the
    /// catalog; lines that took different versions of the product send the merge to it.
    #[test]
    fn merged_without_the_catalog_a_set_price_does_not_pass_for_the_catalogs() {
        let (mut target, mut source) = (cart_with(1, 1), cart_with(2, 1));
        source.line_items[0].unit_price = 1;
        source.line_items[0].price_overridden = true;
        target
            .merge_from(&source, MergeStrategy::Sum, &Catalog::default())
            .unwrap();
        let line = &target.line_items[0];
        assert_eq!((line.unit_price, line.price_overridden), (1000, false));
        assert!(target.merge_guards(&source).is_some());

        let (mut target, mut source) = (cart_with(1, 1), cart_with(2, 1));
        let stamp = source.line_items[0].stamp.as_mut().unwrap();
        stamp.updated_at += chrono::TimeDelta::milliseconds(1);
        target
            .merge_from(&source, MergeStrategy::Sum, &Catalog::default())
            .unwrap();
        assert!(target.merge_guards(&source).is_none());
    }

    /// A merge's write holds each product of the source as its lines took it and, in an
    /// ordinary cart, with stock for the merged quantity; a preview cart checks no stock.
    #[test]
    fn merge_guards_ask_for_the_merged_stock_except_in_a_preview_cart() {
        let source = cart_with(2, 1);
        let mut target = cart_with(3, 1);
        target
            .merge_from(&source, MergeStrategy::Sum, &Catalog::default())
            .unwrap();
        let guards = target.merge_guards(&source).unwrap();
        assert_eq!(guards.len(), 1);
        assert_eq!(guards[0].minimums, vec![(None, 5)]);

        let mut preview = cart_with(3, 1);
        preview.snapshot_date =
            Some(crate::domain::cart::tests::now() + chrono::TimeDelta::days(1));
        preview
            .merge_from(&source, MergeStrategy::Sum, &Catalog::default())
            .unwrap();
        let guards = preview.merge_guards(&source).unwrap();
        assert_eq!(guards.len(), 1);
        assert!(guards[0].minimums.is_empty());
    }

    #[test]
    fn new_items_are_added_with_new_ids() {
        let mut target = new_cart(json!({})).unwrap();
        let source = cart_with(1, 1);
        let report = target
            .merge_from(&source, MergeStrategy::Sum, &catalog())
            .unwrap();
        assert_eq!(report.added_items.len(), 2);
        assert_ne!(target.line_items[0].id, source.line_items[0].id);
    }

    #[test]
    fn a_merge_past_stock_or_across_currencies_changes_nothing() {
        let (mut target, source) = (cart_with(5, 1), cart_with(5, 1));
        let before = target.clone();
        let err = target
            .merge_from(&source, MergeStrategy::Sum, &catalog())
            .unwrap_err();
        assert_eq!(err.code(), "insufficient_stock");
        assert_eq!(target, before);

        let euro = new_cart(json!({"currency": {"code": "EUR"}})).unwrap();
        assert_eq!(
            target
                .merge_from(&euro, MergeStrategy::Sum, &catalog())
                .unwrap_err()
                .code(),
            "currency_mismatch"
        );
        let same = target.clone();
        assert_eq!(
            target
                .merge_from(&same, MergeStrategy::Sum, &catalog())
                .unwrap_err()
                .code(),
            "validation_failed"
        );
    }

    #[test]
    fn codes_and_missing_attributes_come_along_and_the_target_wins() {
        let mut target =
            new_cart(json!({"custom_attributes": {"a": {"type": "integer", "value": 1}}})).unwrap();
        let mut source = new_cart(json!({"custom_attributes": {"a": {"type": "integer", "value": 2},
                                                             "b": {"type": "integer", "value": 3}}}))
        .unwrap();
        source.promotion_codes.push("SAVE".into());
        target
            .merge_from(&source, MergeStrategy::Sum, &catalog())
            .unwrap();
        assert_eq!(target.promotion_codes, ["SAVE"]);
        assert_eq!(
            target.custom_attributes["a"],
            crate::domain::attributes::CustomAttribute::Integer(1)
        );
        assert!(target.custom_attributes.contains_key("b"));
    }
}
