//! The other agents: a directory of scripted colleagues, timed scenario files, and the load generator.

use std::collections::BTreeMap;
use std::time::Duration;

use gws_protocol::{ImSessionState, StatusCode, UserData};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::oneshot;

use crate::error::ApiError;
use crate::model::{Direction, OpError};
pub use crate::script::{Action, RunReport, Scenario, ScriptState, Start, Step, DEMO_SCENARIO};
use crate::sim::SimState;

/// How long a colleague takes to pick up an IM the agent started.
const ANSWER_MS: u64 = 1500;
/// How long an unknown extension "rings" before the session fails.
const NO_ANSWER_MS: u64 = 3000;
/// How long a colleague takes to read a message before typing.
const READ_MS: u64 = 700;
/// How long after saying goodbye a colleague ends the session.
const HANG_UP_MS: u64 = 1500;
/// Upper bounds for one `POST /_sim/load`.
const MAX_LOAD_SESSIONS: usize = 2000;
const MAX_LOAD_HISTORY: usize = 100_000;
const MAX_LOAD_RATE: f64 = 10_000.0;

/// Another agent the simulated agent can IM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colleague {
    pub number: &'static str,
    pub name: &'static str,
    /// What they write when they ring the agent.
    pub opener: &'static str,
    /// What they write after answering the agent's IM.
    pub greeting: &'static str,
    /// Their answers to the agent's messages, in turn.
    pub replies: &'static [&'static str],
    pub goodbye: &'static str,
    /// After this reply they attach this user data.
    pub attaches_after: Option<(usize, &'static str, &'static str)>,
}

/// The directory of scripted colleagues.
pub const DIRECTORY: &[Colleague] = &[
    Colleague {
        number: "3002",
        name: "Sam Rivera (supervisor)",
        opener: "Hi, quick check: how is your queue looking?",
        greeting: "Hi! Sam here. What do you need?",
        replies: &[
            "Let me take a look.",
            "OK, approved. I've attached a note to this chat.",
            "Sounds good. Ping me if the customer pushes back.",
        ],
        goodbye: "Great, talk later!",
        attaches_after: Some((1, "approvedBy", "3002")),
    },
    Colleague {
        number: "3003",
        name: "Priya Shah (billing)",
        opener: "Hi! Could you help me with an invoice question?",
        greeting: "Hey, Priya from billing here.",
        replies: &[
            "Thanks! The customer says they were charged twice.",
            "Can you confirm the order number on your side?",
            "Perfect, that matches. I'll issue the credit.",
        ],
        goodbye: "Thanks a lot, bye!",
        attaches_after: Some((2, "creditIssued", "yes")),
    },
    Colleague {
        number: "3004",
        name: "Tom Becker (tech support)",
        opener: "Got a minute? A customer of yours is on my line.",
        greeting: "Tom here, what's up?",
        replies: &[
            "Hmm, have they tried restarting the router?",
            "OK, I'll open a ticket and send you the number.",
            "Done. Ticket TS-5521.",
        ],
        goodbye: "Cheers!",
        attaches_after: Some((2, "ticket", "TS-5521")),
    },
    Colleague {
        number: "3005",
        name: "Lena Park (sales)",
        opener: "Hi, is the Acme renewal with you?",
        greeting: "Hi, Lena here!",
        replies: &["Great, thanks.", "I'll send the quote over this afternoon."],
        goodbye: "Bye for now!",
        attaches_after: None,
    },
];

/// The directory entry for an extension.
pub fn colleague(number: &str) -> Option<&'static Colleague> {
    DIRECTORY.iter().find(|c| c.number == number.trim())
}

/// A colleague's typing time for `text`, in unscaled milliseconds.
pub fn typing_ms(text: &str) -> u64 {
    (400 + 45 * text.chars().count() as u64).min(4000)
}

// ---- colleagues reacting to the agent ----

/// The agent started an IM: a colleague answers and greets; an unknown extension fails.
pub fn after_initiate(sim: &SimState, id: &str) {
    let Some((other_party, true)) =
        sim.read(|w| w.session(id).map(|s| (s.other_party.clone(), s.scripted)))
    else {
        return;
    };
    let (sim_task, id) = (sim.clone(), id.to_owned());
    match colleague(&other_party) {
        Some(colleague) => {
            sim.spawn(async move {
                tokio::time::sleep(sim_task.pause(ANSWER_MS)).await;
                if sim_task
                    .commit(|w, _| w.answer(&id).map(|n| ((), n)))
                    .is_err()
                {
                    return;
                }
                tokio::time::sleep(sim_task.pause(typing_ms(colleague.greeting))).await;
                let _ = sim_task.commit(|w, now| {
                    w.other_message(&id, colleague.greeting, now)
                        .map(|n| ((), n))
                });
            });
        }
        None => {
            sim.spawn(async move {
                tokio::time::sleep(sim_task.pause(NO_ANSWER_MS)).await;
                let still_initiating = sim_task.read(|w| {
                    w.session(&id)
                        .is_some_and(|s| s.state == ImSessionState::Initiating)
                });
                if still_initiating {
                    let _ = sim_task.commit(|w, _| w.complete(&id).map(|n| ((), n)));
                }
            });
        }
    }
}

