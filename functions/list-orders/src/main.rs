//! `GET /v2/orders`: the signed-in shopper's orders, newest first, a page at a time
//! (Elastic Path's `page[offset]` and `page[limit]`).

use trolley::http::{ApiRequest, HandlerResult, elasticpath, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /v2/orders"], list_orders).await
}

async fn list_orders(app: App, request: ApiRequest) -> HandlerResult {
    let orders = service::checkout::list_own(&app).await?;
    elasticpath::order_list(&request, &orders)
}
