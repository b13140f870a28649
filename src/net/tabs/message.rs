//! What the tabs of one browser tell each other on their `BroadcastChannel`, as JSON text.

use gws_protocol::ImNotification;
use serde_json::{json, Value};

use crate::net::live::ResumeToken;
use crate::state::{Event, LiveEvent, Millis};

/// One message between tabs. The leader sends its live events and resume tokens; any tab sends
/// `outgoing` before its SendMessage request; a new tab says `hello` to hear the leader's state.
/// On the channel it is JSON text tagged by `kind`, with camelCase fields.
#[derive(Debug, Clone, PartialEq)]
pub enum TabMessage {
    /// What the leader's CometD client told (a notification crosses as the payload the docs print).
    Live(LiveEvent),
    /// The leader's CometD client after its last connect reply, for whoever leads next.
    Resume {
        client_id: String,
        acks: bool,
        batch: i64,
    },
    /// The agent is sending `text` from another tab.
    Outgoing {
        session: String,
        text: String,
        at: Millis,
    },
    /// A message another tab sent was refused or got no answer there.
    OutgoingFailed {
        session: String,
        text: String,
        reason: String,
    },
    /// A tab joined: the leader answers with its connection state and resume token.
    Hello,
    /// A tab started for `agent` (`GET /me`): a tab still showing another agent's IMs starts again.
    Agent { agent: String },
    /// The host page signed the agent out in one tab (`GwsImWidget.signOut`): every tab does.
    SignOut,
    /// What the leader shares of one step of its CometD client (a connect reply's events, then the
    /// resume token after them), as one message: a tab hears all of it or none. Sent one by one, a
    /// follower could take the lead between a reply's notifications and its token, resume from the
    /// token before, and be sent those notifications again by the server. Never nested.
    Bundle(Vec<TabMessage>),
}

impl TabMessage {
    pub fn from_token(token: &ResumeToken) -> TabMessage {
        TabMessage::Resume {
            client_id: token.client_id.clone(),
            acks: token.acks,
            batch: token.batch,
        }
    }

    /// The event a receiving tab dispatches, if any (tokens and hellos are for the coordinator).
    pub fn into_event(self) -> Option<Event> {
        match self {
            TabMessage::Live(event) => Some(Event::Live(event)),
            TabMessage::OutgoingFailed {
                session,
                text,
                reason,
            } => Some(Event::PeerOutgoingFailed {
                session,
                text,
                reason,
            }),
            TabMessage::Outgoing { session, text, at } => {
                Some(Event::PeerOutgoing { session, text, at })
            }
            TabMessage::Agent { agent } => Some(Event::PeerAgent { agent }),
            TabMessage::SignOut => Some(Event::PeerSignedOut),
            TabMessage::Resume { .. } | TabMessage::Hello | TabMessage::Bundle(_) => None,
        }
    }

    pub fn token(&self) -> Option<ResumeToken> {
        match self {
            TabMessage::Resume {
                client_id,
                acks,
                batch,
            } => Some(ResumeToken {
                client_id: client_id.clone(),
                acks: *acks,
                batch: *batch,
            }),
            _ => None,
        }
    }

    pub fn encode(&self) -> String {
        self.to_value().to_string()
    }

    // Written by hand rather than derived: it keeps the wasm bundle smaller.
    fn to_value(&self) -> Value {
        match self {
            TabMessage::Live(LiveEvent::Notification { notification, at }) => {
                json!({ "kind": "notification", "payload": notification.to_value(), "at": at })
            }
            TabMessage::Live(LiveEvent::Up { at, fresh }) => {
                json!({ "kind": "liveUp", "at": at, "fresh": fresh })
            }
            TabMessage::Live(LiveEvent::Interrupted { at }) => {
                json!({ "kind": "liveInterrupted", "at": at })
            }
            TabMessage::Live(LiveEvent::Round { started }) => {
                json!({ "kind": "liveRound", "started": started })
            }
            TabMessage::Live(LiveEvent::Offline { at }) => {
                json!({ "kind": "liveOffline", "at": at })
            }
            TabMessage::Live(LiveEvent::SignedOut) => json!({ "kind": "signedOut" }),
            TabMessage::Resume {
                client_id,
                acks,
                batch,
            } => json!({ "kind": "resume", "clientId": client_id, "acks": acks, "batch": batch }),
            TabMessage::Outgoing { session, text, at } => {
                json!({ "kind": "outgoing", "session": session, "text": text, "at": at })
            }
            TabMessage::OutgoingFailed {
                session,
                text,
                reason,
            } => {
                json!({ "kind": "outgoingFailed", "session": session, "text": text, "reason": reason })
            }
            TabMessage::Hello => json!({ "kind": "hello" }),
            TabMessage::Agent { agent } => json!({ "kind": "agent", "agent": agent }),
            TabMessage::SignOut => json!({ "kind": "signOut" }),
            TabMessage::Bundle(messages) => json!({
                "kind": "bundle",
                "messages": messages.iter().map(TabMessage::to_value).collect::<Vec<_>>(),
            }),
        }
    }

