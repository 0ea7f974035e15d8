//! `DELETE /carts/{cart_id}/promotions/{code}`: remove a promotion code from a cart. Also
//! serves Elastic Path's `DELETE /v2/carts/{cart_id}/discounts/{code}` (`204`).

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "DELETE /carts/{cart_id}/promotions/{code}",
            "DELETE /v2/carts/{cart_id}/discounts/{code}",
        ],
        remove_promotion,
    )
    .await
}

async fn remove_promotion(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let code = request
        .path_param("code")
        .ok_or_else(|| trolley::Error::not_found("promotion code"))?;
    let if_match = request.if_match()?;
    let cart = service::promotions::remove(&app, cart_id, &code, if_match.as_ref(), service::now())
        .await?;
    Ok(match request.dialect() {
        Dialect::ElasticPath => response::no_content(),
        _ => response::cart(StatusCode::OK, &cart, &[]),
    })
}
