//! `POST /carts/{cart_id}/merge`: merge another cart into this one and delete it.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::carts::MergeInput;
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(&["POST /carts/{cart_id}/merge"], merge_carts).await
}

async fn merge_carts(app: App, request: ApiRequest) -> HandlerResult {
    let cart_id = request.cart_id()?;
    let input: MergeInput = request.command()?;
    let source = input.source_cart_id;
    let (cart, report) = service::carts::merge(
        &app,
        cart_id,
        request.if_match()?.as_ref(),
        input,
        service::now(),
    )
    .await?;
    Ok(response::merged_cart(&cart, source, &report))
}
