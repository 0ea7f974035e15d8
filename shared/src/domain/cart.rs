//! The cart aggregate: one cart with its items, attributes, contact, discounts and codes,
//! and the rules for creating and changing it. Every change goes through `Cart::touch`.

use super::attributes::CustomAttributes;
use super::discounts::{CustomDiscount, DiscountSettings};
use super::items::{CustomItem, CustomItemInput, ItemList, LineItem, LineItemInput};
use super::metafields::Metafield;
use super::money::Currency;
use super::settings::Settings;
use super::taxes::TaxItem;
use super::values::{ClientId, CustomerId, Description, Email, Locale, Name};
use crate::{Code, Error};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    pub id: Uuid,
    pub name: Option<String>,
    pub description: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub channel_id: Option<ClientId>,
    pub currency: Currency,
    pub locale: Option<String>,
    pub status: CartStatus,
    #[serde(default)]
    pub line_items: Vec<LineItem>,
    #[serde(default)]
    pub custom_items: Vec<CustomItem>,
    pub discount_settings: DiscountSettings,
    #[serde(default)]
    pub custom_discounts: Vec<CustomDiscount>,
    /// Taxes set on items by a tax service (see `taxes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_items: Vec<TaxItem>,
    /// Promotion codes the shopper entered, upper case, in the order entered.
    #[serde(default)]
    pub promotion_codes: Vec<String>,
    #[serde(default)]
    pub custom_attributes: CustomAttributes,
    pub contact: Option<Contact>,
    /// Set: a preview cart, priced as on this date (see `is_preview`).
    pub snapshot_date: Option<DateTime<Utc>>,
    /// Bumped by every change; the `ETag`.
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Stored as epoch seconds: it is the table's TTL attribute.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub expires_at: DateTime<Utc>,
    pub last_order_id: Option<Uuid>,
    /// True from a checkout until the next change: such a cart is not abandoned.
    #[serde(default)]
    pub checked_out: bool,
    /// When the sweep flagged the cart abandoned (cleared by the next change).
    #[serde(default)]
    pub abandoned_at: Option<DateTime<Utc>>,
    /// The recovery token issued when it was flagged (for the recovery e-mail, never shown
    /// on the cart itself).
    #[serde(default)]
    pub abandoned_token: Option<String>,
    /// A random id for the write that made the last change. A write whose answer was lost
    /// is retried, and its condition then fails. Finding its own id on the stored cart tells
    /// it that it landed, so the change is not applied twice.
    #[serde(default)]
    pub write_id: Option<Uuid>,
    /// Applications' data on the cart (BigCommerce's cart metafields).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metafields: Vec<Metafield>,
    /// The lifetime in days this cart takes when the store sets none (30 for a cart made
    /// through BigCommerce's API; `None`: the week every other cart takes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_expiry_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CartStatus {
    Active,
    Abandoned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub email: String,
    /// A guest's name, given at checkout (an order's contact only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What a new cart starts with; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct NewCart {
    pub name: Option<Name>,
    pub description: Option<Description>,
    pub customer_id: Option<CustomerId>,
    pub channel_id: Option<ClientId>,
    /// `None`: the store's default currency.
    pub currency: Option<Currency>,
    pub locale: Option<Locale>,
    pub line_items: ItemList<LineItemInput>,
    pub custom_items: ItemList<CustomItemInput>,
    pub discount_settings: Option<DiscountSettings>,
    pub snapshot_date: Option<DateTime<Utc>>,
    pub custom_attributes: Option<CustomAttributes>,
    pub contact: Option<Email>,
    /// The cart's lifetime when the store sets none (`Cart::default_expiry_days`).
    pub default_expiry_days: Option<u32>,
}

/// A change to a cart: `None` leaves a field alone, `Some(None)` clears it, and
/// `custom_attributes` replaces the whole map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CartPatch {
    pub name: Option<Option<Name>>,
    pub description: Option<Option<Description>>,
    pub customer_id: Option<Option<CustomerId>>,
    pub contact: Option<Option<Email>>,
    pub discount_settings: Option<DiscountSettings>,
    pub custom_attributes: Option<CustomAttributes>,
    pub snapshot_date: Option<Option<DateTime<Utc>>>,
}

