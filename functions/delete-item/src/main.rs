//! `DELETE /carts/{cart_id}/items/{item_id}`: remove one item.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["DELETE /carts/{cart_id}/items/{item_id}"], delete_item).await
}

async fn delete_item(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, item_id) = (request.cart_id()?, request.item_id()?);
    let if_match = request.if_match()?;
    let cart =
        service::items::remove(&app, cart_id, item_id, if_match.as_ref(), service::now()).await?;
    Ok(response::cart(StatusCode::OK, &cart, &[]))
}
