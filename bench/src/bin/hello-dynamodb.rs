//! The second yardstick: hello-world that also builds Trolley's DynamoDB client (the AWS
//! SDK, as every function does) before it asks for events. Between it and hello-world is
//! what the SDK client costs a cold start; between it and a function, Trolley's own code.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let _client = trolley::store::dynamodb_client().await;
    lambda_runtime::run(service_fn(|_: LambdaEvent<Value>| async {
        Ok::<_, Error>(json!({"statusCode": 200}))
    }))
    .await
}
