//! The widget's model and the pure reducer every change goes through. No web-sys here.
//!
//! `reduce(&mut Model, Event) -> Vec<Command>`: events come from REST replies, CometD notifications,
//! the agent and storage; commands are the requests the runtime must make, whose outcomes come back
//! as events.

mod action;
mod error;
mod model;
mod notice;
mod reduce;
mod session;
mod stored;
#[cfg(test)]
mod tests;

/// Milliseconds since the Unix epoch, as this client's clock says (`Date.now()`).
pub type Millis = f64;

pub use action::Action;
pub use error::RequestError;
pub use model::{Changed, Connection, ListLoad, Model, NewImStatus, Touched, Was, DISMISSED_KEPT};
pub use notice::{Notice, Problem};
pub use reduce::{load_retry_delay_ms, reduce};
pub use session::{Delivery, Line, LineKind, SessionView};
pub use stored::{
    agent_prefix, expired_entries, expired_sessions, is_expired, key_owner, keys_to_remove,
    sessions_to_prune, KeyOwner, StoredIndexEntry, StoredSession, KEY_PREFIX, STORED_SESSION_LIMIT,
    STORED_TRANSCRIPT_LIMIT,
};

use gws_protocol::{ImNotification, ImSession, ImSessionOperation, InitiateImSession, UserData};
use serde_json::Value;

/// What the live channel tells: the CometD client's events, the same whether this tab's own client
/// or the leading tab's (relayed on the tab channel) produced them. The reducer wraps it once
/// (`Event::Live`).
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    Notification {
        notification: ImNotification,
        at: Millis,
    },
    /// A live CometD session. `fresh` when it is a new one (handshake) after an earlier one was lost:
    /// what the server published meanwhile may be missing.
    Up { at: Millis, fresh: bool },
    /// A `/meta/connect` that left at `started` or later was answered, after the data it carried:
    /// everything the server published before `started` on this CometD session has arrived.
    Round { started: Millis },
    /// The long-poll failed; retrying with the same client id (nothing lost yet).
    Interrupted { at: Millis },
    /// The server has not been reachable for a while.
    Offline { at: Millis },
    /// The CometD endpoint answered HTTP 401: the agent's GWS session has expired.
    SignedOut,
}

/// Something that happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    // --- REST replies -------------------------------------------------------------------
    /// `GET /me/im-sessions?fields=*` answered (at start, and after a lost CometD session); `at` is
    /// when the request left: the list is the server's as of then, not of the reply's arrival.
    SessionsLoaded {
        sessions: Vec<ImSession>,
        at: Millis,
    },
    SessionsFailed(RequestError),
    /// The agent's IM device path (`/devices/{id}`), or `None` when the agent has none.
    DeviceFound(Option<String>),
    /// A SendMessage request was accepted (`statusCode` 0).
    MessageAccepted {
        session: String,
        local_id: u64,
    },
    /// A SendMessage request failed; `reason` is shown with Retry / Discard.
    MessageRejected {
        session: String,
        local_id: u64,
        reason: Problem,
    },
    /// A SendMessage request got no answer (network error, abort): the server may or may not have
    /// it, so it is checked against the live channel before Retry is offered (docs/RELIABILITY.md).
    MessageUnanswered {
        session: String,
        local_id: u64,
        at: Millis,
    },
    /// An operation other than SendMessage was accepted; its effect arrives as a notification.
    ActionDone {
        session: String,
        action: Action,
    },
    ActionFailed {
        session: String,
        action: Action,
        reason: RequestError,
    },
    NewImAccepted,
    NewImFailed(Problem),

    // --- CometD ---------------------------------------------------------------------------
    /// What the live channel tells, from this tab's CometD client or from the tab that leads.
    Live(LiveEvent),

    // --- signing in again --------------------------------------------------------------------
    /// The answer to a `CheckSignIn`: whether `GET /me` works again.
    SignInChecked {
        signed_in: bool,
    },

    // --- the agent --------------------------------------------------------------------------
    Select(String),
    DraftChanged {
        session: String,
        text: String,
    },
    /// Send the session's draft.
    SendDraft {
        session: String,
        at: Millis,
    },
    /// Another tab of this browser is sending `text` as the agent: show it as the agent's own, so
    /// its echo confirms it instead of showing as the other party's.
    PeerOutgoing {
        session: String,
        text: String,
        at: Millis,
    },
    /// Another tab's SendMessage for `text` failed there: its line here shows failed too (Retry here
    /// sends it from this tab). `reason` is worded by that tab.
    PeerOutgoingFailed {
        session: String,
        text: String,
        reason: String,
    },
    Retry {
        session: String,
        local_id: u64,
        at: Millis,
    },
    Discard {
        session: String,
        local_id: u64,
    },
    Complete {
        session: String,
    },
    AttachUserData {
        session: String,
        key: String,
        value: Value,
    },
    UpdateUserData {
        session: String,
        key: String,
        value: Value,
    },
    DeleteUserData {
        session: String,
        key: String,
    },
    StartNewIm {
        destination: String,
        user_data: UserData,
    },
    /// Remove a completed session from the list (and from storage).
    Dismiss {
        session: String,
    },
    DismissBanner,
    /// Completed sessions whose newest line is older than the retention: gone from the list and
    /// from storage, as if dismissed.
    Expired {
        sessions: Vec<String>,
    },
    /// `GET /me` named another agent than the one this widget started for: nothing of the old
    /// agent stays in the model (the runtime removes their stored data and starts again).
    AgentChanged,
    /// Another tab of the widget started for `agent` (the runtime starts again if it is not ours).
    PeerAgent {
        agent: String,
    },
    /// Another tab of the widget signed the agent out (`GwsImWidget.signOut`): this one does too.
    PeerSignedOut,
    /// Read the session list again after it failed ("Try again", or the backoff timer).
    RetryLoad,

    // --- storage ----------------------------------------------------------------------------
    /// Transcripts kept from an earlier page load; `live_until` is when that page last had a live
    /// CometD session (the start of a gap).
    Restored {
        sessions: Vec<StoredSession>,
        live_until: Option<Millis>,
        /// Sessions the agent dismissed (or that expired) before the reload: the server may still
        /// list them, and they stay gone.
        dismissed: Vec<String>,
    },
    /// The browser refused to keep transcripts (storage full, or access to it refused): the widget
    /// carries on from memory.
    StorageRefused,
}

/// A request the runtime must make; its outcome comes back as an [`Event`].
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Re-read `GET /me/im-sessions?fields=*` → `SessionsLoaded` / `SessionsFailed`.
    LoadSessions,
    /// `POST /me/im-sessions/{session}` → `MessageAccepted`/`MessageRejected` when `local_id` is set
    /// (SendMessage), else `ActionDone` / `ActionFailed`.
    Operate {
        session: String,
        local_id: Option<u64>,
        operation: ImSessionOperation,
    },
    /// `POST /me/im-sessions` → `NewImAccepted` / `NewImFailed`.
    Initiate(InitiateImSession),
    /// Dispatch `RetryLoad` after `delay_ms` (one timer at a time; a newer one replaces it).
    RetryLoadLater { delay_ms: u32 },
    /// Forget the stored transcript of a dismissed session.
    Forget { session: String },
    /// While signed out: `GET /me` after `delay_ms` → `SignInChecked` (one timer at a time).
    CheckSignIn { delay_ms: u32 },
}
