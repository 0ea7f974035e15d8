//! Items in a cart: catalog line items (name, sku and price from the catalog) and custom
//! items (price as given), and the rules for adding, changing and removing them.

use super::cart::Cart;
use super::product::{
    Catalog, CatalogStamp, Offer, OptionSelection, OptionValue, Product, ProductGuard, ProductKind,
};
use super::values::{
    ClientId, Description, MAX_QUANTITY, Name, NewQuantity, Quantity, Sku, UnitPrice,
};
use crate::{Code, Error, Problem};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Distinct items (line and custom together) a cart may hold.
pub const MAX_ITEMS: usize = 100;

/// Distinct catalog products a cart may hold, so that it can always be checked out: the
/// checkout transaction writes the order, the cart, the shopper's promotion counters and
/// each product (its stock), and DynamoDB takes at most 100 writes in one transaction.
pub const MAX_PRODUCTS: usize = 100 - 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub id: Uuid,
    pub product_id: ClientId,
    pub variant_id: Option<ClientId>,
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    /// Catalog price per unit, in the cart's currency, when last added.
    pub unit_price: i64,
    /// The product's kind when last added (lines saved before it existed are physical).
    #[serde(default, skip_serializing_if = "ProductKind::is_physical")]
    pub kind: ProductKind,
    /// `unit_price` is the trusted backend's own (BigCommerce's `list_price` override),
    /// not the catalog's: checkout keeps it, and product promotions pass it by.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub price_overridden: bool,
    /// The variant's option values (what BigCommerce shows as `options`), as last added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionValue>,
    /// The product as this line last took it from the catalog; `None` on lines saved
    /// before it was kept, or merged from lines that took different versions of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<CatalogStamp>,
}

impl LineItem {
    /// Where this line's tracked stock sits, from its stamp: `Some(None)` the product's own,
    /// `Some(Some((index, id)))` a variant's; `None` when the line keeps no stamp or its
    /// stock is not tracked.
    pub fn tracked_stock(&self) -> Option<Option<(usize, ClientId)>> {
        let stamp = self.stamp.filter(|s| s.tracked)?;
        match (&self.variant_id, stamp.variant_index) {
            (None, _) => Some(None),
            (Some(id), Some(index)) => Some(Some((index, id.clone()))),
            (Some(_), None) => None,
        }
    }

