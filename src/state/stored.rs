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
        let skip = view
            .transcript
            .len()
            .saturating_sub(STORED_TRANSCRIPT_LIMIT);
        Self {
            id: view.id.clone(),
            session: view.session.clone(),
            started_at: view.started_at,
            transcript: view.transcript[skip..].to_vec(),
            draft: view.draft.clone(),
        }
    }
}

/// How many sessions' transcripts storage keeps per agent; beyond it the oldest completed go first.
pub const STORED_SESSION_LIMIT: usize = 100;

/// What storage's index remembers of one kept session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredIndexEntry {
    pub id: String,
    pub completed: bool,
    /// The time of its newest line (or when it started).
    pub last_at: Millis,
}

impl StoredIndexEntry {
    pub fn of(view: &SessionView) -> Self {
        Self {
            id: view.id.clone(),
            completed: view.is_completed(),
            last_at: view.transcript.last().map_or(view.started_at, |l| l.at),
        }
    }
}

/// The sessions to drop so that at most `limit` stay: completed ones first, oldest first;
/// active sessions only when there are more active ones than the limit.
pub fn sessions_to_prune(index: &[StoredIndexEntry], limit: usize) -> Vec<String> {
    let excess = index.len().saturating_sub(limit);
    if excess == 0 {
        return Vec::new();
    }
    let mut order: Vec<&StoredIndexEntry> = index.iter().collect();
    order.sort_by(|a, b| {
        b.completed
            .cmp(&a.completed)
            .then(a.last_at.total_cmp(&b.last_at))
    });
    order
        .into_iter()
        .take(excess)
        .map(|e| e.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, completed: bool, last_at: Millis) -> StoredIndexEntry {
        StoredIndexEntry {
            id: id.into(),
            completed,
            last_at,
        }
    }

    #[test]
    fn nothing_is_pruned_within_the_limit() {
        assert!(sessions_to_prune(&[entry("a", true, 1.0)], 1).is_empty());
    }

    #[test]
    fn oldest_completed_sessions_go_first_then_oldest_active() {
        let index = [
            entry("active-old", false, 1.0),
            entry("done-new", true, 50.0),
            entry("done-old", true, 10.0),
            entry("active-new", false, 100.0),
        ];
        assert_eq!(sessions_to_prune(&index, 3), ["done-old"]);
        assert_eq!(sessions_to_prune(&index, 2), ["done-old", "done-new"]);
        assert_eq!(
            sessions_to_prune(&index, 1),
            ["done-old", "done-new", "active-old"]
        );
    }

    #[test]
    fn what_older_versions_stored_in_english_still_loads_and_new_lines_round_trip() {
        use super::super::model::{Delivery, LineKind};
        use super::super::notice::{Notice, Problem};
        let old = r#"{"id":"s","session":{"id":"s"},"started_at":1.0,"transcript":[
            {"at":1.0,"text":"Session ended","kind":"System"},
            {"at":2.0,"text":"Messages may be missing","kind":{"Gap":{"until":3.0}}},
            {"at":4.0,"text":"hi","kind":{"Outgoing":{"local_id":1,"delivery":{"Failed":{"reason":"Not allowed."}},"echoed":false}}}
        ]}"#;
        let stored: StoredSession = serde_json::from_str(old).unwrap();
        assert_eq!(stored.transcript[0].kind, LineKind::System);
        assert_eq!(stored.transcript[0].text, "Session ended");
        assert_eq!(
            stored.transcript[2].kind,
            LineKind::Outgoing {
                local_id: 1,
                delivery: Delivery::Failed {
                    reason: Problem::Text("Not allowed.".into())
                },
                echoed: false
            }
        );
        let mut new = stored.clone();
        new.transcript.push(Line {
            at: 5.0,
            text: String::new(),
            kind: LineKind::Notice(Notice::Talking {
                party: Some("3002".into()),
            }),
        });
        for reason in [
            Problem::NoDevice,
            Problem::Request(crate::api::Error::Unauthenticated),
        ] {
            new.transcript.push(Line {
                at: 6.0,
                text: "again".into(),
                kind: LineKind::Outgoing {
                    local_id: 2,
                    delivery: Delivery::Failed { reason },
                    echoed: false,
                },
            });
        }
        let json = serde_json::to_string(&new).unwrap();
        assert_eq!(serde_json::from_str::<StoredSession>(&json).unwrap(), new);
    }

    #[test]
    fn a_stored_session_keeps_only_the_newest_lines() {
        use super::super::model::LineKind;
        let mut view = SessionView {
            session: ImSession {
                id: "s".into(),
                ..ImSession::default()
            },
            id: "s".into(),
            started_at: 0.0,
            transcript: Vec::new(),
            incoming: 0,
            unread: 3,
            draft: "half-typed".into(),
            action_error: None,
            busy: None,
        };
        for n in 0..(STORED_TRANSCRIPT_LIMIT + 5) {
            view.transcript.push(Line {
                at: n as f64,
                text: n.to_string(),
                kind: LineKind::Incoming,
            });
        }
        let stored = StoredSession::from_view(&view);
        assert_eq!(stored.transcript.len(), STORED_TRANSCRIPT_LIMIT);
        assert_eq!(stored.transcript[0].text, "5");
        assert_eq!(stored.draft, "half-typed");
        let json = serde_json::to_string(&stored).unwrap();
        assert_eq!(
            serde_json::from_str::<StoredSession>(&json).unwrap(),
            stored
        );
    }
}
