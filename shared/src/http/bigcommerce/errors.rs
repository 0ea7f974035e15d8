//! BigCommerce's error body: `{"status", "title", "type", "detail", "errors": {field: text}}`,
//! drawn from the same catalogue entries as the native body.

use super::super::response::{error_headers, json, status_of};
use crate::{Code, Error};
use lambda_http::http::StatusCode;
use lambda_http::{Body, Response};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where BigCommerce's `type` points: its page of status codes, as a relative reference.
const STATUS_CODES: &str = "/api-docs/getting-started/api-status-codes";

#[derive(Serialize)]
struct ErrorBody<'a> {
    status: u16,
    title: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    detail: &'a str,
    /// Each problem's detail by the field it is about (or by its code).
    errors: BTreeMap<String, &'a str>,
}

/// The error response for `err` on the `/v3` routes.
pub fn error(err: &Error) -> Response<Body> {
    let first = &err.problems[0];
    // BigCommerce answers a stale `version` with 409, where the native API's `If-Match`
    // gets 412.
    let status = match first.code {
        Code::VersionMismatch => StatusCode::CONFLICT,
        _ => status_of(err.kind()),
    };
    let errors = err
        .problems
        .iter()
        .map(|p| {
            let key = p.source.clone().unwrap_or_else(|| p.code.name().to_owned());
            (key, p.detail.as_str())
        })
        .collect();
    let body = ErrorBody {
        status: status.as_u16(),
        title: first.code.title(),
        kind: STATUS_CODES,
        detail: &first.detail,
        errors,
    };
    let mut response = json(status, &body);
    error_headers(err, &mut response);
    response
}

/// One failed item of a batch, as BigCommerce lists it in a batch answer's `errors`:
/// `{"status", "title", "type", "errors": {key: detail}}`, `key` naming the item.
#[derive(Serialize)]
pub struct BatchFailure<'a> {
    status: u16,
    title: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    errors: BTreeMap<String, &'a str>,
}

pub fn batch_failure(key: &str, err: &Error) -> serde_json::Value {
    let first = &err.problems[0];
    let failure = BatchFailure {
        status: status_of(err.kind()).as_u16(),
        title: first.code.title(),
        kind: STATUS_CODES,
        errors: BTreeMap::from([(key.to_owned(), first.detail.as_str())]),
    };
    serde_json::to_value(failure).unwrap_or_default()
}