    /// What raising this line to `quantity` without reading its product relies on: the
    /// product as the line took it, with `quantity` in stock if tracked. `None` when the line
    /// keeps no stamp.
    pub fn raise_guard(&self, quantity: u32) -> Option<ProductGuard> {
        let stamp = self.stamp?;
        let minimums = match stamp.tracked {
            true => vec![(self.tracked_stock()?, quantity)],
            false => Vec::new(),
        };
        Some(ProductGuard {
            product_id: self.product_id.clone(),
            updated_at: stamp.updated_at,
            minimums,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomItem {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub quantity: u32,
    pub unit_price: i64,
    /// Set when the item is a gift certificate (BigCommerce's `gift_certificates`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift_certificate: Option<GiftCertificate>,
    /// The price is before tax, so tax items add to it (Elastic Path's `includes_tax:
    /// false`); by default a custom item's price is what the shopper pays, tax included.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub excludes_tax: bool,
}

/// What makes a custom item a gift certificate: sold at its amount (its unit price), never
/// discounted (no promotion or custom discount reaches it, and it is left out of what
/// cart-wide ones take from), never combined with another when carts merge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GiftCertificate {
    pub theme: GiftTheme,
    pub sender: GiftContact,
    pub recipient: GiftContact,
    pub message: Option<String>,
}

/// The designs BigCommerce offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GiftTheme {
    Birthday,
    Boy,
    Celebration,
    Christmas,
    General,
    Girl,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GiftContact {
    pub name: String,
    pub email: String,
}

impl CustomItem {
    pub fn is_gift_certificate(&self) -> bool {
        self.gift_certificate.is_some()
    }
}

/// A catalog item to add: the catalog gives its name, sku and price.
#[derive(Debug, Clone)]
pub struct LineItemInput {
    pub product_id: ClientId,
    pub variant_id: Option<ClientId>,
    pub quantity: Quantity,
    /// The trusted backend's own unit price instead of the catalog's (BigCommerce's
    /// `list_price` override).
    pub list_price: Option<UnitPrice>,
    /// Option values that name a variant (BigCommerce's `option_selections`) instead of,
    /// or as well as, `variant_id`.
    pub option_selections: Vec<OptionSelection>,
}

/// A new quantity for one item (`0` removes it), from a request's `source`.
#[derive(Debug, Clone)]
pub struct QuantityChange {
    pub item_id: Uuid,
    pub quantity: NewQuantity,
    pub source: String,
}

/// An item from outside the catalog, priced as given.
#[derive(Debug, Clone)]
pub struct CustomItemInput {
    pub sku: Sku,
    pub name: Name,
    pub description: Option<Description>,
    pub quantity: Quantity,
    pub price: UnitPrice,
    pub gift_certificate: Option<GiftCertificate>,
    /// See `CustomItem::excludes_tax`.
    pub excludes_tax: bool,
}

/// The variant a line item names: by `option_selections` when it gives them (they must be
/// exactly one variant's option values, and that variant must be `variant_id` if given
/// too), else by `variant_id`. 422 `options_not_available` names what cannot be priced.
fn variant_chosen(
    product: &Product,
    input: &LineItemInput,
    at: &str,
) -> Result<Option<ClientId>, Problem> {
    if input.option_selections.is_empty() {
        return Ok(input.variant_id.clone());
    }
    let unavailable = |detail: String| {
        Problem::new(Code::OptionsNotAvailable, detail).at(format!("{at}.option_selections"))
    };
    let variant = product
        .variant_for(&input.option_selections)
        .ok_or_else(|| {
            unavailable(format!(
                "no variant of product {} has exactly these option values",
                input.product_id
            ))
        })?;
    match &input.variant_id {
        Some(named) if *named != variant.id => Err(unavailable(format!(
            "these option values are variant {}, not variant {named}",
            variant.id
        ))),
        _ => Ok(Some(variant.id.clone())),
    }
}

/// A list of items in one request: at most as many as a cart can hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "Vec<T>")]
pub struct ItemList<T>(Vec<T>);

impl<T> Default for ItemList<T> {
    fn default() -> Self {
        ItemList(Vec::new())
    }
}

impl<T> TryFrom<Vec<T>> for ItemList<T> {
    type Error = String;
    fn try_from(items: Vec<T>) -> Result<Self, String> {
        if items.len() > MAX_ITEMS {
            return Err(format!("must have at most {MAX_ITEMS} entries"));
        }
        Ok(ItemList(items))
    }
}

impl<T> ItemList<T> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }

    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
    /// The same list with each entry turned into another type (no longer than it was).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> ItemList<U> {
        ItemList(self.0.into_iter().map(f).collect())
    }
}

/// Items to add to a cart.
#[derive(Debug, Clone)]
pub struct AddItems {
    pub line_items: ItemList<LineItemInput>,
    pub custom_items: ItemList<CustomItemInput>,
    /// When true one refused item refuses the whole request; when false the others are
    /// added and the refused ones are reported beside the cart.
    pub add_all_or_nothing: bool,
}

impl AddItems {
    pub fn check_not_empty(&self) -> Result<(), Error> {
        if self.line_items.is_empty() && self.custom_items.is_empty() {
            return Err(Error::invalid(
                "line_items",
                "line_items or custom_items must name at least one item",
            ));
        }
        Ok(())
    }
}

/// An item's new quantity (0 removes it).
#[derive(Debug, Clone)]
pub struct ItemUpdate {
    pub quantity: NewQuantity,
}

