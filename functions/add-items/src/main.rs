//! `POST /carts/{cart_id}/items`: add catalog line items and custom items. Also serves
//! BigCommerce's `POST /v3/carts/{cart_id}/items`.

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "POST /carts/{cart_id}/items",
            "POST /v3/carts/{cart_id}/items",
        ],
        add_items,
    )
    .await
}

async fn add_items(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, now) = (request.cart_id()?, service::now());
    request.check_include()?;
    let (body, precondition) = match request.dialect() {
        Dialect::Native => (request.command()?, request.if_match()?),
        Dialect::BigCommerce => {
            let body = request.required_json::<bigcommerce::AddItems>()?;
            // A custom item's decimal price is read in the cart's currency.
            let currency = match body.needs_cart_currency() {
                true => Some(service::carts::get(&app, cart_id, now).await?.cart.currency),
                false => None,
            };
            body.into_command(currency)?
        }
    };
    let (cart, refused) =
        service::items::add(&app, cart_id, precondition.as_ref(), body, now).await?;
    Ok(match request.dialect() {
        Dialect::Native => response::cart(StatusCode::CREATED, &cart, &refused),
        Dialect::BigCommerce => bigcommerce::cart(StatusCode::CREATED, &cart),
    })
}
