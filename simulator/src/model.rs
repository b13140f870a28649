//! The simulated GWS world: one agent, their device, their IM sessions and each session's
//! server-side transcript. Pure: every operation takes the time as an argument and returns the
//! notifications it causes, in order; publishing them is the caller's job.

use gws_protocol::{
    Capability, Destination, Device, ImNotification, ImSession, ImSessionOperation, ImSessionState,
    InitiateImSession, LogUpdateKind, Participant, StateChangeKind, StatusCode, UserData,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

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

/// Everything GWS knows about this agent's IM sessions.
#[derive(Debug, Clone)]
pub struct World {
    pub agent: Agent,
    sessions: Vec<SessionRecord>,
    rng: XorShift,
    /// The tail every id of this process shares, as the docs' two ids share `L807GK2LAES`.
    id_tail: String,
    next_sequence: u64,
    /// The docs' quirk: a Completed session keeps its capabilities in what the server shows.
    pub keep_capabilities_on_complete: bool,
}

impl World {
    pub fn new(seed: u64) -> Self {
        let mut rng = XorShift::new(seed);
        let id_tail = rng.base36(11);
        Self {
            agent: Agent::default(),
            sessions: Vec::new(),
            rng,
            id_tail,
            next_sequence: 1,
            keep_capabilities_on_complete: true,
        }
    }

    /// Forgets every session; ids keep counting so a client never sees an id twice.
    pub fn clear(&mut self) {
        self.sessions.clear();
    }

    pub fn sessions(&self) -> &[SessionRecord] {
        &self.sessions
    }

    pub fn session(&self, id: &str) -> Option<&SessionRecord> {
        self.sessions.iter().find(|s| s.id == id)
    }

    fn session_mut(&mut self, id: &str) -> Result<&mut SessionRecord, OpError> {
        self.sessions
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| OpError::not_found(id))
    }

    /// The agent's session that blocks a new InitiateIMSession, if any.
    pub fn active_session(&self) -> Option<&SessionRecord> {
        self.sessions.iter().find(|s| s.is_active())
    }

    fn new_id(&mut self) -> String {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        format!(
            "00{}{}{:06}",
            self.rng.base36(13),
            self.id_tail,
            sequence % 1_000_000
        )
    }

    /// Picks a random index below `n` from the world's PRNG (for colleague choices).
    pub fn pick(&mut self, n: usize) -> usize {
        self.rng.below(n)
    }

    fn create(
        &mut self,
        other_party: &str,
        state: ImSessionState,
        origin: Origin,
        user_data: UserData,
        scripted: bool,
        now: u64,
    ) -> (String, Notifications) {
        let id = self.new_id();
        let record = SessionRecord {
            id: id.clone(),
            capabilities: capabilities_for(&state),
            state,
            other_party: other_party.trim().to_owned(),
            user_data,
            transcript: Vec::new(),
            origin,
            scripted,
            created_at: now,
        };
        let notification = status_change(&record);
        self.sessions.push(record);
        (id, vec![notification])
    }

    fn change_state(&mut self, id: &str, state: ImSessionState) -> Result<Notifications, OpError> {
        let keep = self.keep_capabilities_on_complete;
        let session = self.session_mut(id)?;
        let completing = state == ImSessionState::Completed;
        if !(completing && keep) {
            session.capabilities = capabilities_for(&state);
        }
        session.state = state;
        Ok(vec![status_change(session)])
    }

    // ---- the agent's side (REST operations) ----

    /// `InitiateIMSession`: a new Initiating session to `destination`.
    pub fn initiate(
        &mut self,
        request: &InitiateImSession,
        scripted: bool,
        now: u64,
    ) -> Result<(String, Notifications), OpError> {
        let destination = request.destination.phone_number.trim();
        if destination.is_empty() {
            return Err(OpError::invalid("destination", "phoneNumber is empty"));
        }
        if destination == self.agent.number {
            return Err(OpError::invalid(
                "destination",
                "an agent cannot start an IM session with itself",
            ));
        }
        if let Some(path) = &request.device_path {
            if path.trim() != device_path() {
                return Err(OpError::invalid(
                    "devicePath",
                    format!("{path} is not this agent's device"),
                ));
            }
        }
        if let Some(active) = self.active_session() {
            return Err(OpError::invalid_state(format!(
                "the agent already takes part in IM session {} ({})",
                active.id, active.state
            )));
        }
        let user_data = request.user_data.clone().unwrap_or_default();
        Ok(self.create(
            destination,
            ImSessionState::Initiating,
            Origin::Outgoing,
            user_data,
            scripted,
            now,
        ))
    }

    /// Applies one of the agent's operations to session `id`.
    pub fn apply(
        &mut self,
        id: &str,
        operation: &ImSessionOperation,
        now: u64,
    ) -> Result<Notifications, OpError> {
        let capability = capability_for_operation(operation.name())
            .ok_or_else(|| OpError::invalid("operationName", operation.name()))?;
        self.check_allowed(id, &capability, operation.name())?;
        match operation {
            ImSessionOperation::SendMessage {
                text,
                destination,
                device_path: path,
            } => self.send_message(id, text, destination, path, now),
            ImSessionOperation::AttachUserData { user_data }
            | ImSessionOperation::UpdateUserData { user_data } => {
                self.merge_user_data(id, user_data)
            }
            ImSessionOperation::DeleteUserData { key } => {
                let session = self.session_mut(id)?;
                if session.user_data.remove(key).is_none() {
                    return Err(OpError::invalid(
                        "key",
                        format!("no user data with key {key:?}"),
                    ));
                }
                Ok(vec![attached_data_changed(session)])
            }
            ImSessionOperation::Complete => self.change_state(id, ImSessionState::Completed),
        }
    }

    /// Fails unless session `id` exists and currently allows `capability`.
    pub fn check_allowed(
        &self,
        id: &str,
        capability: &Capability,
        operation: &str,
    ) -> Result<(), OpError> {
        let session = self.session(id).ok_or_else(|| OpError::not_found(id))?;
        if session.allows(capability) {
            Ok(())
        } else {
            Err(OpError::invalid_state(format!(
                "{operation} is not allowed while the IM session is {}",
                session.state
            )))
        }
    }

    fn send_message(
        &mut self,
        id: &str,
        text: &str,
        destination: &Destination,
        path: &str,
        now: u64,
    ) -> Result<Notifications, OpError> {
        if text.trim().is_empty() {
            return Err(OpError::invalid("text", "the message is empty"));
        }
        let session = self.session_mut(id)?;
        if destination.phone_number.trim() != session.other_party {
            return Err(OpError::invalid(
                "destination",
                format!(
                    "{} is not a participant of this IM session",
                    destination.phone_number
                ),
            ));
        }
        if path.trim() != device_path() {
            return Err(OpError::invalid(
                "devicePath",
                format!("{path} is not this agent's device"),
            ));
        }
        let mut notifications = Vec::new();
        if session.state == ImSessionState::Alerting {
            // There is no answer operation: the agent's first message answers a ringing session.
            notifications.extend(self.change_state(id, ImSessionState::Talking)?);
        }
        let session = self.session_mut(id)?;
        session.record(Direction::Out, text, now);
        notifications.push(new_message(id, text));
        Ok(notifications)
    }

    fn merge_user_data(
        &mut self,
        id: &str,
        user_data: &UserData,
    ) -> Result<Notifications, OpError> {
        if user_data.is_empty() {
            return Err(OpError::invalid("userData", "no key/value pairs"));
        }
        let session = self.session_mut(id)?;
        for (key, value) in user_data.iter() {
            session.user_data.insert(key, value.clone());
        }
        Ok(vec![attached_data_changed(session)])
    }

    // ---- the other party's side (scripted colleagues, `/_sim`, scenarios, load) ----

    /// Another agent rings this one: a new Alerting session.
    pub fn ring(
        &mut self,
        from: &str,
        user_data: UserData,
        scripted: bool,
        now: u64,
    ) -> Result<(String, Notifications), OpError> {
        let from = from.trim();
        if from.is_empty() {
            return Err(OpError::missing("from"));
        }
        if from == self.agent.number {
            return Err(OpError::invalid("from", "the agent cannot ring itself"));
        }
        Ok(self.create(
            from,
            ImSessionState::Alerting,
            Origin::Incoming,
            user_data,
            scripted,
            now,
        ))
    }

    /// An outgoing session created by a script (not subject to the one-active-IM rule).
    pub fn initiate_scripted(
        &mut self,
        to: &str,
        user_data: UserData,
        scripted: bool,
        now: u64,
    ) -> Result<(String, Notifications), OpError> {
        let to = to.trim();
        if to.is_empty() {
            return Err(OpError::missing("to"));
        }
        Ok(self.create(
            to,
            ImSessionState::Initiating,
            Origin::Outgoing,
            user_data,
            scripted,
            now,
        ))
    }

    /// The other party answers an Initiating session.
    pub fn answer(&mut self, id: &str) -> Result<Notifications, OpError> {
        let session = self.session_mut(id)?;
        if session.state != ImSessionState::Initiating {
            return Err(OpError::invalid_state(format!(
                "only an Initiating session can be answered, this one is {}",
                session.state
            )));
        }
        self.change_state(id, ImSessionState::Talking)
    }

    /// The other party writes a message (allowed while Alerting: an opening line rings with it).
    pub fn other_message(
        &mut self,
        id: &str,
        text: &str,
        now: u64,
    ) -> Result<Notifications, OpError> {
        if text.trim().is_empty() {
            return Err(OpError::invalid("text", "the message is empty"));
        }
        let session = self.session_mut(id)?;
        if !matches!(
            session.state,
            ImSessionState::Alerting | ImSessionState::Talking
        ) {
            return Err(OpError::invalid_state(format!(
                "the other party cannot write while the IM session is {}",
                session.state
            )));
        }
        session.record(Direction::In, text, now);
        Ok(vec![new_message(id, text)])
    }

    /// The agent writes from another client (a scenario step): same effect as SendMessage.
    pub fn agent_message(
        &mut self,
        id: &str,
        text: &str,
        now: u64,
    ) -> Result<Notifications, OpError> {
        let other_party = self
            .session(id)
            .ok_or_else(|| OpError::not_found(id))?
            .other_party
            .clone();
        let operation = ImSessionOperation::SendMessage {
            text: text.to_owned(),
            destination: Destination::new(other_party),
            device_path: device_path(),
        };
        self.apply(id, &operation, now)
    }

    /// The other side attaches user data.
    pub fn other_attach(
        &mut self,
        id: &str,
        user_data: &UserData,
    ) -> Result<Notifications, OpError> {
        let session = self.session(id).ok_or_else(|| OpError::not_found(id))?;
        if session.state == ImSessionState::Completed {
            return Err(OpError::invalid_state("the IM session is Completed"));
        }
        self.merge_user_data(id, user_data)
    }

    /// Sets the capabilities verbatim, in any state (for testing clients).
    pub fn set_capabilities(
        &mut self,
        id: &str,
        capabilities: Vec<Capability>,
    ) -> Result<Notifications, OpError> {
        let session = self.session_mut(id)?;
        session.capabilities = capabilities;
        Ok(vec![status_change(session)])
    }

    /// Either side ends the session.
    pub fn complete(&mut self, id: &str) -> Result<Notifications, OpError> {
        let session = self.session_mut(id)?;
        if session.state == ImSessionState::Completed {
            return Err(OpError::invalid_state(
                "the IM session is already Completed",
            ));
        }
        self.change_state(id, ImSessionState::Completed)
    }

    /// A finished session with a short transcript, for load runs' history (publishes nothing).
    pub fn add_history(
        &mut self,
        other_party: &str,
        lines: &[(Direction, String)],
        now: u64,
    ) -> String {
        let (id, _) = self.create(
            other_party,
            ImSessionState::Talking,
            Origin::Incoming,
            UserData::new(),
            false,
            now,
        );
        let keep = self.keep_capabilities_on_complete;
        if let Ok(session) = self.session_mut(&id) {
            for (direction, text) in lines {
                session.record(*direction, text, now);
            }
            session.state = ImSessionState::Completed;
            if !keep {
                session.capabilities.clear();
            }
        }
        id
    }
}

