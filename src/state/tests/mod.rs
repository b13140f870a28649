//! The reducer's behaviour, event by event, one file per concern; the fixtures every file shares.

use gws_protocol::{
    Capability, Destination, ImNotification, ImSession, ImSessionOperation, ImSessionState,
    LogUpdateKind, Participant, StateChangeKind, UserData,
};
use serde_json::json;

use super::*;

const ALL: [Capability; 5] = [
    Capability::SendMessage,
    Capability::AttachUserData,
    Capability::UpdateUserData,
    Capability::DeleteUserData,
    Capability::Complete,
];

fn session(id: &str, state: ImSessionState, capabilities: &[Capability]) -> ImSession {
    ImSession {
        id: id.into(),
        state,
        participants: vec![Participant::with_number("3002")],
        capabilities: capabilities.to_vec(),
        path: Some(format!("/im-sessions/{id}")),
        ..ImSession::default()
    }
}

fn talking(id: &str) -> ImSession {
    session(id, ImSessionState::Talking, &ALL)
}

fn status_change(session: ImSession) -> Event {
    Event::Live(LiveEvent::Notification {
        notification: ImNotification::StateChange {
            kind: StateChangeKind::StatusChange,
            session,
        },
        at: 100.0,
    })
}

fn data_change(session: ImSession) -> Event {
    Event::Live(LiveEvent::Notification {
        notification: ImNotification::StateChange {
            kind: StateChangeKind::AttachedDataChanged,
            session,
        },
        at: 100.0,
    })
}

fn new_message(id: &str, text: &str, at: Millis) -> Event {
    Event::Live(LiveEvent::Notification {
        notification: ImNotification::LogUpdate {
            kind: LogUpdateKind::NewMessage,
            im_session_path: format!("/im-sessions/{id}"),
            message: text.into(),
        },
        at,
    })
}

/// A model with the list loaded, a device known and `sessions` in it.
fn model_with(sessions: Vec<ImSession>) -> Model {
    let mut model = Model::default();
    reduce(
        &mut model,
        Event::DeviceFound(Some("/devices/dev-1".into())),
    );
    reduce(&mut model, Event::SessionsLoaded { sessions, at: 10.0 });
    model
}

fn view<'m>(model: &'m Model, id: &str) -> &'m SessionView {
    model.session(id).expect("session in model")
}

fn type_and_send(model: &mut Model, id: &str, text: &str, at: Millis) -> Vec<Command> {
    reduce(
        model,
        Event::DraftChanged {
            session: id.into(),
            text: text.into(),
        },
    );
    reduce(
        model,
        Event::SendDraft {
            session: id.into(),
            at,
        },
    )
}

fn outgoing(view: &SessionView) -> Vec<(String, Delivery, bool)> {
    view.transcript
        .iter()
        .filter_map(|l| match &l.kind {
            LineKind::Outgoing {
                delivery, echoed, ..
            } => Some((l.text.clone(), delivery.clone(), *echoed)),
            _ => None,
        })
        .collect()
}

/// The lines of one kind as an English-speaking agent reads them (notices through the catalogue).
fn texts(view: &SessionView, wanted: fn(&LineKind) -> bool) -> Vec<String> {
    view.transcript
        .iter()
        .filter(|l| wanted(&l.kind))
        .map(|l| match &l.kind {
            LineKind::Notice(notice) => {
                let (before, number, after) =
                    crate::i18n::format::notice_parts(notice, crate::i18n::Locale::En.texts());
                format!("{before}{}{after}", number.unwrap_or_default())
            }
            _ => l.text.clone(),
        })
        .collect()
}

/// The typed notices of a transcript.
fn notices(view: &SessionView) -> Vec<Notice> {
    view.transcript
        .iter()
        .filter_map(|l| match &l.kind {
            LineKind::Notice(notice) => Some(notice.clone()),
            _ => None,
        })
        .collect()
}

/// Free words as a reason (what another tab sends, or an older version stored).
impl From<&str> for Problem {
    fn from(text: &str) -> Self {
        Problem::Text(text.to_owned())
    }
}

fn unreachable_server() -> crate::state::RequestError {
    crate::state::RequestError::Network("Cannot reach the server".into())
}

fn incoming(kind: &LineKind) -> bool {
    matches!(kind, LineKind::Incoming)
}

fn system(kind: &LineKind) -> bool {
    matches!(kind, LineKind::System | LineKind::Notice(_))
}

mod actions;
mod dismiss;
mod list;
mod live;
mod notifications;
mod outbox;
mod privacy;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
mod queue;
mod signing_in;
mod touched;
mod unanswered;
