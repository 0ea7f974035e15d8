//! `POST /carts`: create a cart, optionally with its first items (and, with
//! `?include=redirect_urls`, signed storefront links). Also serves BigCommerce's
//! `POST /v3/carts`, and Elastic Path's `POST /v2/carts`.

use trolley::http::{
    ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, elasticpath, response, serve,
};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["POST /carts", "POST /v3/carts", "POST /v2/carts"],
        create_cart,
    )
    .await
}

async fn create_cart(app: App, request: ApiRequest) -> HandlerResult {
    let now = service::now();
    let command = match request.dialect() {
        Dialect::Native => request.command()?,
        Dialect::BigCommerce => {
            let body = request.required_json::<bigcommerce::NewCart>()?;
            let default_currency = match body.needs_default_currency() {
                true => Some(app.settings().await?.default_currency),
                false => None,
            };
            body.into_command(default_currency)?
        }
        Dialect::ElasticPath => elasticpath::new_cart(&request)?,
    };
    let cart = service::carts::create(&app, command, now)
        .await
        .map_err(|err| match request.dialect() {
            // Elastic Path's bodies hold the cart's fields in `data`.
            Dialect::ElasticPath => elasticpath::in_data(err),
            _ => err,
        })?;
    // `?include=redirect_urls` adds signed storefront links, as BigCommerce's carts do.
    let urls = match request.include(request.dialect())?.redirect_urls {
        true => Some(service::redirects::urls(&app, cart.cart.id, now)?),
        false => None,
    };
    Ok(match request.dialect() {
        Dialect::Native => response::created_cart(&cart, urls),
        Dialect::BigCommerce => bigcommerce::created_cart(&cart, urls),
        // Elastic Path answers a create with `200`.
        Dialect::ElasticPath => elasticpath::cart(StatusCode::OK, &cart),
    })
}
