//! `GET /orders/{order_id}`: read an order.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /orders/{order_id}"], get_order).await
}

async fn get_order(app: App, request: ApiRequest) -> HandlerResult {
    let order = service::checkout::get(&app, request.uuid_param("order_id", "order")?).await?;
    Ok(response::order(StatusCode::OK, &order))
}
