//! `PUT /v2/carts/{cart_id}/items/{item_id}/taxes/{tax_id}`: change a tax item (Elastic
//! Path's); only the trusted backend may.

use trolley::http::{ApiRequest, HandlerResult, elasticpath, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &["PUT /v2/carts/{cart_id}/items/{item_id}/taxes/{tax_id}"],
        update_tax_item,
    )
    .await
}

async fn update_tax_item(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, item_id) = (request.cart_id()?, request.item_id()?);
    let tax_id = request.uuid_param("tax_id", "tax item")?;
    let patch = elasticpath::tax_item_patch(&request, tax_id)?;
    let cart =
        service::taxes::update(&app, cart_id, item_id, tax_id, patch, service::now()).await?;
    elasticpath::tax_item(&cart.cart, tax_id)
}
