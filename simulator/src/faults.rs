//! Fault injection on `/api/v2` (REST and CometD alike), switchable at run time via `/_sim/faults`.

use std::time::Duration;

use gws_protocol::StatusCode;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::error::ApiError;
use crate::model::XorShift;

/// The fault switches in force.
#[derive(Debug, Clone)]
pub struct Faults {
    /// Fraction of requests dropped unanswered and unapplied.
    pub drop_requests: f64,
    /// Fraction of requests applied, then dropped unanswered (the ambiguous case).
    pub drop_responses: f64,
    /// Until when every request gets HTTP 503.
    pub server_errors_until: Option<Instant>,
    /// Delay before every request is handled.
    pub latency_ms: u64,
    /// Bayeux answers `/meta/connect` at once instead of holding it.
    pub close_polls_early: bool,
    /// Bayeux offers the acknowledged-messages extension to new handshakes.
    pub ack_extension: bool,
    pub seed: u64,
    rng: XorShift,
}

impl Faults {
    /// Everything off; the ack extension as configured at start.
    pub fn off(seed: u64, ack_extension: bool) -> Self {
        Self {
            drop_requests: 0.0,
            drop_responses: 0.0,
            server_errors_until: None,
            latency_ms: 0,
            close_polls_early: false,
            ack_extension,
            seed,
            rng: XorShift::new(seed),
        }
    }

    /// Applies a `PUT /_sim/faults` body; nothing changes when any field is out of range.
    pub fn patch(&mut self, patch: &FaultsPatch, now: Instant) -> Result<(), ApiError> {
        for (name, fraction) in [
            ("dropRequests", patch.drop_requests),
            ("dropResponses", patch.drop_responses),
        ] {
            if let Some(fraction) = fraction {
                if !(0.0..=1.0).contains(&fraction) {
                    return Err(ApiError::new(
                        StatusCode::InvalidState,
                        format!("{name} must be between 0 and 1"),
                    ));
                }
            }
        }
        if let Some(fraction) = patch.drop_requests {
            self.drop_requests = fraction;
        }
        if let Some(fraction) = patch.drop_responses {
            self.drop_responses = fraction;
        }
        if let Some(ms) = patch.server_errors_for_ms {
            let far_future = || now.checked_add(Duration::from_secs(1 << 30));
            self.server_errors_until = (ms > 0)
                .then(|| {
                    now.checked_add(Duration::from_millis(ms))
                        .or_else(far_future)
                })
                .flatten();
        }
        if let Some(ms) = patch.latency_ms {
            self.latency_ms = ms;
        }
        if let Some(on) = patch.close_polls_early {
            self.close_polls_early = on;
        }
        if let Some(on) = patch.ack_extension {
            self.ack_extension = on;
        }
        if let Some(seed) = patch.seed {
            self.seed = seed;
            self.rng = XorShift::new(seed);
        }
        Ok(())
    }

    /// Rolls the dice for one request.
    pub fn plan(&mut self, now: Instant) -> FaultPlan {
        let server_error = self.server_errors_until.is_some_and(|until| now < until);
        let drop_request = self.drop_requests > 0.0 && self.rng.next_f64() < self.drop_requests;
        let drop_response = self.drop_responses > 0.0 && self.rng.next_f64() < self.drop_responses;
        FaultPlan {
            latency: Duration::from_millis(self.latency_ms),
            server_error,
            drop_request,
            drop_response,
        }
    }

    pub fn view(&self, now: Instant) -> FaultsView {
        FaultsView {
            drop_requests: self.drop_requests,
            drop_responses: self.drop_responses,
            server_errors_for_ms: self
                .server_errors_until
                .map(|until| until.saturating_duration_since(now).as_millis() as u64)
                .unwrap_or(0),
            latency_ms: self.latency_ms,
            close_polls_early: self.close_polls_early,
            ack_extension: self.ack_extension,
            seed: self.seed,
        }
    }
}

/// `PUT /_sim/faults`: any subset of the switches.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultsPatch {
    pub drop_requests: Option<f64>,
    pub drop_responses: Option<f64>,
    /// From now, for this long, every `/api/v2` request gets HTTP 503 (0 ends it).
    pub server_errors_for_ms: Option<u64>,
    pub latency_ms: Option<u64>,
    pub close_polls_early: Option<bool>,
    pub ack_extension: Option<bool>,
    pub seed: Option<u64>,
}

/// `GET /_sim/faults`: the switches, with the time left on the 503 window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultsView {
    pub drop_requests: f64,
    pub drop_responses: f64,
    pub server_errors_for_ms: u64,
    pub latency_ms: u64,
    pub close_polls_early: bool,
    pub ack_extension: bool,
    pub seed: u64,
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultPlan {
    pub latency: Duration,
    pub server_error: bool,
    pub drop_request: bool,
    pub drop_response: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_validated_and_nothing_changes_on_error() {
        let mut faults = Faults::off(1, true);
        let now = Instant::now();
        let bad = FaultsPatch {
            drop_requests: Some(0.5),
            drop_responses: Some(1.5),
            ..FaultsPatch::default()
        };
        assert!(faults.patch(&bad, now).is_err());
        assert_eq!(faults.drop_requests, 0.0);
        let nan = FaultsPatch {
            drop_requests: Some(f64::NAN),
            ..FaultsPatch::default()
        };
        assert!(faults.patch(&nan, now).is_err());
    }

    #[test]
    fn drop_fractions_roll_roughly_as_asked_and_reproducibly() {
        let now = Instant::now();
        let run = || {
            let mut faults = Faults::off(42, true);
            faults
                .patch(
                    &FaultsPatch {
                        drop_requests: Some(0.25),
                        ..FaultsPatch::default()
                    },
                    now,
                )
                .unwrap();
            (0..4000).filter(|_| faults.plan(now).drop_request).count()
        };
        let dropped = run();
        assert!((800..1200).contains(&dropped), "{dropped}");
        assert_eq!(dropped, run());
    }

    #[test]
    fn a_huge_server_error_window_does_not_overflow() {
        let now = Instant::now();
        let mut faults = Faults::off(1, true);
        faults
            .patch(
                &FaultsPatch {
                    server_errors_for_ms: Some(u64::MAX),
                    ..FaultsPatch::default()
                },
                now,
            )
            .unwrap();
        assert!(faults.plan(now).server_error);
    }

    #[test]
    fn server_error_window_expires() {
        let now = Instant::now();
        let mut faults = Faults::off(1, true);
        faults
            .patch(
                &FaultsPatch {
                    server_errors_for_ms: Some(1000),
                    ..FaultsPatch::default()
                },
                now,
            )
            .unwrap();
        assert!(faults.plan(now).server_error);
        assert_eq!(faults.view(now).server_errors_for_ms, 1000);
        assert!(!faults.plan(now + Duration::from_millis(1001)).server_error);
        assert_eq!(
            faults
                .view(now + Duration::from_secs(5))
                .server_errors_for_ms,
            0
        );
    }
}
