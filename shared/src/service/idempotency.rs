//! Idempotency keys' records, for the http layer that decides what a key means on the wire
//! (`http/idempotency.rs`): claim a key for a request, read what it holds, keep a response
//! on it, or give it up. Every key is already scoped to its caller by the time it gets here.

use super::{App, now};
use crate::Error;
pub use crate::store::{Claim, IdempotencyRecord, StoredResponse};

/// Claims `scope` for the request `owner`, unless a live record holds it.
pub async fn claim(app: &App, scope: &str, fingerprint: &str, owner: &str) -> Result<Claim, Error> {
    app.store
        .claim_idempotency_key(scope, fingerprint, owner, now())
        .await
}

/// The live record for `scope`, if any.
pub async fn record(app: &App, scope: &str) -> Result<Option<IdempotencyRecord>, Error> {
    app.store.get_idempotency_record(scope, now()).await
}

/// Keeps the claimed request's response on its key.
pub async fn keep(
    app: &App,
    scope: &str,
    owner: &str,
    response: &StoredResponse,
) -> Result<(), Error> {
    app.store
        .complete_idempotency_key(scope, owner, response)
        .await
}

/// Gives the claim up, so a retry with the key runs again.
pub async fn release(app: &App, scope: &str, owner: &str) -> Result<(), Error> {
    app.store.release_idempotency_key(scope, owner).await
}
