//! `PUT /carts/{cart_id}/items/{item_id}`: change an item's quantity (0 removes it). Also
//! serves BigCommerce's `PUT /v3/carts/{cart_id}/items/{item_id}`, and Elastic Path's
//! `PUT /v2/carts/{cart_id}/items/{item_id}` (answered with the cart's items).

use trolley::http::{
    ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, elasticpath, response, serve,
};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "PUT /carts/{cart_id}/items/{item_id}",
            "PUT /v3/carts/{cart_id}/items/{item_id}",
            "PUT /v2/carts/{cart_id}/items/{item_id}",
        ],
        update_item,
    )
    .await
}

async fn update_item(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, item_id) = (request.cart_id()?, request.item_id()?);
    request.check_include()?;
    let (body, precondition) = match request.dialect() {
        Dialect::Native => (request.command()?, request.if_match()?),
        Dialect::BigCommerce => request
            .required_json::<bigcommerce::ItemUpdate>()?
            .into_command()?,
        Dialect::ElasticPath => (elasticpath::item_update(&request, item_id)?, None),
    };
    let cart = service::items::update(
        &app,
        cart_id,
        item_id,
        precondition.as_ref(),
        body,
        service::now(),
    )
    .await?;
    Ok(match request.dialect() {
        Dialect::Native => response::cart(StatusCode::OK, &cart, &[]),
        Dialect::BigCommerce => bigcommerce::cart(StatusCode::OK, &cart),
        Dialect::ElasticPath => elasticpath::items(StatusCode::OK, &cart),
    })
}
