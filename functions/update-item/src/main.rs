//! `PUT /carts/{cart_id}/items/{item_id}`: change an item's quantity (0 removes it).

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["PUT /carts/{cart_id}/items/{item_id}"], update_item).await
}

async fn update_item(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, item_id) = (request.cart_id()?, request.item_id()?);
    let body = request.json()?;
    let if_match = request.if_match()?;
    let cart = service::items::update(
        &app,
        cart_id,
        item_id,
        if_match.as_ref(),
        body,
        service::now(),
    )
    .await?;
    Ok(response::cart(StatusCode::OK, &cart, &[]))
}
