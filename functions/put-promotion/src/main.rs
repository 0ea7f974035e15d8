//! `PUT /promotions/{promotion_id}`: create or replace a promotion.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["PUT /promotions/{promotion_id}"], put_promotion).await
}

async fn put_promotion(app: App, request: ApiRequest) -> HandlerResult {
    let id = request.new_client_id_param("promotion_id")?;
    let (promotion, created) =
        service::promotions::put(&app, id, request.command()?, service::now()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(response::promotion(status, &promotion))
}
