//! The pause before another attempt at a write that lost a race: "full jitter", a random
//! pause up to a ceiling that doubles with each attempt, so that racing writers spread out
//! instead of colliding again. The use cases' retries (`service::retry`) and the store's
//! own (saving a product) share it.

use std::time::Duration;

const BASE_PAUSE_MS: u64 = 5;
const MAX_PAUSE_MS: u64 = 200;

/// The pause after the `attempt`th (from 0) lost race.
pub fn pause(attempt: u32) -> Duration {
    let ceiling = (BASE_PAUSE_MS << attempt.min(10)).min(MAX_PAUSE_MS);
    Duration::from_millis(rand::random_range(0..=ceiling))
}
