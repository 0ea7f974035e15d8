//! The yardstick: a hello-world Lambda function on `lambda_runtime`, built with the same
//! release profile as Trolley's functions. Cold starts are reported as ratios to it.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(|_: LambdaEvent<Value>| async {
        Ok::<_, Error>(json!({"statusCode": 200}))
    }))
    .await
}
