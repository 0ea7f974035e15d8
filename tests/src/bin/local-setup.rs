//! Prepares a local DynamoDB for the API: creates the table from template.yaml (if it is not
//! there yet) and writes the fixtures the events/ files refer to. Used by `make run` and
//! `make test`; reads `TABLE_NAME` and `AWS_ENDPOINT_URL_DYNAMODB`.

use trolley_tests::{fixtures, repo_root, table};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let store = trolley_tests::store().await;
    let definition = table::definition_from(&repo_root().join("template.yaml"))?;
    table::create(store.client(), store.table(), &definition).await?;
    fixtures::seed(&store, trolley::service::now()).await?;
    println!(
        "table {} is ready, with the events/ fixtures",
        store.table()
    );
    Ok(())
}
