//! What survives a reload: each session's transcript, kept on the client because GWS has no history.

use gws_protocol::ImSession;
use serde::{Deserialize, Serialize};

use super::session::{Line, SessionView};
use super::Millis;

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
            last_at: last_activity(view),
        }
    }
}

/// The time of a session's newest line (or when it started): what retention counts from.
fn last_activity(view: &SessionView) -> Millis {
    view.transcript.last().map_or(view.started_at, |l| l.at)
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

/// Whether a kept session is past its retention at `now`: its newest line (or its start) is more
/// than `keep_ms` old.
pub fn is_expired(last_at: Millis, now: Millis, keep_ms: Millis) -> bool {
    now - last_at > keep_ms
}

/// The completed sessions of `model` past their retention at `now` (an open session is the agent's
/// work in progress: it stays however old its last line).
pub fn expired_sessions(model: &super::Model, now: Millis, keep_ms: Millis) -> Vec<String> {
    model
        .sessions
        .iter()
        .filter(|view| view.is_completed() && is_expired(last_activity(view), now, keep_ms))
        .map(|view| view.id.clone())
        .collect()
}

/// The kept sessions past their retention at `now`.
pub fn expired_entries(index: &[StoredIndexEntry], now: Millis, keep_ms: Millis) -> Vec<String> {
    index
        .iter()
        .filter(|e| is_expired(e.last_at, now, keep_ms))
        .map(|e| e.id.clone())
        .collect()
}

/// Every key the widget stores starts with this.
pub const KEY_PREFIX: &str = "imw:v1:";

/// The start of every key of one agent's data: `imw:v1:{agent}:`, the agent's id with `%` and `:`
/// escaped, so that one agent's keys never start with another's prefix.
pub fn agent_prefix(agent: &str) -> String {
    let escaped = agent.trim().replace('%', "%25").replace(':', "%3A");
    format!("{KEY_PREFIX}{escaped}:")
}

/// What a storage key of the origin holds, as far as the widget is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner<'a> {
    /// Not the widget's (the host page's, another script's).
    Foreign,
    /// The widget's, but nobody's personal data (the mute preference, the tab relay key).
    Shared,
    /// One agent's data, named by the escaped agent part of [`agent_prefix`].
    Agent(&'a str),
}

/// Whose data `key` is: `imw:v1:{agent}:index`, `:live`, `:ui`, `:gone` and `:s:{session}` are the agent's.
pub fn key_owner(key: &str) -> KeyOwner<'_> {
    let Some(rest) = key.strip_prefix(KEY_PREFIX) else {
        return KeyOwner::Foreign;
    };
    let Some((agent, suffix)) = rest.split_once(':') else {
        return KeyOwner::Shared;
    };
    let agents = matches!(suffix, "index" | "live" | "ui" | "gone") || suffix.starts_with("s:");
    if agents && agent != "prefs" && !agent.is_empty() {
        KeyOwner::Agent(agent)
    } else {
        KeyOwner::Shared
    }
}

/// Of the keys `keys`, those to remove when `agent` (`None`: nobody) is the one whose data may stay.
pub fn keys_to_remove<'a>(
    keys: impl IntoIterator<Item = &'a str>,
    agent: Option<&str>,
) -> Vec<&'a str> {
    let mine = agent.map(agent_prefix);
    keys.into_iter()
        .filter(|key| match key_owner(key) {
            KeyOwner::Agent(_) => mine.as_deref().is_none_or(|m| !key.starts_with(m)),
            KeyOwner::Foreign | KeyOwner::Shared => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_other_agents_keys_are_removed_and_never_the_host_pages() {
        let keys = [
            "imw:v1:alex:index",
            "imw:v1:alex:s:im-1",
            "imw:v1:alex:live",
            "imw:v1:alex:ui",
            "imw:v1:alex:gone",
            "imw:v1:sam:index",
            "imw:v1:sam:s:im-2",
            "imw:v1:sam:live",
            "imw:v1:sam:gone",
            "imw:v1:al%3Aex:s:im-3",
            "imw:v1:prefs:muted",
            "imw:v1:/api/v2:outgoing",
            "imw:v1:https://gws.example/api/v2:outgoing",
            "host:settings",
            "imw:v2:alex:index",
        ];
        assert_eq!(
            keys_to_remove(keys, Some("alex")),
            [
                "imw:v1:sam:index",
                "imw:v1:sam:s:im-2",
                "imw:v1:sam:live",
                "imw:v1:sam:gone",
                "imw:v1:al%3Aex:s:im-3"
            ]
        );
        assert_eq!(
            keys_to_remove(keys, Some("al:ex")),
            [
                "imw:v1:alex:index",
                "imw:v1:alex:s:im-1",
                "imw:v1:alex:live",
                "imw:v1:alex:ui",
                "imw:v1:alex:gone",
                "imw:v1:sam:index",
                "imw:v1:sam:s:im-2",
                "imw:v1:sam:live",
                "imw:v1:sam:gone"
            ]
        );
        let everyone = keys_to_remove(keys, None);
        assert_eq!(everyone.len(), 10, "{everyone:?}");
        assert!(everyone
            .iter()
            .all(|k| !k.contains("prefs") && !k.contains("api")));
        assert_eq!(agent_prefix(" 50%:x "), "imw:v1:50%25%3Ax:");
        assert_eq!(key_owner("imw:v1:prefs:muted"), KeyOwner::Shared);
        assert_eq!(key_owner("imw:v1:x:s:1"), KeyOwner::Agent("x"));
    }

    #[test]
    fn a_session_expires_once_its_newest_line_is_older_than_the_limit() {
        let index = [entry("old", true, 1_000.0), entry("new", false, 5_000.0)];
        assert!(
            expired_entries(&index, 4_000.0, 3_000.0).is_empty(),
            "exactly at the limit it stays"
        );
        assert_eq!(expired_entries(&index, 4_001.0, 3_000.0), ["old"]);
        assert_eq!(expired_entries(&index, 9_000.0, 3_000.0), ["old", "new"]);
    }

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
        use super::super::notice::{Notice, Problem};
        use super::super::session::{Delivery, LineKind};
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
            Problem::Request(crate::state::RequestError::Unauthenticated),
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
        use super::super::session::LineKind;
        let mut view = SessionView {
            session: ImSession {
                id: "s".into(),
                ..ImSession::default()
            },
            id: "s".into(),
            started_at: 0.0,
            transcript: Vec::new(),
            incoming: 0,
            outbox: 0,
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