/// The agent wrote in a scripted session: the colleague reads, types and answers.
pub fn after_agent_message(sim: &SimState, id: &str, text: &str) {
    let Some((other_party, true)) =
        sim.read(|w| w.session(id).map(|s| (s.other_party.clone(), s.scripted)))
    else {
        return;
    };
    let Some(colleague) = colleague(&other_party) else {
        return;
    };
    {
        let mut script = sim.script();
        if says_goodbye(text) {
            script.farewells.insert(id.to_owned());
        }
        if !script.typing.insert(id.to_owned()) {
            return;
        }
    }
    let (task_sim, id) = (sim.clone(), id.to_owned());
    sim.spawn(async move {
        let sim = task_sim;
        let (turn, farewell) = {
            let script = sim.script();
            (
                script.turns.get(&id).copied().unwrap_or(0),
                script.farewells.contains(&id),
            )
        };
        let reply = colleague.replies.get(turn).filter(|_| !farewell).copied();
        let line = reply.unwrap_or(colleague.goodbye);
        tokio::time::sleep(sim.pause(READ_MS + typing_ms(line))).await;
        {
            let mut script = sim.script();
            script.typing.remove(&id);
            script.turns.insert(id.clone(), turn + 1);
        }
        if sim
            .commit(|w, now| w.other_message(&id, line, now).map(|n| ((), n)))
            .is_err()
        {
            return;
        }
        if reply.is_none() {
            tokio::time::sleep(sim.pause(HANG_UP_MS)).await;
            let _ = sim.commit(|w, _| w.complete(&id).map(|n| ((), n)));
        } else if let Some((_, key, value)) = colleague
            .attaches_after
            .filter(|(after, ..)| *after == turn)
        {
            let data: UserData = [(key, Value::String(value.into()))].into_iter().collect();
            let _ = sim.commit(|w, _| w.other_attach(&id, &data).map(|n| ((), n)));
        }
    });
}

fn says_goodbye(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| matches!(word, "bye" | "goodbye" | "cya"))
}

/// A free directory colleague rings the agent with their opener (the demo's "and then…").
pub fn ring_random_colleague(sim: &SimState) -> Option<String> {
    sim.commit(|world, now| {
        let ringing = world
            .sessions()
            .iter()
            .any(|s| s.state == ImSessionState::Alerting);
        let active = world.sessions().iter().filter(|s| s.is_active()).count();
        if ringing || active >= 3 {
            return Ok((None, Vec::new()));
        }
        let free: Vec<&Colleague> = DIRECTORY
            .iter()
            .filter(|c| {
                !world
                    .sessions()
                    .iter()
                    .any(|s| s.is_active() && s.other_party == c.number)
            })
            .collect();
        let Some(colleague) = free.get(world.pick(free.len())).copied() else {
            return Ok((None, Vec::new()));
        };
        let (id, mut notifications) = world.ring(colleague.number, UserData::new(), true, now)?;
        notifications.extend(world.other_message(&id, colleague.opener, now)?);
        Ok((Some(id), notifications))
    })
    .ok()
    .flatten()
}

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

// ---- load generator ----

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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use gws_protocol::Capability;

    use super::*;

    #[test]
    fn demo_scenario_parses_and_is_valid() {
        let demo = Scenario::demo().unwrap();
        assert_eq!(demo.start, Start::FirstSubscriber);
        assert!(demo.scripted);
        assert!(demo
            .steps
            .iter()
            .any(|s| matches!(s.action, Action::Complete { .. })));
        assert!(demo
            .steps
            .iter()
            .any(|s| matches!(s.action, Action::Ring { .. })));
    }

    #[test]
    fn scenario_validation_rejects_unknown_and_duplicate_names() {
        let unknown = r#"{"steps":[{"action":"message","session":"a","text":"hi"}]}"#;
        assert!(Scenario::parse(unknown)
            .unwrap_err()
            .contains("not created"));
        let twice = r#"{"steps":[{"action":"ring","session":"a","from":"1"},{"action":"ring","session":"a","from":"2"}]}"#;
        assert!(Scenario::parse(twice).unwrap_err().contains("twice"));
        let bad_action = r#"{"steps":[{"action":"dance","session":"a"}]}"#;
        assert!(Scenario::parse(bad_action).is_err());
        let ok = r#"{"steps":[{"action":"ring","session":"a","from":"3003","userData":{"k":"v"}},
            {"waitMs":5,"action":"capabilities","session":"a","capabilities":["Complete","Transfer"]}]}"#;
        let scenario = Scenario::parse(ok).unwrap();
        assert_eq!(scenario.steps[1].wait_ms, 5);
        match &scenario.steps[1].action {
            Action::Capabilities { capabilities, .. } => {
                assert_eq!(
                    capabilities,
                    &vec![Capability::Complete, Capability::Unknown("Transfer".into())]
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn goodbye_detection_and_typing_times() {
        assert!(says_goodbye("OK, bye!"));
        assert!(says_goodbye("Goodbye"));
        assert!(!says_goodbye("maybe later"));
        assert!(typing_ms("hi") < typing_ms("a much longer message than hi"));
        assert_eq!(typing_ms(&"x".repeat(1000)), 4000);
    }

    #[test]
    fn load_flag_parses() {
        let spec = LoadSpec::from_flag("10, 50.5,200").unwrap();
        assert_eq!(
            (spec.sessions, spec.messages_per_second, spec.completed),
            (10, 50.5, 200)
        );
        assert!(LoadSpec::from_flag("1,2").is_err());
        assert!(LoadSpec::from_flag("a,2,3").is_err());
    }

    #[test]
    fn directory_numbers_are_unique() {
        let numbers: HashSet<&str> = DIRECTORY.iter().map(|c| c.number).collect();
        assert_eq!(numbers.len(), DIRECTORY.len());
        assert!(colleague(" 3002 ").is_some());
        assert!(colleague("9999").is_none());
    }
}
