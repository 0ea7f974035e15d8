//! `Idempotency-Key` on POST routes: the first request with a key runs and its response is
//! kept for 24 hours; a retry with the same key and the same request gets that response
//! again (`Idempotent-Replayed: true`) without running; the same key with a different
//! request is `422 idempotency_key_reused`. A retry that arrives while the first is still
//! running waits for it (up to `WAIT`), else gets `409 idempotency_in_progress`.
//! Responses a client is told to retry (5xx, or with `Retry-After`) are not kept.

use super::dialect::Dialect;
use super::request::ApiRequest;
use super::response;
use super::serve::respond;
use crate::domain::values::{hex, sha256_hex};
use crate::service::App;
use crate::service::idempotency::{self as keys, Claim, StoredResponse};
use crate::{Code, Error};
use lambda_http::http::{HeaderName, HeaderValue, StatusCode, header};
use lambda_http::{Body, Response};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

pub const HEADER: &str = "idempotency-key";
/// How long a retry waits for the first request with its key to finish.
const WAIT: Duration = Duration::from_secs(3);
const POLL: Duration = Duration::from_millis(50);
/// Headers worth replaying with a stored response.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::ETAG, header::LOCATION];

/// Runs `handler` under the request's idempotency key.
pub(super) async fn run<H, F>(
    app: &App,
    handler: &H,
    route: &str,
    key: &[u8],
    request: ApiRequest,
) -> Response<Body>
where
    H: Fn(App, ApiRequest) -> F,
    F: Future<Output = Result<Response<Body>, Error>>,
{
    let request_id = request.request_id();
    let dialect = request.dialect();
    let key = match check_key(key) {
        Ok(key) => key,
        Err(err) => return response::error_in(dialect, &err, &request_id),
    };
    // The key is the caller's own: another principal (or another IAM identity) sending the
    // same key and body runs its own request, and never sees this one's response.
    let caller = match request.iam_caller() {
        Some(arn) => format!(
            "{}-{}",
            app.principal().digest(),
            sha256_hex(arn.as_bytes())
        ),
        None => app.principal().digest(),
    };
    let scope = format!("{caller}#{route}#{key}");
    let fingerprint = fingerprint(&request);
    let owner = uuid::Uuid::new_v4().to_string();
    match keys::claim(app, &scope, &fingerprint, &owner).await {
        Err(err) => response::error_in(dialect, &err, &request_id),
        Ok(Claim::Taken) => replay(app, &scope, &fingerprint, dialect, &request_id).await,
        Ok(Claim::Claimed) => {
            let response = respond(app, handler, request, &request_id).await;
            let kept = if worth_keeping(&response) {
                keys::keep(app, &scope, &owner, &stored(&response)).await
            } else {
                keys::release(app, &scope, &owner).await
            };
            if let Err(err) = kept {
                // The response is right; only a retry with this key may run again.
                tracing::warn!(%request_id, "could not record the idempotency key's outcome: {err}");
            }
            response
        }
    }
}

/// The key as text: 1-255 visible ASCII characters.
fn check_key(key: &[u8]) -> Result<&str, Error> {
    match std::str::from_utf8(key) {
        Ok(text) if (1..=255).contains(&key.len()) && key.iter().all(u8::is_ascii_graphic) => {
            Ok(text)
        }
        _ => Err(Error::invalid(
            "Idempotency-Key",
            "Idempotency-Key must be 1-255 visible ASCII characters",
        )),
    }
}

/// What the request sends: a retry must send the same to be a retry.
fn fingerprint(request: &ApiRequest) -> String {
    let mut digest = Sha256::new();
    digest.update(request.method().as_bytes());
    digest.update([0]);
    digest.update(request.path_and_query().as_bytes());
    digest.update([0]);
    digest.update(request.body());
    hex(&digest.finalize())
}

/// The largest response body kept for replay: with the record's other fields it stays
/// under DynamoDB's 400 KB item limit. Every response of a cart within `MAX_CART_BYTES`
/// fits (tests/tests/limits.rs).
pub const MAX_KEPT_BODY: usize = 350 * 1024;

fn worth_keeping(response: &Response<Body>) -> bool {
    let transient =
        response.status().is_server_error() || response.headers().contains_key(header::RETRY_AFTER);
    !transient && response.body().as_ref().len() <= MAX_KEPT_BODY
}

fn stored(response: &Response<Body>) -> StoredResponse {
    let headers = KEPT_HEADERS
        .iter()
        .filter_map(|name| {
            Some((
                name.to_string(),
                response.headers().get(name)?.to_str().ok()?.to_string(),
            ))
        })
        .collect::<BTreeMap<_, _>>();
    let body = String::from_utf8_lossy(response.body().as_ref()).into_owned();
    StoredResponse {
        status: response.status().as_u16(),
        body,
        headers,
    }
}

/// Answers a request whose key another request holds: its stored response, once there is
/// one.
async fn replay(
    app: &App,
    scope: &str,
    fingerprint: &str,
    dialect: Dialect,
    request_id: &str,
) -> Response<Body> {
    let started = Instant::now();
    loop {
        let record = match keys::record(app, scope).await {
            Ok(record) => record,
            Err(err) => return response::error_in(dialect, &err, request_id),
        };
        match record {
            Some(record) if record.fingerprint != fingerprint => {
                let err = Error::of(
                    Code::IdempotencyKeyReused,
                    "this Idempotency-Key was used for a different request",
                )
                .at("Idempotency-Key");
                return response::error_in(dialect, &err, request_id);
            }
            Some(record) if record.response.is_some() => {
                return replayed(
                    record
                        .response
                        .unwrap_or_else(|| unreachable!("checked above")),
                );
            }
            // Still running (or just released): wait a little, then let the client retry.
            _ if started.elapsed() < WAIT => tokio::time::sleep(POLL).await,
            _ => {
                let err = Error::of(
                    Code::IdempotencyInProgress,
                    "a request with this Idempotency-Key is still being processed; retry shortly",
                )
                .at("Idempotency-Key");
                return response::error_in(dialect, &err, request_id);
            }
        }
    }
}

fn replayed(stored: StoredResponse) -> Response<Body> {
    let mut response = Response::new(Body::from(stored.body));
    *response.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    for (name, value) in stored.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_and_anything_else_is_refused() {
        assert_eq!(check_key(b"order-42").unwrap(), "order-42");
        assert!(check_key(&[b'k'; 255]).is_ok());
        for bad in [
            &b""[..],
            &[b'k'; 256],
            b"two words",
            b"caf\xe9",
            "café".as_bytes(),
        ] {
            let err = check_key(bad).unwrap_err();
            assert_eq!(
                (err.code().name(), err.problems[0].source.as_deref()),
                ("validation_failed", Some("Idempotency-Key")),
                "{bad:?}"
            );
        }
    }
}
