//! `GET /settings/cart`: read the store-wide cart settings.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /settings/cart"], get_cart_settings).await
}

async fn get_cart_settings(app: App, _request: ApiRequest) -> HandlerResult {
    Ok(response::settings(&service::settings::get(&app).await?))
}
