//! The abandoned-cart sweep. Its recovery tokens resolve through `redirects::recover`.

use super::App;
use crate::store::{ACTIVITY_SHARDS, IdleCart, Saved};
use crate::{Error, ErrorKind};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Flags written at once, across all shards.
const CONCURRENT_FLAGS: usize = 16;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub carts_flagged: u64,
    /// Index entries read: about one per cart flagged, since the index holds only carts
    /// that could be abandoned and the query asks only for idle ones.
    pub items_read: u64,
    /// Idle carts a concurrent change got to first (they stay active).
    pub lost_to_changes: u64,
    /// True when the run stopped at its deadline, or because DynamoDB was unavailable or
    /// throttling; the next run carries on, since a flagged cart leaves the index.
    pub stopped_early: bool,
    /// The DynamoDB calls the run made, by operation (the settings, the Queries and the
    /// flags; never a Scan).
    pub dynamodb_operations: BTreeMap<String, u64>,
}

impl SweepReport {
    /// A shard's report when DynamoDB is unavailable or throttling: stop, and leave the
    /// rest to the next run rather than press a busy table.
    fn stopped(mut self) -> SweepReport {
        tracing::warn!("the sweep stops early: DynamoDB is unavailable or throttling");
        self.stopped_early = true;
        self
    }
}

/// Flags every cart idle for longer than `idle_minutes` (the setting, unless a caller
/// overrides it), stopping before `deadline`.
pub async fn sweep(
    app: &App,
    now: DateTime<Utc>,
    idle_minutes: Option<u32>,
    deadline: Instant,
) -> Result<SweepReport, Error> {
    app.check_backend()?;
    let calls_before = crate::store::operations();
    let minutes = match idle_minutes {
        Some(minutes) => minutes,
        None => app.settings().await?.abandoned_after_minutes,
    };
    let cutoff = now - Duration::minutes(i64::from(minutes));
    let permits = Arc::new(Semaphore::new(CONCURRENT_FLAGS));
    let mut shards = JoinSet::new();
    for shard in 0..ACTIVITY_SHARDS {
        let (app, permits) = (app.clone(), permits.clone());
        shards
            .spawn(async move { sweep_shard(&app, shard, cutoff, now, deadline, &permits).await });
    }
    let mut report = SweepReport::default();
    for shard in shards.join_all().await {
        let shard = shard?;
        report.carts_flagged += shard.carts_flagged;
        report.items_read += shard.items_read;
        report.lost_to_changes += shard.lost_to_changes;
        report.stopped_early |= shard.stopped_early;
    }
    report.dynamodb_operations = crate::store::operations_since(&calls_before);
    Ok(report)
}

async fn sweep_shard(
    app: &App,
    shard: u32,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
    deadline: Instant,
    permits: &Arc<Semaphore>,
) -> Result<SweepReport, Error> {
    let mut report = SweepReport::default();
    let mut start = None;
    loop {
        if Instant::now() >= deadline {
            report.stopped_early = true;
            return Ok(report);
        }
        let page = match app.store.idle_carts(shard, cutoff, start).await {
            Err(err) if err.kind() == ErrorKind::Unavailable => return Ok(report.stopped()),
            page => page?,
        };
        report.items_read += page.items_read;
        let mut flags = JoinSet::new();
        for cart in page
            .carts
            .into_iter()
            .filter(|c| c.expires_at > now.timestamp())
        {
            let permit = permits
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| Error::internal())?;
            let app = app.clone();
            flags.spawn(async move {
                let _permit = permit;
                flag(&app, &cart, now).await
            });
        }
        let mut unavailable = false;
        for flagged in flags.join_all().await {
            match flagged {
                Ok(Saved::Done) => report.carts_flagged += 1,
                Ok(Saved::Conflict) => report.lost_to_changes += 1,
                Err(err) if err.kind() == ErrorKind::Unavailable => unavailable = true,
                Err(err) => return Err(err),
            }
        }
        if unavailable {
            return Ok(report.stopped());
        }
        match page.next {
            Some(next) => start = Some(next),
            None => return Ok(report),
        }
    }
}

async fn flag(app: &App, cart: &IdleCart, now: DateTime<Utc>) -> Result<Saved, Error> {
    let token = super::redirects::recovery_token(app, cart.cart_id)?;
    app.store.flag_abandoned(cart, &token, now).await
}
