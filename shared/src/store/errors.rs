//! Turns SDK errors into the API's errors: anything transient (timeouts, connection
//! failures, throttling, DynamoDB's own 5xx) is a 503 the client may retry; anything else
//! is a bug on our side and a 500 without details. Logs name the operation, the kind of
//! failure and DynamoDB's code and message, never a dump of the request or response (which
//! could hold a cart's contact e-mail).

use crate::Error;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use std::fmt::Debug;

const TRANSIENT_CODES: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
];

pub(crate) fn storage_error<E, R>(operation: &str, err: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + Debug,
    R: Debug,
{
    let (kind, code, message) = match &err {
        SdkError::TimeoutError(_) => ("timeout", None, None),
        SdkError::DispatchFailure(_) => ("connection", None, None),
        SdkError::ResponseError(_) => ("unreadable response", None, None),
        SdkError::ServiceError(service) => {
            ("service", service.err().code(), service.err().message())
        }
        _ => ("request", None, None),
    };
    let transient = matches!(kind, "timeout" | "connection" | "unreadable response")
        || code.is_some_and(|code| TRANSIENT_CODES.contains(&code));
    if transient {
        tracing::warn!(operation, kind, code, message, "DynamoDB unavailable");
        Error::unavailable("storage is unavailable or busy; retry shortly")
    } else {
        tracing::error!(operation, kind, code, message, "DynamoDB call failed");
        Error::internal()
    }
}

/// True when a write was refused by its condition expression.
pub(crate) fn is_condition_failure<E, R>(err: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata,
{
    matches!(err, SdkError::ServiceError(service) if service.err().code() == Some("ConditionalCheckFailedException"))
}
