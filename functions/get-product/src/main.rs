//! `GET /products/{product_id}`: read a catalog product.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /products/{product_id}"], get_product).await
}

async fn get_product(app: App, request: ApiRequest) -> HandlerResult {
    let product =
        service::products::get(&app, &request.client_id_param("product_id", "product")?).await?;
    Ok(response::product(StatusCode::OK, &product))
}