fn status_change(session: &SessionRecord) -> ImNotification {
    ImNotification::StateChange {
        kind: StateChangeKind::StatusChange,
        session: session.to_gws(),
    }
}

fn attached_data_changed(session: &SessionRecord) -> ImNotification {
    ImNotification::StateChange {
        kind: StateChangeKind::AttachedDataChanged,
        session: session.to_gws(),
    }
}

fn new_message(id: &str, text: &str) -> ImNotification {
    ImNotification::LogUpdate {
        kind: LogUpdateKind::NewMessage,
        im_session_path: session_path(id),
        message: text.to_owned(),
    }
}

// ---- request bodies: separate "missing" (1) from "wrong" (2) the way GWS reports them ----

/// The `operationName` of a request body.
pub fn operation_name(body: &Map<String, Value>) -> Result<&str, OpError> {
    match body.get("operationName") {
        None | Some(Value::Null) => Err(OpError::missing("operationName")),
        Some(Value::String(name)) => Ok(name.as_str()),
        Some(other) => Err(OpError::invalid(
            "operationName",
            format!("{other} is not a string"),
        )),
    }
}

fn required_string(body: &Map<String, Value>, key: &str) -> Result<String, OpError> {
    match body.get(key) {
        None | Some(Value::Null) => Err(OpError::missing(key)),
        Some(Value::String(value)) => Ok(value.clone()),
        Some(other) => Err(OpError::invalid(key, format!("{other} is not a string"))),
    }
}

