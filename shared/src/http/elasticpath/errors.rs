//! Elastic Path's error body: `{"errors": [{"status", "title", "detail", "source"?}]}`, one
//! entry per problem, drawn from the same catalogue entries as the native body.

use super::super::response::{error_headers, json, status_of};
use crate::Error;
use crate::error::Problem;
use lambda_http::{Body, Response};
use serde::Serialize;

#[derive(Serialize)]
struct ErrorBody<'a> {
    errors: Vec<ProblemView<'a>>,
}

#[derive(Serialize)]
pub(super) struct ProblemView<'a> {
    status: u16,
    title: &'static str,
    detail: &'a str,
    /// The field it is about, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

/// The error response for `err` on the `/v2` routes.
pub fn error(err: &Error) -> Response<Body> {
    let status = status_of(err.kind());
    let errors = problems(&err.problems);
    let mut response = json(status, &ErrorBody { errors });
    error_headers(err, &mut response);
    response
}

/// Each problem as Elastic Path lists it, with its own status.
pub(super) fn problems(problems: &[Problem]) -> Vec<ProblemView<'_>> {
    problems
        .iter()
        .map(|p| ProblemView {
            status: status_of(p.code.kind()).as_u16(),
            title: p.code.title(),
            detail: &p.detail,
            source: p.source.as_deref(),
        })
        .collect()
}
