//! `POST /carts/{cart_id}/promotions`: apply a promotion code to a cart.

use trolley::http::bodies::PromotionCode;
use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["POST /carts/{cart_id}/promotions"], apply_promotion).await
}

async fn apply_promotion(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let code: PromotionCode = request.command()?;
    let cart = service::promotions::apply(
        &app,
        cart_id,
        request.if_match()?.as_ref(),
        code.as_str(),
        service::now(),
    )
    .await?;
    Ok(response::cart(StatusCode::CREATED, &cart, &[]))
}
