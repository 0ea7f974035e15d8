//! `DELETE /carts/{cart_id}/custom-discounts/{discount_id}`: remove a custom discount. Also
//! serves Elastic Path's `DELETE /v2/carts/{cart_id}/custom-discounts/{discount_id}`, the
//! same for one item (`…/items/{item_id}/custom-discounts/{discount_id}`, only if it is on
//! that item) and `DELETE /v2/carts/{cart_id}/custom-discounts` (every one in the cart), each
//! answering `204`.

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "DELETE /carts/{cart_id}/custom-discounts/{discount_id}",
            "DELETE /v2/carts/{cart_id}/custom-discounts",
            "DELETE /v2/carts/{cart_id}/custom-discounts/{discount_id}",
            "DELETE /v2/carts/{cart_id}/items/{item_id}/custom-discounts/{discount_id}",
        ],
        delete_custom_discount,
    )
    .await
}

async fn delete_custom_discount(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, now) = (request.cart_id()?, service::now());
    if request.path_param("discount_id").is_none() {
        service::discounts::clear(&app, cart_id, now).await?;
        return Ok(response::no_content());
    }
    let discount_id = request.uuid_param("discount_id", "custom discount")?;
    let item_id = match request.path_param("item_id") {
        Some(_) => Some(request.item_id()?),
        None => None,
    };
    let if_match = request.if_match()?;
    let cart =
        service::discounts::remove(&app, cart_id, discount_id, item_id, if_match.as_ref(), now)
            .await?;
    match request.dialect() {
        Dialect::Native => Ok(response::cart(StatusCode::OK, &cart, &[])),
        _ => Ok(response::no_content()),
    }
}
