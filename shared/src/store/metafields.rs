//! The metafield index: one small item per metafield naming the cart that holds it, all in
//! one partition (like the promotions). The batch routes find a metafield's cart by its id
//! from it and list every cart's metafields with one Query. An entry is written in the
//! same transaction as the cart change that adds or removes its metafield, so the index
//! never misses a live metafield. When a cart goes another way (deleted, merged away,
//! expired) its entries stay behind until a listing finds them stale and removes them.

use super::carts::Saved;
use super::errors::build_error;
use super::keys::{self, PK};
use super::metrics::RecordCapacity;
use super::{Store, TransactFailure};
use crate::Error;
use crate::domain::cart::Cart;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// One index entry: metafield id to cart id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetafieldEntry {
    pub metafield_id: u64,
    pub cart_id: Uuid,
}

#[derive(Serialize)]
struct EntryRecord {
    #[serde(rename = "PK")]
    pk: &'static str,
    #[serde(rename = "SK")]
    sk: String,
    #[serde(flatten)]
    entry: MetafieldEntry,
}

impl Store {
    /// Replaces `previous` with `cart` if it is still at `previous.version`; when the
    /// metafields' ids differ, in one transaction with their index entries. A new id that
    /// another cart's metafield already has refuses the transaction like a lost race, so
    /// the change is made again with a fresh id.
    pub async fn save_changed_cart(&self, cart: &Cart, previous: &Cart) -> Result<Saved, Error> {
        let ids = |c: &Cart| c.metafields.iter().map(|m| m.id).collect::<Vec<_>>();
        let (now, before) = (ids(cart), ids(previous));
        let added: Vec<u64> = now
            .iter()
            .copied()
            .filter(|id| !before.contains(id))
            .collect();
        let removed: Vec<u64> = before.into_iter().filter(|id| !now.contains(id)).collect();
        if added.is_empty() && removed.is_empty() {
            return self.save_cart(cart, previous.version).await;
        }
        let save = self.put_at_version(cart, previous.version)?;
        let mut writes = vec![TransactWriteItem::builder().put(save).build()];
        for metafield_id in added {
            let entry = MetafieldEntry {
                metafield_id,
                cart_id: cart.id,
            };
            let put = Put::builder()
                .table_name(&self.table)
                .set_item(Some(super::to_item(&EntryRecord::of(entry))?))
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", PK)
                .build()
                .map_err(build_error)?;
            writes.push(TransactWriteItem::builder().put(put).build());
        }
        for id in removed {
            let delete = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(keys::metafield_entry(id)))
                .build()
                .map_err(build_error)?;
            writes.push(TransactWriteItem::builder().delete(delete).build());
        }
        match self.transact(writes, "cart metafields").await {
            Ok(()) => Ok(Saved::Done),
            Err(TransactFailure::Conditions(_) | TransactFailure::Conflict) => Ok(Saved::Conflict),
            Err(TransactFailure::Failed(err)) => Err(err),
        }
    }

    /// The carts that hold these metafields, by metafield id (ids the index lacks are
    /// left out).
    pub async fn metafield_carts(&self, ids: &[u64]) -> Result<HashMap<u64, Uuid>, Error> {
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let keys = unique.into_iter().map(keys::metafield_entry).collect();
        let entries: Vec<MetafieldEntry> = self.batch_get(keys, "metafield index").await?;
        Ok(entries
            .into_iter()
            .map(|e| (e.metafield_id, e.cart_id))
            .collect())
    }

    /// Every entry of the index.
    pub async fn metafield_index(&self) -> Result<Vec<MetafieldEntry>, Error> {
        self.query_partition(keys::METAFIELDS_PK, "metafield index")
            .await
    }

    /// Removes an entry found stale, unless it names another cart by now (it cannot, as
    /// ids are never reused; the condition keeps that an assumption checked).
    pub async fn forget_metafield(&self, entry: MetafieldEntry) -> Result<(), Error> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::metafield_entry(entry.metafield_id)))
            .condition_expression("cart_id = :cart")
            .expression_attribute_values(":cart", AttributeValue::S(entry.cart_id.to_string()))
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .send()
            .await
            .inspect(RecordCapacity::record_capacity);
        super::carts::conditional("DeleteItem metafield entry", result).map(|_| ())
    }
}

impl EntryRecord {
    fn of(entry: MetafieldEntry) -> EntryRecord {
        EntryRecord {
            pk: keys::METAFIELDS_PK,
            sk: keys::metafield_entry_sk(entry.metafield_id),
            entry,
        }
    }
}
