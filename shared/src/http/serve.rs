//! Runs one handler as a Lambda function: set-up once per instance (logging, the DynamoDB
//! client), then every request through the handler, with errors rendered in the API's shape
//! and one log line per request.

use super::idempotency;
use super::request::ApiRequest;
use super::response;
use crate::service::App;
use crate::{Error, ErrorKind};
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
    let app = App::from_env().await?;
    let (app, handler) = (&app, &handler);
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<_, Infallible>(
            handle(app, handler, route, method, ApiRequest::new(request, path)).await,
        )
    }))
    .await
}

async fn handle<H, F>(
    app: &App,
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
    let (request_id, path) = (request.request_id(), request.route());
    let method = request.method().to_string();
    // Read as bytes: a key that is not text is refused, never ignored.
    let key = request
        .header_bytes(idempotency::HEADER)
        .map(<[u8]>::to_vec);
    // API Gateway routes by method; a function URL or a misconfigured route might not.
    let response = if method != allowed {
        response::error(&Error::method_not_allowed(allowed), &request_id)
    } else if let (Some(key), "POST") = (key, method.as_str()) {
        idempotency::run(app, handler, route, &key, request).await
    } else {
        respond(app, handler, request, &request_id).await
    };
    tracing::info!(
        %request_id,
        method,
        route = path,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// Runs the handler and renders its error, if any, in the API's shape.
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
            if err.kind == ErrorKind::Internal {
                tracing::error!(%request_id, "request failed: {err}");
            }
            response::error(&err, request_id)
        }
    }
}
