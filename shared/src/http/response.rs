//! Responses: `{"data": ...}` on success, `{"errors": [...], "request_id": ...}` on failure.

use super::dialect::Dialect;
use super::views::{
    CartView, OrderView, ProductView, PromotionView, RedirectUrlsView, SettingsView,
};
use crate::domain::merge::MergeReport;
use crate::domain::order::Order;
use crate::domain::product::Product;
use crate::domain::promotion::Promotion;
use crate::domain::settings::Settings;
use crate::domain::tokens::Claims;
use crate::error::Context;
use crate::service::Priced;
use crate::service::redirects::RedirectUrls;
use crate::{Error, ErrorKind, Problem};
use lambda_http::http::{HeaderValue, StatusCode, header};
use lambda_http::{Body, Response};
use serde::Serialize;
use serde_json::{Value, json};

/// `{"data": ..., "errors": [...]}`: a resource, and anything refused along the way.
#[derive(Serialize)]
struct Envelope<'a, T> {
    data: T,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ProblemView<'a>],
}

/// One entry of `errors`, fields in the documented order.
#[derive(Serialize)]
struct ProblemView<'a> {
    status: u16,
    code: &'a str,
    title: &'a str,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Value>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    errors: Vec<ProblemView<'a>>,
    request_id: &'a str,
}

/// Seconds a client should wait before retrying a 503 or a write conflict.
const RETRY_AFTER_SECONDS: &str = "1";

