//! The catalog's admin use cases.

use super::App;
use crate::Error;
use crate::domain::product::SkuRecord;
use crate::domain::product::{Product, ProductInput};
use crate::domain::values::ClientId;
use chrono::{DateTime, Utc};

/// Creates or replaces a product; true when it is new.
pub async fn put(
    app: &App,
    id: ClientId,
    input: ProductInput,
    now: DateTime<Utc>,
) -> Result<(Product, bool), Error> {
    app.check_backend()?;
    let mut product = input.into_product(id, now)?;
    let created = app.store.put_product(&mut product).await?;
    Ok((product, created))
}

pub async fn get(app: &App, id: &ClientId) -> Result<Product, Error> {
    app.check_backend()?;
    app.store
        .get_product(id)
        .await?
        .ok_or_else(|| Error::not_found("product"))
}

/// The product or variant each sku names, for those that name one: the one last saved with
/// the sku, if it still has it (a sku record outlives a change of sku; see `SkuRecord`).
/// Anyone may look up skus, as anyone may add products to their cart.
pub async fn by_sku(app: &App, skus: &[&str]) -> Result<Vec<SkuRecord>, Error> {
    if skus.is_empty() {
        return Ok(Vec::new());
    }
    let records = app.store.get_skus(skus.iter().copied()).await?;
    let catalog = app
        .store
        .get_products(records.iter().map(|r| &r.product_id))
        .await?;
    Ok(records
        .into_iter()
        .filter(|r| {
            catalog
                .get(&r.product_id)
                .and_then(|product| product.offer(r.variant_id.as_ref()))
                .is_some_and(|offer| offer.sku() == r.sku)
        })
        .collect())
}
