//! `POST /carts/{cart_id}/custom-discounts`: add a custom (external) discount to a cart or one item.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["POST /carts/{cart_id}/custom-discounts"],
        add_custom_discount,
    )
    .await
}

async fn add_custom_discount(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let body = request.command()?;
    let cart = service::discounts::add(
        &app,
        cart_id,
        request.if_match()?.as_ref(),
        body,
        service::now(),
    )
    .await?;
    Ok(response::cart(StatusCode::CREATED, &cart, &[]))
}
