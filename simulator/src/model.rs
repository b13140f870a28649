//! The simulated GWS world: one agent, their device, their IM sessions and each session's
//! server-side transcript. Pure: every operation takes the time as an argument and returns the
//! notifications it causes, in order; publishing them is the caller's job.

use gws_protocol::{
    Capability, Device, ImNotification, ImSession, ImSessionState, Participant, StatusCode,
    UserData,
};
use serde::Serialize;
use serde_json::json;

mod request;
mod world;

pub use request::{operation_name, parse_initiate, parse_session_operation};
pub use world::World;

/// The agent's own extension (the doc's device sample).
pub const AGENT_NUMBER: &str = "5005";
/// The agent's one IM-capable device: the doc's sample `devicePath` id, completed to a full UUID.
pub const DEVICE_ID: &str = "8191741c-bcb7-4e86-9493-98dc993446f0";
/// The internal host the docs' `uri` fields point at.
pub const INTERNAL_HOST: &str = "http://hpe-voicevm-64.genesyslab.com:8090";
/// How many transcript lines a session keeps (oldest dropped first) so load runs stay bounded.
pub const TRANSCRIPT_LIMIT: usize = 5000;

/// The canonical order of capabilities (the order the docs' list sample uses).
pub const ALL_CAPABILITIES: [Capability; 5] = [
    Capability::SendMessage,
    Capability::AttachUserData,
    Capability::UpdateUserData,
    Capability::DeleteUserData,
    Capability::Complete,
];

/// The device path operations must carry in `devicePath`.
pub fn device_path() -> String {
    format!("/devices/{DEVICE_ID}")
}

/// `/im-sessions/{id}`, the session's `path` and the `imSessionPath` of its messages.
pub fn session_path(id: &str) -> String {
    format!("/im-sessions/{id}")
}

/// Why an operation was refused: a GWS `statusCode` and `statusMessage`. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    pub code: StatusCode,
    pub message: String,
}

impl OpError {
    pub fn missing(parameter: &str) -> Self {
        Self {
            code: StatusCode::MissingParameter,
            message: format!("Missing parameter: {parameter}"),
        }
    }

    pub fn invalid(parameter: &str, why: impl std::fmt::Display) -> Self {
        Self {
            code: StatusCode::InvalidState,
            message: format!("Invalid parameter {parameter}: {why}"),
        }
    }

    pub fn invalid_state(why: impl std::fmt::Display) -> Self {
        Self {
            code: StatusCode::InvalidState,
            message: format!("Invalid state: {why}"),
        }
    }

    pub fn not_found(id: &str) -> Self {
        Self {
            code: StatusCode::NotFound,
            message: format!("IM session not found: {id}"),
        }
    }
}

/// Who wrote a transcript line, seen from the agent: `in` from the other party, `out` by the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    In,
    Out,
}

/// One message as the server saw it (GWS itself never exposes this; `/_sim/state` does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptLine {
    pub direction: Direction,
    pub text: String,
    /// Milliseconds since the Unix epoch.
    pub at: u64,
}

/// Who started a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Another agent rang this one.
    Incoming,
    /// This agent initiated it.
    Outgoing,
}

/// A session as the server keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub id: String,
    pub state: ImSessionState,
    /// The other agent's extension.
    pub other_party: String,
    pub capabilities: Vec<Capability>,
    pub user_data: UserData,
    pub transcript: Vec<TranscriptLine>,
    pub origin: Origin,
    /// Whether a scripted colleague drives the other side (replies, answers, ends).
    pub scripted: bool,
    pub created_at: u64,
}

impl SessionRecord {
    /// Initiating, Alerting or Talking: the session still occupies the agent.
    pub fn is_active(&self) -> bool {
        matches!(
            self.state,
            ImSessionState::Initiating | ImSessionState::Alerting | ImSessionState::Talking
        )
    }

