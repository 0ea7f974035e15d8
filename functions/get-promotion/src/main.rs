//! `GET /promotions/{promotion_id}`: read a promotion.

use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /promotions/{promotion_id}"], get_promotion).await
}

async fn get_promotion(app: App, request: ApiRequest) -> HandlerResult {
    let id = request.client_id_param("promotion_id", "promotion")?;
    let promotion = service::promotions::get(&app, &id).await?;
    Ok(response::promotion(StatusCode::OK, &promotion))
}
