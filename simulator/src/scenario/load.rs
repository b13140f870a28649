//! The load generator (`POST /_sim/load`): live sessions, a message rate across them, completed
//! history.

use std::time::Duration;

use gws_protocol::{StatusCode, UserData};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::model::Direction;
use crate::sim::SimState;

/// Upper bounds for one `POST /_sim/load`.
const MAX_LOAD_SESSIONS: usize = 2000;
const MAX_LOAD_HISTORY: usize = 100_000;
const MAX_LOAD_RATE: f64 = 10_000.0;

/// `POST /_sim/load`: live sessions, a message rate across them, and completed history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadSpec {
    /// Talking sessions to open (the other parties write in them).
    #[serde(default)]
    pub sessions: usize,
    /// Messages per second across those sessions, round robin (real time, not scaled).
    #[serde(default)]
    pub messages_per_second: f64,
    /// Completed sessions of history (two transcript lines each, published as nothing).
    #[serde(default)]
    pub completed: usize,
    /// Stop the messages after this long (default: until `DELETE /_sim/load` or reset).
    #[serde(default)]
    pub duration_ms: Option<u64>,
}

impl LoadSpec {
    /// `--load N,M,K`: sessions, messages per second, completed sessions.
    pub fn from_flag(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let [sessions, rate, completed] = parts.as_slice() else {
            return Err(format!(
                "--load wants SESSIONS,MESSAGES_PER_SECOND,COMPLETED, got {text:?}"
            ));
        };
        Ok(Self {
            sessions: sessions
                .parse()
                .map_err(|_| format!("--load: bad session count {sessions:?}"))?,
            messages_per_second: rate
                .parse()
                .map_err(|_| format!("--load: bad rate {rate:?}"))?,
            completed: completed
                .parse()
                .map_err(|_| format!("--load: bad completed count {completed:?}"))?,
            duration_ms: None,
        })
    }

    fn validate(&self) -> Result<(), ApiError> {
        let invalid = |why: String| Err(ApiError::new(StatusCode::InvalidState, why));
        if self.sessions > MAX_LOAD_SESSIONS {
            return invalid(format!("sessions must be at most {MAX_LOAD_SESSIONS}"));
        }
        if self.completed > MAX_LOAD_HISTORY {
            return invalid(format!("completed must be at most {MAX_LOAD_HISTORY}"));
        }
        if !(0.0..=MAX_LOAD_RATE).contains(&self.messages_per_second) {
            return invalid(format!(
                "messagesPerSecond must be between 0 and {MAX_LOAD_RATE}"
            ));
        }
        if self.messages_per_second > 0.0 && self.sessions == 0 {
            return invalid("messagesPerSecond needs sessions to write in".into());
        }
        Ok(())
    }
}

/// What a load run created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadReport {
    pub sessions: Vec<String>,
    pub completed: usize,
}

/// Creates the history and live sessions now and starts the message pump.
pub fn start_load(sim: &SimState, spec: &LoadSpec) -> Result<LoadReport, ApiError> {
    spec.validate()?;
    sim.commit(|world, now| {
        for n in 0..spec.completed {
            let lines = [
                (Direction::In, format!("History question #{n}")),
                (Direction::Out, format!("History answer #{n}")),
            ];
            world.add_history(&format!("4{:03}", n % 1000), &lines, now);
        }
        Ok(((), Vec::new()))
    })?;
    let mut sessions = Vec::with_capacity(spec.sessions);
    for n in 0..spec.sessions {
        let number = format!("6{:03}", n % 1000);
        let id = sim.commit(|world, now| {
            let (id, mut notifications) =
                world.initiate_scripted(&number, UserData::new(), false, now)?;
            notifications.extend(world.answer(&id)?);
            Ok((id, notifications))
        })?;
        sessions.push(id);
    }
    if spec.messages_per_second > 0.0 {
        let task_sim = sim.clone();
        let (ids, rate, limit) = (
            sessions.clone(),
            spec.messages_per_second,
            spec.duration_ms.map(Duration::from_millis),
        );
        let handle = sim.spawn(async move { pump(task_sim, ids, rate, limit).await });
        sim.script().load.push(handle);
    }
    Ok(LoadReport {
        sessions,
        completed: spec.completed,
    })
}

/// Stops every load pump.
pub fn stop_load(sim: &SimState) -> usize {
    let handles = std::mem::take(&mut sim.script().load);
    let running = handles.iter().filter(|h| !h.is_finished()).count();
    for handle in handles {
        handle.abort();
    }
    running
}

async fn pump(sim: SimState, ids: Vec<String>, rate: f64, limit: Option<Duration>) {
    let started = tokio::time::Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_millis(10));
    let mut sent: u64 = 0;
    let mut failures_in_a_row = 0;
    loop {
        ticks.tick().await;
        let elapsed = started.elapsed();
        let elapsed = match limit {
            Some(limit) if elapsed >= limit => limit,
            _ => elapsed,
        };
        let due = (rate * elapsed.as_secs_f64()) as u64;
        while sent < due {
            let Some(id) = ids.get((sent % ids.len().max(1) as u64) as usize) else {
                return;
            };
            let text = format!("Load message #{sent}");
            match sim.commit(|w, now| w.other_message(id, &text, now).map(|n| ((), n))) {
                Ok(()) => failures_in_a_row = 0,
                Err(_) => failures_in_a_row += 1,
            }
            sent += 1;
            // Every session is over (the agent completed them all): nothing left to write in.
            if failures_in_a_row >= ids.len() {
                return;
            }
        }
        if limit.is_some_and(|limit| started.elapsed() >= limit) {
            return;
        }
    }
}
