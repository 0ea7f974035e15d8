//! `GET /settings/cart`: read the store-wide cart settings. Also serves BigCommerce's
//! `GET /v3/carts/settings` and its abandoned-cart settings, each for the store and per
//! channel (`…/channels/{channel_id}`); and Elastic Path's `GET /v2/settings/cart`.

use trolley::http::{
    ApiRequest, Dialect, HandlerResult, bigcommerce, elasticpath, response, serve,
};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "GET /settings/cart",
            "GET /v2/settings/cart",
            "GET /v3/carts/settings",
            "GET /v3/carts/settings/channels/{channel_id}",
            "GET /v3/abandoned-carts/settings",
            "GET /v3/abandoned-carts/settings/channels/{channel_id}",
        ],
        get_cart_settings,
    )
    .await
}

async fn get_cart_settings(app: App, request: ApiRequest) -> HandlerResult {
    match request.dialect() {
        Dialect::Native => return Ok(response::settings(&service::settings::get(&app).await?)),
        Dialect::ElasticPath => {
            return Ok(elasticpath::settings(&service::settings::get(&app).await?));
        }
        Dialect::BigCommerce => {}
    }
    let channel = bigcommerce::channel(&request)?;
    if bigcommerce::is_abandoned_cart_settings(&request) {
        let settings = service::settings::abandoned_carts(&app).await?;
        return Ok(bigcommerce::abandoned_cart_settings(
            &settings,
            channel.as_ref(),
        ));
    }
    let settings = service::settings::get(&app).await?;
    Ok(bigcommerce::cart_settings(&settings, channel.as_ref()))
}
