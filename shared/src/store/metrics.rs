//! What this process asked of DynamoDB: calls, time spent waiting on them, capacity units
//! consumed, and calls per operation. Each request's log line reports its share, and the
//! benchmarks read them. A Lambda instance serves one request at a time, so the difference
//! of two snapshots around a request is that request's.

use aws_sdk_dynamodb::config::interceptors::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::types::ConsumedCapacity;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_types::config_bag::{Storable, StoreReplace};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

static CALLS: AtomicU64 = AtomicU64::new(0);
/// Calls that started while no other was waiting: the round trips one after another, which
/// is what a request waits for (calls run together count once).
static SEQUENTIAL: AtomicU64 = AtomicU64::new(0);
/// Calls under way, and since when one has been (the wait `WAITED_NANOS` adds up).
static IN_FLIGHT: Mutex<(u64, Option<Instant>)> = Mutex::new((0, None));
static WAITED_NANOS: AtomicU64 = AtomicU64::new(0);
/// Capacity units, in thousandths (DynamoDB reports fractions such as 0.5).
static CAPACITY_MILLI: AtomicU64 = AtomicU64::new(0);
static OPERATIONS: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

/// Totals so far; subtract an earlier snapshot to get what happened in between.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Snapshot {
    /// DynamoDB operations started (retries of one operation count once).
    pub calls: u64,
    /// Round trips one after another: calls that overlap another count once.
    pub sequential: u64,
    /// Time spent waiting on them, from start to answer, retries included; while calls
    /// overlap, the wait counts once (it is wall-clock time).
    pub waited_ms: f64,
    /// Read and write capacity units they consumed, as DynamoDB reported them.
    pub capacity_units: f64,
}

pub fn snapshot() -> Snapshot {
    Snapshot {
        calls: CALLS.load(Ordering::Relaxed),
        sequential: SEQUENTIAL.load(Ordering::Relaxed),
        waited_ms: WAITED_NANOS.load(Ordering::Relaxed) as f64 / 1e6,
        capacity_units: CAPACITY_MILLI.load(Ordering::Relaxed) as f64 / 1000.0,
    }
}

impl Snapshot {
    pub fn since(&self, earlier: &Snapshot) -> Snapshot {
        Snapshot {
            calls: self.calls - earlier.calls,
            sequential: self.sequential - earlier.sequential,
            waited_ms: self.waited_ms - earlier.waited_ms,
            capacity_units: self.capacity_units - earlier.capacity_units,
        }
    }
}

/// Calls per DynamoDB operation name (`Query`, `PutItem`, ...) so far.
pub fn operations() -> BTreeMap<String, u64> {
    OPERATIONS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Calls per operation since `earlier` (what `operations` said then); operations not
/// called since are left out.
pub fn operations_since(earlier: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    operations()
        .into_iter()
        .map(|(operation, calls)| {
            let before = earlier.get(&operation).copied().unwrap_or_default();
            (operation, calls - before)
        })
        .filter(|(_, calls)| *calls > 0)
        .collect()
}

/// Records the capacity an answer reports (the store asks for it on every call).
pub(crate) fn consumed<'a>(capacities: impl IntoIterator<Item = &'a ConsumedCapacity>) {
    let units: f64 = capacities
        .into_iter()
        .filter_map(|c| c.capacity_units)
        .sum();
    CAPACITY_MILLI.fetch_add((units * 1000.0).round() as u64, Ordering::Relaxed);
}

#[derive(Debug)]
pub(crate) struct CountCalls;

/// Marks an operation this interceptor saw start (so its end is counted once).
#[derive(Debug, Clone)]
struct Started;

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        CALLS.fetch_add(1, Ordering::Relaxed);
        let mut in_flight = IN_FLIGHT.lock().unwrap_or_else(|p| p.into_inner());
        if in_flight.0 == 0 {
            SEQUENTIAL.fetch_add(1, Ordering::Relaxed);
            in_flight.1 = Some(Instant::now());
        }
        in_flight.0 += 1;
        cfg.interceptor_state().store_put(Started);
        Ok(())
    }

    /// Runs once per operation, like `read_before_execution`, but after the operation's
    /// own configuration (its name) is in `cfg`: a client interceptor's
    /// `read_before_execution` runs before it is.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if let Some(metadata) = cfg.load::<Metadata>() {
            let mut operations = OPERATIONS.lock().unwrap_or_else(|p| p.into_inner());
            *operations.entry(metadata.name().to_string()).or_default() += 1;
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        _context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if cfg.load::<Started>().is_some() {
            let mut in_flight = IN_FLIGHT.lock().unwrap_or_else(|p| p.into_inner());
            in_flight.0 = in_flight.0.saturating_sub(1);
            if in_flight.0 == 0
                && let Some(since) = in_flight.1.take()
            {
                WAITED_NANOS.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}

/// Answers that report the capacity they consumed.
pub(crate) trait RecordCapacity {
    fn record_capacity(&self);
}

macro_rules! record_one {
    ($($output:ty),*) => {$(
        impl RecordCapacity for $output {
            fn record_capacity(&self) {
                consumed(self.consumed_capacity.as_ref());
            }
        }
    )*};
}

macro_rules! record_many {
    ($($output:ty),*) => {$(
        impl RecordCapacity for $output {
            fn record_capacity(&self) {
                consumed(self.consumed_capacity.iter().flatten());
            }
        }
    )*};
}

use aws_sdk_dynamodb::operation::{
    batch_get_item::BatchGetItemOutput, delete_item::DeleteItemOutput, get_item::GetItemOutput,
    put_item::PutItemOutput, query::QueryOutput, transact_write_items::TransactWriteItemsOutput,
    update_item::UpdateItemOutput,
};

record_one!(
    GetItemOutput,
    PutItemOutput,
    DeleteItemOutput,
    UpdateItemOutput,
    QueryOutput
);
record_many!(BatchGetItemOutput, TransactWriteItemsOutput);