impl Cart {
    pub fn item_count(&self) -> usize {
        self.line_items.len() + self.custom_items.len()
    }

    /// Adds items in order. With `all_or_nothing` any refused item fails the whole call
    /// (every refusal is reported, the cart is left untouched); otherwise the refused items
    /// are returned and the rest are added. Refusing every item is always an error.
    pub fn add_items(
        &mut self,
        line_items: &[LineItemInput],
        custom_items: &[CustomItemInput],
        catalog: &Catalog,
        all_or_nothing: bool,
    ) -> Result<Vec<Problem>, Error> {
        let mut working = self.clone();
        let mut problems = Vec::new();
        for (i, input) in line_items.iter().enumerate() {
            if let Err(problem) = working.add_line_item(input, catalog, &format!("line_items[{i}]"))
            {
                problems.push(problem);
            }
        }
        for (i, input) in custom_items.iter().enumerate() {
            if let Err(problem) = working.add_custom_item(input, &format!("custom_items[{i}]")) {
                problems.push(problem);
            }
        }
        let added = line_items.len() + custom_items.len() - problems.len();
        if !problems.is_empty() && (all_or_nothing || added == 0) {
            return Err(Error::many(problems));
        }
        *self = working;
        Ok(problems)
    }

    fn add_line_item(
        &mut self,
        input: &LineItemInput,
        catalog: &Catalog,
        at: &str,
    ) -> Result<(), Problem> {
        let not_found = |detail: String, field: &str| {
            Problem::new(Code::ProductNotFound, detail).at(format!("{at}.{field}"))
        };
        let product = catalog.get(&input.product_id).ok_or_else(|| {
            not_found(
                format!("product {} does not exist", input.product_id),
                "product_id",
            )
        })?;
        let variant_id = variant_chosen(product, input, at)?;
        let offer = product.offer(variant_id.as_ref()).ok_or_else(|| {
            let variant = variant_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            not_found(
                format!("product {} has no variant {variant}", input.product_id),
                "variant_id",
            )
        })?;
        let catalog_price = || {
            offer.price(self.currency).ok_or_else(|| {
                Problem::new(
                    Code::PriceNotAvailable,
                    format!(
                        "product {} has no price in {}",
                        input.product_id, self.currency
                    ),
                )
                .at(format!("{at}.product_id"))
            })
        };
        // A price the backend set stays until the backend sets another: adding the same
        // item again without one (as a shopper may) keeps it.
        let kept_price = self
            .line_items
            .iter()
            .find(|i| i.product_id == input.product_id && i.variant_id == variant_id)
            .filter(|i| i.price_overridden)
            .map(|i| i.unit_price);
        let (unit_price, price_overridden) = match (input.list_price, kept_price) {
            (Some(price), _) => (price.get(), true),
            (None, Some(kept)) => (kept, true),
            (None, None) => (catalog_price()?, false),
        };
        let quantity = input.quantity.get() as u32;
        let quantity_at = format!("{at}.quantity");
        let same = |item: &&mut LineItem| {
            item.product_id == input.product_id && item.variant_id == variant_id
        };
        let total = self
            .line_items
            .iter_mut()
            .find(same)
            .map_or(quantity, |item| item.quantity + quantity);
        check_quantity(total, &quantity_at)?;
        self.check_stock(&offer, total, &quantity_at)?;
        if let Some(item) = self.line_items.iter_mut().find(same) {
            // Adding again refreshes name, sku and (unless the backend set it) price from
            // the catalog.
            item.quantity = total;
            item.unit_price = unit_price;
            item.sku = offer.sku().to_owned();
            item.name = offer.name().to_owned();
            item.kind = offer.kind();
            item.price_overridden = price_overridden;
            item.options = offer.option_values().to_vec();
            item.stamp = Some(offer.stamp());
            return Ok(());
        }
        self.check_room(at)?;
        self.check_product_room(&input.product_id, &format!("{at}.product_id"))?;
        self.line_items.push(LineItem {
            id: Uuid::new_v4(),
            product_id: input.product_id.clone(),
            variant_id: variant_id.clone(),
            sku: offer.sku().to_owned(),
            name: offer.name().to_owned(),
            quantity,
            unit_price,
            kind: offer.kind(),
            price_overridden,
            options: offer.option_values().to_vec(),
            stamp: Some(offer.stamp()),
        });
        Ok(())
    }

