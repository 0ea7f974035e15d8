//! `GET /customers/{customer_id}/carts`: a shopper's carts, newest change first, a page at a time.
//! Also serves Elastic Path's `GET /v2/carts`: the signed-in shopper's own carts.

use trolley::http::{ApiRequest, Dialect, HandlerResult, elasticpath, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["GET /customers/{customer_id}/carts", "GET /v2/carts"],
        list_customer_carts,
    )
    .await
}

async fn list_customer_carts(app: App, request: ApiRequest) -> HandlerResult {
    if request.dialect() == Dialect::ElasticPath {
        let carts = service::carts::list_own(&app, service::now()).await?;
        return elasticpath::cart_list(&request, &carts);
    }
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
