//! `GET /carts/{cart_id}`: read a cart with its items and totals. Also serves BigCommerce's
//! `GET /v3/carts/{cart_id}`.

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["GET /carts/{cart_id}", "GET /v3/carts/{cart_id}"],
        get_cart,
    )
    .await
}

async fn get_cart(app: App, request: ApiRequest) -> HandlerResult {
    request.check_include()?;
    let cart = service::carts::get(&app, request.cart_id()?, service::now()).await?;
    Ok(match request.dialect() {
        Dialect::Native => response::cart(StatusCode::OK, &cart, &[]),
        Dialect::BigCommerce => bigcommerce::cart(StatusCode::OK, &cart),
    })
}
