//! Wire types for the Genesys Web Services (GWS) API v2 IM-session resource.
//!
//! Everything the widget and the simulator know about the wire lives here, pinned by the
//! vendor documentation's own JSON samples (see `tests/fixtures/`). Decoding is tolerant the
//! way a long-lived client must be: unknown enum values decode to `Unknown(String)`, enum
//! strings are trimmed (the docs print `" Talking"`), unknown fields are ignored, missing or
//! `null` optional fields take their default, and one malformed session in a list does not
//! sink the others.

pub mod bayeux;
pub mod device;
pub mod envelope;
mod lenient;
pub mod me;
pub mod notification;
pub mod operation;
pub mod session;

pub use bayeux::{Advice, BayeuxMessage, Reconnect};
pub use device::{Device, DeviceList};
pub use envelope::{ImSessionList, ImSessionReply, StatusCode, StatusReply};
pub use me::{User, UserReply};
pub use notification::{ImNotification, LogUpdateKind, StateChangeKind};
pub use operation::{Destination, ImSessionOperation, InitiateImSession};
pub use session::{
    session_id_from_path, Capability, ImSession, ImSessionState, Participant, UserData,
};

/// The CometD topic that carries every IM-session notification.
pub const IM_SESSIONS_TOPIC: &str = "/v2/me/im-sessions";

/// Why a payload could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unreadable server data: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

impl From<serde_json::Error> for DecodeError {
    fn from(err: serde_json::Error) -> Self {
        DecodeError(err.to_string())
    }
}
