//! `GET /settings/cart`: read the store-wide cart settings. Also serves BigCommerce's
//! `GET /v3/carts/settings` and its per-channel `GET /v3/carts/settings/channels/{channel_id}`.

use trolley::http::{ApiRequest, Dialect, HandlerResult, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "GET /settings/cart",
            "GET /v3/carts/settings",
            "GET /v3/carts/settings/channels/{channel_id}",
        ],
        get_cart_settings,
    )
    .await
}

async fn get_cart_settings(app: App, request: ApiRequest) -> HandlerResult {
    let settings = service::settings::get(&app).await?;
    Ok(match request.dialect() {
        Dialect::Native => response::settings(&settings),
        Dialect::BigCommerce => {
            let channel = bigcommerce::channel(&request)?;
            bigcommerce::cart_settings(&settings, channel.as_ref())
        }
    })
}
