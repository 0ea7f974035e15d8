//! `PUT /v3/carts/{cart_id}/metafields/{metafield_id}`: change a cart's metafield (the
//! fields given; BigCommerce's cart metafields).

use trolley::http::{ApiRequest, HandlerResult, bigcommerce, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["PUT /v3/carts/{cart_id}/metafields/{metafield_id}"],
        update_cart_metafield,
    )
    .await
}

async fn update_cart_metafield(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let id = bigcommerce::metafield_id(&request)?;
    let change = bigcommerce::metafield_change(&request)?;
    let metafield = service::metafields::update(&app, cart_id, id, change, service::now()).await?;
    Ok(bigcommerce::metafield(cart_id, &metafield))
}