    /// Tracked stock caps what a cart may hold of a product or variant; preview carts are
    /// not checked. Stock is not reserved: checkout checks it again.
    pub(crate) fn check_stock(
        &self,
        offer: &Offer,
        quantity: u32,
        source: &str,
    ) -> Result<(), Problem> {
        match offer.stock() {
            Some(stock) if !self.is_preview() && quantity > stock => Err(Problem::new(
                Code::InsufficientStock,
                format!("{} of {} wanted, {stock} in stock", quantity, offer.sku()),
            )
            .at(source.to_owned())),
            _ => Ok(()),
        }
    }

    fn add_custom_item(&mut self, input: &CustomItemInput, at: &str) -> Result<(), Problem> {
        self.check_room(at)?;
        self.custom_items.push(CustomItem {
            id: Uuid::new_v4(),
            sku: input.sku.as_str().to_owned(),
            name: input.name.as_str().to_owned(),
            description: input.description.as_ref().map(|d| d.as_str().to_owned()),
            quantity: input.quantity.get() as u32,
            unit_price: input.price.get(),
            gift_certificate: input.gift_certificate.clone(),
            excludes_tax: input.excludes_tax,
        });
        Ok(())
    }

    fn check_room(&self, at: &str) -> Result<(), Problem> {
        if self.item_count() >= MAX_ITEMS {
            return Err(Problem::new(
                Code::CartItemLimit,
                format!("a cart holds at most {MAX_ITEMS} distinct items"),
            )
            .at(at.to_owned()));
        }
        Ok(())
    }

    /// Room for a line of `product_id`: a product the cart holds already always fits.
    pub(crate) fn check_product_room(
        &self,
        product_id: &ClientId,
        at: &str,
    ) -> Result<(), Problem> {
        let mut products: Vec<&ClientId> = self.line_items.iter().map(|i| &i.product_id).collect();
        products.sort_by(|a, b| a.key().cmp(&b.key()));
        products.dedup();
        if products.len() >= MAX_PRODUCTS && !products.contains(&product_id) {
            return Err(Problem::new(Code::CartProductLimit, format!(
                    "a cart holds at most {MAX_PRODUCTS} different catalog products, so that one checkout can take stock of all of them"
                )).at(at.to_owned()));
        }
        Ok(())
    }

