//! `POST /carts`: create a cart, optionally with its first items (and, with
//! `?include=redirect_urls`, signed storefront links).

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve("POST /carts", create_cart).await
}

async fn create_cart(app: App, request: ApiRequest) -> HandlerResult {
    let now = service::now();
    let cart = service::carts::create(&app, request.json()?, now).await?;
    // `?include=redirect_urls` adds signed storefront links, as BigCommerce's carts do.
    let urls = match request.query("include").as_deref() {
        Some("redirect_urls") => Some(service::redirects::urls(&app, cart.cart.id, now)?),
        Some(other) => {
            return Err(trolley::Error::invalid(
                "include",
                format!("include must be redirect_urls, not {other}"),
            ));
        }
        None => None,
    };
    Ok(response::created_cart(&cart, urls))
}
