//! `POST /carts/{cart_id}/items`: add catalog line items and custom items. Also serves
//! BigCommerce's `POST /v3/carts/{cart_id}/items`, and Elastic Path's
//! `POST /v2/carts/{cart_id}/items` (products, custom items and promotion codes, one or
//! several; answered with the cart's items).

use trolley::http::{
    ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, elasticpath, response, serve,
};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "POST /carts/{cart_id}/items",
            "POST /v3/carts/{cart_id}/items",
            "POST /v2/carts/{cart_id}/items",
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
        Dialect::ElasticPath => return add_elastic_path_items(&app, &request).await,
    };
    let (cart, refused) =
        service::items::add(&app, cart_id, precondition.as_ref(), body, now).await?;
    Ok(match request.dialect() {
        Dialect::BigCommerce => bigcommerce::cart(StatusCode::CREATED, &cart),
        _ => response::cart(StatusCode::CREATED, &cart, &refused),
    })
}

/// Elastic Path's items: products, custom items and promotion codes in one cart change;
/// `200` with the cart's items, and any item refused (with `add_all_or_nothing` off)
/// listed in `errors`, named where it stands in the body.
async fn add_elastic_path_items(app: &App, request: &ApiRequest) -> HandlerResult {
    let (cart_id, now) = (request.cart_id()?, service::now());
    let command = elasticpath::add_items(app, request).await?;
    let (cart, refused) =
        service::items::add_with_codes(app, cart_id, command.items.clone(), &command.codes, now)
            .await
            .map_err(|err| command.error_in_body(err))?;
    let refused = command.refused(refused);
    Ok(elasticpath::items_with_refusals(
        StatusCode::OK,
        &cart,
        &refused,
    ))
}
