//! `GET /redirect-tokens/{token}`: the cart a redirect link's token stands for.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["GET /redirect-tokens/{token}"], resolve_redirect_token).await
}

async fn resolve_redirect_token(app: App, request: ApiRequest) -> HandlerResult {
    let token = request.path_param("token").unwrap_or_default();
    let claims = service::redirects::resolve(&app, &token, service::now()).await?;
    Ok(response::token_claims(&claims))
}
