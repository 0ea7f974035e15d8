//! `DELETE /carts/{cart_id}/items/{item_id}`: remove one item. Also serves BigCommerce's
//! `DELETE /v3/carts/{cart_id}/items/{item_id}`, where removing the last item deletes the
//! cart (`204`), as BigCommerce does; and Elastic Path's
//! `DELETE /v2/carts/{cart_id}/items/{item_id}` (`204`).

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "DELETE /carts/{cart_id}/items/{item_id}",
            "DELETE /v3/carts/{cart_id}/items/{item_id}",
            "DELETE /v2/carts/{cart_id}/items/{item_id}",
        ],
        delete_item,
    )
    .await
}

async fn delete_item(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, item_id, now) = (request.cart_id()?, request.item_id()?, service::now());
    request.check_include()?;
    let precondition = match request.dialect() {
        Dialect::Native => request.if_match()?,
        Dialect::BigCommerce => request.json::<bigcommerce::Version>()?.precondition()?,
        Dialect::ElasticPath => None,
    };
    let cart = service::items::remove(&app, cart_id, item_id, precondition.as_ref(), now).await?;
    match request.dialect() {
        Dialect::Native => Ok(response::cart(StatusCode::OK, &cart, &[])),
        Dialect::BigCommerce if cart.cart.item_count() == 0 => {
            // Unless something was added meanwhile: then the cart stays, as it now is.
            if service::carts::delete_at(&app, cart_id, cart.cart.version, now).await? {
                Ok(response::no_content())
            } else {
                let cart = service::carts::get(&app, cart_id, now).await?;
                Ok(bigcommerce::cart(StatusCode::OK, &cart))
            }
        }
        Dialect::BigCommerce => Ok(bigcommerce::cart(StatusCode::OK, &cart)),
        Dialect::ElasticPath => Ok(response::no_content()),
    }
}
