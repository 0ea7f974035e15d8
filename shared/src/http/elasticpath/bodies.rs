//! Elastic Path's request bodies: every one wrapped in `{"data": …}`, each turned into the
//! domain command the native body makes.

use crate::Error;
use crate::domain::cart::{CartPatch, NewCart};
use crate::domain::discounts::DiscountSettings;
use crate::domain::items::{
    AddItems, CustomItemInput, ItemList, ItemUpdate, LineItemInput, MAX_ITEMS, QuantityChange,
};
use crate::domain::product::SkuRecord;
use crate::domain::values::{
    ClientId, Description, Name, NewQuantity, Quantity, Sku, Text, UnitPrice,
};
use crate::error::{Code, Problem};
use crate::http::ApiRequest;
use crate::http::bodies::{AttributesBody, ContactBody, PromotionCode, nullable, present};
use crate::service::{self, App};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

/// `{"data": …}`; the body may be left out (`{}` or empty) where every field is optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Data<T> {
    data: T,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, bound = "T: Deserialize<'de>")]
struct OptionalData<T> {
    #[serde(default, deserialize_with = "present")]
    data: Option<T>,
}

/// `discount_settings`: left out (or without `custom_discounts_enabled`), a new cart takes
/// the store's setting and a changed one keeps its own.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscountSettingsBody {
    #[serde(default, deserialize_with = "present")]
    custom_discounts_enabled: Option<bool>,
}

impl DiscountSettingsBody {
    fn settings(self) -> Option<DiscountSettings> {
        self.custom_discounts_enabled
            .map(|custom_discounts_enabled| DiscountSettings {
                custom_discounts_enabled,
            })
    }
}

/// `POST /v2/carts`: the cart's fields, every one optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCartBody {
    #[serde(default, deserialize_with = "present")]
    name: Option<Name>,
    #[serde(default, deserialize_with = "present")]
    description: Option<Description>,
    #[serde(default, deserialize_with = "present")]
    discount_settings: Option<DiscountSettingsBody>,
    #[serde(default, deserialize_with = "present")]
    snapshot_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "present")]
    custom_attributes: Option<AttributesBody>,
    #[serde(default, deserialize_with = "present")]
    contact: Option<ContactBody>,
}

/// The new cart a `POST /v2/carts` body describes.
pub fn new_cart(request: &ApiRequest) -> Result<NewCart, Error> {
    let body = request
        .json::<OptionalData<NewCartBody>>()?
        .data
        .unwrap_or_default();
    Ok(NewCart {
        name: body.name,
        description: body.description,
        discount_settings: body
            .discount_settings
            .and_then(DiscountSettingsBody::settings),
        snapshot_date: body.snapshot_date,
        custom_attributes: body.custom_attributes.map(AttributesBody::into_attributes),
        contact: body.contact.map(|c| c.email),
        ..NewCart::default()
    })
}

/// `PUT /v2/carts/{cart_id}`: a field left out stays, `null` clears it, and
/// `custom_attributes` replaces the whole map.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CartPatchBody {
    #[serde(default, deserialize_with = "nullable")]
    name: Option<Option<Name>>,
    #[serde(default, deserialize_with = "nullable")]
    description: Option<Option<Description>>,
    #[serde(default, deserialize_with = "present")]
    discount_settings: Option<DiscountSettingsBody>,
    #[serde(default, deserialize_with = "nullable")]
    snapshot_date: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "nullable")]
    custom_attributes: Option<Option<AttributesBody>>,
    #[serde(default, deserialize_with = "nullable")]
    contact: Option<Option<ContactBody>>,
}

/// The change a `PUT /v2/carts/{cart_id}` body asks for.
pub fn cart_patch(request: &ApiRequest) -> Result<CartPatch, Error> {
    let body = request
        .json::<OptionalData<CartPatchBody>>()?
        .data
        .unwrap_or_default();
    Ok(CartPatch {
        name: body.name,
        description: body.description,
        customer_id: None,
        contact: body.contact.map(|c| c.map(|c| c.email)),
        discount_settings: body
            .discount_settings
            .and_then(DiscountSettingsBody::settings),
        custom_attributes: body
            .custom_attributes
            .map(|a| a.map(AttributesBody::into_attributes).unwrap_or_default()),
        snapshot_date: body.snapshot_date,
    })
}

