//! Counts DynamoDB calls, so each request's log line (and the benchmarks) can say how many
//! round trips it took. A Lambda instance serves one request at a time, so the difference
//! of two readings around a request is that request's count.

use aws_sdk_dynamodb::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept};
use std::sync::atomic::{AtomicU64, Ordering};

static CALLS: AtomicU64 = AtomicU64::new(0);

/// DynamoDB operations started by this process so far (retries of one operation count once).
pub fn dynamodb_calls() -> u64 {
    CALLS.load(Ordering::Relaxed)
}

#[derive(Debug)]
pub(crate) struct CountCalls;

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        CALLS.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}
