//! Optimistic concurrency: read, change, write with `version = :read_version`; when another
//! writer got there first, read again and redo the change, after a short random pause so
//! that racing writers spread out instead of colliding again.

use crate::{Code, Error};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

static CONFLICTS: AtomicU64 = AtomicU64::new(0);

/// Writes this process lost to a concurrent writer (and retried) so far.
pub fn conflicts() -> u64 {
    CONFLICTS.load(Ordering::Relaxed)
}

/// Attempts before giving up with 409. Twenty writers racing on one cart all get through
/// well within this (see the concurrency tests); real carts rarely see two.
pub const MAX_ATTEMPTS: u32 = 12;

/// Runs `attempt` until it returns `Some` (done) rather than `None` (lost a race).
pub async fn on_conflict<T, F, Fut>(mut attempt: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, Error>>,
{
    for n in 0..MAX_ATTEMPTS {
        if let Some(done) = attempt().await? {
            return Ok(done);
        }
        CONFLICTS.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(crate::store::backoff::pause(n)).await;
    }
    tracing::warn!(
        attempts = MAX_ATTEMPTS,
        "gave up after repeated write conflicts"
    );
    Err(Error::of(
        Code::WriteConflict,
        "what this request changes kept changing while it was applied; retry it",
    ))
}
