//! How the server shows sessions and notifications, with or without the documentation's quirks.
//!
//! With quirks on (the default) the simulator reproduces what the vendor's own samples show:
//! `" Talking"` with a leading space in notifications, `uri` on an internal host (and, in
//! notifications, with a different id than `id`/`path`), capabilities in varying order, and
//! StatusChange payloads wrapped once more as `{"data": …}` while the others are bare.

use gws_protocol::{Capability, ImNotification, ImSession, ImSessionState, StateChangeKind};
use serde_json::{json, Value};

use crate::model::{ALL_CAPABILITIES, INTERNAL_HOST};

/// The order of the docs' notification samples: Complete, AttachUserData, DeleteUserData, UpdateUserData, SendMessage.
const NOTIFICATION_ORDER: [Capability; 5] = [
    Capability::Complete,
    Capability::AttachUserData,
    Capability::DeleteUserData,
    Capability::UpdateUserData,
    Capability::SendMessage,
];

/// Renders sessions for REST replies and notifications.
#[derive(Debug, Clone)]
pub struct Presenter {
    pub quirks: bool,
    /// `http://host:port` clients reach this simulator at (for `uri` without quirks).
    pub public_base: String,
}

impl Presenter {
    /// The `uri` of session `id` as the REST resource shows it.
    pub fn session_uri(&self, id: &str) -> String {
        if self.quirks {
            format!("{INTERNAL_HOST}/api/v2/im-sessions/{id}")
        } else {
            format!(
                "{}/api/v2/me/im-sessions/{id}",
                self.public_base.trim_end_matches('/')
            )
        }
    }

    /// A session for a REST reply: `uri` filled in, everything else as the model has it.
    pub fn rest_session(&self, mut session: ImSession) -> ImSession {
        session.uri = Some(self.session_uri(&session.id));
        session
    }

    /// A notification payload, the `data` of the Bayeux message. `sequence` counts state changes.
    pub fn notification(&self, notification: &ImNotification, sequence: u64) -> Value {
        let ImNotification::StateChange { kind, session } = notification else {
            return notification.to_value();
        };
        let mut session = session.clone();
        if !self.quirks {
            session.uri = Some(self.session_uri(&session.id));
            return ImNotification::StateChange {
                kind: kind.clone(),
                session,
            }
            .to_value();
        }
        if session.state == ImSessionState::Talking {
            session.state = ImSessionState::Unknown(" Talking".into());
        }
        session.uri = Some(format!(
            "{INTERNAL_HOST}/api/v2/im-sessions/{}",
            other_id(&session.id)
        ));
        session.capabilities = reorder(&session.capabilities, sequence);
        let payload = ImNotification::StateChange {
            kind: kind.clone(),
            session,
        }
        .to_value();
        if *kind == StateChangeKind::StatusChange {
            json!({ "data": payload })
        } else {
            payload
        }
    }
}

/// A different id of the same shape: the docs' notifications carry one in `uri`.
pub fn other_id(id: &str) -> String {
    let mut other: String = id.chars().rev().collect();
    if other == id {
        other.push('0');
    }
    other
}

/// Even notifications list capabilities in the docs' notification order, odd ones canonically.
fn reorder(capabilities: &[Capability], sequence: u64) -> Vec<Capability> {
    let order: &[Capability] = if sequence.is_multiple_of(2) {
        &NOTIFICATION_ORDER
    } else {
        &ALL_CAPABILITIES
    };
    let mut known: Vec<Capability> = order
        .iter()
        .filter(|c| capabilities.contains(c))
        .cloned()
        .collect();
    known.extend(capabilities.iter().filter(|c| !order.contains(c)).cloned());
    known
}

#[cfg(test)]
mod tests {
    use super::*;
    use gws_protocol::{LogUpdateKind, Participant};

    fn talking() -> ImSession {
        ImSession {
            id: "007MDF3D0KAHL93L807GK2LAES000001".into(),
            state: ImSessionState::Talking,
            participants: vec![Participant::with_number("3002")],
            capabilities: ALL_CAPABILITIES.to_vec(),
            path: Some("/im-sessions/007MDF3D0KAHL93L807GK2LAES000001".into()),
            ..ImSession::default()
        }
    }

    fn presenter(quirks: bool) -> Presenter {
        Presenter {
            quirks,
            public_base: "http://127.0.0.1:9/".into(),
        }
    }

    #[test]
    fn quirky_status_change_is_wrapped_spaced_and_points_elsewhere() {
        let note = ImNotification::StateChange {
            kind: StateChangeKind::StatusChange,
            session: talking(),
        };
        let value = presenter(true).notification(&note, 0);
        let inner = &value["data"]["imSession"];
        assert_eq!(inner["state"], " Talking");
        assert_eq!(inner["id"], "007MDF3D0KAHL93L807GK2LAES000001");
        assert_eq!(
            inner["path"],
            "/im-sessions/007MDF3D0KAHL93L807GK2LAES000001"
        );
        let uri = inner["uri"].as_str().unwrap();
        assert!(uri.starts_with("http://hpe-voicevm-64.genesyslab.com:8090/api/v2/im-sessions/"));
        assert!(!uri.ends_with("007MDF3D0KAHL93L807GK2LAES000001"));
        assert_eq!(inner["capabilities"][0], "Complete");
        // The protocol crate still reads it.
        let decoded = ImNotification::from_value(&value).unwrap();
        assert_eq!(
            decoded.session_id(),
            Some("007MDF3D0KAHL93L807GK2LAES000001")
        );
    }

    #[test]
    fn quirky_attached_data_changed_is_bare_and_order_varies() {
        let note = ImNotification::StateChange {
            kind: StateChangeKind::AttachedDataChanged,
            session: talking(),
        };
        let even = presenter(true).notification(&note, 0);
        let odd = presenter(true).notification(&note, 1);
        assert_eq!(even["messageType"], "IMSessionStateChangeMessage");
        assert_ne!(
            even["imSession"]["capabilities"],
            odd["imSession"]["capabilities"]
        );
        assert_eq!(odd["imSession"]["capabilities"][0], "SendMessage");
    }

    #[test]
    fn plain_notifications_without_quirks() {
        let note = ImNotification::StateChange {
            kind: StateChangeKind::StatusChange,
            session: talking(),
        };
        let value = presenter(false).notification(&note, 0);
        assert_eq!(value["imSession"]["state"], "Talking");
        assert_eq!(
            value["imSession"]["uri"],
            "http://127.0.0.1:9/api/v2/me/im-sessions/007MDF3D0KAHL93L807GK2LAES000001"
        );
        assert_eq!(value["imSession"]["capabilities"][0], "SendMessage");
    }

    #[test]
    fn messages_are_always_bare() {
        let note = ImNotification::LogUpdate {
            kind: LogUpdateKind::NewMessage,
            im_session_path: "/im-sessions/x".into(),
            message: "hi".into(),
        };
        for quirks in [true, false] {
            assert_eq!(
                presenter(quirks).notification(&note, 0)["messageType"],
                "IMLogUpdateMessage"
            );
        }
    }

    #[test]
    fn reorder_keeps_unknown_capabilities_last() {
        let caps = vec![
            Capability::Unknown("Transfer".into()),
            Capability::SendMessage,
            Capability::Complete,
        ];
        assert_eq!(
            reorder(&caps, 0),
            vec![
                Capability::Complete,
                Capability::SendMessage,
                Capability::Unknown("Transfer".into())
            ]
        );
        assert_eq!(other_id("ABA"), "ABA0");
    }
}
