//! `PUT /v2/carts/{cart_id}/custom-discounts/{discount_id}` and
//! `PUT /v2/carts/{cart_id}/items/{item_id}/custom-discounts/{discount_id}`: replace what a
//! custom discount takes and says (Elastic Path's; every field is given again). Only the
//! trusted backend may.

use trolley::http::{ApiRequest, HandlerResult, elasticpath, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "PUT /v2/carts/{cart_id}/custom-discounts/{discount_id}",
            "PUT /v2/carts/{cart_id}/items/{item_id}/custom-discounts/{discount_id}",
        ],
        update_custom_discount,
    )
    .await
}

async fn update_custom_discount(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let discount_id = request.uuid_param("discount_id", "custom discount")?;
    let item_id = match request.path_param("item_id") {
        Some(_) => Some(request.item_id()?),
        None => None,
    };
    let body = elasticpath::custom_discount(&request, item_id)?;
    let now = service::now();
    let cart = service::discounts::update(&app, cart_id, discount_id, item_id, body, now).await?;
    elasticpath::custom_discount_view(&cart.cart, discount_id)
}
