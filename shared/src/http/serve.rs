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

/// Serves `handler` for `routes` ("METHOD /path", all with one method: the native route
/// first, then any other wire format's route for the same operation) until the Lambda
/// runtime stops the process.
pub async fn serve<H, F>(
    routes: &'static [&'static str],
    handler: H,
) -> Result<(), lambda_http::Error>
where
    H: Fn(App, ApiRequest) -> F + Sync,
    F: Future<Output = Result<Response<Body>, Error>> + Send,
{
    lambda_http::tracing::init_default_subscriber();
    let routes = Routes::parse(routes)?;
    let (config, app) = service::start().await.inspect_err(|e| {
        tracing::error!("cannot start: {e}");
    })?;
    let (app, handler, auth, routes) = (&app, &handler, &config.auth, &routes);
    lambda_http::run(service_fn(move |request: Request| async move {
        let (route, path) = routes.matching(&request);
        Ok::<_, Infallible>(
            handle(
                app,
                auth,
                handler,
                route,
                routes.method,
                ApiRequest::new(request, path),
            )
            .await,
        )
    }))
    .await
}

/// The routes one function serves.
struct Routes {
    method: &'static str,
    /// (`METHOD /path`, `/path`), the native route first.
    all: Vec<(&'static str, &'static str)>,
}

impl Routes {
    fn parse(routes: &'static [&'static str]) -> Result<Routes, &'static str> {
        let mut all = Vec::new();
        for route in routes {
            let (method, path) = route
                .split_once(' ')
                .ok_or("a route is written \"METHOD /path\"")?;
            all.push((method, *route, path));
        }
        let method = all.first().ok_or("a function serves a route")?.0;
        if all.iter().any(|(m, ..)| *m != method) {
            return Err("a function's routes share one method");
        }
        let all = all
            .into_iter()
            .map(|(_, route, path)| (route, path))
            .collect();
        Ok(Routes { method, all })
    }

    /// The route `request` came by: API Gateway names it; otherwise (`cargo lambda watch`,
    /// a function URL) the first whose path template fits the request's path.
    fn matching(&self, request: &Request) -> (&'static str, &'static str) {
        use lambda_http::RequestExt;
        use lambda_http::request::RequestContext;
        if let Some(RequestContext::ApiGatewayV2(context)) = request.request_context_ref()
            && let Some(found) = self
                .all
                .iter()
                .find(|(route, _)| *route == context.route_key.as_deref().unwrap_or_default())
        {
            return *found;
        }
        let path = match request.raw_http_path() {
            "" => request.uri().path(),
            raw => raw,
        };
        self.all
            .iter()
            .find(|(_, template)| fits(template, path))
            .copied()
            .unwrap_or(self.all[0])
    }
}

/// Whether `path` has the segments of `template` (any value where it says `{name}`).
fn fits(template: &str, path: &str) -> bool {
    let (template, path) = (template.trim_matches('/'), path.trim_matches('/'));
    template.split('/').count() == path.split('/').count()
        && template
            .split('/')
            .zip(path.split('/'))
            .all(|(pattern, segment)| pattern.starts_with('{') || pattern == segment)
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
    let dialect = request.dialect();
    let method = request.method().to_string();
    let cart_id = request.path_param("cart_id");
    // Read as bytes: a key that is not text is refused, never ignored.
    let key = request
        .header_bytes(idempotency::HEADER)
        .map(<[u8]>::to_vec);
    // API Gateway routes by method; a function URL or a misconfigured route might not.
    let principal = request.principal(auth);
    let mut response = match principal {
        _ if method != allowed => {
            response::error_in(dialect, &Error::method_not_allowed(allowed), &request_id)
        }
        Err(err) => response::error_in(dialect, &err, &request_id),
        Ok(principal) => {
            let app = app.clone().acting_as(principal);
            match (key, method.as_str()) {
                // BigCommerce's clients send no Idempotency-Key, but one that does is served
                // as on the native routes.
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
        dynamodb_sequential = dynamodb.sequential,
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
    let dialect = request.dialect();
    match handler(app.clone(), request).await {
        Ok(response) => response,
        Err(err) => {
            if err.kind() == ErrorKind::Internal {
                tracing::error!(%request_id, "request failed: {err}");
            }
            response::error_in(dialect, &err, request_id)
        }
    }
}
