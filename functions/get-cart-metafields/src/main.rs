//! `GET /v3/carts/{cart_id}/metafields`: a cart's metafields, filtered and paged
//! (BigCommerce's cart metafields). Also serves one metafield,
//! `GET /v3/carts/{cart_id}/metafields/{metafield_id}`, and every cart's metafields,
//! `GET /v3/carts/metafields`.

use trolley::http::{ApiRequest, HandlerResult, bigcommerce, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "GET /v3/carts/{cart_id}/metafields",
            "GET /v3/carts/{cart_id}/metafields/{metafield_id}",
            "GET /v3/carts/metafields",
        ],
        get_cart_metafields,
    )
    .await
}

async fn get_cart_metafields(app: App, request: ApiRequest) -> HandlerResult {
    let now = service::now();
    if request.route() == "/v3/carts/metafields" {
        bigcommerce::check_all_metafields_query(&request)?;
        let all = service::metafields::list_all(&app, now).await?;
        return bigcommerce::all_metafields(&request, &all);
    }
    let cart_id = request.cart_id()?;
    if request.path_param("metafield_id").is_some() {
        let id = bigcommerce::metafield_id(&request)?;
        let metafield = service::metafields::get(&app, cart_id, id, now).await?;
        return Ok(bigcommerce::metafield(cart_id, &metafield));
    }
    let all = service::metafields::list(&app, cart_id, now).await?;
    bigcommerce::metafields(&request, cart_id, &all)
}