fn preview_error(detail: &str) -> Error {
    Error::of(Code::PreviewCart, detail).at("snapshot_date")
}

impl Cart {
    /// A new, empty cart (items are added afterwards, with the catalog at hand).
    pub fn new(input: &NewCart, settings: &Settings, now: DateTime<Utc>) -> Result<Cart, Error> {
        if let Some(date) = input.snapshot_date {
            check_snapshot_date(date, now)?;
        }
        let custom_discounts_enabled = input
            .discount_settings
            .map_or(settings.custom_discounts_enabled, |d| {
                d.custom_discounts_enabled
            });
        let cart = Cart {
            id: Uuid::new_v4(),
            name: input.name.clone().map(Name::into_inner),
            description: input.description.clone().map(Description::into_inner),
            customer_id: input.customer_id.clone(),
            channel_id: input.channel_id.clone(),
            currency: input.currency.unwrap_or(settings.default_currency),
            locale: input.locale.clone().map(Locale::into_inner),
            status: CartStatus::Active,
            line_items: Vec::new(),
            custom_items: Vec::new(),
            discount_settings: DiscountSettings {
                custom_discounts_enabled,
            },
            custom_discounts: Vec::new(),
            tax_items: Vec::new(),
            promotion_codes: Vec::new(),
            custom_attributes: input.custom_attributes.clone().unwrap_or_default(),
            contact: input.contact.clone().map(Contact::from),
            snapshot_date: input.snapshot_date,
            version: 1,
            created_at: now,
            updated_at: now,
            expires_at: settings.expiry_from(now, input.default_expiry_days),
            last_order_id: None,
            checked_out: false,
            abandoned_at: None,
            abandoned_token: None,
            write_id: Some(Uuid::new_v4()),
            metafields: Vec::new(),
            default_expiry_days: input.default_expiry_days,
        };
        cart.check_contact_rule("contact.email")?;
        Ok(cart)
    }

    /// Past `expires_at` a cart is gone, even before DynamoDB's TTL deletes it.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now
    }

    /// A preview cart shows what a cart would cost on `snapshot_date`: promotions are
    /// evaluated then, stock is not checked, and it is never checked out or flagged.
    pub fn is_preview(&self) -> bool {
        self.snapshot_date.is_some()
    }

    /// The moment promotions are evaluated at: the snapshot date of a preview cart, or now.
    pub fn pricing_time(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.snapshot_date.unwrap_or(now)
    }

    /// Records a change: new version, `updated_at`, sliding expiry, a new write id, and
    /// active again (no longer abandoned, nor checked out since its last change).
    pub fn touch(&mut self, settings: &Settings, now: DateTime<Utc>) {
        self.version += 1;
        self.updated_at = now;
        self.expires_at = settings.expiry_from(now, self.default_expiry_days);
        self.status = CartStatus::Active;
        self.checked_out = false;
        self.abandoned_at = None;
        self.abandoned_token = None;
        self.write_id = Some(Uuid::new_v4());
    }

    /// Records a change that is not shopper activity (an application's metafields): a new
    /// version and write id only, so a checked-out cart stays checked out (a retried
    /// checkout still finds its order), an abandoned one stays flagged, and the expiry
    /// does not move.
    pub fn touch_quietly(&mut self) {
        self.version += 1;
        self.write_id = Some(Uuid::new_v4());
    }

    /// Whether the abandoned-cart sweep should watch this cart: it has items, is active,
    /// is not a preview, and has not been checked out since its last change.
    pub fn may_become_abandoned(&self) -> bool {
        self.item_count() > 0
            && self.status == CartStatus::Active
            && !self.is_preview()
            && !self.checked_out
    }

    /// Applies an update, all or nothing: a refused one leaves the cart as it was.
    pub fn apply_patch(&mut self, patch: CartPatch, now: DateTime<Utc>) -> Result<(), Error> {
        let mut patched = self.clone();
        patched.patch_in_place(patch, now)?;
        *self = patched;
        Ok(())
    }

    fn patch_in_place(&mut self, patch: CartPatch, now: DateTime<Utc>) -> Result<(), Error> {
        let contact_changed = patch.contact.is_some();
        if let Some(name) = patch.name {
            self.name = name.map(Name::into_inner);
        }
        if let Some(description) = patch.description {
            self.description = description.map(Description::into_inner);
        }
        if let Some(customer_id) = patch.customer_id {
            self.customer_id = customer_id;
        }
        if let Some(contact) = patch.contact {
            self.contact = contact.map(Contact::from);
        }
        if let Some(settings) = patch.discount_settings {
            self.set_discount_settings(settings);
        }
        if let Some(attributes) = patch.custom_attributes {
            self.custom_attributes = attributes;
        }
        if let Some(snapshot_date) = patch.snapshot_date {
            self.set_snapshot_date(snapshot_date, now)?;
        }
        self.check_contact_rule(if contact_changed {
            "contact.email"
        } else {
            "customer_id"
        })
    }

    /// A snapshot date can be set or moved to another future date, never removed or moved
    /// into the past: a preview cart stays a preview cart.
    fn set_snapshot_date(
        &mut self,
        date: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        match date {
            None if self.is_preview() => Err(preview_error(
                "a preview cart's snapshot_date cannot be removed",
            )),
            None => Ok(()),
            Some(date) => {
                check_snapshot_date(date, now)?;
                self.snapshot_date = Some(date);
                Ok(())
            }
        }
    }

    /// A contact e-mail belongs to guest carts only.
    fn check_contact_rule(&self, source: &str) -> Result<(), Error> {
        if self.customer_id.is_some() && self.contact.is_some() {
            return Err(Error::of(
                Code::ContactOnCustomerCart,
                "a cart has either a customer_id or a contact e-mail (guest cart), not both",
            )
            .at(source));
        }
        Ok(())
    }
}

