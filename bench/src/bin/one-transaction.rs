//! The write yardstick: served like every other function, its handler makes exactly one
//! TransactWriteItems of the smallest shape checkout's can take (a condition that a product
//! is there, and one update of an item of the benchmark's own), and answers `{}`. Checkout
//! must write its order, the cart and the stock at once, so one such call is the least it
//! can wait for; the report gives it as a multiple of the one-GetItem yardstick. Its call
//! is made outside the store, so it is counted and timed but its capacity is not recorded.

use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem, Update};
use std::sync::OnceLock;
use trolley::Error;
use trolley::http::{ApiRequest, HandlerResult, StatusCode, response, serve};
use trolley::service::App;
use trolley::store::Store;

static STORE: OnceLock<Store> = OnceLock::new();

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), trolley::http::LambdaError> {
    let store = Store::from_env().await?;
    let _ = STORE.set(store);
    serve(&["GET /products/{product_id}"], one_transaction).await
}

fn key(pk: String, sk: &str) -> std::collections::HashMap<String, AttributeValue> {
    [("PK", pk), ("SK", sk.to_string())]
        .into_iter()
        .map(|(k, v)| (k.to_string(), AttributeValue::S(v)))
        .collect()
}

async fn one_transaction(_: App, request: ApiRequest) -> HandlerResult {
    let store = STORE.get().ok_or_else(Error::internal)?;
    let product = request.path_param("product_id").unwrap_or_default();
    let check = ConditionCheck::builder()
        .table_name(store.table())
        .set_key(Some(key(format!("PRODUCT#{product}"), "PRODUCT")))
        .condition_expression("attribute_exists(PK)")
        .build()
        .map_err(|_| Error::internal())?;
    let count = Update::builder()
        .table_name(store.table())
        .set_key(Some(key("BENCH#one-transaction".into(), "BENCH")))
        .update_expression("ADD #n :one")
        .expression_attribute_names("#n", "n")
        .expression_attribute_values(":one", AttributeValue::N("1".into()))
        .build()
        .map_err(|_| Error::internal())?;
    store
        .client()
        .transact_write_items()
        .transact_items(TransactWriteItem::builder().condition_check(check).build())
        .transact_items(TransactWriteItem::builder().update(count).build())
        .send()
        .await
        .map_err(|_| Error::internal())?;
    Ok(response::json(StatusCode::OK, &serde_json::json!({})))
}
