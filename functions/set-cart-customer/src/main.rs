//! `POST /v2/carts/{cart_id}/relationships/customers`: give a cart its customer. Elastic
//! Path's customer association: the change the native `PUT /carts/{cart_id}` makes with
//! `customer_id`, under the same rules (a shopper may name only themselves).
//! `POST …/relationships/accounts` is `422 accounts_not_supported`: Trolley has customers,
//! not accounts.

use trolley::http::{ApiRequest, HandlerResult, elasticpath, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "POST /v2/carts/{cart_id}/relationships/customers",
            "POST /v2/carts/{cart_id}/relationships/accounts",
        ],
        set_cart_customer,
    )
    .await
}

async fn set_cart_customer(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    if request.route().ends_with("/accounts") {
        return Err(elasticpath::no_accounts());
    }
    let patch = elasticpath::customer_relationship(&request)?;
    let cart = service::carts::update(&app, cart_id, None, patch, service::now())
        .await
        .map_err(elasticpath::in_relationship)?;
    Ok(elasticpath::customer_relationships(&cart.cart))
}
