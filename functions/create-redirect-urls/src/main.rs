//! `POST /carts/{cart_id}/redirect_urls`: signed links to the storefront's cart and checkout pages.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["POST /carts/{cart_id}/redirect_urls"],
        create_redirect_urls,
    )
    .await
}

async fn create_redirect_urls(app: App, request: ApiRequest) -> HandlerResult {
    let urls = service::redirects::create(&app, request.cart_id()?, service::now()).await?;
    Ok(response::redirect_urls(urls))
}
