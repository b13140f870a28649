//! What survives a reload: each session's transcript, kept on the client because GWS has no history.

use gws_protocol::ImSession;
use serde::{Deserialize, Serialize};

use super::model::{Line, Millis, SessionView};

/// How many lines of one transcript are kept in storage (the newest).
pub const STORED_TRANSCRIPT_LIMIT: usize = 500;

/// One session as storage keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSession {
    pub id: String,
    pub session: ImSession,
    pub started_at: Millis,
    pub transcript: Vec<Line>,
    #[serde(default)]
    pub draft: String,
}

impl StoredSession {
    /// The part of a session worth keeping, with the transcript cut to its newest lines.
    pub fn from_view(view: &SessionView) -> Self {
        let skip = view.transcript.len().saturating_sub(STORED_TRANSCRIPT_LIMIT);
        Self {
            id: view.id.clone(),
            session: view.session.clone(),
            started_at: view.started_at,
            transcript: view.transcript[skip..].to_vec(),
            draft: view.draft.clone(),
        }
    }
}
