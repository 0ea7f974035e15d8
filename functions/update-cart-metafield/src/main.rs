//! `PUT /v3/carts/{cart_id}/metafields/{metafield_id}`: change a cart's metafield (the
//! fields given; BigCommerce's cart metafields). Also serves the batch,
//! `PUT /v3/carts/metafields`: metafields by id, whichever carts hold them.

use trolley::http::{ApiRequest, HandlerResult, bigcommerce, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "PUT /v3/carts/{cart_id}/metafields/{metafield_id}",
            "PUT /v3/carts/metafields",
        ],
        update_cart_metafield,
    )
    .await
}

async fn update_cart_metafield(app: App, request: ApiRequest) -> HandlerResult {
    if request.route() == "/v3/carts/metafields" {
        let changes = bigcommerce::cart_metafield_changes(&request)?;
        let outcomes = service::metafields::update_many(&app, &changes, service::now()).await?;
        let ids: Vec<u64> = changes.iter().map(|(id, _)| *id).collect();
        return Ok(bigcommerce::updated_metafields(&ids, outcomes));
    }
    let cart_id = request.cart_id()?;
    let id = bigcommerce::metafield_id(&request)?;
    let change = bigcommerce::metafield_change(&request)?;
    let metafield = service::metafields::update(&app, cart_id, id, change, service::now()).await?;
    Ok(bigcommerce::metafield(cart_id, &metafield))
}
