//! `GET /abandoned-carts/{token}`: the cart a recovery e-mail's token stands for.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /abandoned-carts/{token}"], get_abandoned_cart).await
}

async fn get_abandoned_cart(app: App, request: ApiRequest) -> HandlerResult {
    let token = request.path_param("token").unwrap_or_default();
    let cart_id = service::redirects::recover(&app, &token, service::now()).await?;
    Ok(response::data(
        StatusCode::OK,
        &serde_json::json!({ "cart_id": cart_id }),
    ))
}
