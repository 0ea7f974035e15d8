//! `GET /abandoned-carts/{token}`: the cart a recovery e-mail's token stands for. Also serves
//! BigCommerce's `GET /v3/abandoned-carts/{token}`.

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "GET /abandoned-carts/{token}",
            "GET /v3/abandoned-carts/{token}",
        ],
        get_abandoned_cart,
    )
    .await
}

async fn get_abandoned_cart(app: App, request: ApiRequest) -> HandlerResult {
    let token = request.path_param("token").unwrap_or_default();
    let cart_id = service::redirects::recover(&app, &token, service::now()).await?;
    let found = serde_json::json!({ "cart_id": cart_id });
    Ok(match request.dialect() {
        Dialect::Native | Dialect::ElasticPath => response::data(StatusCode::OK, &found),
        Dialect::BigCommerce => bigcommerce::data(StatusCode::OK, &found),
    })
}
