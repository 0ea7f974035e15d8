//! `PUT /settings/cart`: change the store-wide cart settings (fields left out stay). Also
//! serves BigCommerce's `PUT /v3/carts/settings` and its per-channel
//! `PUT /v3/carts/settings/channels/{channel_id}`.

use trolley::http::{ApiRequest, Dialect, HandlerResult, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "PUT /settings/cart",
            "PUT /v3/carts/settings",
            "PUT /v3/carts/settings/channels/{channel_id}",
        ],
        update_cart_settings,
    )
    .await
}

async fn update_cart_settings(app: App, request: ApiRequest) -> HandlerResult {
    if request.dialect() == Dialect::Native {
        let settings = service::settings::update(&app, request.command()?).await?;
        return Ok(response::settings(&settings));
    }
    let channel = bigcommerce::channel(&request)?;
    let settings = match &channel {
        None => {
            let body = request.required_json::<bigcommerce::CartSettings>()?;
            service::settings::update(&app, body.into_command()).await?
        }
        Some(channel) => {
            let body = request.required_json::<bigcommerce::ChannelCartSettings>()?;
            service::settings::update_channel(&app, channel, |o| body.apply(o)).await?
        }
    };
    Ok(bigcommerce::cart_settings(&settings, channel.as_ref()))
}
