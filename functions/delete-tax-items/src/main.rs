//! `DELETE /v2/carts/{cart_id}/items/{item_id}/taxes/{tax_id}`: remove one tax item; and
//! `DELETE /v2/carts/{cart_id}/taxes`: remove every tax item in the cart. Elastic Path's tax
//! items; only the trusted backend may. Both answer `204`.

use trolley::http::{ApiRequest, HandlerResult, response, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "DELETE /v2/carts/{cart_id}/items/{item_id}/taxes/{tax_id}",
            "DELETE /v2/carts/{cart_id}/taxes",
        ],
        delete_tax_items,
    )
    .await
}

async fn delete_tax_items(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, now) = (request.cart_id()?, service::now());
    if request.path_param("tax_id").is_some() {
        let item_id = request.item_id()?;
        let tax_id = request.uuid_param("tax_id", "tax item")?;
        service::taxes::remove(&app, cart_id, item_id, tax_id, now).await?;
    } else {
        service::taxes::clear(&app, cart_id, now).await?;
    }
    Ok(response::no_content())
}
