//! Metafields: data an application keeps on a cart (BigCommerce's cart metafields), each a
//! `value` under a `namespace` and `key` unique on the cart. They live in the cart item, so
//! they change with the cart's version and go when the cart goes.

use super::cart::Cart;
use super::values::Text;
use crate::{Code, Error};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Metafields one cart holds; with the cart's size limit, this keeps the item small.
pub const MAX_METAFIELDS: usize = 50;

/// Who may read and write a metafield, as BigCommerce names it. Trolley stores and echoes
/// it; every caller of these routes is the trusted backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermissionSet {
    AppOnly,
    Read,
    Write,
    ReadAndSfAccess,
    WriteAndSfAccess,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metafield {
    /// Positive and below 2^53, so every JSON client reads it exactly.
    pub id: u64,
    pub namespace: String,
    pub key: String,
    pub value: String,
    pub description: String,
    pub permission_set: PermissionSet,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new metafield, as a request gives it.
#[derive(Debug, Clone)]
pub struct MetafieldInput {
    pub namespace: Text<1, 64>,
    pub key: Text<1, 64>,
    pub value: Text<1, 65_535>,
    pub description: Text<0, 255>,
    pub permission_set: PermissionSet,
}

/// A change to a metafield: the fields it names change, the rest stay.
#[derive(Debug, Clone, Default)]
pub struct MetafieldChange {
    pub namespace: Option<Text<1, 64>>,
    pub key: Option<Text<1, 64>>,
    pub value: Option<Text<1, 65_535>>,
    pub description: Option<Text<0, 255>>,
    pub permission_set: Option<PermissionSet>,
}

/// A new metafield id: the milliseconds since 1970 times 1024, plus 10 bits from a counter
/// that starts at a random value in each process. Ids so grow with the time they were
/// made (to the millisecond), which orders listings and their cursors, and stay below 2^53
/// until the year 2248. The counter keeps the ids one process makes in one millisecond
/// (a batch's) apart; uniqueness across carts is the metafield index's to enforce (a clash
/// is refused, and the change made again).
fn new_id(now: DateTime<Utc>) -> u64 {
    static COUNTER: std::sync::OnceLock<std::sync::atomic::AtomicU64> = std::sync::OnceLock::new();
    let counter = COUNTER.get_or_init(|| std::sync::atomic::AtomicU64::new(rand::random()));
    let low = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % (1 << 10);
    let millis = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    (millis << 10 | low).clamp(1, (1 << 53) - 1)
}

impl Cart {
    pub fn metafield(&self, id: u64) -> Result<&Metafield, Error> {
        self.metafields
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| Error::not_found("metafield"))
    }

    /// Adds a metafield: 409 when the cart has one with the same namespace and key, 422
    /// past `MAX_METAFIELDS`.
    pub fn add_metafield(
        &mut self,
        input: &MetafieldInput,
        now: DateTime<Utc>,
    ) -> Result<u64, Error> {
        self.check_unique(input.namespace.as_str(), input.key.as_str(), None)?;
        if self.metafields.len() >= MAX_METAFIELDS {
            return Err(Error::of(
                Code::MetafieldLimit,
                format!("a cart holds at most {MAX_METAFIELDS} metafields"),
            ));
        }
        let id = loop {
            let id = new_id(now);
            if self.metafields.iter().all(|m| m.id != id) {
                break id;
            }
        };
        self.metafields.push(Metafield {
            id,
            namespace: input.namespace.as_str().to_owned(),
            key: input.key.as_str().to_owned(),
            value: input.value.as_str().to_owned(),
            description: input.description.as_str().to_owned(),
            permission_set: input.permission_set,
            created_at: now,
            updated_at: now,
        });
        Ok(id)
    }

    /// Changes the fields `change` names (404 if the cart has no metafield with this id;
    /// 409 if another has the resulting namespace and key).
    pub fn update_metafield(
        &mut self,
        id: u64,
        change: &MetafieldChange,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let current = self.metafield(id)?;
        let mut next = current.clone();
        if let Some(namespace) = &change.namespace {
            next.namespace = namespace.as_str().to_owned();
        }
        if let Some(key) = &change.key {
            next.key = key.as_str().to_owned();
        }
        if let Some(value) = &change.value {
            next.value = value.as_str().to_owned();
        }
        if let Some(description) = &change.description {
            next.description = description.as_str().to_owned();
        }
        if let Some(permission_set) = change.permission_set {
            next.permission_set = permission_set;
        }
        if &next == current {
            return Ok(());
        }
        self.check_unique(&next.namespace, &next.key, Some(id))?;
        next.updated_at = now;
        let slot = self.metafields.iter_mut().find(|m| m.id == id);
        *slot.expect("found above") = next;
        Ok(())
    }

    pub fn remove_metafield(&mut self, id: u64) -> Result<(), Error> {
        self.metafield(id)?;
        self.metafields.retain(|m| m.id != id);
        Ok(())
    }

    fn check_unique(&self, namespace: &str, key: &str, except: Option<u64>) -> Result<(), Error> {
        let taken = self
            .metafields
            .iter()
            .any(|m| Some(m.id) != except && m.namespace == namespace && m.key == key);
        if taken {
            return Err(Error::of(
                Code::MetafieldExists,
                format!(
                    "the cart already has a metafield with namespace {namespace:?} and key {key:?}"
                ),
            )
            .at("key"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::Settings;

    fn text<const MIN: usize, const MAX: usize>(value: &str) -> Text<MIN, MAX> {
        Text::try_from(value.to_string()).unwrap()
    }

    fn input(namespace: &str, key: &str, value: &str) -> MetafieldInput {
        MetafieldInput {
            namespace: text(namespace),
            key: text(key),
            value: text(value),
            description: text(""),
            permission_set: PermissionSet::AppOnly,
        }
    }

    fn cart(now: DateTime<Utc>) -> Cart {
        Cart::new(&Default::default(), &Settings::default(), now).unwrap()
    }

    #[test]
    fn a_namespace_and_key_name_one_metafield_per_cart() {
        let now = Utc::now();
        let mut cart = cart(now);
        let first = cart.add_metafield(&input("ns", "k", "1"), now).unwrap();
        assert!(first > 0 && first < 1 << 53);
        let again = cart.add_metafield(&input("ns", "k", "2"), now).unwrap_err();
        assert_eq!(again.code(), Code::MetafieldExists);
        let other = cart.add_metafield(&input("ns", "k2", "2"), now).unwrap();
        let to_k = MetafieldChange {
            key: Some(text("k")),
            ..MetafieldChange::default()
        };
        let clash = cart.update_metafield(other, &to_k, now);
        assert_eq!(clash.unwrap_err().code(), Code::MetafieldExists);
        // Keeping its own namespace and key is no clash; what a change leaves out stays.
        let later = now + chrono::Duration::seconds(5);
        let value = MetafieldChange {
            value: Some(text("9")),
            ..to_k
        };
        cart.update_metafield(first, &value, later).unwrap();
        let field = cart.metafield(first).unwrap();
        assert_eq!((field.value.as_str(), field.updated_at), ("9", later));
        assert_eq!((field.key.as_str(), field.created_at), ("k", now));
        // A change to nothing is no change.
        let same = MetafieldChange::default();
        cart.update_metafield(first, &same, later + chrono::Duration::seconds(1))
            .unwrap();
        assert_eq!(cart.metafield(first).unwrap().updated_at, later);
    }

    #[test]
    fn ids_grow_with_the_time_they_are_made() {
        let now = Utc::now();
        let later = now + chrono::Duration::milliseconds(1);
        for _ in 0..100 {
            assert!(new_id(now) < new_id(later));
        }
        // A batch's ids (at most 50), made in one millisecond, are all different. The
        // counter is the process's, shared with the tests running beside this one, so the
        // batch stays well below its 1024 values.
        let batch: std::collections::HashSet<u64> = (0..50).map(|_| new_id(now)).collect();
        assert_eq!(batch.len(), 50);
        let far = "2248-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert!(new_id(far) < 1 << 53);
    }

    #[test]
    fn unknown_ids_are_not_found_and_the_count_is_bounded() {
        let now = Utc::now();
        let mut cart = cart(now);
        assert_eq!(cart.remove_metafield(7).unwrap_err().code(), Code::NotFound);
        for n in 0..MAX_METAFIELDS {
            cart.add_metafield(&input("ns", &n.to_string(), "v"), now)
                .unwrap();
        }
        let over = cart.add_metafield(&input("ns", "over", "v"), now);
        assert_eq!(over.unwrap_err().code(), Code::MetafieldLimit);
        let id = cart.metafields[0].id;
        cart.remove_metafield(id).unwrap();
        assert_eq!(cart.metafields.len(), MAX_METAFIELDS - 1);
    }
}
