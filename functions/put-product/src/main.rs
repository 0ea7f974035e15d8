//! `PUT /products/{product_id}`: create or replace a catalog product.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["PUT /products/{product_id}"], put_product).await
}

async fn put_product(app: App, request: ApiRequest) -> HandlerResult {
    let id = request.new_client_id_param("product_id")?;
    let (product, created) =
        service::products::put(&app, id, request.command()?, service::now()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(response::product(status, &product))
}
