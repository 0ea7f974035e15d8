//! Turns SDK errors into the API's errors. Every failure is one of four kinds: a condition
//! refused a write; another transaction held the item (DynamoDB's `TransactionConflict`:
//! nothing was written, and redoing the change from a fresh read is safe); storage is
//! unavailable or throttled (a 503 the client may retry); or a bug on our side (a 500
//! without details). Logs name the operation, the kind of failure and DynamoDB's code and
//! message, never a dump of the request or response (which could hold a contact e-mail).

use crate::Error;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::CancellationReason;
use std::fmt::Debug;

/// What a failed call means for whoever made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The write's condition did not hold: nothing was written.
    Condition,
    /// Another transaction held the item: nothing was written; redo from a fresh read.
    Conflict,
    /// Unavailable, throttled or timed out: 503 with `Retry-After`.
    Unavailable,
    /// Anything else: a bug.
    Bug,
}

/// Error codes (whole-call) that mean "busy or down, try again later".
const UNAVAILABLE_CODES: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
];

/// Cancellation reasons (per item of a transaction) that mean the same.
const UNAVAILABLE_REASONS: &[&str] = &[
    "ThrottlingError",
    "ProvisionedThroughputExceeded",
    "RequestLimitExceeded",
];

pub(crate) fn classify<E, R>(err: &SdkError<E, R>) -> Failure
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            Failure::Unavailable
        }
        SdkError::ServiceError(service) => match service.err().code() {
            Some("ConditionalCheckFailedException") => Failure::Condition,
            Some("TransactionConflictException") => Failure::Conflict,
            Some(code) if UNAVAILABLE_CODES.contains(&code) => Failure::Unavailable,
            _ => Failure::Bug,
        },
        _ => Failure::Bug,
    }
}

/// What a cancelled transaction's reasons add up to: `Condition` when a condition failed
/// (the caller reads which from the reasons), else busy, else another transaction.
pub(crate) fn cancellation(reasons: &[CancellationReason]) -> Failure {
    let any = |codes: &[&str]| {
        reasons
            .iter()
            .any(|r| r.code().is_some_and(|c| codes.contains(&c)))
    };
    if any(&["ConditionalCheckFailed"]) {
        Failure::Condition
    } else if any(UNAVAILABLE_REASONS) {
        Failure::Unavailable
    } else if any(&["TransactionConflict"]) {
        Failure::Conflict
    } else {
        Failure::Bug
    }
}

/// The API's error for a failure the caller does not handle itself.
pub(crate) fn storage_error<E, R>(operation: &str, err: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + Debug,
    R: Debug,
{
    let failure = classify(&err);
    let (kind, code, message) = match &err {
        SdkError::TimeoutError(_) => ("timeout", None, None),
        SdkError::DispatchFailure(_) => ("connection", None, None),
        SdkError::ResponseError(_) => ("unreadable response", None, None),
        SdkError::ServiceError(service) => {
            ("service", service.err().code(), service.err().message())
        }
        _ => ("request", None, None),
    };
    failed(operation, failure, kind, code, message)
}

/// Logs a failure and gives the client's error: 503 for anything worth retrying later
/// (another transaction holding the item included, when the caller cannot redo the work
/// itself), 500 for a bug.
pub(crate) fn failed(
    operation: &str,
    failure: Failure,
    kind: &str,
    code: Option<&str>,
    message: Option<&str>,
) -> Error {
    match failure {
        Failure::Unavailable | Failure::Conflict => {
            tracing::warn!(operation, kind, code, message, "DynamoDB unavailable");
            Error::unavailable("storage is unavailable or busy; retry shortly")
        }
        Failure::Condition | Failure::Bug => {
            tracing::error!(operation, kind, code, message, "DynamoDB call failed");
            Error::internal()
        }
    }
}

/// A request the SDK could not build (a transaction part, a batch read): a bug here, so 500.
pub(crate) fn build_error(e: aws_sdk_dynamodb::error::BuildError) -> Error {
    tracing::error!(error = %e, "could not build a DynamoDB request");
    Error::internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(codes: &[&str]) -> Vec<CancellationReason> {
        codes
            .iter()
            .map(|c| CancellationReason::builder().code(*c).build())
            .collect()
    }

    #[test]
    fn a_failed_condition_decides_then_busy_then_another_transaction() {
        let cases = [
            (
                vec!["None", "ConditionalCheckFailed", "TransactionConflict"],
                Failure::Condition,
            ),
            (vec!["None", "ThrottlingError"], Failure::Unavailable),
            (vec!["ProvisionedThroughputExceeded"], Failure::Unavailable),
            (
                vec!["TransactionConflict", "RequestLimitExceeded"],
                Failure::Unavailable,
            ),
            (vec!["None", "TransactionConflict"], Failure::Conflict),
            (vec!["ValidationError"], Failure::Bug),
        ];
        for (codes, failure) in cases {
            assert_eq!(cancellation(&reasons(&codes)), failure, "{codes:?}");
        }
    }
}