/// One item of `POST /v2/carts/{cart_id}/items`: its `type` says which fields it has. One
/// struct for all three, so that a field of the wrong type is named by its path; which
/// fields a type needs is checked after (`Item::of`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemBody {
    #[serde(rename = "type")]
    kind: ItemType,
    #[serde(default, deserialize_with = "present")]
    id: Option<ClientId>,
    #[serde(default, deserialize_with = "present")]
    quantity: Option<Quantity>,
    #[serde(default, deserialize_with = "present")]
    name: Option<Name>,
    #[serde(default, deserialize_with = "present")]
    sku: Option<Sku>,
    #[serde(default, deserialize_with = "present")]
    description: Option<Description>,
    #[serde(default, deserialize_with = "present")]
    price: Option<PriceBody>,
    #[serde(default, deserialize_with = "present")]
    code: Option<PromotionCode>,
}

/// A `cart_item` names its product by catalog `id` or by `sku` (a variant's sku names the
/// variant).
#[derive(Debug)]
enum ProductRef {
    Id(ClientId),
    Sku(Sku),
}

/// Elastic Path's item types: `cart_item` (a catalog product), `custom_item`,
/// `promotion_item` (a code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum ItemType {
    #[serde(rename = "cart_item")]
    Product,
    #[serde(rename = "custom_item")]
    Custom,
    #[serde(rename = "promotion_item")]
    Code,
}

/// An item with what its type needs.
enum Item {
    Product {
        product: ProductRef,
        quantity: Quantity,
    },
    Custom {
        name: Name,
        sku: Option<Sku>,
        description: Option<Description>,
        quantity: Quantity,
        price: PriceBody,
    },
    Code(PromotionCode),
}

