//! What the host page hears: each model change becomes DOM `CustomEvent`s on the host element
//! (`imw:session-added`, `imw:state-changed`, `imw:message`, `imw:completed`, `imw:unread`,
//! `imw:error`). The diff is pure and tested here; `runtime` dispatches the events.

use gws_protocol::ImSessionState;

use crate::i18n::format::problem_text;
use crate::i18n::Texts;
use crate::state::{Changed, Event, LineKind, Model, SessionView, Touched};

/// One event for the host page. `party` is the other participant's number, when known.
#[derive(Debug, Clone, PartialEq)]
pub enum HostEvent {
    /// A session the widget did not show before (a new ring, a new IM, one from the list).
    SessionAdded {
        session: String,
        party: Option<String>,
        state: String,
    },
    /// A session moved from `previous` to `state` (the wire names, e.g. "Alerting" → "Talking").
    StateChanged {
        session: String,
        party: Option<String>,
        state: String,
        previous: String,
    },
    /// The other party wrote `text`.
    MessageReceived {
        session: String,
        party: Option<String>,
        text: String,
    },
    /// A session ended.
    Completed {
        session: String,
        party: Option<String>,
    },
    /// The total of unread incoming messages over all sessions changed.
    UnreadChanged { total: u32 },
    /// Something failed that the agent is shown (a refused action, a failed load or message).
    /// `kind` is machine-readable (`unauthenticated`, `network`, `refused`, …: `api::Error::kind`).
    Error {
        session: Option<String>,
        message: String,
        kind: &'static str,
    },
}

impl HostEvent {
    /// The DOM event type.
    pub fn name(&self) -> &'static str {
        match self {
            Self::SessionAdded { .. } => "imw:session-added",
            Self::StateChanged { .. } => "imw:state-changed",
            Self::MessageReceived { .. } => "imw:message",
            Self::Completed { .. } => "imw:completed",
            Self::UnreadChanged { .. } => "imw:unread",
            Self::Error { .. } => "imw:error",
        }
    }

    /// The event's `detail` as (key, value) pairs; `None` values become `null`.
    pub fn detail(&self) -> Vec<(&'static str, Detail)> {
        let text = |value: &str| Detail::Text(value.to_owned());
        let party = |party: &Option<String>| party.clone().map_or(Detail::Null, Detail::Text);
        match self {
            Self::SessionAdded {
                session,
                party: who,
                state,
            } => vec![
                ("session", text(session)),
                ("party", party(who)),
                ("state", text(state)),
            ],
            Self::StateChanged {
                session,
                party: who,
                state,
                previous,
            } => vec![
                ("session", text(session)),
                ("party", party(who)),
                ("state", text(state)),
                ("previous", text(previous)),
            ],
            Self::MessageReceived {
                session,
                party: who,
                text: message,
            } => vec![
                ("session", text(session)),
                ("party", party(who)),
                ("text", text(message)),
            ],
            Self::Completed {
                session,
                party: who,
            } => vec![("session", text(session)), ("party", party(who))],
            Self::UnreadChanged { total } => vec![("total", Detail::Number(*total))],
            Self::Error {
                session,
                message,
                kind,
            } => vec![
                ("session", party(session)),
                ("message", text(message)),
                ("kind", text(kind)),
            ],
        }
    }
}

/// A value in an event's `detail`.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    Text(String),
    Number(u32),
    Null,
}

/// The events that tell the host what the change `touched` did to `after`, in the order it
/// reached the sessions.
/// With `quiet` (transcripts restored from storage: old news) only the unread total is reported.
pub fn events(touched: &Touched, after: &Model, quiet: bool) -> Vec<HostEvent> {
    let mut events = Vec::new();
    for Changed { view, was } in touched.changed(after).filter(|_| !quiet) {
        let session = view.id.clone();
        let party = view.party_number().map(str::to_owned);
        let state = view.state();
        let Some(was) = was else {
            events.push(HostEvent::SessionAdded {
                session,
                party,
                state: state.as_wire().to_owned(),
            });
            continue;
        };
        let new_lines = view.incoming.saturating_sub(was.incoming);
        let mut news: Vec<&crate::state::Line> =
            incoming_newest_first(view).take(new_lines).collect();
        news.reverse();
        for line in news {
            events.push(HostEvent::MessageReceived {
                session: session.clone(),
                party: party.clone(),
                text: line.text.clone(),
            });
        }
        if was.state != *state {
            events.push(HostEvent::StateChanged {
                session: session.clone(),
                party: party.clone(),
                state: state.as_wire().to_owned(),
                previous: was.state.as_wire().to_owned(),
            });
            if *state == ImSessionState::Completed {
                events.push(HostEvent::Completed { session, party });
            }
        }
    }
    if touched.moved_unread(after) {
        events.push(HostEvent::UnreadChanged {
            total: after.unread_total(),
        });
    }
    events
}

