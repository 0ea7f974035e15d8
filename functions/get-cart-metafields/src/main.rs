//! `GET /v3/carts/{cart_id}/metafields`: a cart's metafields, filtered and paged
//! (BigCommerce's cart metafields). Also serves one metafield,
//! `GET /v3/carts/{cart_id}/metafields/{metafield_id}`.

use trolley::http::{ApiRequest, HandlerResult, bigcommerce, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "GET /v3/carts/{cart_id}/metafields",
            "GET /v3/carts/{cart_id}/metafields/{metafield_id}",
        ],
        get_cart_metafields,
    )
    .await
}

async fn get_cart_metafields(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let now = service::now();
    if request.path_param("metafield_id").is_some() {
        let id = bigcommerce::metafield_id(&request)?;
        let metafield = service::metafields::get(&app, cart_id, id, now).await?;
        return Ok(bigcommerce::metafield(cart_id, &metafield));
    }
    let all = service::metafields::list(&app, cart_id, now).await?;
    bigcommerce::metafields(&request, cart_id, &all)
}