    /// Brings every line item's price, name and sku up to what the catalog says now, as
    /// checkout sells at current prices (a price the backend set is kept). Returns a `price_changed` problem for each line
    /// whose price moved (the lines are updated); a line the catalog can no longer price
    /// (product, variant or price gone) is a 422 naming it, and nothing changes.
    pub fn refresh_prices(&mut self, catalog: &Catalog) -> Result<Vec<Problem>, Error> {
        let mut changed = Vec::new();
        let mut gone = Vec::new();
        let mut refreshed = self.line_items.clone();
        for (index, item) in refreshed.iter_mut().enumerate() {
            let at = format!("line_items[{index}]");
            let Some(product) = catalog.get(&item.product_id) else {
                gone.push(
                    Problem::new(
                        Code::ProductNotFound,
                        format!(
                            "product {} no longer exists; remove the item",
                            item.product_id
                        ),
                    )
                    .at(format!("{at}.product_id")),
                );
                continue;
            };
            let Some(offer) = product.offer(item.variant_id.as_ref()) else {
                gone.push(
                    Problem::new(
                        Code::ProductNotFound,
                        format!(
                            "variant {} no longer exists; remove the item",
                            item.variant_id
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default()
                        ),
                    )
                    .at(format!("{at}.variant_id")),
                );
                continue;
            };
            item.sku = offer.sku().to_owned();
            item.name = offer.name().to_owned();
            item.kind = offer.kind();
            item.options = offer.option_values().to_vec();
            item.stamp = Some(offer.stamp());
            if item.price_overridden {
                continue;
            }
            let Some(price) = offer.price(self.currency) else {
                gone.push(
                    Problem::new(
                        Code::PriceNotAvailable,
                        format!(
                            "{} no longer has a price in {}; remove the item",
                            offer.sku(),
                            self.currency
                        ),
                    )
                    .at(format!("{at}.product_id")),
                );
                continue;
            };
            if price != item.unit_price {
                changed.push(
                    Problem::new(
                        Code::PriceChanged,
                        format!(
                            "{} now costs {} a unit, not {}: the cart shows the new price",
                            offer.sku(),
                            self.currency.format(price),
                            self.currency.format(item.unit_price)
                        ),
                    )
                    .at(at.clone()),
                );
            }
            item.unit_price = price;
        }
        if !gone.is_empty() {
            return Err(Error::many(gone));
        }
        self.line_items = refreshed;
        Ok(changed)
    }

    pub fn has_item(&self, item_id: Uuid) -> bool {
        self.line_items.iter().any(|i| i.id == item_id)
            || self.custom_items.iter().any(|i| i.id == item_id)
    }

    /// Sets an item's quantity; 0 removes it. Raising a line item's quantity checks its
    /// stock in `catalog` (which holds the item's product when that matters).
    pub fn set_quantity(
        &mut self,
        item_id: Uuid,
        quantity: NewQuantity,
        catalog: &Catalog,
    ) -> Result<(), Error> {
        let quantity = quantity.get() as u32;
        if quantity == 0 {
            return self.remove_item(item_id);
        }
        if let Some(index) = self.line_items.iter().position(|i| i.id == item_id) {
            let item = &self.line_items[index];
            let offer = catalog
                .get(&item.product_id)
                .and_then(|p| p.offer(item.variant_id.as_ref()));
            if let Some(offer) = offer
                && quantity > item.quantity
            {
                self.check_stock(&offer, quantity, "quantity")
                    .map_err(|p| Error::many(vec![p]))?;
            }
            self.line_items[index].quantity = quantity;
            return Ok(());
        }
        let item = self
            .custom_items
            .iter_mut()
            .find(|i| i.id == item_id)
            .ok_or_else(|| Error::not_found("item"))?;
        item.quantity = quantity;
        Ok(())
    }

    /// Sets several quantities (`0` removes the item), each from a request's source. An item
    /// the cart lacks or stock that does not suffice refuses that one (422, naming its
    /// source). `all_or_nothing`: one refusal refuses them all; otherwise the others are set
    /// and the refusals returned (all refused is an error).
    pub fn set_quantities(
        &mut self,
        updates: &[QuantityChange],
        catalog: &Catalog,
        all_or_nothing: bool,
    ) -> Result<Vec<Problem>, Error> {
        let before = self.clone();
        let (mut refused, mut set) = (Vec::new(), 0);
        for QuantityChange {
            item_id,
            quantity,
            source,
        } in updates
        {
            if !self.has_item(*item_id) {
                refused.push(
                    Problem::new(
                        Code::ItemNotFound,
                        format!("the cart has no item {item_id}"),
                    )
                    .at(source.clone()),
                );
                continue;
            }
            match self.set_quantity(*item_id, *quantity, catalog) {
                Ok(()) => set += 1,
                Err(err) => refused.extend(err.problems.into_iter().map(|p| p.at(source.clone()))),
            }
        }
        if !refused.is_empty() && (all_or_nothing || set == 0) {
            *self = before;
            return Err(Error::many(refused));
        }
        Ok(refused)
    }

