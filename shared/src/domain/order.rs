//! Orders: what a cart was at checkout (items, prices, discounts, totals, attributes), and
//! what checkout must take from stock and count against promotion limits.

use super::address::Address;
use super::attributes::CustomAttributes;
use super::cart::{Cart, Contact};
use super::discounts::CustomDiscount;
use super::items::{CustomItem, LineItem};
use super::money::Currency;
use super::pricing::Totals;
use super::product::ProductGuard;
use super::promotion::Promotion;
use super::values::{ClientId, CustomerId, Email, Name, hex};
use crate::{Code, Error};
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: Uuid,
    pub cart_id: Uuid,
    pub customer_id: Option<CustomerId>,
    pub contact: Option<Contact>,
    pub currency: Currency,
    pub line_items: Vec<LineItem>,
    pub custom_items: Vec<CustomItem>,
    pub custom_discounts: Vec<CustomDiscount>,
    /// The cart's totals at checkout, with every promotion and discount it applied.
    pub totals: Totals,
    pub custom_attributes: CustomAttributes,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Address>,
    /// Where the order stands. Trolley takes no payments and ships nothing, so an order
    /// stays as checkout made it: incomplete, unpaid, unfulfilled.
    #[serde(default)]
    pub status: OrderStatus,
    #[serde(default)]
    pub payment: PaymentStatus,
    #[serde(default)]
    pub shipping: ShippingStatus,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    #[default]
    Incomplete,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    #[default]
    Unpaid,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShippingStatus {
    #[default]
    Unfulfilled,
}

/// Who is buying, for a cart that does not say yet (a guest's e-mail, and name, or a
/// customer), and where to bill and ship.
#[derive(Debug, Clone, Default)]
pub struct CheckoutInput {
    pub contact: Option<Email>,
    /// A guest's name, kept with the contact e-mail.
    pub contact_name: Option<Name>,
    pub customer: Option<CustomerId>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
}

/// Units checkout takes from one tracked product or variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockNeed {
    pub product_id: ClientId,
    /// The variant's place in the product's list (`None`: the product itself), and its id.
    pub variant: Option<(usize, ClientId)>,
    pub sku: String,
    pub quantity: u32,
}

/// The stock to take, and each product to find unchanged, from what the lines keep of
/// the catalog (`CatalogStamp`), without reading it. `None` when a line keeps nothing,
/// or two lines of one product took different versions of it: checkout reads the
/// catalog then.
pub fn stamped_needs(lines: &[LineItem]) -> Option<(Vec<StockNeed>, Vec<ProductGuard>)> {
    let (mut needs, mut unchanged): (Vec<StockNeed>, Vec<ProductGuard>) = (Vec::new(), Vec::new());
    for item in lines {
        let stamp = item.stamp?;
        match unchanged.iter().find(|u| u.product_id == item.product_id) {
            Some(seen) if seen.updated_at != stamp.updated_at => return None,
            Some(_) => {}
            None => unchanged.push(ProductGuard {
                product_id: item.product_id.clone(),
                updated_at: stamp.updated_at,
                minimums: Vec::new(),
            }),
        }
        if !stamp.tracked {
            continue;
        }
        let variant = item.tracked_stock()?;
        add_need(
            &mut needs,
            &item.product_id,
            variant,
            &item.sku,
            item.quantity,
        );
    }
    Some((needs, unchanged))
}

/// Adds `quantity` of a product or variant to what checkout takes.
fn add_need(
    needs: &mut Vec<StockNeed>,
    product_id: &ClientId,
    variant: Option<(usize, ClientId)>,
    sku: &str,
    quantity: u32,
) {
    match needs
        .iter_mut()
        .find(|n| &n.product_id == product_id && n.variant == variant)
    {
        Some(need) => need.quantity += quantity,
        None => needs.push(StockNeed {
            product_id: product_id.clone(),
            variant,
            sku: sku.to_owned(),
            quantity,
        }),
    }
}

/// The checkout's secret (HMAC-SHA256). It names orders after what was checked out: one
/// cart at one version makes one order, whoever asks and however often (a retry after a
/// lost answer, a double click, two devices), and no one without the key can work out an
/// order's id from its cart's. It also keys the digest that stands for a guest's e-mail in
/// promotion counters, so a stored digest cannot be matched against guessed addresses.
#[derive(Clone, PartialEq, Eq)]
pub struct CheckoutKey(Vec<u8>);

