//! `DELETE /v2/carts/{cart_id}/relationships/customers`: make a cart a guest cart again
//! (`204`). Elastic Path's customer disassociation: the change the native
//! `PUT /carts/{cart_id}` makes with `customer_id: null`, under the same rules (a shopper
//! may not give a cart away). A body naming a customer other than the cart's is
//! `422 customer_mismatch` and changes nothing. `DELETE …/relationships/accounts` is
//! `422 accounts_not_supported`: Trolley has customers, not accounts.

use trolley::http::{ApiRequest, HandlerResult, elasticpath, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "DELETE /v2/carts/{cart_id}/relationships/customers",
            "DELETE /v2/carts/{cart_id}/relationships/accounts",
        ],
        remove_cart_customer,
    )
    .await
}

async fn remove_cart_customer(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    if request.route().ends_with("/accounts") {
        return Err(elasticpath::no_accounts());
    }
    let named = elasticpath::customer_to_remove(&request)?;
    service::carts::remove_customer(&app, cart_id, named.as_ref(), service::now())
        .await
        .map_err(elasticpath::in_relationship)?;
    Ok(response::no_content())
}
