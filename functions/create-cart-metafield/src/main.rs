//! `POST /v3/carts/{cart_id}/metafields`: add a metafield to a cart (BigCommerce's cart
//! metafields; `200`, as BigCommerce answers). Also serves the batch,
//! `POST /v3/carts/metafields`: metafields for several carts, each succeeding on its own.

use trolley::http::{ApiRequest, HandlerResult, bigcommerce, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "POST /v3/carts/{cart_id}/metafields",
            "POST /v3/carts/metafields",
        ],
        create_cart_metafield,
    )
    .await
}

async fn create_cart_metafield(app: App, request: ApiRequest) -> HandlerResult {
    if request.route() == "/v3/carts/metafields" {
        let inputs = bigcommerce::new_cart_metafields(&request)?;
        let outcomes = service::metafields::add_many(&app, &inputs, service::now()).await?;
        return Ok(bigcommerce::created_metafields(outcomes));
    }
    let cart_id = request.cart_id()?;
    let input = bigcommerce::new_metafield(&request)?;
    let metafield = service::metafields::add(&app, cart_id, input, service::now()).await?;
    Ok(bigcommerce::metafield(cart_id, &metafield))
}