pub fn json(status: StatusCode, body: &impl Serialize) -> Response<Body> {
    let text = serde_json::to_string(body).unwrap_or_else(|e| {
        // Our own view types always serialize; this is here so a bug is a 500, not a panic.
        tracing::error!(error = %e, "could not serialize a response");
        r#"{"errors":[{"status":500,"code":"internal_error","title":"Internal error"}]}"#
            .to_string()
    });
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `{"data": ...}`.
pub fn data(status: StatusCode, data: &impl Serialize) -> Response<Body> {
    json(status, &Envelope { data, errors: &[] })
}

/// A cart, with its version as `ETag`; `refused` lists items a partial add left out.
pub fn cart(status: StatusCode, priced: &Priced, refused: &[Problem]) -> Response<Body> {
    let refused: Vec<_> = refused.iter().map(|p| problem(p, Context::None)).collect();
    let mut response = json(
        status,
        &Envelope {
            data: CartView::of(priced),
            errors: &refused,
        },
    );
    set_etag(&mut response, priced.cart.version);
    response
}

/// 201 for a new cart, with its `Location` and, when asked for, its redirect URLs.
pub fn created_cart(priced: &Priced, redirect_urls: Option<RedirectUrls>) -> Response<Body> {
    #[derive(Serialize)]
    struct WithLinks<'a> {
        #[serde(flatten)]
        cart: CartView<'a>,
        redirect_urls: RedirectUrlsView,
    }
    let mut response = match redirect_urls {
        None => cart(StatusCode::CREATED, priced, &[]),
        Some(urls) => {
            let view = WithLinks {
                cart: CartView::of(priced),
                redirect_urls: RedirectUrlsView::of(urls),
            };
            let mut response = data(StatusCode::CREATED, &view);
            set_etag(&mut response, priced.cart.version);
            response
        }
    };
    if let Ok(location) = HeaderValue::from_str(&format!("/carts/{}", priced.cart.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The merged cart, and what the merge changed in `meta.merge`.
pub fn merged_cart(
    priced: &Priced,
    source_cart_id: uuid::Uuid,
    report: &MergeReport,
) -> Response<Body> {
    #[derive(Serialize)]
    struct Merged<'a> {
        data: CartView<'a>,
        meta: Value,
    }
    let meta = json!({ "merge": { "source_cart_id": source_cart_id, "source_cart_deleted": true,
                                  "added_items": report.added_items, "updated_items": report.updated_items } });
    let mut response = json(
        StatusCode::OK,
        &Merged {
            data: CartView::of(priced),
            meta,
        },
    );
    set_etag(&mut response, priced.cart.version);
    response
}

/// A page of carts: `{"data": [...], "links": {"next": ...}}` (no `next` on the last page).
pub fn cart_list(carts: &[Priced], next: Option<String>) -> Response<Body> {
    #[derive(Serialize)]
    struct Page<'a> {
        data: Vec<CartView<'a>>,
        links: Links,
    }
    #[derive(Serialize)]
    struct Links {
        #[serde(skip_serializing_if = "Option::is_none")]
        next: Option<String>,
    }
    json(
        StatusCode::OK,
        &Page {
            data: carts.iter().map(CartView::of).collect(),
            links: Links { next },
        },
    )
}

/// 201 for a new order, with its `Location`; 200 when read.
pub fn order(status: StatusCode, order: &Order) -> Response<Body> {
    data(status, &OrderView::of(order))
}

/// A checkout's answer: the order, where to read it again (`Location`), and whether it is
/// new (201) or the one an earlier checkout of the unchanged cart made (200).
pub fn placed_order(created: bool, order: &Order) -> Response<Body> {
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = self::order(status, order);
    if let Ok(location) = HeaderValue::from_str(&format!("/orders/{}", order.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

pub fn redirect_urls(urls: RedirectUrls) -> Response<Body> {
    data(StatusCode::CREATED, &RedirectUrlsView::of(urls))
}

/// What a redirect token resolves to.
pub fn token_claims(claims: &Claims) -> Response<Body> {
    let expires_at = crate::domain::values::timestamp(claims.expires_at);
    data(
        StatusCode::OK,
        &json!({ "cart_id": claims.cart_id, "purpose": claims.purpose, "expires_at": expires_at }),
    )
}

pub fn promotion(status: StatusCode, promotion: &Promotion) -> Response<Body> {
    data(status, &PromotionView::of(promotion))
}

pub fn settings(settings: &Settings) -> Response<Body> {
    data(StatusCode::OK, &SettingsView::of(settings))
}

pub fn product(status: StatusCode, product: &Product) -> Response<Body> {
    data(status, &ProductView::of(product))
}

pub fn no_content() -> Response<Body> {
    let mut response = Response::new(Body::Empty);
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

fn set_etag(response: &mut Response<Body>, version: u64) {
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    StatusCode::from_u16(kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// One entry of the native `errors` list: drawn from the catalogue entry of its code, the
/// detail and the source, and nothing else (plus the version to re-read after a 412).
fn problem(p: &Problem, context: Context) -> ProblemView<'_> {
    let meta = match context {
        Context::CurrentVersion(version) => Some(json!({ "current_version": version })),
        Context::None | Context::Allow(_) => None,
    };
    ProblemView {
        status: p.code.kind().status(),
        code: p.code.name(),
        title: p.code.title(),
        detail: &p.detail,
        source: p.source.as_deref(),
        meta,
    }
}

/// The error body for `err` in the request's wire format.
pub fn error_in(dialect: Dialect, err: &Error, request_id: &str) -> Response<Body> {
    match dialect {
        Dialect::Native => error(err, request_id),
        Dialect::BigCommerce => super::bigcommerce::error(err),
        Dialect::ElasticPath => super::elasticpath::error(err),
    }
}

/// The native API's error body for `err`.
pub fn error(err: &Error, request_id: &str) -> Response<Body> {
    let errors = err
        .problems
        .iter()
        .map(|p| problem(p, err.context))
        .collect();
    let mut response = json(status_of(err.kind()), &ErrorBody { errors, request_id });
    error_headers(err, &mut response);
    response
}

/// The headers an error carries on any wire: `ETag` after a 412, `Allow` on a 405,
/// `Retry-After` where retrying can succeed.
pub fn error_headers(err: &Error, response: &mut Response<Body>) {
    match err.context {
        Context::CurrentVersion(version) => set_etag(response, version),
        Context::Allow(allowed) => {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allowed));
        }
        Context::None => {}
    }
    if matches!(err.kind(), ErrorKind::Unavailable | ErrorKind::Conflict) {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
    }
}
