//! Scheduled every 5 minutes (template.yaml): flags carts idle longer than
//! `abandoned_after_minutes` as abandoned, each with a recovery token.
//!
//! The event may carry `{"idle_minutes": N}` (1-43200) to use another threshold, for a demo
//! or a one-off run; the schedule sends none.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use trolley::service::{self, App, Principal};

/// Time kept back from Lambda's deadline to finish the flags under way and answer: a tenth
/// of the time left, at most this (so 20 s of the deployed 300 s).
const MAX_MARGIN: Duration = Duration::from_secs(20);

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    // Only EventBridge Scheduler (or an operator's `invoke`) can call this function: it
    // acts as the trusted backend.
    let app = App::from_env().await?.acting_as(Principal::Backend);
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| sweep(&app, event))).await
}

async fn sweep(app: &App, event: LambdaEvent<Value>) -> Result<Value, Error> {
    let idle_minutes = match event.payload.get("idle_minutes") {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            value
                .as_u64()
                .filter(|m| (1..=43_200).contains(m))
                .ok_or("idle_minutes must be an integer between 1 and 43200")? as u32,
        ),
    };
    let report = service::abandoned::sweep(
        app,
        service::now(),
        idle_minutes,
        deadline(event.context.deadline),
    )
    .await?;
    tracing::info!(?report, "sweep finished");
    Ok(serde_json::to_value(&report)?)
}

/// When to stop starting work, given Lambda's deadline in milliseconds since the epoch.
fn deadline(lambda_deadline_ms: u64) -> Instant {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let remaining = if lambda_deadline_ms < DAY_MS {
        // cargo lambda's local emulator sends the timeout itself (600000), not an instant;
        // Lambda never sends a value this small.
        Duration::from_millis(lambda_deadline_ms)
    } else {
        Duration::from_millis(lambda_deadline_ms.saturating_sub(now_ms))
    };
    Instant::now() + remaining - (remaining / 10).min(MAX_MARGIN)
}

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_keeps_a_margin_back() {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let in_five_minutes = deadline(now_ms + 300_000) - Instant::now();
        assert!(
            in_five_minutes > Duration::from_secs(275)
                && in_five_minutes <= Duration::from_secs(280)
        );
        let short = deadline(now_ms + 10_000) - Instant::now();
        assert!(short > Duration::from_secs(8) && short <= Duration::from_secs(9));
        let emulated = deadline(600_000) - Instant::now();
        assert!(emulated > Duration::from_secs(575) && emulated <= Duration::from_secs(580));
        assert!(
            deadline(now_ms - 1) <= Instant::now(),
            "a deadline already passed stops at once"
        );
    }
}
