//! `PUT /settings/cart`: change the store-wide cart settings (fields left out stay).

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["PUT /settings/cart"], update_cart_settings).await
}

async fn update_cart_settings(app: App, request: ApiRequest) -> HandlerResult {
    Ok(response::settings(
        &service::settings::update(&app, request.command()?).await?,
    ))
}
