//! `PUT /carts/{cart_id}`: change a cart's name, description, customer, contact or attributes.
//! Also serves BigCommerce's `PUT /v3/carts/{cart_id}` (the customer; `201`, as there).

use trolley::http::{
    ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, elasticpath, response, serve,
};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "PUT /carts/{cart_id}",
            "PUT /v3/carts/{cart_id}",
            "PUT /v2/carts/{cart_id}",
        ],
        update_cart,
    )
    .await
}

async fn update_cart(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    request.check_include()?;
    let (patch, precondition) = match request.dialect() {
        Dialect::Native => (request.command()?, request.if_match()?),
        Dialect::BigCommerce => request
            .required_json::<bigcommerce::CartUpdate>()?
            .into_command()?,
        Dialect::ElasticPath => (elasticpath::cart_patch(&request)?, None),
    };
    let cart = service::carts::update(&app, cart_id, precondition.as_ref(), patch, service::now())
        .await
        .map_err(|err| match request.dialect() {
            // Elastic Path's bodies hold the cart's fields in `data`.
            Dialect::ElasticPath => elasticpath::in_data(err),
            _ => err,
        })?;
    Ok(match request.dialect() {
        Dialect::Native => response::cart(StatusCode::OK, &cart, &[]),
        Dialect::BigCommerce => bigcommerce::cart(StatusCode::CREATED, &cart),
        Dialect::ElasticPath => elasticpath::cart(StatusCode::OK, &cart),
    })
}
