//! When the next request leaves: the server's `advice` (timeout, interval, maxInterval, clamped)
//! and the backoff after failures.

use gws_protocol::Advice;

use super::{
    LiveMachine, FIRST_RETRY_DELAY_MS, LONGEST_ADVISED_INTERVAL_MS, LONGEST_RETRY_DELAY_MS,
};

impl LiveMachine {
    pub(super) fn take_advice(&mut self, advice: Option<&Advice>) {
        let Some(advice) = advice else { return };
        if let Some(timeout) = advice.timeout {
            self.timeout_ms = timeout;
        }
        if let Some(interval) = advice.interval {
            self.interval_ms = interval;
        }
        if let Some(max_interval) = advice.max_interval {
            self.max_interval_ms = max_interval;
        }
    }

    pub(super) fn interval_delay(&self) -> u32 {
        clamp_interval(self.interval_ms)
    }

    /// Counts one more unsuccessful step and says how long to wait before the next try.
    pub(super) fn backoff(&mut self) -> u32 {
        self.retries = self.retries.saturating_add(1);
        backoff_delay(self.retries)
    }
}

/// The wait before the `attempt`th retry (from 1): 250 ms, 500 ms, 1 s, then 2 s.
pub(super) fn backoff_delay(attempt: u32) -> u32 {
    let doublings = attempt.saturating_sub(1).min(8);
    FIRST_RETRY_DELAY_MS
        .saturating_mul(1 << doublings)
        .min(LONGEST_RETRY_DELAY_MS)
}

pub(super) fn advised_interval(advice: Option<&Advice>) -> u32 {
    clamp_interval(advice.and_then(|advice| advice.interval).unwrap_or(0))
}

pub(super) fn clamp_interval(interval_ms: u64) -> u32 {
    u32::try_from(interval_ms.min(LONGEST_ADVISED_INTERVAL_MS)).unwrap_or(u32::MAX)
}
