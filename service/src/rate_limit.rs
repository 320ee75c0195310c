//! Per-client rate limits: a token bucket per API key, in this process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// One bucket.
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Token buckets by client name.
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl RateLimiter {
    /// No buckets yet.
    pub fn new() -> Self {
        Self { buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one token from `client`'s bucket (refilled at `per_minute`,
    /// holding at most `burst`). `Err(seconds)` says when one will be there.
    pub fn take(&self, client: &str, per_minute: u32, burst: u32) -> Result<(), u64> {
        self.take_at(client, per_minute, burst, Instant::now())
    }

    fn take_at(&self, client: &str, per_minute: u32, burst: u32, now: Instant) -> Result<(), u64> {
        let rate = f64::from(per_minute) / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let bucket = buckets.entry(client.to_string()).or_insert(Bucket { tokens: f64::from(burst), updated: now });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(f64::from(burst));
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / rate).ceil() as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn burst_then_refill() {
        let limiter = RateLimiter::new();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.take_at("a", 60, 3, t0).is_ok());
        }
        assert_eq!(limiter.take_at("a", 60, 3, t0), Err(1), "one token a second");
        assert!(limiter.take_at("b", 60, 3, t0).is_ok(), "buckets are per client");
        assert!(limiter.take_at("a", 60, 3, t0 + Duration::from_millis(1100)).is_ok());
        assert!(limiter.take_at("a", 60, 3, t0 + Duration::from_millis(1100)).is_err());
    }
}