fn optional_string(body: &Map<String, Value>, key: &str) -> Result<Option<String>, OpError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => required_string(body, key).map(Some),
    }
}

fn required_destination(body: &Map<String, Value>) -> Result<Destination, OpError> {
    match body.get("destination") {
        None | Some(Value::Null) => Err(OpError::missing("destination")),
        Some(Value::Object(destination)) => match destination.get("phoneNumber") {
            None | Some(Value::Null) => Err(OpError::missing("destination.phoneNumber")),
            Some(Value::String(number)) => Ok(Destination::new(number.clone())),
            Some(other) => Err(OpError::invalid(
                "destination.phoneNumber",
                format!("{other} is not a string"),
            )),
        },
        Some(other) => Err(OpError::invalid(
            "destination",
            format!("{other} is not an object"),
        )),
    }
}

fn user_data_value(value: &Value, key: &str) -> Result<UserData, OpError> {
    match value {
        Value::Object(entries) => Ok(entries
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()),
        other => Err(OpError::invalid(key, format!("{other} is not an object"))),
    }
}

fn required_user_data(body: &Map<String, Value>) -> Result<UserData, OpError> {
    match body.get("userData") {
        None | Some(Value::Null) => Err(OpError::missing("userData")),
        Some(value) => user_data_value(value, "userData"),
    }
}