impl Item {
    /// The item `body` describes, at `at` (`data` or `data[i]`): `400` naming a field its
    /// type needs and lacks, or has and does not take.
    fn of(body: ItemBody, at: &str) -> Result<Item, Error> {
        let needs =
            |field: &str| Error::invalid(format!("{at}.{field}"), format!("{field} is required"));
        let refuses = |field: &str, present: bool| match present {
            true => Err(Error::invalid(
                format!("{at}.{field}"),
                format!("{field} is not a field of this type of item"),
            )),
            false => Ok(()),
        };
        match body.kind {
            ItemType::Product => {
                refuses("name", body.name.is_some())?;
                refuses("description", body.description.is_some())?;
                refuses("price", body.price.is_some())?;
                refuses("code", body.code.is_some())?;
                let product = match (body.id, body.sku) {
                    (Some(id), None) => ProductRef::Id(id),
                    (None, Some(sku)) => ProductRef::Sku(sku),
                    (None, None) => return Err(needs("id")),
                    (Some(_), Some(_)) => {
                        return Err(Error::invalid(
                            format!("{at}.sku"),
                            "name the product by id or by sku, not both",
                        ));
                    }
                };
                Ok(Item::Product {
                    product,
                    quantity: body.quantity.ok_or_else(|| needs("quantity"))?,
                })
            }
            ItemType::Custom => {
                refuses("id", body.id.is_some())?;
                refuses("code", body.code.is_some())?;
                Ok(Item::Custom {
                    name: body.name.ok_or_else(|| needs("name"))?,
                    sku: body.sku,
                    description: body.description,
                    quantity: body.quantity.ok_or_else(|| needs("quantity"))?,
                    price: body.price.ok_or_else(|| needs("price"))?,
                })
            }
            ItemType::Code => {
                for (field, present) in [
                    ("id", body.id.is_some()),
                    ("quantity", body.quantity.is_some()),
                    ("name", body.name.is_some()),
                    ("sku", body.sku.is_some()),
                    ("description", body.description.is_some()),
                    ("price", body.price.is_some()),
                ] {
                    refuses(field, present)?;
                }
                Ok(Item::Code(body.code.ok_or_else(|| needs("code"))?))
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceBody {
    amount: UnitPrice,
    #[serde(default, deserialize_with = "present")]
    includes_tax: Option<bool>,
}

/// `POST …/items` with one item (`data` an object) or several (`data` an array).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddItemsBody<T> {
    data: T,
    #[serde(default)]
    options: AddOptions,
}

/// Just enough of the body to tell one item from several.
#[derive(Debug, Deserialize)]
struct AddItemsShape {
    data: serde_json::Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddOptions {
    /// Elastic Path's default: add what can be added, report the rest.
    #[serde(default)]
    add_all_or_nothing: bool,
}

/// What `POST /v2/carts/{cart_id}/items` adds: products, custom items and codes, in one
/// change; and where each stands in the body, to name it in a refusal.
pub struct AddItemsCommand {
    pub items: AddItems,
    pub codes: Vec<String>,
    /// Items named by a sku no product has, refused (with `add_all_or_nothing` off).
    unknown_skus: Vec<Problem>,
    /// The body's `data` index of each product, of each custom item, of each code.
    positions: [Vec<usize>; 3],
    /// `data` is one item (`data.…`), not an array (`data[i].…`).
    single: bool,
}

impl AddItemsCommand {
    /// The items refused: those the cart refused (`problems`, with their sources in the
    /// body's terms), and those named by an unknown sku.
    pub fn refused(&self, mut problems: Vec<Problem>) -> Vec<Problem> {
        for problem in &mut problems {
            if let Some(source) = &problem.source {
                problem.source = Some(self.source_in_body(source));
            }
        }
        problems.extend(self.unknown_skus.iter().cloned());
        problems
    }

    /// `err` with its sources in the body's terms.
    pub fn error_in_body(&self, mut err: Error) -> Error {
        for problem in &mut err.problems {
            if let Some(source) = &problem.source {
                problem.source = Some(self.source_in_body(source));
            }
        }
        err
    }

    /// A problem's `source` in the body's terms: `line_items[0].product_id` (the native
    /// command's) is `data[2].id` (or `data.id` for a single item).
    fn source_in_body(&self, native: &str) -> String {
        let item = |prefix: &str, positions: &[usize]| {
            let rest = native.strip_prefix(prefix)?;
            let (index, field) = rest.split_once(']')?;
            let at = *positions.get(index.parse::<usize>().ok()?)?;
            let field = match field {
                ".product_id" => ".id",
                ".price" => ".price.amount",
                other => other,
            };
            Some(match self.single {
                true => format!("data{field}"),
                false => format!("data[{at}]{field}"),
            })
        };
        // A refusal of custom items as a whole (a shopper may add none) is about `data`.
        if native == "custom_items" {
            return "data".to_owned();
        }
        item("line_items[", &self.positions[0])
            .or_else(|| item("custom_items[", &self.positions[1]))
            .or_else(|| item("codes[", &self.positions[2]).map(|at| format!("{at}.code")))
            .unwrap_or_else(|| native.to_owned())
    }
}

/// The items and codes a `POST /v2/carts/{cart_id}/items` body names, with the products
/// named by sku looked up.
pub async fn add_items(app: &App, request: &ApiRequest) -> Result<AddItemsCommand, Error> {
    let (mut command, by_sku) = parse_add_items(request)?;
    if !by_sku.is_empty() {
        let skus: Vec<&str> = by_sku.iter().map(|(_, sku)| sku.as_str()).collect();
        let found = service::products::by_sku(app, &skus).await?;
        command.place_skus(by_sku, &found)?;
    }
    Ok(command)
}

/// A `cart_item` named by sku: where it stands in the line items, and the sku.
type BySku = Vec<(usize, Sku)>;

fn parse_add_items(request: &ApiRequest) -> Result<(AddItemsCommand, BySku), Error> {
    let single = !request.json::<AddItemsShape>()?.data.is_array();
    let (all, options) = if single {
        let body = request.json::<AddItemsBody<ItemBody>>()?;
        (vec![body.data], body.options)
    } else {
        let body = request.json::<AddItemsBody<Vec<ItemBody>>>()?;
        (body.data, body.options)
    };
    if all.len() > MAX_ITEMS {
        return Err(Error::invalid(
            "data",
            format!("at most {MAX_ITEMS} items in one request"),
        ));
    }
    let (mut line_items, mut custom_items, mut codes) = (Vec::new(), Vec::new(), Vec::new());
    let mut by_sku = Vec::new();
    let mut positions = [Vec::new(), Vec::new(), Vec::new()];
    for (i, body) in all.into_iter().enumerate() {
        let at = if single {
            "data".to_owned()
        } else {
            format!("data[{i}]")
        };
        match Item::of(body, &at)? {
            Item::Product { product, quantity } => {
                let id = match product {
                    ProductRef::Id(id) => id,
                    // Put in place once looked up (`place_skus`).
                    ProductRef::Sku(sku) => {
                        let id = ClientId::Text(sku.as_str().to_owned());
                        by_sku.push((line_items.len(), sku));
                        id
                    }
                };
                positions[0].push(i);
                line_items.push(LineItemInput {
                    product_id: id,
                    variant_id: None,
                    quantity,
                    list_price: None,
                    option_selections: Vec::new(),
                })
            }
            Item::Custom {
                name,
                sku,
                description,
                quantity,
                price,
            } => {
                // A custom item without a sku gets one of its own, so it is never combined
                // with another (items sharing a sku are one line).
                let sku = match sku {
                    Some(sku) => sku,
                    None => Text::try_from(format!("custom-{}", Uuid::new_v4()))
                        .map_err(|_| Error::internal())?,
                };
                positions[1].push(i);
                custom_items.push(CustomItemInput {
                    sku,
                    name,
                    description,
                    quantity,
                    price: price.amount,
                    gift_certificate: None,
                    excludes_tax: price.includes_tax == Some(false),
                })
            }
            Item::Code(code) => {
                positions[2].push(i);
                codes.push(code.as_str().to_owned());
            }
        }
    }
    if line_items.is_empty() && custom_items.is_empty() && codes.is_empty() {
        return Err(Error::invalid("data", "name at least one item"));
    }
    let too_many = || Error::invalid("data", "at most 100 items in one request");
    let command = AddItemsCommand {
        items: AddItems {
            line_items: ItemList::try_from(line_items).map_err(|_| too_many())?,
            custom_items: ItemList::try_from(custom_items).map_err(|_| too_many())?,
            add_all_or_nothing: options.add_all_or_nothing,
        },
        codes,
        unknown_skus: Vec::new(),
        positions,
        single,
    };
    Ok((command, by_sku))
}

impl AddItemsCommand {
    /// Names each sku's product (and variant) in its line item. A sku no product has is
    /// refused as an unknown product id is: the whole request with `add_all_or_nothing` (or
    /// when nothing else is left to add), else that item alone.
    fn place_skus(&mut self, by_sku: BySku, found: &[SkuRecord]) -> Result<(), Error> {
        let mut line_items = std::mem::take(&mut self.items.line_items).into_vec();
        let mut unknown = Vec::new();
        for (index, sku) in by_sku {
            match found.iter().find(|r| r.sku == sku.as_str()) {
                Some(record) => {
                    line_items[index].product_id = record.product_id.clone();
                    line_items[index].variant_id = record.variant_id.clone();
                }
                None => unknown.push((index, sku)),
            }
        }
        let problems: Vec<Problem> = unknown
            .iter()
            .map(|(index, sku)| {
                let at = match self.single {
                    true => "data.sku".to_owned(),
                    false => format!("data[{}].sku", self.positions[0][*index]),
                };
                let detail = format!("no product has the sku {}", sku.as_str());
                Problem::new(Code::ProductNotFound, detail).at(at)
            })
            .collect();
        for (index, _) in unknown.iter().rev() {
            line_items.remove(*index);
            self.positions[0].remove(*index);
        }
        let nothing_left = line_items.is_empty() && self.items.custom_items.is_empty();
        if !problems.is_empty()
            && (self.items.add_all_or_nothing || nothing_left && self.codes.is_empty())
        {
            return Err(Error::many(problems));
        }
        self.unknown_skus = problems;
        self.items.line_items = ItemList::try_from(line_items).map_err(|_| Error::internal())?;
        Ok(())
    }
}

/// `PUT /v2/carts/{cart_id}/items/{item_id}`: the new quantity (`0` removes the item).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemUpdateBody {
    #[serde(default, deserialize_with = "present")]
    id: Option<Uuid>,
    /// Taken, as Elastic Path's clients send it; the path names the item.
    #[serde(default, rename = "type", deserialize_with = "present")]
    _kind: Option<ItemKind>,
    quantity: NewQuantity,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ItemKind {
    CartItem,
    CustomItem,
}

/// The change a `PUT /v2/carts/{cart_id}/items/{item_id}` body asks for; an `id` in the
/// body must be the path's.
pub fn item_update(request: &ApiRequest, item_id: Uuid) -> Result<ItemUpdate, Error> {
    let body = request.json::<Data<ItemUpdateBody>>()?.data;
    if body.id.is_some_and(|id| id != item_id) {
        return Err(Error::invalid(
            "data.id",
            "data.id must be the item the path names",
        ));
    }
    Ok(ItemUpdate {
        quantity: body.quantity,
    })
}

/// `PUT /v2/carts/{cart_id}/items`: several items' new quantities, each naming its item.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkUpdateBody {
    data: Vec<BulkItemUpdate>,
    #[serde(default)]
    options: UpdateOptions,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkItemUpdate {
    id: Uuid,
    #[serde(default, rename = "type", deserialize_with = "present")]
    _kind: Option<ItemKind>,
    quantity: NewQuantity,
}

/// Elastic Path's schema calls the switch `update_all_or_nothing`, its example
/// `add_all_or_nothing`; both are read, the schema's name first.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateOptions {
    #[serde(default, deserialize_with = "present")]
    update_all_or_nothing: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    add_all_or_nothing: Option<bool>,
}

/// The items and quantities a bulk `PUT …/items` asks for (each with its source), and
/// whether one refusal refuses them all.
pub fn item_updates(request: &ApiRequest) -> Result<(Vec<QuantityChange>, bool), Error> {
    let body = request.json::<BulkUpdateBody>()?;
    if body.data.is_empty() || body.data.len() > MAX_ITEMS {
        return Err(Error::invalid(
            "data",
            format!("name from 1 to {MAX_ITEMS} items"),
        ));
    }
    let updates = body
        .data
        .into_iter()
        .enumerate()
        .map(|(i, u)| QuantityChange {
            item_id: u.id,
            quantity: u.quantity,
            source: format!("data[{i}]"),
        })
        .collect();
    let options = body.options;
    let all_or_nothing = options.update_all_or_nothing.or(options.add_all_or_nothing);
    Ok((updates, all_or_nothing.unwrap_or(false)))
}

/// `err` with each source that names a field of the cart in the body's terms: Elastic
/// Path's bodies hold the cart's fields in `data` (`snapshot_date` is `data.snapshot_date`).
/// Headers (`Content-Type`) and sources already in those terms stay as they are.
pub fn in_data(mut err: Error) -> Error {
    for problem in &mut err.problems {
        if let Some(source) = &problem.source
            && source.starts_with(|c: char| c.is_ascii_lowercase())
            && !source.starts_with("data")
        {
            problem.source = Some(format!("data.{source}"));
        }
    }
    err
}
