//! The warm yardstick: a function served like every other (`serve`: the Lambda runtime,
//! identity, logging) whose handler makes exactly one DynamoDB call, a GetItem of a product,
//! and answers `{}`. Every operation's warm latency is reported as a multiple of its own:
//! the ratio is what carries over to AWS, where one round trip costs what it costs there.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /products/{product_id}"], one_getitem).await
}

async fn one_getitem(app: App, request: ApiRequest) -> HandlerResult {
    service::products::get(&app, &request.client_id_param("product_id", "product")?).await?;
    Ok(response::json(StatusCode::OK, &serde_json::json!({})))
}