/// Reads the parameters of session operation `name` (already known to be one of the five).
pub fn parse_session_operation(
    name: &str,
    body: &Map<String, Value>,
) -> Result<ImSessionOperation, OpError> {
    Ok(match name {
        "SendMessage" => ImSessionOperation::SendMessage {
            text: required_string(body, "text")?,
            destination: required_destination(body)?,
            device_path: required_string(body, "devicePath")?,
        },
        "AttachUserData" => ImSessionOperation::AttachUserData {
            user_data: required_user_data(body)?,
        },
        "UpdateUserData" => ImSessionOperation::UpdateUserData {
            user_data: required_user_data(body)?,
        },
        "DeleteUserData" => ImSessionOperation::DeleteUserData {
            key: required_string(body, "key")?,
        },
        "Complete" => ImSessionOperation::Complete,
        other => {
            return Err(OpError::invalid(
                "operationName",
                format!("{other} is not an IM session operation"),
            ))
        }
    })
}

/// Reads an InitiateIMSession body.
pub fn parse_initiate(body: &Map<String, Value>) -> Result<InitiateImSession, OpError> {
    let name = operation_name(body)?;
    if name != "InitiateIMSession" {
        return Err(OpError::invalid(
            "operationName",
            format!("{name} is not an operation of im-sessions"),
        ));
    }
    let destination = required_destination(body)?;
    let user_data = match body.get("userData") {
        None | Some(Value::Null) => None,
        Some(value) => Some(user_data_value(value, "userData")?),
    };
    let device_path = optional_string(body, "devicePath")?;
    Ok(InitiateImSession {
        destination,
        user_data,
        device_path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        World::new(7)
    }

    fn body(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn send(text: &str, to: &str) -> ImSessionOperation {
        ImSessionOperation::SendMessage {
            text: text.into(),
            destination: Destination::new(to),
            device_path: device_path(),
        }
    }

    fn user_data(pairs: &[(&str, &str)]) -> UserData {
        pairs
            .iter()
            .map(|(k, v)| (*k, Value::String((*v).into())))
            .collect()
    }

    fn state_of(world: &World, id: &str) -> ImSessionState {
        world
            .session(id)
            .map(|s| s.state.clone())
            .unwrap_or_default()
    }

    fn kinds(notifications: &Notifications) -> Vec<String> {
        notifications
            .iter()
            .map(|n| match n {
                ImNotification::StateChange { kind, session } => {
                    format!("{kind}:{}", session.state)
                }
                ImNotification::LogUpdate { message, .. } => format!("NewMessage:{message}"),
                ImNotification::Unknown { message_type } => message_type.clone(),
            })
            .collect()
    }

    #[test]
    fn ids_look_like_sip_call_uuids_and_never_repeat() {
        let mut world = world();
        let (a, _) = world.ring("3002", UserData::new(), false, 0).unwrap();
        world.clear();
        let (b, _) = world.ring("3002", UserData::new(), false, 0).unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.starts_with("00") && a.ends_with("000001"), "{a}");
        assert!(b.ends_with("000002"), "{b}");
        assert!(a
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn capabilities_per_state_are_the_decided_ones() {
        assert_eq!(
            capabilities_for(&ImSessionState::Initiating),
            vec![Capability::Complete]
        );
        assert_eq!(
            capabilities_for(&ImSessionState::Alerting),
            vec![Capability::SendMessage, Capability::Complete]
        );
        assert_eq!(
            capabilities_for(&ImSessionState::Talking),
            ALL_CAPABILITIES.to_vec()
        );
        assert!(capabilities_for(&ImSessionState::Completed).is_empty());
    }

    #[test]
    fn ring_then_first_send_message_answers_then_echoes() {
        let mut world = world();
        let (id, notes) = world
            .ring("3003", user_data(&[("caseId", "7")]), false, 1)
            .unwrap();
        assert_eq!(kinds(&notes), ["StatusChange:Alerting"]);
        let notes = world.apply(&id, &send("hello", "3003"), 2).unwrap();
        assert_eq!(kinds(&notes), ["StatusChange:Talking", "NewMessage:hello"]);
        let session = world.session(&id).unwrap();
        assert_eq!(session.capabilities, ALL_CAPABILITIES.to_vec());
        assert_eq!(
            session.transcript,
            vec![TranscriptLine {
                direction: Direction::Out,
                text: "hello".into(),
                at: 2
            }]
        );
    }

    #[test]
    fn complete_declines_a_ringing_session() {
        let mut world = world();
        let (id, _) = world.ring("3003", UserData::new(), false, 1).unwrap();
        let notes = world.apply(&id, &ImSessionOperation::Complete, 2).unwrap();
        assert_eq!(kinds(&notes), ["StatusChange:Completed"]);
    }

    #[test]
    fn completed_keeps_capabilities_only_with_the_quirk() {
        for keep in [true, false] {
            let mut world = world();
            world.keep_capabilities_on_complete = keep;
            let (id, _) = world.ring("3003", UserData::new(), false, 1).unwrap();
            world.apply(&id, &send("hi", "3003"), 2).unwrap();
            world.apply(&id, &ImSessionOperation::Complete, 3).unwrap();
            let session = world.session(&id).unwrap();
            assert_eq!(session.capabilities.is_empty(), !keep);
            // Whatever it shows, a Completed session refuses every operation.
            for operation in [send("x", "3003"), ImSessionOperation::Complete] {
                let err = world.apply(&id, &operation, 4).unwrap_err();
                assert_eq!(err.code, StatusCode::InvalidState);
            }
        }
    }

    #[test]
    fn operations_table_by_state() {
        // (state reached, operation, accepted?)
        let attach = ImSessionOperation::AttachUserData {
            user_data: user_data(&[("a", "1")]),
        };
        let update = ImSessionOperation::UpdateUserData {
            user_data: user_data(&[("a", "2")]),
        };
        let delete = ImSessionOperation::DeleteUserData { key: "a".into() };
        let operations = [
            send("m", "3004"),
            attach,
            update,
            delete,
            ImSessionOperation::Complete,
        ];
        let expected: [(&str, [bool; 5]); 4] = [
            ("Initiating", [false, false, false, false, true]),
            ("Alerting", [true, false, false, false, true]),
            ("Talking", [true, true, true, true, true]),
            ("Completed", [false, false, false, false, false]),
        ];
        for (state, accepted) in expected {
            for (operation, accept) in operations.iter().zip(accepted) {
                let mut world = world();
                let id = match state {
                    "Initiating" => {
                        world
                            .initiate_scripted("3004", UserData::new(), false, 0)
                            .unwrap()
                            .0
                    }
                    _ => world.ring("3004", UserData::new(), false, 0).unwrap().0,
                };
                match state {
                    "Talking" => {
                        world.agent_message(&id, "answer", 0).unwrap();
                        world.other_attach(&id, &user_data(&[("a", "0")])).unwrap();
                    }
                    "Completed" => {
                        world.complete(&id).unwrap();
                    }
                    _ => {}
                }
                assert_eq!(state_of(&world, &id).as_wire(), state);
                let result = world.apply(&id, operation, 1);
                assert_eq!(
                    result.is_ok(),
                    accept,
                    "{} in {state}: {result:?}",
                    operation.name()
                );
                if let Err(err) = result {
                    assert_eq!(err.code, StatusCode::InvalidState);
                }
            }
        }
    }

    #[test]
    fn one_active_im_per_agent_for_initiate() {
        let mut world = world();
        let request = InitiateImSession {
            destination: Destination::new("3002"),
            user_data: None,
            device_path: None,
        };
        let (id, notes) = world.initiate(&request, false, 0).unwrap();
        assert_eq!(kinds(&notes), ["StatusChange:Initiating"]);
        let err = world.initiate(&request, false, 0).unwrap_err();
        assert_eq!(err.code, StatusCode::InvalidState);
        assert!(err.message.starts_with("Invalid state"), "{}", err.message);
        // Incoming sessions still ring.
        assert!(world.ring("3003", UserData::new(), false, 0).is_ok());
        world.complete(&id).unwrap();
        // A ringing session is active too.
        assert_eq!(
            world.initiate(&request, false, 0).unwrap_err().code,
            StatusCode::InvalidState
        );
    }

    #[test]
    fn initiate_checks_destination_and_device() {
        let mut world = world();
        let to = |n: &str, path: Option<&str>| InitiateImSession {
            destination: Destination::new(n),
            user_data: None,
            device_path: path.map(str::to_owned),
        };
        assert_eq!(
            world.initiate(&to(" ", None), false, 0).unwrap_err().code,
            StatusCode::InvalidState
        );
        assert_eq!(
            world
                .initiate(&to(AGENT_NUMBER, None), false, 0)
                .unwrap_err()
                .code,
            StatusCode::InvalidState
        );
        let short = "/devices/8191741c-bcb7-4e86-9493-98dc993446f";
        assert_eq!(
            world
                .initiate(&to("3002", Some(short)), false, 0)
                .unwrap_err()
                .code,
            StatusCode::InvalidState
        );
        assert!(world
            .initiate(&to("3002", Some(&device_path())), false, 0)
            .is_ok());
    }

    #[test]
    fn send_message_checks_text_destination_and_device() {
        let mut world = world();
        let (id, _) = world.ring("3003", UserData::new(), false, 0).unwrap();
        let wrong_destination = send("x", "3999");
        assert_eq!(
            world.apply(&id, &wrong_destination, 0).unwrap_err().code,
            StatusCode::InvalidState
        );
        let wrong_device = ImSessionOperation::SendMessage {
            text: "x".into(),
            destination: Destination::new("3003"),
            device_path: "/devices/nope".into(),
        };
        assert_eq!(
            world.apply(&id, &wrong_device, 0).unwrap_err().code,
            StatusCode::InvalidState
        );
        assert_eq!(
            world.apply(&id, &send("  ", "3003"), 0).unwrap_err().code,
            StatusCode::InvalidState
        );
        // Nothing changed: still ringing, nothing written.
        let session = world.session(&id).unwrap();
        assert_eq!(session.state, ImSessionState::Alerting);
        assert!(session.transcript.is_empty());
        assert_eq!(
            world.apply("nope", &send("x", "3003"), 0).unwrap_err().code,
            StatusCode::NotFound
        );
    }

    #[test]
    fn user_data_attach_update_delete() {
        let mut world = world();
        let (id, _) = world.ring("3002", UserData::new(), false, 0).unwrap();
        world.agent_message(&id, "hi", 0).unwrap();
        let attach = ImSessionOperation::AttachUserData {
            user_data: user_data(&[("bestNumber", "3"), ("User Data 1", "important data")]),
        };
        let notes = world.apply(&id, &attach, 0).unwrap();
        assert_eq!(kinds(&notes), ["AttachedDataChanged:Talking"]);
        let update = ImSessionOperation::UpdateUserData {
            user_data: user_data(&[("bestNumber", "5")]),
        };
        world.apply(&id, &update, 0).unwrap();
        assert_eq!(
            world.session(&id).unwrap().user_data.get("bestNumber"),
            Some(&json!("5"))
        );
        let delete = ImSessionOperation::DeleteUserData {
            key: "bestNumber".into(),
        };
        world.apply(&id, &delete, 0).unwrap();
        let data = &world.session(&id).unwrap().user_data;
        assert_eq!(data.len(), 1);
        assert_eq!(data.get("User Data 1"), Some(&json!("important data")));
        assert_eq!(
            world.apply(&id, &delete, 0).unwrap_err().code,
            StatusCode::InvalidState
        );
        let empty = ImSessionOperation::AttachUserData {
            user_data: UserData::new(),
        };
        assert_eq!(
            world.apply(&id, &empty, 0).unwrap_err().code,
            StatusCode::InvalidState
        );
    }

    #[test]
    fn other_party_actions() {
        let mut world = world();
        let (id, _) = world
            .initiate_scripted("3002", UserData::new(), true, 0)
            .unwrap();
        assert_eq!(
            world.other_message(&id, "too early", 0).unwrap_err().code,
            StatusCode::InvalidState
        );
        assert_eq!(kinds(&world.answer(&id).unwrap()), ["StatusChange:Talking"]);
        assert_eq!(
            world.answer(&id).unwrap_err().code,
            StatusCode::InvalidState
        );
        assert_eq!(
            kinds(&world.other_message(&id, "hey", 5).unwrap()),
            ["NewMessage:hey"]
        );
        assert_eq!(
            world.session(&id).unwrap().transcript[0].direction,
            Direction::In
        );
        let notes = world
            .set_capabilities(&id, vec![Capability::Complete])
            .unwrap();
        assert_eq!(kinds(&notes), ["StatusChange:Talking"]);
        assert_eq!(
            world.apply(&id, &send("x", "3002"), 0).unwrap_err().code,
            StatusCode::InvalidState
        );
        assert_eq!(
            kinds(&world.complete(&id).unwrap()),
            ["StatusChange:Completed"]
        );
        assert_eq!(
            world.complete(&id).unwrap_err().code,
            StatusCode::InvalidState
        );
        assert_eq!(
            world
                .other_attach(&id, &user_data(&[("a", "b")]))
                .unwrap_err()
                .code,
            StatusCode::InvalidState
        );
        assert_eq!(
            world.ring(" ", UserData::new(), false, 0).unwrap_err().code,
            StatusCode::MissingParameter
        );
    }

    #[test]
    fn history_sessions_are_completed_with_transcripts() {
        let mut world = world();
        let id = world.add_history(
            "4001",
            &[(Direction::In, "a".into()), (Direction::Out, "b".into())],
            9,
        );
        let session = world.session(&id).unwrap();
        assert_eq!(session.state, ImSessionState::Completed);
        assert_eq!(session.transcript.len(), 2);
        assert!(world.active_session().is_none());
    }

    #[test]
    fn transcript_is_bounded() {
        let mut world = world();
        let (id, _) = world.ring("3002", UserData::new(), false, 0).unwrap();
        for n in 0..TRANSCRIPT_LIMIT + 3 {
            world.other_message(&id, &format!("m{n}"), 0).unwrap();
        }
        let transcript = &world.session(&id).unwrap().transcript;
        assert_eq!(transcript.len(), TRANSCRIPT_LIMIT);
        assert_eq!(transcript[0].text, "m3");
    }

    #[test]
    fn parsing_separates_missing_from_invalid() {
        let cases: Vec<(Value, StatusCode)> = vec![
            (json!({}), StatusCode::MissingParameter),
            (json!({"operationName": 3}), StatusCode::InvalidState),
            (
                json!({"operationName": "SendMessage"}),
                StatusCode::MissingParameter,
            ),
            (
                json!({"operationName": "SendMessage", "text": 1}),
                StatusCode::InvalidState,
            ),
            (
                json!({"operationName": "SendMessage", "text": "a"}),
                StatusCode::MissingParameter,
            ),
            (
                json!({"operationName": "SendMessage", "text": "a", "destination": "3002"}),
                StatusCode::InvalidState,
            ),
            (
                json!({"operationName": "SendMessage", "text": "a", "destination": {}}),
                StatusCode::MissingParameter,
            ),
            (
                json!({"operationName": "SendMessage", "text": "a", "destination": {"phoneNumber": "3"}}),
                StatusCode::MissingParameter,
            ),
            (
                json!({"operationName": "AttachUserData"}),
                StatusCode::MissingParameter,
            ),
            (
                json!({"operationName": "AttachUserData", "userData": [1]}),
                StatusCode::InvalidState,
            ),
            (
                json!({"operationName": "DeleteUserData"}),
                StatusCode::MissingParameter,
            ),
            (
                json!({"operationName": "DeleteUserData", "key": false}),
                StatusCode::InvalidState,
            ),
        ];
        for (value, code) in cases {
            let map = body(value.clone());
            let result = operation_name(&map).and_then(|name| parse_session_operation(name, &map));
            assert_eq!(result.map_err(|e| e.code), Err(code), "{value}");
        }
        let ok = body(json!({
            "operationName": "SendMessage",
            "text": "Hello! This is my first message.",
            "destination": {"phoneNumber": "16001"},
            "devicePath": "/devices/x"
        }));
        assert_eq!(
            parse_session_operation("SendMessage", &ok).unwrap(),
            ImSessionOperation::SendMessage {
                text: "Hello! This is my first message.".into(),
                destination: Destination::new("16001"),
                device_path: "/devices/x".into(),
            }
        );
        assert!(matches!(
            parse_session_operation("Complete", &body(json!({}))),
            Ok(ImSessionOperation::Complete)
        ));
    }

    #[test]
    fn parsing_initiate() {
        let ok = parse_initiate(&body(json!({
            "operationName": "InitiateIMSession",
            "destination": {"phoneNumber": "16001"},
            "userData": {"favColor": "blue"}
        })))
        .unwrap();
        assert_eq!(ok.destination.phone_number, "16001");
        assert_eq!(ok.user_data.unwrap().get("favColor"), Some(&json!("blue")));
        let code = |v: Value| parse_initiate(&body(v)).unwrap_err().code;
        assert_eq!(
            code(json!({"destination": {"phoneNumber": "1"}})),
            StatusCode::MissingParameter
        );
        assert_eq!(
            code(json!({"operationName": "SendMessage"})),
            StatusCode::InvalidState
        );
        assert_eq!(
            code(json!({"operationName": "InitiateIMSession"})),
            StatusCode::MissingParameter
        );
        assert_eq!(
            code(
                json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "1"}, "userData": "x"})
            ),
            StatusCode::InvalidState
        );
        assert_eq!(
            code(
                json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "1"}, "devicePath": 5})
            ),
            StatusCode::InvalidState
        );
    }

    #[test]
    fn xorshift_is_deterministic_and_in_range() {
        let mut a = XorShift::new(1);
        let mut b = XorShift::new(1);
        for _ in 0..1000 {
            let x = a.next_f64();
            assert!((0.0..1.0).contains(&x));
            assert_eq!(x, b.next_f64());
        }
        assert_eq!(XorShift::new(0).below(0), 0);
        assert_ne!(XorShift::new(1).next_u64(), XorShift::new(2).next_u64());
    }
}
