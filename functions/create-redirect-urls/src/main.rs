//! `POST /carts/{cart_id}/redirect_urls`: signed links to the storefront's cart and checkout
//! pages. Also serves BigCommerce's `POST /v3/carts/{cart_id}/redirect_urls`.

use trolley::http::{ApiRequest, Dialect, HandlerResult, bigcommerce, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "POST /carts/{cart_id}/redirect_urls",
            "POST /v3/carts/{cart_id}/redirect_urls",
        ],
        create_redirect_urls,
    )
    .await
}

async fn create_redirect_urls(app: App, request: ApiRequest) -> HandlerResult {
    if request.dialect() == Dialect::BigCommerce {
        request.json::<bigcommerce::RedirectUrls>()?.check()?;
    }
    let urls = service::redirects::create(&app, request.cart_id()?, service::now()).await?;
    Ok(match request.dialect() {
        Dialect::Native | Dialect::ElasticPath => response::redirect_urls(urls),
        Dialect::BigCommerce => bigcommerce::redirect_urls(urls),
    })
}