impl CheckoutKey {
    pub fn new(secret: &[u8]) -> CheckoutKey {
        CheckoutKey(secret.to_vec())
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        // HMAC takes keys of any length, so this cannot fail.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts any key length");
        for part in parts {
            mac.update(part);
        }
        let mut tag = [0u8; 32];
        tag.copy_from_slice(&mac.finalize().into_bytes());
        tag
    }

    /// Hex HMAC of a (lower-case) e-mail address.
    fn digest(&self, email: &str) -> String {
        hex(&self.mac(&[b"email:", email.as_bytes()]))
    }

    /// The id of the order that checking out `cart_id` at `version` makes: shaped as a
    /// random UUID, and as unguessable to anyone without the key.
    pub fn order_id(&self, cart_id: Uuid, version: u64) -> Uuid {
        let mac = self.mac(&[b"order:", cart_id.as_bytes(), &version.to_be_bytes()]);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&mac[..16]);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

// Never print a secret.
impl std::fmt::Debug for CheckoutKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CheckoutKey(..)")
    }
}

/// A use of a promotion limited per shopper, counted at checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionUse {
    pub promotion_id: ClientId,
    pub max_uses: u32,
    /// `customer:<id>` or `email:<keyed digest of the lower-case address>`: no address in a key.
    pub shopper: String,
}

impl Order {
    /// Who buys, if the cart can be checked out at all: refuses a preview cart (400), an
    /// empty one (422), a customer other than the cart's (422), and both a customer and a
    /// contact e-mail (400). Checkout asks this before anything else, so a refusal writes
    /// nothing.
    pub fn buyer(
        cart: &Cart,
        input: &CheckoutInput,
    ) -> Result<(Option<CustomerId>, Option<Contact>), Error> {
        if cart.is_preview() {
            return Err(Error::of(
                Code::PreviewCart,
                "a preview cart (with a snapshot_date) cannot be checked out",
            ));
        }
        if cart.item_count() == 0 {
            return Err(Error::of(
                Code::CartEmpty,
                "a cart needs an item to be checked out",
            ));
        }
        let customer_id = match (input.customer.clone(), &cart.customer_id) {
            (Some(given), Some(own)) if &given != own => {
                return Err(Error::of(
                    Code::CustomerMismatch,
                    "the cart belongs to another customer",
                )
                .at("customer.id"));
            }
            (given, own) => given.or_else(|| own.clone()),
        };
        let contact = input
            .contact
            .clone()
            .map(Contact::from)
            .or_else(|| cart.contact.clone())
            .map(|contact| Contact {
                name: input.contact_name.as_ref().map(|n| n.as_str().to_owned()),
                ..contact
            });
        if customer_id.is_some() && contact.is_some() {
            return Err(Error::of(
                Code::ContactOnCustomerCart,
                "an order has either a customer or a contact e-mail (guest), not both",
            )
            .at("contact.email"));
        }
        Ok((customer_id, contact))
    }

    /// The order a checkout of `cart` (priced as `totals`) creates, with a random id (the
    /// checkout names it after the cart: `CheckoutKey::order_id`). Refuses what `buyer`
    /// refuses; the body may say who is buying when the cart does not.
    pub fn from_cart(
        cart: &Cart,
        totals: Totals,
        input: CheckoutInput,
        now: DateTime<Utc>,
    ) -> Result<Order, Error> {
        let (customer_id, contact) = Order::buyer(cart, &input)?;
        Ok(Order {
            id: Uuid::new_v4(),
            cart_id: cart.id,
            customer_id,
            contact,
            currency: cart.currency,
            line_items: cart.line_items.clone(),
            custom_items: cart.custom_items.clone(),
            custom_discounts: cart.custom_discounts.clone(),
            totals,
            custom_attributes: cart.custom_attributes.clone(),
            created_at: now,
            billing_address: input.billing_address,
            shipping_address: input.shipping_address,
            status: OrderStatus::default(),
            payment: PaymentStatus::default(),
            shipping: ShippingStatus::default(),
        })
    }

