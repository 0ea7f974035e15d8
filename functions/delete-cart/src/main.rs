//! `DELETE /carts/{cart_id}`: delete a cart. Also serves BigCommerce's
//! `DELETE /v3/carts/{cart_id}`, and Elastic Path's `DELETE /v2/carts/{cart_id}`.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "DELETE /carts/{cart_id}",
            "DELETE /v3/carts/{cart_id}",
            "DELETE /v2/carts/{cart_id}",
        ],
        delete_cart,
    )
    .await
}

async fn delete_cart(app: App, request: ApiRequest) -> HandlerResult {
    service::carts::delete(
        &app,
        request.cart_id()?,
        request.if_match()?.as_ref(),
        service::now(),
    )
    .await?;
    Ok(response::no_content())
}