/// The failure an event reports to the agent, as the host hears it (in the agent's language).
pub fn error_of(event: &Event, t: &Texts) -> Option<HostEvent> {
    let (session, message, kind) = match event {
        Event::SessionsFailed(error) => (None, error.describe(t), error.kind()),
        Event::NewImFailed(problem) => (None, problem_text(problem, t), problem.kind()),
        Event::MessageRejected {
            session, reason, ..
        } => (
            Some(session.clone()),
            problem_text(reason, t),
            reason.kind(),
        ),
        Event::ActionFailed {
            session, reason, ..
        } => (Some(session.clone()), reason.describe(t), reason.kind()),
        _ => return None,
    };
    Some(HostEvent::Error {
        session,
        message,
        kind,
    })
}

/// The one event that tells the host the agent has just been signed out (the GWS session
/// expired), so it can sign them in again; `None` unless `before` → `after` is that change.
pub fn signed_out(before: bool, after: &Model, t: &Texts) -> Option<HostEvent> {
    (!before && after.signed_out).then(|| HostEvent::Error {
        session: None,
        message: t.signed_out_banner.to_owned(),
        kind: crate::state::RequestError::Unauthenticated.kind(),
    })
}

fn incoming_newest_first(view: &SessionView) -> impl Iterator<Item = &crate::state::Line> {
    view.transcript
        .iter()
        .rev()
        .filter(|line| line.kind == LineKind::Incoming)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::reduce;
    use gws_protocol::{ImNotification, ImSession};

    fn session(id: &str, state: &str) -> ImSession {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "state": state,
            "participants": [{"digits": "3002", "e164Number": "3002", "formattedPhoneNumber": "3002", "phoneNumber": "3002"}],
            "capabilities": ["SendMessage", "Complete"],
        }))
        .unwrap()
    }

    fn apply(model: &mut Model, event: Event) -> Vec<HostEvent> {
        let quiet = matches!(event, Event::Restored { .. });
        model.take_touched();
        reduce(model, event);
        let touched = model.take_touched();
        events(&touched, model, quiet)
    }

    fn notify(model: &mut Model, value: serde_json::Value) -> Vec<HostEvent> {
        let notification: ImNotification = serde_json::from_value(value).unwrap();
        apply(
            model,
            Event::Live(crate::state::LiveEvent::Notification {
                notification,
                at: 5.0,
            }),
        )
    }

    #[test]
    fn a_ring_a_message_an_answer_and_the_end_each_tell_the_host() {
        let mut model = Model::default();
        let events = notify(
            &mut model,
            serde_json::json!({"messageType": "IMSessionStateChangeMessage", "notificationType": "StatusChange", "imSession": session("s1", "Alerting")}),
        );
        assert_eq!(
            events,
            [HostEvent::SessionAdded {
                session: "s1".into(),
                party: Some("3002".into()),
                state: "Alerting".into()
            }]
        );

        let events = notify(
            &mut model,
            serde_json::json!({"messageType": "IMLogUpdateMessage", "notificationType": "NewMessage", "imSessionPath": "/im-sessions/s1", "message": "Need help"}),
        );
        assert_eq!(
            events,
            [
                HostEvent::MessageReceived {
                    session: "s1".into(),
                    party: Some("3002".into()),
                    text: "Need help".into()
                },
                HostEvent::UnreadChanged { total: 1 }
            ]
        );

        let events = notify(
            &mut model,
            serde_json::json!({"messageType": "IMSessionStateChangeMessage", "notificationType": "StatusChange", "imSession": session("s1", "Completed")}),
        );
        assert_eq!(
            events,
            [
                HostEvent::StateChanged {
                    session: "s1".into(),
                    party: Some("3002".into()),
                    state: "Completed".into(),
                    previous: "Alerting".into()
                },
                HostEvent::Completed {
                    session: "s1".into(),
                    party: Some("3002".into())
                }
            ]
        );
    }

    #[test]
    fn nothing_changed_tells_nothing() {
        let mut model = Model::default();
        apply(
            &mut model,
            Event::SessionsLoaded {
                sessions: vec![session("s1", "Talking")],
                at: 0.0,
            },
        );
        let events = apply(
            &mut model,
            Event::SessionsLoaded {
                sessions: vec![session("s1", "Talking")],
                at: 1.0,
            },
        );
        assert_eq!(events, []);
    }

    #[test]
    fn restored_transcripts_are_old_news() {
        let mut model = Model::default();
        let restored = crate::state::StoredSession {
            id: "s1".into(),
            session: session("s1", "Talking"),
            started_at: 0.0,
            transcript: vec![crate::state::Line {
                at: 1.0,
                text: "old".into(),
                kind: LineKind::Incoming,
            }],
            draft: String::new(),
        };
        let events = apply(
            &mut model,
            Event::Restored {
                sessions: vec![restored],
                live_until: None,
                dismissed: Vec::new(),
            },
        );
        assert!(
            events
                .iter()
                .all(|e| matches!(e, HostEvent::UnreadChanged { .. })),
            "{events:?}"
        );
    }

    #[test]
    fn failures_the_agent_sees_are_errors_for_the_host_in_their_language() {
        let en = crate::i18n::Locale::En.texts();
        let de = crate::i18n::Locale::De.texts();
        let rejected = Event::MessageRejected {
            session: "s1".into(),
            local_id: 1,
            reason: crate::state::Problem::SessionEnded,
        };
        assert_eq!(
            error_of(&rejected, en),
            Some(HostEvent::Error {
                session: Some("s1".into()),
                message: en.session_ended.into(),
                kind: "invalid",
            })
        );
        assert_eq!(
            error_of(&rejected, de),
            Some(HostEvent::Error {
                session: Some("s1".into()),
                message: de.session_ended.into(),
                kind: "invalid",
            })
        );
        let failed = Event::SessionsFailed(crate::state::RequestError::Unauthenticated);
        assert_eq!(
            error_of(&failed, en),
            Some(HostEvent::Error {
                session: None,
                message: crate::state::RequestError::Unauthenticated.describe(en),
                kind: "unauthenticated",
            })
        );
        assert_eq!(error_of(&Event::DismissBanner, en), None);
    }

    #[test]
    fn signing_out_tells_the_host_once_with_a_machine_readable_kind() {
        let en = crate::i18n::Locale::En.texts();
        let mut model = Model::default();
        assert_eq!(signed_out(false, &model, en), None, "still signed in");
        reduce(&mut model, Event::Live(crate::state::LiveEvent::SignedOut));
        let told = signed_out(false, &model, en);
        assert!(
            matches!(
                &told,
                Some(HostEvent::Error {
                    session: None,
                    kind: "unauthenticated",
                    ..
                })
            ),
            "{told:?}"
        );
        reduce(
            &mut model,
            Event::SessionsFailed(crate::state::RequestError::Unauthenticated),
        );
        assert_eq!(signed_out(true, &model, en), None, "already told");
    }

    #[test]
    fn details_name_their_fields() {
        let event = HostEvent::Error {
            session: None,
            message: "Could not load".into(),
            kind: "network",
        };
        assert_eq!(event.name(), "imw:error");
        assert_eq!(
            event.detail(),
            [
                ("session", Detail::Null),
                ("message", Detail::Text("Could not load".into())),
                ("kind", Detail::Text("network".into())),
            ]
        );
        assert_eq!(
            HostEvent::UnreadChanged { total: 2 }.detail(),
            [("total", Detail::Number(2))]
        );
    }
}
