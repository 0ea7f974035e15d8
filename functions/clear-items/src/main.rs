//! `DELETE /carts/{cart_id}/items`: empty a cart, keeping its id, customer and attributes.
//! Also serves Elastic Path's `DELETE /v2/carts/{cart_id}/items` (`204`).

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "DELETE /carts/{cart_id}/items",
            "DELETE /v2/carts/{cart_id}/items",
        ],
        clear_items,
    )
    .await
}

async fn clear_items(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let cart =
        service::items::clear(&app, cart_id, request.if_match()?.as_ref(), service::now()).await?;
    Ok(match request.dialect() {
        // Elastic Path answers with no body.
        Dialect::ElasticPath => response::no_content(),
        _ => response::cart(StatusCode::OK, &cart, &[]),
    })
}
