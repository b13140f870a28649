//! What scenarios are, as data: scenario files (parsed and checked), their run reports, and what
//! the scripts remember between events. The world (`crate::sim`) holds a [`ScriptState`]; what
//! scripts *do* is `crate::scenario`, which drives the world.

use std::collections::{BTreeMap, HashMap, HashSet};

use gws_protocol::{Capability, UserData};
use serde::{Deserialize, Serialize};
use tokio::task::AbortHandle;

/// The built-in demo, also the example of the scenario format.
pub const DEMO_SCENARIO: &str = include_str!("../scenarios/demo.json");

// ---- scenario files ----

/// When a scenario starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Start {
    /// As soon as it is loaded.
    #[default]
    Now,
    /// When a CometD client first subscribes to `/v2/me/im-sessions` (so a new user sees it live).
    FirstSubscriber,
}

/// A timed script of what the other agents (and the agent's other clients) do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub start: Start,
    /// Whether directory colleagues in its sessions reply to the agent by themselves.
    #[serde(default)]
    pub scripted: bool,
    pub steps: Vec<Step>,
    /// After the last step, a free colleague rings this often (when nothing is ringing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then_ring_every_ms: Option<u64>,
}

/// One step: wait `waitMs` (scaled by `--speed`) after the previous step, then act.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    #[serde(default)]
    pub wait_ms: u64,
    #[serde(flatten)]
    pub action: Action,
}

/// What a step does. `session` names a session created by an earlier `ring` or `initiate`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Action {
    /// Another agent rings this one (Alerting).
    Ring {
        session: String,
        from: String,
        #[serde(default)]
        user_data: Option<UserData>,
    },
    /// The agent started an IM from another client (Initiating); no one-active-IM check.
    Initiate {
        session: String,
        to: String,
        #[serde(default)]
        user_data: Option<UserData>,
    },
    /// The other party answers an Initiating session.
    Answer { session: String },
    /// The other party writes.
    Message { session: String, text: String },
    /// The agent writes from another client (answers a ringing session, like SendMessage).
    AgentMessage { session: String, text: String },
    /// The other side attaches user data.
    Attach {
        session: String,
        user_data: UserData,
    },
    /// The server changes the capabilities.
    Capabilities {
        session: String,
        capabilities: Vec<Capability>,
    },
    /// The session ends.
    Complete { session: String },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ring { .. } => "ring",
            Self::Initiate { .. } => "initiate",
            Self::Answer { .. } => "answer",
            Self::Message { .. } => "message",
            Self::AgentMessage { .. } => "agentMessage",
            Self::Attach { .. } => "attach",
            Self::Capabilities { .. } => "capabilities",
            Self::Complete { .. } => "complete",
        }
    }

    fn session(&self) -> &str {
        match self {
            Self::Ring { session, .. }
            | Self::Initiate { session, .. }
            | Self::Answer { session }
            | Self::Message { session, .. }
            | Self::AgentMessage { session, .. }
            | Self::Attach { session, .. }
            | Self::Capabilities { session, .. }
            | Self::Complete { session } => session,
        }
    }

    fn creates_session(&self) -> bool {
        matches!(self, Self::Ring { .. } | Self::Initiate { .. })
    }
}

impl Scenario {
    /// Parses and checks a scenario file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let scenario: Self =
            serde_json::from_str(text).map_err(|err| format!("invalid scenario: {err}"))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The built-in demo.
    pub fn demo() -> Result<Self, String> {
        Self::parse(DEMO_SCENARIO)
    }

    /// Every session name must be created by an earlier `ring`/`initiate` and created once.
    pub fn validate(&self) -> Result<(), String> {
        let mut names = HashSet::new();
        for (index, step) in self.steps.iter().enumerate() {
            let name = step.action.session();
            if name.trim().is_empty() {
                return Err(format!(
                    "step {index} ({}): empty session name",
                    step.action.name()
                ));
            }
            if step.action.creates_session() {
                if !names.insert(name) {
                    return Err(format!(
                        "step {index} ({}): session {name:?} is created twice",
                        step.action.name()
                    ));
                }
            } else if !names.contains(name) {
                return Err(format!(
                    "step {index} ({}): session {name:?} is not created by an earlier ring or initiate step",
                    step.action.name()
                ));
            }
        }
        if self.then_ring_every_ms == Some(0) {
            return Err("thenRingEveryMs must be positive".into());
        }
        Ok(())
    }
}

/// The progress and outcome of one scenario run (shown in `/_sim/state`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub run: usize,
    pub name: String,
    /// Steps done so far (applied or failed).
    pub steps_done: usize,
    pub finished: bool,
    /// Session names → ids.
    pub sessions: BTreeMap<String, String>,
    /// Steps the server refused, with why (the run carries on).
    pub errors: Vec<String>,
}

/// What scripts remember between events. Reset by `/_sim/reset`.
#[derive(Debug, Default)]
pub struct ScriptState {
    /// Replies each scripted session's colleague has written.
    pub(crate) turns: HashMap<String, usize>,
    /// Sessions whose colleague is typing now (one reply answers a burst of messages).
    pub(crate) typing: HashSet<String>,
    /// Sessions where the agent said goodbye.
    pub(crate) farewells: HashSet<String>,
    /// Whether a CometD client has subscribed to the IM topic yet.
    pub(crate) subscriber_seen: bool,
    pub(crate) waiting_for_subscriber: Vec<Scenario>,
    pub(crate) runs: Vec<RunReport>,
    pub(crate) load: Vec<AbortHandle>,
}

impl ScriptState {
    /// Forgets everything but whether a subscriber was seen (connected clients stay subscribed).
    pub fn reset(&mut self) {
        let subscriber_seen = self.subscriber_seen;
        *self = Self {
            subscriber_seen,
            ..Self::default()
        };
    }

    pub fn runs(&self) -> Vec<RunReport> {
        self.runs.clone()
    }

    pub fn waiting_for_subscriber(&self) -> usize {
        self.waiting_for_subscriber.len()
    }
}
