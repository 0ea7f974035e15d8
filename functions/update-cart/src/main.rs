//! `PUT /carts/{cart_id}`: change a cart's name, description, customer, contact or attributes.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["PUT /carts/{cart_id}"], update_cart).await
}

async fn update_cart(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let patch = request.json()?;
    let cart = service::carts::update(
        &app,
        cart_id,
        request.if_match()?.as_ref(),
        patch,
        service::now(),
    )
    .await?;
    Ok(response::cart(StatusCode::OK, &cart, &[]))
}
