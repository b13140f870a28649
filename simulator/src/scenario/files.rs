//! Timed scenario files: started now or when the first CometD client subscribes, played step by
//! step against the world.

use std::collections::BTreeMap;
use std::time::Duration;

use gws_protocol::StatusCode;
use tokio::sync::oneshot;

use crate::model::OpError;
use crate::script::{Action, RunReport, Scenario, Start};
use crate::sim::SimState;

use super::*;

/// Starts a scenario now, or when the first CometD client subscribes if it asks to.
pub fn start(sim: &SimState, scenario: Scenario) {
    {
        let mut script = sim.script();
        if scenario.start == Start::FirstSubscriber && !script.subscriber_seen {
            script.waiting_for_subscriber.push(scenario);
            return;
        }
    }
    run_in_background(sim, scenario);
}

/// Starts a scenario and returns a receiver for its report once the steps are done.
pub fn run_in_background(sim: &SimState, scenario: Scenario) -> oneshot::Receiver<RunReport> {
    let (done, report) = oneshot::channel();
    let run = {
        let mut script = sim.script();
        let run = script.runs.len();
        script.runs.push(RunReport {
            run,
            name: scenario.name.clone(),
            steps_done: 0,
            finished: false,
            sessions: BTreeMap::new(),
            errors: Vec::new(),
        });
        run
    };
    let task_sim = sim.clone();
    sim.spawn(async move {
        let report = play(&task_sim, &scenario, run).await;
        let _ = done.send(report);
        if let Some(every) = scenario.then_ring_every_ms {
            loop {
                tokio::time::sleep(task_sim.pause(every)).await;
                ring_random_colleague(&task_sim);
            }
        }
    });
    report
}

/// A CometD client subscribed to the IM topic: start the scenarios that waited for one.
pub fn on_subscriber(sim: &SimState) {
    let waiting = {
        let mut script = sim.script();
        script.subscriber_seen = true;
        std::mem::take(&mut script.waiting_for_subscriber)
    };
    for scenario in waiting {
        let task_sim = sim.clone();
        sim.spawn(async move {
            // Give the subscribe reply time to reach the client before the first notification.
            tokio::time::sleep(Duration::from_millis(250)).await;
            run_in_background(&task_sim, scenario);
        });
    }
}

async fn play(sim: &SimState, scenario: &Scenario, run: usize) -> RunReport {
    let mut names = BTreeMap::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        if step.wait_ms > 0 {
            tokio::time::sleep(sim.pause(step.wait_ms)).await;
        }
        let outcome = apply_step(sim, scenario.scripted, &step.action, &mut names);
        let mut script = sim.script();
        if let Some(report) = script.runs.get_mut(run) {
            report.steps_done = index + 1;
            report.sessions = names.clone();
            if let Err(err) = outcome {
                report.errors.push(format!(
                    "step {index} ({}): {}",
                    step.action.name(),
                    err.message
                ));
            }
        }
    }
    let mut script = sim.script();
    match script.runs.get_mut(run) {
        Some(report) => {
            report.finished = true;
            report.clone()
        }
        None => RunReport {
            run,
            name: scenario.name.clone(),
            steps_done: scenario.steps.len(),
            finished: true,
            sessions: names,
            errors: Vec::new(),
        },
    }
}

fn apply_step(
    sim: &SimState,
    scripted: bool,
    action: &Action,
    names: &mut BTreeMap<String, String>,
) -> Result<(), OpError> {
    let id_of = |name: &str| {
        names.get(name).cloned().ok_or_else(|| OpError {
            code: StatusCode::NotFound,
            message: format!("session {name:?} was not created (its step failed)"),
        })
    };
    match action {
        Action::Ring {
            session,
            from,
            user_data,
        } => {
            let data = user_data.clone().unwrap_or_default();
            let id = sim.commit(|w, now| w.ring(from, data, scripted, now))?;
            names.insert(session.clone(), id);
        }
        Action::Initiate {
            session,
            to,
            user_data,
        } => {
            let data = user_data.clone().unwrap_or_default();
            let id = sim.commit(|w, now| w.initiate_scripted(to, data, scripted, now))?;
            names.insert(session.clone(), id);
        }
        Action::Answer { session } => {
            let id = id_of(session)?;
            sim.commit(|w, _| w.answer(&id).map(|n| ((), n)))?;
        }
        Action::Message { session, text } => {
            let id = id_of(session)?;
            sim.commit(|w, now| w.other_message(&id, text, now).map(|n| ((), n)))?;
        }
        Action::AgentMessage { session, text } => {
            let id = id_of(session)?;
            sim.commit(|w, now| w.agent_message(&id, text, now).map(|n| ((), n)))?;
        }
        Action::Attach { session, user_data } => {
            let id = id_of(session)?;
            sim.commit(|w, _| w.other_attach(&id, user_data).map(|n| ((), n)))?;
        }
        Action::Capabilities {
            session,
            capabilities,
        } => {
            let id = id_of(session)?;
            sim.commit(|w, _| {
                w.set_capabilities(&id, capabilities.clone())
                    .map(|n| ((), n))
            })?;
        }
        Action::Complete { session } => {
            let id = id_of(session)?;
            sim.commit(|w, _| w.complete(&id).map(|n| ((), n)))?;
        }
    }
    Ok(())
}
