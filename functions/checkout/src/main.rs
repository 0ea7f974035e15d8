//! `POST /carts/{cart_id}/checkout`: turn a cart into an order, in one transaction.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["POST /carts/{cart_id}/checkout"], checkout).await
}

async fn checkout(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let body = request.command()?;
    let checkout = service::checkout::checkout(
        &app,
        cart_id,
        request.if_match()?.as_ref(),
        body,
        service::now(),
    )
    .await?;
    Ok(response::placed_order(checkout.created, &checkout.order))
}
