//! `POST /v2/carts/{cart_id}/items/{item_id}/taxes`: set a tax item on one item; and
//! `POST /v2/carts/{cart_id}/taxes`: set tax items on several, each naming its item. Elastic
//! Path's tax items; only the trusted backend (a tax service) sets them.

use trolley::http::{ApiRequest, HandlerResult, elasticpath, serve};
use trolley::service::{self, App};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    serve(
        &[
            "POST /v2/carts/{cart_id}/items/{item_id}/taxes",
            "POST /v2/carts/{cart_id}/taxes",
        ],
        add_tax_items,
    )
    .await
}

async fn add_tax_items(app: App, request: ApiRequest) -> HandlerResult {
    let (cart_id, now) = (request.cart_id()?, service::now());
    if request.path_param("item_id").is_some() {
        let item_id = request.item_id()?;
        let tax = elasticpath::new_tax_item(&request)?;
        let (cart, id) = service::taxes::add(&app, cart_id, item_id, tax, now).await?;
        return elasticpath::tax_item(&cart.cart, id);
    }
    let (taxes, all_or_nothing) = elasticpath::new_tax_items(&request)?;
    let (cart, ids, refused) =
        service::taxes::add_many(&app, cart_id, taxes, all_or_nothing, now).await?;
    Ok(elasticpath::tax_items(&cart.cart, &ids, &refused))
}
