//! `DELETE /carts/{cart_id}/custom-discounts/{discount_id}`: remove a custom discount.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["DELETE /carts/{cart_id}/custom-discounts/{discount_id}"],
        delete_custom_discount,
    )
    .await
}

async fn delete_custom_discount(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let discount_id = request.uuid_param("discount_id", "custom discount")?;
    let if_match = request.if_match()?;
    let cart = service::discounts::remove(
        &app,
        cart_id,
        discount_id,
        if_match.as_ref(),
        service::now(),
    )
    .await?;
    Ok(response::cart(StatusCode::OK, &cart, &[]))
}
