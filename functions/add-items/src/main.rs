//! `POST /carts/{cart_id}/items`: add catalog line items and custom items.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["POST /carts/{cart_id}/items"], add_items).await
}

async fn add_items(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let body = request.json()?;
    let (cart, refused) = service::items::add(
        &app,
        cart_id,
        request.if_match()?.as_ref(),
        body,
        service::now(),
    )
    .await?;
    Ok(response::cart(StatusCode::CREATED, &cart, &refused))
}