    /// The session in GWS shape; `uri` is left for the presentation layer (see `quirks`).
    pub fn to_gws(&self) -> ImSession {
        ImSession {
            id: self.id.clone(),
            state: self.state.clone(),
            participants: vec![Participant::with_number(&self.other_party)],
            capabilities: self.capabilities.clone(),
            user_data: self.user_data.clone(),
            path: Some(session_path(&self.id)),
            uri: None,
        }
    }

    /// Whether the agent may do `capability` now. A Completed session allows nothing, whatever
    /// its (quirky, unchanged) capability list says.
    pub fn allows(&self, capability: &Capability) -> bool {
        self.state != ImSessionState::Completed && self.capabilities.contains(capability)
    }

    fn record(&mut self, direction: Direction, text: &str, now: u64) {
        if self.transcript.len() >= TRANSCRIPT_LIMIT {
            self.transcript.remove(0);
        }
        self.transcript.push(TranscriptLine {
            direction,
            text: text.to_owned(),
            at: now,
        });
    }
}

/// The capabilities a session has in `state` (decisions in README "Decisions").
pub fn capabilities_for(state: &ImSessionState) -> Vec<Capability> {
    match state {
        ImSessionState::Initiating => vec![Capability::Complete],
        ImSessionState::Alerting => vec![Capability::SendMessage, Capability::Complete],
        ImSessionState::Talking => ALL_CAPABILITIES.to_vec(),
        ImSessionState::Completed | ImSessionState::Unknown(_) => Vec::new(),
    }
}

/// The capability an `operationName` needs; `None` for a name this resource does not know.
pub fn capability_for_operation(name: &str) -> Option<Capability> {
    match name {
        "SendMessage" => Some(Capability::SendMessage),
        "AttachUserData" => Some(Capability::AttachUserData),
        "UpdateUserData" => Some(Capability::UpdateUserData),
        "DeleteUserData" => Some(Capability::DeleteUserData),
        "Complete" => Some(Capability::Complete),
        _ => None,
    }
}

/// The agent this simulator plays, and their device.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Agent {
    pub id: String,
    pub user_name: String,
    pub first_name: String,
    pub last_name: String,
    pub number: String,
}

impl Default for Agent {
    fn default() -> Self {
        Self {
            id: "2e8d0c1a-6f5b-4e3d-9a7c-5b4a3f2e1d0c".into(),
            user_name: "alex.morgan".into(),
            first_name: "Alex".into(),
            last_name: "Morgan".into(),
            number: AGENT_NUMBER.into(),
        }
    }
}

impl Agent {
    /// The agent's device as `GET /api/v2/me/devices` lists it.
    pub fn device(&self) -> Device {
        Device {
            id: DEVICE_ID.into(),
            device_state: Some("Active".into()),
            user_state: Some(json!({
                "id": "7D3F0A2C-4B1E-4C8A-9F6D-1E2B3C4D5E6F",
                "displayName": "Ready",
                "state": "Ready",
            })),
            phone_number: Some(self.number.clone()),
            e164_number: Some(self.number.clone()),
            telephony_network: Some("Private".into()),
            do_not_disturb: Some("Off".into()),
            voice_environment_uri: Some(format!(
                "{INTERNAL_HOST}/api/v2/voice-environments/3c1e2a4b-7d5f-4e6a-8b9c-0d1e2f3a4b5c"
            )),
            capabilities: vec!["ForwardCallsOn".into(), "DoNotDisturbOn".into()],
        }
    }
}

/// A tiny deterministic PRNG (xorshift64*): ids, fault rolls and colleague choices.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        // Zero is xorshift's fixed point; mix the seed so nearby seeds diverge quickly.
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            // The high bits: xorshift's low bits are the weakest.
            (((self.next_u64() >> 32) * (n as u64 & 0xFFFF_FFFF)) >> 32) as usize
        }
    }

    /// `len` characters of `[0-9A-Z]`, the alphabet of SIP Server call UUIDs.
    pub fn base36(&mut self, len: usize) -> String {
        const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        (0..len)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len())]))
            .collect()
    }
}

/// The notifications an accepted change causes, in publishing order.
pub type Notifications = Vec<ImNotification>;

#[cfg(test)]
mod tests;
