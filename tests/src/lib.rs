//! Shared by the local tools (`local-setup`) and the end-to-end tests: the table built from
//! template.yaml, the fixtures the events/ files refer to, an HTTP client for the API, and
//! the routes as each file that names them says.

pub mod api;
pub mod fixtures;
pub mod iam;
pub mod inject;
pub mod local;
pub mod routes;
pub mod table;

use std::path::PathBuf;

/// The repository's root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A variable the test runner (`make test`) sets; a test without it fails rather than skips.
pub fn required_env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the tests with `make test`"))
}

/// Invokes a function through `cargo lambda invoke` (the Lambda runtime path) with a JSON
/// payload, returning what it answered, or its error message.
pub fn invoke(function: &str, payload: &serde_json::Value) -> Result<serde_json::Value, String> {
    let api = required_env("TROLLEY_API_URL");
    let port = api.rsplit(':').next().expect("TROLLEY_API_URL has a port");
    let output = std::process::Command::new("cargo")
        .args(["lambda", "invoke", function, "--output-format", "json"])
        .args(["--invoke-address", "127.0.0.1", "--invoke-port", port])
        .args(["--data-ascii", &payload.to_string()])
        .output()
        .map_err(|e| format!("cargo lambda: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// The store the functions under test use (`TABLE_NAME`, `AWS_ENDPOINT_URL_DYNAMODB`).
pub async fn store() -> trolley::store::Store {
    required_env("AWS_ENDPOINT_URL_DYNAMODB");
    trolley::store::Store::from_env()
        .await
        .expect("TABLE_NAME is set by make test")
}

/// The use cases over that store, configured as the local stack's functions are (the
/// environment `make test` sets: no settings cache, the development keys), acting as the
/// trusted backend.
pub async fn app() -> trolley::service::App {
    app_over(store().await)
}

/// `app()`, over another store (one with faults injected, say).
pub fn app_over(store: trolley::store::Store) -> trolley::service::App {
    let config = trolley::config::Config::from_env().expect("make test sets the configuration");
    trolley::service::App::from_config(&config, store)
        .acting_as(trolley::service::Principal::Backend)
}

/// A cart's item exactly as stored (attribute names and all), to check what the store writes.
pub async fn raw_cart_item(
    store: &trolley::store::Store,
    id: uuid::Uuid,
) -> std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue> {
    use aws_sdk_dynamodb::types::AttributeValue;
    let key = [("PK", format!("CART#{id}")), ("SK", "CART".to_string())]
        .map(|(k, v)| (k.to_string(), AttributeValue::S(v)));
    let output = store
        .client()
        .get_item()
        .table_name(store.table())
        .set_key(Some(key.into()))
        .send()
        .await;
    output
        .expect("GetItem answers")
        .item
        .expect("the cart is stored")
}

/// A signed-in shopper's `GET path?query` of a list route (`path` is the route too),
/// through the Lambda runtime path to `function`: the answer's body, once it is a `200`.
pub fn list_as_shopper(
    function: &str,
    path: &str,
    shopper: &str,
    query: &str,
) -> serde_json::Value {
    let mut event = api_gateway_event(
        &format!("GET {path}"),
        path,
        serde_json::json!({}),
        serde_json::json!({}),
        None,
        Some(&serde_json::json!({"sub": shopper})),
    );
    event["rawQueryString"] = query.into();
    let response = invoke(function, &event).unwrap();
    assert_eq!(response["statusCode"], 200, "{response:#}");
    serde_json::from_str(response["body"].as_str().unwrap()).unwrap()
}

/// An API Gateway HTTP API event (payload 2.0) for `route_key` (`"POST /carts"`) at `path`,
/// as `scripts/event.py` writes them: `claims` (a JWT authorizer's) make it a signed-in
/// shopper's request; without them it carries no authorizer context.
pub fn api_gateway_event(
    route_key: &str,
    path: &str,
    path_parameters: serde_json::Value,
    headers: serde_json::Value,
    body: Option<&serde_json::Value>,
    claims: Option<&serde_json::Value>,
) -> serde_json::Value {
    let method = route_key.split(' ').next().expect("METHOD /route");
    let mut context = serde_json::json!({
        "accountId": "123456789012", "apiId": "trolley", "domainName": "api.example.com",
        "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                 "sourceIp": "192.0.2.10", "userAgent": "trolley-tests"},
        "requestId": uuid::Uuid::new_v4().to_string(), "routeKey": route_key,
        "stage": "$default", "time": "02/Dec/2026:12:00:00 +0000", "timeEpoch": 1795348800000u64
    });
    let mut headers = headers;
    if let Some(claims) = claims {
        context["authorizer"] = serde_json::json!({"jwt": {"claims": claims, "scopes": null}});
        headers["authorization"] = "Bearer <verified by API Gateway>".into();
    }
    let mut event = serde_json::json!({
        "version": "2.0", "routeKey": route_key, "rawPath": path, "rawQueryString": "",
        "headers": headers, "requestContext": context, "isBase64Encoded": false,
        "pathParameters": path_parameters,
    });
    if let Some(body) = body {
        event["headers"]["content-type"] = "application/json".into();
        event["body"] = body.to_string().into();
    }
    event
}
