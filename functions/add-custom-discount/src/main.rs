//! `POST /carts/{cart_id}/custom-discounts`: add a custom (external) discount to a cart or one
//! item. Also serves Elastic Path's `POST /v2/carts/{cart_id}/custom-discounts` (several at
//! once, each off the cart or the item it names) and
//! `POST /v2/carts/{cart_id}/items/{item_id}/custom-discounts` (one, off that item).

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, elasticpath, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "POST /carts/{cart_id}/custom-discounts",
            "POST /v2/carts/{cart_id}/custom-discounts",
            "POST /v2/carts/{cart_id}/items/{item_id}/custom-discounts",
        ],
        add_custom_discount,
    )
    .await
}

async fn add_custom_discount(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, now) = (request.cart_id()?, service::now());
    if request.dialect() == Dialect::Native {
        let body = request.command()?;
        let if_match = request.if_match()?;
        let cart = service::discounts::add(&app, cart_id, if_match.as_ref(), body, now).await?;
        return Ok(response::cart(StatusCode::CREATED, &cart, &[]));
    }
    if request.path_param("item_id").is_some() {
        let item_id = request.item_id()?;
        let body = elasticpath::custom_discount(&request, Some(item_id))?;
        let (cart, id) = service::discounts::add_one(&app, cart_id, body, now).await?;
        return elasticpath::custom_discount_view(&cart.cart, id);
    }
    let (discounts, all_or_nothing) = elasticpath::new_custom_discounts(&request)?;
    let (cart, ids, refused) =
        service::discounts::add_many(&app, cart_id, discounts, all_or_nothing, now).await?;
    Ok(elasticpath::custom_discount_list(
        &cart.cart, &ids, &refused,
    ))
}
