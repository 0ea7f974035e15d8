//! A value kept for a short while in a warm function, so admin data (settings, promotions)
//! costs a DynamoDB read once per interval rather than once per request. A change made
//! through the admin routes reaches every warm function within that interval.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) struct Cached<T> {
    lifetime: Duration,
    slot: Mutex<Option<(Instant, T)>>,
}

impl<T: Clone> Cached<T> {
    pub(crate) fn new(lifetime: Duration) -> Self {
        Cached {
            lifetime,
            slot: Mutex::new(None),
        }
    }

    /// The value, if it was stored less than `lifetime` before `now`.
    pub(crate) fn get(&self, now: Instant) -> Option<T> {
        let slot = self
            .slot
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*slot {
            Some((stored, value)) if now.duration_since(*stored) < self.lifetime => {
                Some(value.clone())
            }
            _ => None,
        }
    }

    pub(crate) fn put(&self, now: Instant, value: T) {
        let mut slot = self
            .slot
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *slot = Some((now, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_lives_for_its_lifetime_only() {
        let cache = Cached::new(Duration::from_secs(30));
        let start = Instant::now();
        assert_eq!(cache.get(start), None);
        cache.put(start, 7);
        assert_eq!(cache.get(start + Duration::from_secs(29)), Some(7));
        assert_eq!(cache.get(start + Duration::from_secs(30)), None);
    }

    #[test]
    fn a_zero_lifetime_never_serves_from_the_cache() {
        let cache = Cached::new(Duration::ZERO);
        let now = Instant::now();
        cache.put(now, 1);
        assert_eq!(cache.get(now), None);
    }
}