    /// Anything that is not one of ours (another version, another script) is `None`.
    pub fn decode(text: &str) -> Option<TabMessage> {
        let value = crate::json::parse(text).ok()?;
        let message = Self::from_value(&value)?;
        if let TabMessage::Bundle(messages) = &message {
            // A bundle holding a malformed or nested message is not ours either.
            let plain = |m: &TabMessage| !matches!(m, TabMessage::Bundle(_));
            if !messages.iter().all(plain) {
                return None;
            }
        }
        Some(message)
    }

    fn from_value(value: &Value) -> Option<TabMessage> {
        let fields = value.as_object()?;
        let at = || fields.get("at").and_then(Value::as_f64);
        let text_of = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
        let live = |event: LiveEvent| Some(TabMessage::Live(event));
        let message = match fields.get("kind").and_then(Value::as_str)? {
            "notification" => live(LiveEvent::Notification {
                notification: ImNotification::from_value(fields.get("payload")?).ok()?,
                at: at()?,
            })?,
            "liveUp" => live(LiveEvent::Up {
                at: at()?,
                fresh: fields.get("fresh").and_then(Value::as_bool)?,
            })?,
            "liveInterrupted" => live(LiveEvent::Interrupted { at: at()? })?,
            "liveRound" => live(LiveEvent::Round {
                started: fields.get("started").and_then(Value::as_f64)?,
            })?,
            "liveOffline" => live(LiveEvent::Offline { at: at()? })?,
            "signedOut" => live(LiveEvent::SignedOut)?,
            "resume" => TabMessage::Resume {
                client_id: text_of("clientId")?,
                acks: fields.get("acks").and_then(Value::as_bool)?,
                batch: fields.get("batch").and_then(Value::as_i64)?,
            },
            "outgoing" => TabMessage::Outgoing {
                session: text_of("session")?,
                text: text_of("text")?,
                at: at()?,
            },
            "outgoingFailed" => TabMessage::OutgoingFailed {
                session: text_of("session")?,
                text: text_of("text")?,
                reason: text_of("reason")?,
            },
            "hello" => TabMessage::Hello,
            "agent" => TabMessage::Agent {
                agent: text_of("agent")?,
            },
            "signOut" => TabMessage::SignOut,
            "bundle" => TabMessage::Bundle(
                fields
                    .get("messages")?
                    .as_array()?
                    .iter()
                    .map(Self::from_value)
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        };
        Some(message)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use gws_protocol::ImNotification;
    use serde_json::json;

    use super::*;

    fn log_update() -> ImNotification {
        ImNotification::from_value(&json!({
            "messageType": "IMLogUpdateMessage",
            "notificationType": "NewMessage",
            "imSessionPath": "/im-sessions/s1",
            "message": "hi",
        }))
        .unwrap()
    }

    #[test]
    fn live_events_cross_tabs_unchanged() {
        let events = vec![
            LiveEvent::Notification {
                notification: log_update(),
                at: 5.0,
            },
            LiveEvent::Up {
                at: 1.0,
                fresh: true,
            },
            LiveEvent::Interrupted { at: 2.0 },
            LiveEvent::Round { started: 2.5 },
            LiveEvent::Offline { at: 3.0 },
            LiveEvent::SignedOut,
        ];
        for event in events {
            let received = TabMessage::decode(&TabMessage::Live(event.clone()).encode()).unwrap();
            assert_eq!(received.into_event(), Some(Event::Live(event)));
        }
    }

    #[test]
    fn the_wire_shape_is_tagged_camel_case_json() {
        let token = ResumeToken {
            client_id: "c1".into(),
            acks: true,
            batch: 4,
        };
        let message = TabMessage::from_token(&token);
        assert_eq!(
            serde_json::from_str::<Value>(&message.encode()).unwrap(),
            json!({ "kind": "resume", "clientId": "c1", "acks": true, "batch": 4 })
        );
        assert_eq!(message.token(), Some(token));
        assert_eq!(message.into_event(), None);
        let outgoing =
            TabMessage::decode(r#"{"kind":"outgoing","session":"s1","text":"Hello","at":7}"#)
                .unwrap();
        assert_eq!(
            outgoing.into_event(),
            Some(Event::PeerOutgoing {
                session: "s1".into(),
                text: "Hello".into(),
                at: 7.0
            })
        );
        assert_eq!(
            TabMessage::decode(r#"{"kind":"hello"}"#),
            Some(TabMessage::Hello)
        );
    }

    #[test]
    fn a_failure_in_another_tab_crosses_as_peer_outgoing_failed() {
        let message = TabMessage::OutgoingFailed {
            session: "s1".into(),
            text: "Hello".into(),
            reason: "Not allowed.".into(),
        };
        let decoded = TabMessage::decode(&message.encode());
        assert_eq!(decoded.as_ref(), Some(&message));
        assert_eq!(
            decoded.and_then(TabMessage::into_event),
            Some(Event::PeerOutgoingFailed {
                session: "s1".into(),
                text: "Hello".into(),
                reason: "Not allowed.".into()
            })
        );
    }

    #[test]
    fn the_agent_and_a_sign_out_cross_to_every_tab() {
        for (message, event) in [
            (
                TabMessage::Agent {
                    agent: "sam".into(),
                },
                Event::PeerAgent {
                    agent: "sam".into(),
                },
            ),
            (TabMessage::SignOut, Event::PeerSignedOut),
        ] {
            let decoded = TabMessage::decode(&message.encode());
            assert_eq!(decoded.as_ref(), Some(&message));
            assert_eq!(decoded.and_then(TabMessage::into_event), Some(event));
        }
        assert_eq!(TabMessage::decode(r#"{"kind":"agent"}"#), None);
    }

    #[test]
    fn a_step_crosses_as_one_bundle_in_order_and_never_nested() {
        let step = TabMessage::Bundle(vec![
            TabMessage::Live(LiveEvent::Notification {
                notification: log_update(),
                at: 5.0,
            }),
            TabMessage::Live(LiveEvent::Round { started: 4.0 }),
            TabMessage::Resume {
                client_id: "c1".into(),
                acks: true,
                batch: 7,
            },
        ]);
        let text = step.encode();
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap()["kind"],
            "bundle"
        );
        assert_eq!(TabMessage::decode(&text), Some(step.clone()));
        assert_eq!(
            step.into_event(),
            None,
            "its messages are dispatched one by one"
        );
        let nested = TabMessage::Bundle(vec![TabMessage::Bundle(vec![TabMessage::Hello])]);
        assert_eq!(TabMessage::decode(&nested.encode()), None);
        assert_eq!(
            TabMessage::decode(
                r#"{"kind":"bundle","messages":[{"kind":"hello"},{"kind":"takeover"}]}"#
            ),
            None,
            "one foreign message spoils the bundle"
        );
        assert_eq!(
            TabMessage::decode(r#"{"kind":"bundle","messages":{}}"#),
            None
        );
    }

    #[test]
    fn foreign_messages_are_ignored() {
        assert_eq!(TabMessage::decode("not json"), None);
        assert_eq!(TabMessage::decode(r#"{"kind":"takeover"}"#), None);
        assert_eq!(
            TabMessage::decode(r#"{"kind":"resume","clientId":5}"#),
            None
        );
        assert_eq!(TabMessage::decode(r#"["hello"]"#), None);
        assert_eq!(
            TabMessage::decode(r#"{"kind":"notification","payload":"nope","at":1}"#),
            None,
            "a notification this widget cannot read"
        );
    }
}
