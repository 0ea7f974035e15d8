//! `DELETE /v3/carts/{cart_id}/metafields/{metafield_id}`: remove a cart's metafield
//! (BigCommerce's cart metafields; `204`). Also serves the batch,
//! `DELETE /v3/carts/metafields`: metafields by id, whichever carts hold them.

use trolley::http::{ApiRequest, HandlerResult, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "DELETE /v3/carts/{cart_id}/metafields/{metafield_id}",
            "DELETE /v3/carts/metafields",
        ],
        delete_cart_metafield,
    )
    .await
}

async fn delete_cart_metafield(app: App, request: ApiRequest) -> HandlerResult {
    if request.route() == "/v3/carts/metafields" {
        let ids = bigcommerce::metafield_ids(&request)?;
        let outcomes = service::metafields::remove_many(&app, &ids, service::now()).await?;
        return Ok(bigcommerce::deleted_metafields(&ids, outcomes));
    }
    let cart_id = request.cart_id()?;
    let id = bigcommerce::metafield_id(&request)?;
    service::metafields::remove(&app, cart_id, id, service::now()).await?;
    Ok(response::no_content())
}