fn check_snapshot_date(date: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Error> {
    if date <= now {
        return Err(preview_error("snapshot_date must be in the future"));
    }
    Ok(())
}

impl From<Email> for Contact {
    fn from(email: Email) -> Contact {
        Contact {
            email: email.into_inner(),
            name: None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::Duration;
    use serde_json::json;

    pub(crate) fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    pub(crate) fn new_cart(body: serde_json::Value) -> Result<Cart, Error> {
        let input: NewCart = crate::http::bodies::from_value(body).unwrap();
        Cart::new(&input, &Settings::default(), now())
    }

    fn patch(cart: &mut Cart, body: serde_json::Value) -> Result<(), Error> {
        cart.apply_patch(crate::http::bodies::from_value(body).unwrap(), now())
    }

    #[test]
    fn a_new_cart_takes_defaults_from_settings() {
        let cart = new_cart(json!({})).unwrap();
        assert_eq!(cart.currency, Currency::USD);
        assert_eq!(cart.version, 1);
        assert_eq!(cart.status, CartStatus::Active);
        assert_eq!(cart.expires_at, now() + Duration::days(7));
        assert!(!cart.discount_settings.custom_discounts_enabled);

        let settings = Settings {
            cart_expiry_days: Some(30),
            custom_discounts_enabled: true,
            default_currency: Currency::try_from("EUR".to_string()).unwrap(),
            ..Settings::default()
        };
        let cart = Cart::new(&NewCart::default(), &settings, now()).unwrap();
        assert_eq!(cart.currency.code(), "EUR");
        assert_eq!(cart.expires_at, now() + Duration::days(30));
        assert!(cart.discount_settings.custom_discounts_enabled);
    }

    #[test]
    fn contact_and_customer_exclude_each_other_both_ways() {
        let err = new_cart(json!({"customer_id": 42, "contact": {"email": "a@b.co"}})).unwrap_err();
        assert_eq!(err.code(), "contact_on_customer_cart");

        let mut guest = new_cart(json!({"contact": {"email": "a@b.co"}})).unwrap();
        let err = patch(&mut guest, json!({"customer_id": "c1"})).unwrap_err();
        assert_eq!(err.problems[0].source.as_deref(), Some("customer_id"));

        let mut customer = new_cart(json!({"customer_id": "c1"})).unwrap();
        let err = patch(&mut customer, json!({"contact": {"email": "a@b.co"}})).unwrap_err();
        assert_eq!(err.problems[0].source.as_deref(), Some("contact.email"));

        // Moving from guest to customer in one request is allowed.
        patch(&mut guest, json!({"customer_id": "c1", "contact": null})).unwrap();
        assert_eq!(guest.contact, None);
    }

    #[test]
    fn a_patch_changes_only_what_it_names_and_null_clears() {
        let mut cart = new_cart(json!({"name": "A", "description": "d"})).unwrap();
        patch(&mut cart, json!({"name": "B"})).unwrap();
        assert_eq!(
            (cart.name.as_deref(), cart.description.as_deref()),
            (Some("B"), Some("d"))
        );
        patch(&mut cart, json!({"description": null})).unwrap();
        assert_eq!(cart.description, None);
    }

    #[test]
    fn a_refused_patch_changes_nothing() {
        // Found by the property tests: fields before the refused one were already changed.
        let mut guest = new_cart(json!({"contact": {"email": "a@b.co"}})).unwrap();
        let before = guest.clone();
        let err = patch(&mut guest, json!({"customer_id": "c1"})).unwrap_err();
        assert_eq!(err.code(), "contact_on_customer_cart");
        let past = json!({"custom_attributes": {"tier": {"type": "string", "value": "VIP"}},
            "contact": null, "snapshot_date": "2026-01-01T00:00:00Z"});
        assert_eq!(patch(&mut guest, past).unwrap_err().code(), "preview_cart");
        assert_eq!(guest, before);
    }

    #[test]
    fn custom_attributes_are_replaced_wholesale() {
        let mut cart = new_cart(json!({"custom_attributes": {
            "a": {"type": "integer", "value": 1}, "b": {"type": "boolean", "value": true}}}))
        .unwrap();
        patch(
            &mut cart,
            json!({"custom_attributes": {"c": {"type": "string", "value": "x"}}}),
        )
        .unwrap();
        assert_eq!(cart.custom_attributes.keys().collect::<Vec<_>>(), ["c"]);
    }

    #[test]
    fn a_snapshot_date_must_be_in_the_future_and_stays() {
        let err = new_cart(json!({"snapshot_date": "2026-11-22T12:00:00Z"})).unwrap_err();
        assert_eq!(
            (err.code().name(), err.problems[0].source.as_deref()),
            ("preview_cart", Some("snapshot_date"))
        );
        let mut preview = new_cart(json!({"snapshot_date": "2026-12-24T00:00:00Z"})).unwrap();
        assert!(preview.is_preview());
        assert_eq!(preview.pricing_time(now()), preview.snapshot_date.unwrap());

        assert_eq!(
            patch(&mut preview, json!({"snapshot_date": null}))
                .unwrap_err()
                .code(),
            "preview_cart"
        );
        let past = json!({"snapshot_date": "2026-11-01T00:00:00Z"});
        assert_eq!(
            patch(&mut preview, past).unwrap_err().code(),
            "preview_cart"
        );
        patch(
            &mut preview,
            json!({"snapshot_date": "2026-12-01T00:00:00Z"}),
        )
        .unwrap();
        assert_eq!(
            preview.snapshot_date.unwrap().to_rfc3339(),
            "2026-12-01T00:00:00+00:00"
        );

        let mut plain = new_cart(json!({})).unwrap();
        patch(&mut plain, json!({"snapshot_date": null})).unwrap();
        patch(&mut plain, json!({"snapshot_date": "2027-01-01T00:00:00Z"})).unwrap();
        assert!(plain.is_preview());
    }

    #[test]
    fn touch_bumps_version_and_slides_expiry() {
        let mut cart = new_cart(json!({})).unwrap();
        let later = now() + Duration::days(3);
        cart.status = CartStatus::Abandoned;
        cart.touch(&Settings::default(), later);
        assert_eq!(cart.version, 2);
        assert_eq!(cart.updated_at, later);
        assert_eq!(cart.expires_at, later + Duration::days(7));
        assert_eq!(cart.status, CartStatus::Active);
        assert!(!cart.is_expired(later));
        assert!(cart.is_expired(cart.expires_at));
    }
}
