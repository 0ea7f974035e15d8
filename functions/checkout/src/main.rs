//! `POST /carts/{cart_id}/checkout`: turn a cart into an order, in one transaction. Also
//! serves Elastic Path's `POST /v2/carts/{cart_id}/checkout` (`200` with the order).

use trolley::http::{ApiRequest, Dialect, HandlerResult, elasticpath, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "POST /carts/{cart_id}/checkout",
            "POST /v2/carts/{cart_id}/checkout",
        ],
        checkout,
    )
    .await
}

async fn checkout(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let (body, precondition) = match request.dialect() {
        Dialect::ElasticPath => (elasticpath::checkout(&request)?, None),
        _ => (request.command()?, request.if_match()?),
    };
    let checkout =
        service::checkout::checkout(&app, cart_id, precondition.as_ref(), body, service::now())
            .await
            .map_err(|err| match request.dialect() {
                // Elastic Path's body names the buyer `data.customer`.
                Dialect::ElasticPath => elasticpath::in_checkout(err),
                _ => err,
            })?;
    match request.dialect() {
        Dialect::ElasticPath => Ok(elasticpath::order(&checkout.order)),
        _ => Ok(response::placed_order(checkout.created, &checkout.order)),
    }
}
