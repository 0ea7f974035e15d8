//! `GET /carts/{cart_id}`: read a cart with its items and totals.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve("GET /carts/{cart_id}", get_cart).await
}

async fn get_cart(app: App, request: ApiRequest) -> HandlerResult {
    let cart = service::carts::get(&app, request.cart_id()?, service::now()).await?;
    Ok(response::cart(StatusCode::OK, &cart, &[]))
}
