//! `GET /customers/{customer_id}/carts`: a shopper's carts, newest change first, a page at a time.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /customers/{customer_id}/carts"], list_customer_carts).await
}

async fn list_customer_carts(app: App, request: ApiRequest) -> HandlerResult {
    let customer = request.customer_id_param("customer_id")?;
    let limit = request.limit(20, 100)?;
    let cursor = request.query("cursor");
    let (carts, next) = service::carts::list_for_customer(
        &app,
        &customer,
        limit,
        cursor.as_deref(),
        service::now(),
    )
    .await?;
    let next =
        next.map(|cursor| format!("/customers/{customer}/carts?limit={limit}&cursor={cursor}"));
    Ok(response::cart_list(&carts, next))
}
