//! `DELETE /v3/carts/{cart_id}/metafields/{metafield_id}`: remove a cart's metafield
//! (BigCommerce's cart metafields; `204`).

use trolley::http::{ApiRequest, HandlerResult, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["DELETE /v3/carts/{cart_id}/metafields/{metafield_id}"],
        delete_cart_metafield,
    )
    .await
}

async fn delete_cart_metafield(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let id = bigcommerce::metafield_id(&request)?;
    service::metafields::remove(&app, cart_id, id, service::now()).await?;
    Ok(response::no_content())
}
