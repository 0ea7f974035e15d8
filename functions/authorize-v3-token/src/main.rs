//! API Gateway's Lambda authorizer for the `/v3` routes, deployed with `V3Auth=TOKEN`
//! (template.yaml): allows a request whose `X-Auth-Token` is the stack's token
//! (`trolley::http::token_authorizer`). Not behind HTTP: API Gateway calls it.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use trolley::http::token_authorizer::TokenAuthorizer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let authorizer = TokenAuthorizer::start().await.map_err(|reason| {
        tracing::error!(%reason, "cannot start");
        reason
    })?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| {
        let answer = authorizer.decide(&event.payload);
        async move { Ok::<Value, Error>(answer) }
    }))
    .await
}
