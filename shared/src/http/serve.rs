//! Runs one handler as a Lambda function: set-up once per instance (logging, the DynamoDB
//! client), then every request through the handler, with errors rendered in the API's shape
//! and one log line per request.

use super::idempotency;
use super::request::ApiRequest;
use super::response;
use crate::config::Auth;
use crate::service::{self, App, retry, snapshot};
use crate::{Error, ErrorKind};
use lambda_http::http::HeaderValue;
use lambda_http::{Body, Request, Response, service_fn};
use std::convert::Infallible;
use std::future::Future;
use std::time::Instant;

/// Serves `handler` for `route` ("METHOD /path") until the Lambda runtime stops the process.
pub async fn serve<H, F>(route: &'static str, handler: H) -> Result<(), lambda_http::Error>
where
    H: Fn(App, ApiRequest) -> F + Sync,
    F: Future<Output = Result<Response<Body>, Error>> + Send,
{
    lambda_http::tracing::init_default_subscriber();
    let (method, path) = route
        .split_once(' ')
        .ok_or("a route is written \"METHOD /path\"")?;
    let (config, app) = service::start().await.inspect_err(|e| {
        tracing::error!("cannot start: {e}");
    })?;
    let (app, handler, auth) = (&app, &handler, &config.auth);
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<_, Infallible>(
            handle(
                app,
                auth,
                handler,
                route,
                method,
                ApiRequest::new(request, path),
            )
            .await,
        )
    }))
    .await
}

async fn handle<H, F>(
    app: &App,
    auth: &Auth,
    handler: &H,
    route: &'static str,
    allowed: &'static str,
    request: ApiRequest,
) -> Response<Body>
where
    H: Fn(App, ApiRequest) -> F,
    F: Future<Output = Result<Response<Body>, Error>>,
{
    let started = Instant::now();
    let (before, conflicts_before) = (snapshot(), retry::conflicts());
    let request_id = request.request_id();
    let method = request.method().to_string();
    let cart_id = request.path_param("cart_id");
    // Read as bytes: a key that is not text is refused, never ignored.
    let key = request
        .header_bytes(idempotency::HEADER)
        .map(<[u8]>::to_vec);
    // API Gateway routes by method; a function URL or a misconfigured route might not.
    let principal = request.principal(auth);
    let mut response = match principal {
        _ if method != allowed => response::error(&Error::method_not_allowed(allowed), &request_id),
        Err(err) => response::error(&err, &request_id),
        Ok(principal) => {
            let app = app.clone().acting_as(principal);
            match (key, method.as_str()) {
                (Some(key), "POST") => idempotency::run(&app, handler, route, &key, request).await,
                _ => respond(&app, handler, request, &request_id).await,
            }
        }
    };
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, id);
    }
    let dynamodb = snapshot().since(&before);
    // One line per request. No body, query or raw path: they can hold e-mails and tokens.
    tracing::info!(
        request_id,
        function = function_name(),
        route,
        cart_id,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        dynamodb_calls = dynamodb.calls,
        dynamodb_ms = dynamodb.waited_ms,
        capacity_units = dynamodb.capacity_units,
        write_conflicts = retry::conflicts() - conflicts_before,
        "request"
    );
    response
}

/// Sent on every response, so a client can quote it and an operator find the log line.
const REQUEST_ID: &str = "x-request-id";

/// This Lambda function's name, as Lambda (or cargo lambda) sets it.
fn function_name() -> &'static str {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| std::env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_default())
}

/// Runs the handler (for the principal `app` acts as) and renders its error, if any, in the
/// API's shape.
pub(super) async fn respond<H, F>(
    app: &App,
    handler: &H,
    request: ApiRequest,
    request_id: &str,
) -> Response<Body>
where
    H: Fn(App, ApiRequest) -> F,
    F: Future<Output = Result<Response<Body>, Error>>,
{
    match handler(app.clone(), request).await {
        Ok(response) => response,
        Err(err) => {
            if err.kind() == ErrorKind::Internal {
                tracing::error!(%request_id, "request failed: {err}");
            }
            response::error(&err, request_id)
        }
    }
}
