//! `POST /carts`: create a cart, optionally with its first items.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve("POST /carts", create_cart).await
}

async fn create_cart(app: App, request: ApiRequest) -> HandlerResult {
    let cart = service::carts::create(&app, request.json()?, service::now()).await?;
    Ok(response::created_cart(&cart))
}
