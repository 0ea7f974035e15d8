//! The catalog's admin use cases.

use super::App;
use crate::Error;
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
    let product = input.into_product(id, now)?;
    let created = app.store.put_product(&product).await?;
    Ok((product, created))
}

pub async fn get(app: &App, id: &ClientId) -> Result<Product, Error> {
    app.check_backend()?;
    app.store
        .get_product(id)
        .await?
        .ok_or_else(|| Error::not_found("product"))
}
