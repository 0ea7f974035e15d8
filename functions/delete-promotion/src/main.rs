//! `DELETE /promotions/{promotion_id}`: delete a promotion.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["DELETE /promotions/{promotion_id}"], delete_promotion).await
}

async fn delete_promotion(app: App, request: ApiRequest) -> HandlerResult {
    let id = request.client_id_param("promotion_id", "promotion")?;
    service::promotions::delete(&app, &id).await?;
    Ok(response::no_content())
}
