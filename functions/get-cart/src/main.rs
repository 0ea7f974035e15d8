//! `GET /carts/{cart_id}`: read a cart with its items and totals. Also serves BigCommerce's
//! `GET /v3/carts/{cart_id}`, and Elastic Path's `GET /v2/carts/{cart_id}` and
//! `GET /v2/carts/{cart_id}/items` (the same cart, shown as its items; `include=` adds its items,
//! tax items, custom discounts and promotions).

use trolley::http::{
    ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, elasticpath, response, serve,
};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "GET /carts/{cart_id}",
            "GET /v3/carts/{cart_id}",
            "GET /v2/carts/{cart_id}",
            "GET /v2/carts/{cart_id}/items",
        ],
        get_cart,
    )
    .await
}

async fn get_cart(app: App, request: ApiRequest) -> HandlerResult {
    request.check_include()?;
    let include = match request.dialect() {
        Dialect::ElasticPath => elasticpath::Include::of(&request)?,
        _ => elasticpath::Include::default(),
    };
    let cart = service::carts::get(&app, request.cart_id()?, service::now()).await?;
    Ok(match request.dialect() {
        Dialect::Native => response::cart(StatusCode::OK, &cart, &[]),
        Dialect::BigCommerce => bigcommerce::cart(StatusCode::OK, &cart),
        Dialect::ElasticPath if request.route().ends_with("/items") => {
            elasticpath::items(StatusCode::OK, &cart)
        }
        Dialect::ElasticPath => elasticpath::cart_including(&cart, include),
    })
}
