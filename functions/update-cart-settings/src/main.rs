//! `PUT /settings/cart`: change the store-wide cart settings (fields left out stay). Also
//! serves BigCommerce's `PUT /v3/carts/settings` and its abandoned-cart settings, each for
//! the store and per channel (`…/channels/{channel_id}`); and Elastic Path's
//! `PUT /v2/settings/cart`.

use trolley::http::{
    ApiRequest, Dialect, HandlerResult, bigcommerce, elasticpath, response, serve,
};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "PUT /settings/cart",
            "PUT /v2/settings/cart",
            "PUT /v3/carts/settings",
            "PUT /v3/carts/settings/channels/{channel_id}",
            "PUT /v3/abandoned-carts/settings",
            "PUT /v3/abandoned-carts/settings/channels/{channel_id}",
        ],
        update_cart_settings,
    )
    .await
}

async fn update_cart_settings(app: App, request: ApiRequest) -> HandlerResult {
    match request.dialect() {
        Dialect::Native => {
            let settings = service::settings::update(&app, request.command()?).await?;
            return Ok(response::settings(&settings));
        }
        Dialect::ElasticPath => {
            let change = elasticpath::settings_change(&request)?;
            return Ok(elasticpath::settings(
                &service::settings::update(&app, change).await?,
            ));
        }
        Dialect::BigCommerce => {}
    }
    let channel = bigcommerce::channel(&request)?;
    if bigcommerce::is_abandoned_cart_settings(&request) {
        let change = bigcommerce::abandoned_cart_change(&request, channel.is_some())?;
        let settings =
            service::settings::update_abandoned_carts(&app, channel.as_ref(), change).await?;
        return Ok(bigcommerce::abandoned_cart_settings(
            &settings,
            channel.as_ref(),
        ));
    }
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
