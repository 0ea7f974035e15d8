//! `GET /orders/{order_id}`: read an order. Also serves Elastic Path's
//! `GET /v2/orders/{order_id}` and `GET /v2/orders/{order_id}/items`.

use trolley::http::{ApiRequest, Dialect, HandlerResult, StatusCode, elasticpath, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "GET /orders/{order_id}",
            "GET /v2/orders/{order_id}",
            "GET /v2/orders/{order_id}/items",
        ],
        get_order,
    )
    .await
}

async fn get_order(app: App, request: ApiRequest) -> HandlerResult {
    let order = service::checkout::get(&app, request.uuid_param("order_id", "order")?).await?;
    match request.dialect() {
        Dialect::ElasticPath if request.route().ends_with("/items") => {
            Ok(elasticpath::order_items(&order))
        }
        Dialect::ElasticPath => Ok(elasticpath::order(&order)),
        _ => Ok(response::order(StatusCode::OK, &order)),
    }
}
