//! The one error type. Every failure a client can see is an `Error`: a kind (which the http
//! layer maps to a status code) and one or more problems, each with a stable `code`.

use std::fmt;

/// What kind of failure this is; decides the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400: the request itself is malformed or invalid.
    BadRequest,
    /// 401: who is calling cannot be told (no usable identity where one is needed).
    Unauthenticated,
    /// 403: the authenticated shopper may not do this (another customer's cart, say).
    Forbidden,
    /// 404: the resource does not exist (or has expired).
    NotFound,
    /// 405: this function serves another method; carries the one it serves.
    MethodNotAllowed { allowed: &'static str },
    /// 409: the request conflicts with the resource's state.
    Conflict,
    /// 412: `If-Match` did not match; carries the version the client should re-read.
    PreconditionFailed { current_version: u64 },
    /// 413: the body is larger than the API accepts.
    PayloadTooLarge,
    /// 415: a write whose body is not JSON.
    UnsupportedMediaType,
    /// 422: well-formed, but the cart's rules refuse it.
    Unprocessable,
    /// 503: storage is unavailable or throttled; safe to retry.
    Unavailable,
    /// 500: a bug on our side. Never carries internal details.
    Internal,
}

/// One thing wrong with a request, as the API's error body shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable snake_case identifier clients can switch on.
    pub code: &'static str,
    /// Short, human summary of the code.
    pub title: &'static str,
    /// What exactly was wrong, for a developer reading it.
    pub detail: String,
    /// The field the problem is about, as a path like `line_items[0].quantity`.
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// Never empty.
    pub problems: Vec<Problem>,
}

impl Error {
    pub fn new(
        kind: ErrorKind,
        code: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Error {
            kind,
            problems: vec![Problem {
                code,
                title,
                detail: detail.into(),
                source: None,
            }],
        }
    }

    /// Names the field this (single-problem) error is about.
    pub fn at(mut self, source: impl Into<String>) -> Self {
        let source = source.into();
        for problem in &mut self.problems {
            problem.source = Some(source.clone());
        }
        self
    }

    /// Several problems of the same kind, reported together.
    pub fn many(kind: ErrorKind, problems: Vec<Problem>) -> Self {
        debug_assert!(!problems.is_empty());
        Error { kind, problems }
    }

    /// The first (usually only) problem's code.
    pub fn code(&self) -> &'static str {
        self.problems[0].code
    }

    /// 400 `validation_failed` on one field.
    pub fn invalid(source: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::new(
            ErrorKind::BadRequest,
            "validation_failed",
            "Invalid field",
            detail,
        )
        .at(source)
    }

    /// 403: what the request asks is not this shopper's to ask.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Forbidden, "forbidden", "Forbidden", detail)
    }

    /// 404 for a resource that does not exist.
    pub fn not_found(what: &str) -> Self {
        Error::new(
            ErrorKind::NotFound,
            "not_found",
            "Not found",
            format!("{what} not found"),
        )
    }

    /// 422 with a specific rule's code.
    pub fn unprocessable(
        code: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Error::new(ErrorKind::Unprocessable, code, title, detail)
    }

    /// 405: the request's method is not the one this function serves.
    pub fn method_not_allowed(allowed: &'static str) -> Self {
        Error::new(
            ErrorKind::MethodNotAllowed { allowed },
            "method_not_allowed",
            "Method not allowed",
            format!("this route answers {allowed} only"),
        )
    }

    /// 412: the client's `If-Match` is stale.
    pub fn version_mismatch(current_version: u64) -> Self {
        Error::new(
            ErrorKind::PreconditionFailed { current_version },
            "version_mismatch",
            "Version mismatch",
            format!("If-Match does not match the current version {current_version}"),
        )
        .at("If-Match")
    }

    /// 503: storage did not answer in time or throttled us.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Error::new(
            ErrorKind::Unavailable,
            "service_unavailable",
            "Service unavailable",
            detail,
        )
    }

    /// 500: logged in full by the caller, shown to the client without internals.
    pub fn internal() -> Self {
        Error::new(
            ErrorKind::Internal,
            "internal_error",
            "Internal error",
            "Something went wrong on our side; the request id identifies it in our logs",
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", p.code, p.detail)?;
            if let Some(source) = &p.source {
                write!(f, " ({source})")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
