//! `PUT /carts/{cart_id}/items/{item_id}`: change an item's quantity (0 removes it). Also
//! serves BigCommerce's `PUT /v3/carts/{cart_id}/items/{item_id}`, and Elastic Path's
//! `PUT /v2/carts/{cart_id}/items/{item_id}` (answered with the cart's items), and its bulk
//! `PUT /v2/carts/{cart_id}/items` (several quantities in one change).

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
            "PUT /v2/carts/{cart_id}/items",
        ],
        update_item,
    )
    .await
}

async fn update_item(app: App, request: ApiRequest) -> HandlerResult {
    if request.path_param("item_id").is_none() {
        return update_items(app, request).await;
    }
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

/// Elastic Path's bulk update: what can be set is, and the refusals are listed (unless
/// `update_all_or_nothing`).
async fn update_items(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let (updates, all_or_nothing) = elasticpath::item_updates(&request)?;
    let (cart, refused) =
        service::items::update_many(&app, cart_id, updates, all_or_nothing, service::now()).await?;
    Ok(elasticpath::items_with_refusals(
        StatusCode::OK,
        &cart,
        &refused,
    ))
}
