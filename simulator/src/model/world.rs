//! The world: the agent's sessions and what each operation does to them, with the notifications
//! it causes.

use gws_protocol::{
    Capability, Destination, ImNotification, ImSessionOperation, ImSessionState, InitiateImSession,
    LogUpdateKind, StateChangeKind, UserData,
};

use super::*;

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