    /// Who placed the order, as promotion limits count shoppers: the customer id, or for a
    /// guest a keyed digest of the e-mail (case-insensitive), never the address itself.
    pub fn shopper(&self, key: &CheckoutKey) -> Option<String> {
        if let Some(customer) = &self.customer_id {
            return Some(format!("customer:{}", customer.key()));
        }
        let email = self.contact.as_ref()?.email.to_lowercase();
        Some(format!("email:{}", key.digest(&email)))
    }

    /// The promotion uses to count: one per applied promotion with a per-shopper limit. 422
    /// when such a promotion applies but the order names no shopper to count against.
    pub fn promotion_uses(
        &self,
        promotions: &[Promotion],
        key: &CheckoutKey,
    ) -> Result<Vec<PromotionUse>, Error> {
        let limited: Vec<(&ClientId, u32)> = self
            .totals
            .promotions
            .iter()
            .filter_map(|applied| {
                let promotion = promotions.iter().find(|p| p.id == applied.id)?;
                Some((&applied.id, promotion.max_uses_per_shopper?))
            })
            .collect();
        if limited.is_empty() {
            return Ok(Vec::new());
        }
        let shopper = self.shopper(key).ok_or_else(|| {
            Error::of(
                Code::ShopperRequired,
                "a promotion limited per shopper applies: give a customer id or a contact e-mail",
            )
        })?;
        Ok(limited
            .into_iter()
            .map(|(id, max_uses)| PromotionUse {
                promotion_id: id.clone(),
                max_uses,
                shopper: shopper.clone(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cart::tests::{new_cart, now};
    use crate::domain::product::{Catalog, ProductInput};
    use crate::domain::promotion::tests::promotion;
    use serde_json::json;

    fn catalog() -> Catalog {
        let tracked: ProductInput =
            crate::http::bodies::from_value(json!({"name": "T", "sku": "T", "stock": 5,
            "prices": [{"currency": "USD", "amount": 100}],
            "variants": [{"id": "a", "sku": "T-A", "stock": 2}, {"id": "b", "sku": "T-B"}]}))
            .unwrap();
        let free: ProductInput = crate::http::bodies::from_value(
            json!({"name": "F", "sku": "F", "prices": [{"currency": "USD", "amount": 100}]}),
        )
        .unwrap();
        Catalog::new(vec![
            tracked
                .into_product(ClientId::parse("t").unwrap(), now())
                .unwrap(),
            free.into_product(ClientId::parse("f").unwrap(), now())
                .unwrap(),
        ])
    }

    fn cart_with(lines: serde_json::Value) -> Cart {
        let mut cart = new_cart(json!({})).unwrap();
        let items: crate::domain::items::AddItems =
            crate::http::bodies::from_value(json!({"line_items": lines})).unwrap();
        let lines = items.line_items.as_slice();
        cart.add_items(lines, &[], &catalog(), true).unwrap();
        cart
    }

    fn order(cart: &Cart, input: serde_json::Value) -> Result<Order, Error> {
        let totals = cart.price(&[], now()).unwrap();
        Order::from_cart(
            cart,
            totals,
            crate::http::bodies::from_value(input).unwrap(),
            now(),
        )
    }

    #[test]
    fn an_order_copies_the_cart_and_its_totals() {
        let cart = cart_with(json!([{"product_id": "t", "quantity": 2}]));
        let order = order(&cart, json!({"contact": {"email": "Sam@Example.com"}})).unwrap();
        assert_eq!(
            (order.cart_id, order.line_items.clone(), order.totals.total),
            (cart.id, cart.line_items.clone(), 200)
        );
        assert_eq!(order.contact.as_ref().unwrap().email, "Sam@Example.com");
        let (key, other) = (CheckoutKey::new(b"key one"), CheckoutKey::new(b"key two"));
        let shopper = order.shopper(&key).unwrap();
        assert!(shopper.starts_with("email:"));
        assert!(!shopper.contains("example"), "no address in the key");
        // Keyed: the bare SHA-256 of the address is not what is stored, and another key
        // gives another digest; the address's case does not matter.
        let bare = crate::domain::values::sha256_hex(b"sam@example.com");
        assert_ne!(shopper, format!("email:{bare}"));
        assert_ne!(order.shopper(&other), Some(shopper.clone()));
        let lower = self::order(&cart, json!({"contact": {"email": "sam@example.com"}})).unwrap();
        assert_eq!(lower.shopper(&key), Some(shopper));
    }

    #[test]
    fn order_ids_are_one_per_cart_version_and_need_the_key() {
        let (key, other) = (CheckoutKey::new(b"key one"), CheckoutKey::new(b"key two"));
        let cart = Uuid::new_v4();
        let id = key.order_id(cart, 3);
        assert_eq!(
            key.order_id(cart, 3),
            id,
            "the same cart version, the same order"
        );
        assert_ne!(key.order_id(cart, 4), id);
        assert_ne!(key.order_id(Uuid::new_v4(), 3), id);
        assert_ne!(other.order_id(cart, 3), id, "unguessable without the key");
        assert_eq!(id.get_version_num(), 4, "shaped as a random UUID");
    }

    #[test]
    fn empty_preview_and_mismatched_checkouts_are_refused() {
        assert_eq!(
            order(&new_cart(json!({})).unwrap(), json!({}))
                .unwrap_err()
                .code(),
            "cart_empty"
        );
        let mut preview = cart_with(json!([{"product_id": "f", "quantity": 1}]));
        preview.snapshot_date = Some("2099-01-01T00:00:00Z".parse().unwrap());
        assert_eq!(
            order(&preview, json!({})).unwrap_err().code(),
            "preview_cart"
        );
        let mut owned = cart_with(json!([{"product_id": "f", "quantity": 1}]));
        owned.customer_id = CustomerId::parse("c1");
        assert_eq!(
            order(&owned, json!({"customer": {"id": "c2"}}))
                .unwrap_err()
                .code(),
            "customer_mismatch"
        );
        assert_eq!(
            order(&owned, json!({"contact": {"email": "a@b.co"}}))
                .unwrap_err()
                .code(),
            "contact_on_customer_cart"
        );
        assert_eq!(
            order(&owned, json!({"customer": {"id": "c1"}}))
                .unwrap()
                .shopper(&CheckoutKey::new(b"k"))
                .unwrap(),
            "customer:c1"
        );
    }

    #[test]
    fn stamped_needs_add_up_per_tracked_product_or_variant_and_hold_every_product() {
        let cart = cart_with(json!([
            {"product_id": "t", "quantity": 1}, {"product_id": "t", "variant_id": "a", "quantity": 2},
            {"product_id": "t", "variant_id": "b", "quantity": 3}, {"product_id": "f", "quantity": 4}
        ]));
        let (needs, unchanged) = stamped_needs(&cart.line_items).unwrap();
        let held: Vec<_> = unchanged.iter().map(|u| u.product_id.to_string()).collect();
        assert_eq!(held, ["t", "f"]);
        let summary: Vec<_> = needs
            .iter()
            .map(|n| (n.sku.as_str(), n.variant.as_ref().map(|v| v.0), n.quantity))
            .collect();
        assert_eq!(
            summary,
            [("T", None, 1), ("T-A", Some(0), 2)],
            "untracked variant b and product f take nothing"
        );
    }

    #[test]
    fn limited_promotions_need_a_shopper() {
        let cart = cart_with(json!([{"product_id": "f", "quantity": 1}]));
        let limited =
            promotion(json!({"kind": "amount_off", "value": 10, "max_uses_per_shopper": 1}));
        let totals = cart.price(std::slice::from_ref(&limited), now()).unwrap();
        let anonymous =
            Order::from_cart(&cart, totals.clone(), CheckoutInput::default(), now()).unwrap();
        assert_eq!(
            anonymous
                .promotion_uses(std::slice::from_ref(&limited), &CheckoutKey::new(b"k"))
                .unwrap_err()
                .code(),
            "shopper_required"
        );
        let input = crate::http::bodies::from_value(json!({"customer": {"id": 7}})).unwrap();
        let known = Order::from_cart(&cart, totals, input, now()).unwrap();
        let uses = known
            .promotion_uses(&[limited], &CheckoutKey::new(b"k"))
            .unwrap();
        assert_eq!(
            (uses.len(), uses[0].max_uses, uses[0].shopper.as_str()),
            (1, 1, "customer:7")
        );
    }
}