    /// The line item `item_id` if the cart has one (custom items have no product).
    pub fn line_item(&self, item_id: Uuid) -> Option<&LineItem> {
        self.line_items.iter().find(|i| i.id == item_id)
    }

    /// Removes an item and the custom discounts and tax items on it.
    pub fn remove_item(&mut self, item_id: Uuid) -> Result<(), Error> {
        let before = self.item_count();
        self.line_items.retain(|i| i.id != item_id);
        self.custom_items.retain(|i| i.id != item_id);
        if self.item_count() == before {
            return Err(Error::not_found("item"));
        }
        self.custom_discounts.retain(|d| d.item_id != Some(item_id));
        self.tax_items.retain(|t| t.item_id != item_id);
        Ok(())
    }

    /// Empties the cart, with the custom discounts and tax items on its items; its id, customer, contact,
    /// attributes, codes and cart-wide discounts stay.
    pub fn clear_items(&mut self) {
        self.line_items.clear();
        self.custom_items.clear();
        self.custom_discounts.retain(|d| d.item_id.is_none());
        self.tax_items.clear();
    }
}

pub(crate) fn check_quantity(total: u32, source: &str) -> Result<(), Problem> {
    if i64::from(total) > MAX_QUANTITY {
        return Err(Problem::new(
            Code::ItemQuantityLimit,
            format!("an item's quantity can be at most {MAX_QUANTITY}; this would make it {total}"),
        )
        .at(source.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::domain::cart::tests::new_cart;
    use crate::domain::product::ProductInput;
    use serde_json::json;

    fn catalog() -> Catalog {
        let input: ProductInput = crate::http::bodies::from_value(json!({
            "name": "Widget", "sku": "W-1", "prices": [{"currency": "USD", "amount": 1999}],
            "variants": [{"id": "v1", "sku": "W-1-RED", "prices": [{"currency": "USD", "amount": 2099}]}]
        }))
        .unwrap();
        let euro_only: ProductInput = crate::http::bodies::from_value(json!({
            "name": "Euro", "sku": "E", "prices": [{"currency": "EUR", "amount": 500}]
        }))
        .unwrap();
        let stocked: ProductInput = crate::http::bodies::from_value(json!({
            "name": "Rare", "sku": "R", "prices": [{"currency": "USD", "amount": 100}], "stock": 3,
            "variants": [{"id": "gold", "sku": "R-GOLD", "stock": 1}]
        }))
        .unwrap();
        let now = crate::domain::cart::tests::now();
        Catalog::new(vec![
            stocked
                .into_product(ClientId::parse("rare").unwrap(), now)
                .unwrap(),
            input.into_product(ClientId::Int(80), now).unwrap(),
            euro_only
                .into_product(ClientId::parse("eur").unwrap(), now)
                .unwrap(),
        ])
    }

    fn line(body: serde_json::Value) -> LineItemInput {
        crate::http::bodies::from_value(body).unwrap()
    }

    fn custom(n: usize) -> Vec<CustomItemInput> {
        (0..n)
            .map(|i| {
                crate::http::bodies::from_value(
                    json!({"sku": format!("c{i}"), "name": "Gift", "quantity": 1, "price": 0}),
                )
                .unwrap()
            })
            .collect()
    }

    #[test]
    fn line_items_take_name_sku_and_price_from_the_catalog_and_merge() {
        let mut cart = new_cart(json!({})).unwrap();
        let red = line(json!({"product_id": "80", "variant_id": "v1", "quantity": 2}));
        cart.add_items(&[red.clone(), red], &[], &catalog(), true)
            .unwrap();
        assert_eq!(cart.line_items.len(), 1);
        let item = &cart.line_items[0];
        assert_eq!(
            (
                item.sku.as_str(),
                item.name.as_str(),
                item.quantity,
                item.unit_price
            ),
            ("W-1-RED", "Widget", 4, 2099)
        );
        // The base product is a different item from its variant.
        cart.add_items(
            &[line(json!({"product_id": 80, "quantity": 1}))],
            &[],
            &catalog(),
            true,
        )
        .unwrap();
        assert_eq!(cart.line_items.len(), 2);
    }

    #[test]
    fn all_or_nothing_reports_every_refusal_and_changes_nothing() {
        let mut cart = new_cart(json!({})).unwrap();
        let before = cart.clone();
        let items = [
            line(json!({"product_id": 80, "quantity": 1})),
            line(json!({"product_id": "missing", "quantity": 1})),
            line(json!({"product_id": 80, "variant_id": "v9", "quantity": 1})),
            line(json!({"product_id": "eur", "quantity": 1})),
        ];
        let err = cart.add_items(&items, &[], &catalog(), true).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unprocessable);
        let codes: Vec<_> = err
            .problems
            .iter()
            .map(|p| (p.code.name(), p.source.clone().unwrap()))
            .collect();
        assert_eq!(
            codes,
            [
                ("product_not_found", "line_items[1].product_id".to_string()),
                ("product_not_found", "line_items[2].variant_id".to_string()),
                (
                    "price_not_available",
                    "line_items[3].product_id".to_string()
                ),
            ]
        );
        assert_eq!(cart, before);
    }

    #[test]
    fn partial_adds_keep_the_good_items_and_report_the_rest() {
        let mut cart = new_cart(json!({})).unwrap();
        let items = [
            line(json!({"product_id": 80, "quantity": 1})),
            line(json!({"product_id": "missing", "quantity": 1})),
        ];
        let refused = cart.add_items(&items, &[], &catalog(), false).unwrap();
        assert_eq!(refused.len(), 1);
        assert_eq!(cart.line_items.len(), 1);
        // Nothing added at all is an error even when partial adds are allowed.
        let err = cart
            .add_items(&items[1..], &[], &catalog(), false)
            .unwrap_err();
        assert_eq!(err.code(), "product_not_found");
    }

    #[test]
    fn a_cart_holds_at_most_one_hundred_distinct_items() {
        let mut cart = new_cart(json!({})).unwrap();
        cart.add_items(&[], &custom(99), &catalog(), true).unwrap();
        cart.add_items(
            &[line(json!({"product_id": 80, "quantity": 1}))],
            &[],
            &catalog(),
            true,
        )
        .unwrap();
        assert_eq!(cart.item_count(), 100);
        // Merging into an existing item still works at the limit; a new one does not.
        cart.add_items(
            &[line(json!({"product_id": 80, "quantity": 1}))],
            &[],
            &catalog(),
            true,
        )
        .unwrap();
        let err = cart
            .add_items(&[], &custom(1), &catalog(), true)
            .unwrap_err();
        assert_eq!(err.code(), "cart_item_limit");
        assert_eq!(err.problems[0].source.as_deref(), Some("custom_items[0]"));
    }

    #[test]
    fn merged_quantity_cannot_pass_ten_thousand() {
        let mut cart = new_cart(json!({})).unwrap();
        cart.add_items(
            &[line(json!({"product_id": 80, "quantity": 10_000}))],
            &[],
            &catalog(),
            true,
        )
        .unwrap();
        let err = cart
            .add_items(
                &[line(json!({"product_id": 80, "quantity": 1}))],
                &[],
                &catalog(),
                true,
            )
            .unwrap_err();
        assert_eq!(err.code(), "item_quantity_limit");
        assert_eq!(cart.line_items[0].quantity, 10_000);
    }

    #[test]
    fn quantity_zero_removes_and_unknown_items_are_not_found() {
        let mut cart = new_cart(json!({})).unwrap();
        cart.add_items(
            &[line(json!({"product_id": 80, "quantity": 1}))],
            &custom(1),
            &catalog(),
            true,
        )
        .unwrap();
        let custom_id = cart.custom_items[0].id;
        cart.set_quantity(custom_id, NewQuantity::new(5).unwrap(), &catalog())
            .unwrap();
        assert_eq!(cart.custom_items[0].quantity, 5);
        let line_id = cart.line_items[0].id;
        cart.set_quantity(line_id, NewQuantity::new(0).unwrap(), &catalog())
            .unwrap();
        assert!(cart.line_items.is_empty());
        assert_eq!(
            cart.remove_item(line_id).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        cart.clear_items();
        assert_eq!(cart.item_count(), 0);
    }

    #[test]
    fn request_lists_are_capped() {
        let too_many: Result<AddItems, _> = crate::http::bodies::from_value(json!({
            "custom_items": (0..101).map(|i| json!({"sku": format!("s{i}"), "name": "n", "quantity": 1, "price": 1})).collect::<Vec<_>>()
        }));
        assert!(too_many.unwrap_err().to_string().contains("at most 100"));
    }

    #[test]
    fn tracked_stock_caps_adds_and_raises_but_not_in_preview_carts() {
        let mut cart = new_cart(json!({})).unwrap();
        cart.add_items(
            &[line(json!({"product_id": "rare", "quantity": 2}))],
            &[],
            &catalog(),
            true,
        )
        .unwrap();
        let err = cart
            .add_items(
                &[line(json!({"product_id": "rare", "quantity": 2}))],
                &[],
                &catalog(),
                true,
            )
            .unwrap_err();
        assert_eq!(
            (err.code().name(), err.problems[0].source.as_deref()),
            ("insufficient_stock", Some("line_items[0].quantity"))
        );
        assert!(
            err.problems[0].detail.contains("R"),
            "names the item: {}",
            err.problems[0].detail
        );
        let gold = line(json!({"product_id": "rare", "variant_id": "gold", "quantity": 2}));
        assert_eq!(
            cart.add_items(&[gold], &[], &catalog(), true)
                .unwrap_err()
                .code(),
            "insufficient_stock"
        );

        let id = cart.line_items[0].id;
        cart.set_quantity(id, NewQuantity::new(3).unwrap(), &catalog())
            .unwrap();
        let err = cart
            .set_quantity(id, NewQuantity::new(4).unwrap(), &catalog())
            .unwrap_err();
        assert_eq!(err.code(), "insufficient_stock");
        // Lowering is always allowed, even if stock fell below the quantity since.
        cart.line_items[0].quantity = 9;
        cart.set_quantity(id, NewQuantity::new(5).unwrap(), &catalog())
            .unwrap();

        let mut preview = new_cart(json!({"snapshot_date": "2030-01-01T00:00:00Z"})).unwrap();
        let many = line(json!({"product_id": "rare", "quantity": 50}));
        preview.add_items(&[many], &[], &catalog(), true).unwrap();
        let id = preview.line_items[0].id;
        preview
            .set_quantity(id, NewQuantity::new(60).unwrap(), &catalog())
            .unwrap();
    }

    #[test]
    fn removing_an_item_removes_its_custom_discounts() {
        let mut cart =
            new_cart(json!({"discount_settings": {"custom_discounts_enabled": true}})).unwrap();
        cart.add_items(&[], &custom(2), &catalog(), true).unwrap();
        let (first, second) = (cart.custom_items[0].id, cart.custom_items[1].id);
        for item_id in [Some(first), Some(second), None] {
            let input = crate::http::bodies::from_value(
                json!({"amount": 1, "description": "d", "discount_code": "c", "item_id": item_id}),
            );
            cart.add_custom_discount(&input.unwrap()).unwrap();
        }
        cart.remove_item(first).unwrap();
        assert_eq!(cart.custom_discounts.len(), 2);
        cart.clear_items();
        assert_eq!(
            cart.custom_discounts.len(),
            1,
            "the cart-wide discount stays"
        );
        assert_eq!(cart.custom_discounts[0].item_id, None);
    }
}
