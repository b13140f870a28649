//! Operations other than SendMessage: End session and case data.

use gws_protocol::ImSessionOperation;

use crate::state::action::Action;
use crate::state::model::Model;
use crate::state::notice::Problem;
use crate::state::Command;

pub(super) fn user_data_key(key: &str) -> Option<String> {
    let key = key.trim();
    (!key.is_empty()).then(|| key.to_owned())
}

/// A case-data action on a trimmed, non-empty key; an empty key is explained instead.
pub(super) fn user_data_action(
    model: &mut Model,
    session: &str,
    key: &str,
    operation: impl FnOnce(String) -> (Action, ImSessionOperation),
) -> Vec<Command> {
    match user_data_key(key) {
        Some(key) => {
            let (action, operation) = operation(key);
            start_action(model, session, action, operation)
        }
        None => reject_empty_key(model, session),
    }
}

pub(super) fn reject_empty_key(model: &mut Model, session: &str) -> Vec<Command> {
    if let Some(view) = model.session_mut(session) {
        view.action_error = Some(Problem::EmptyKey);
    }
    Vec::new()
}

/// Starts an operation other than SendMessage, if the session allows it and none is in flight.
pub(super) fn start_action(
    model: &mut Model,
    session: &str,
    action: Action,
    operation: ImSessionOperation,
) -> Vec<Command> {
    let Some(view) = model.session_mut(session) else {
        return Vec::new();
    };
    if let Some(reason) = view.why_not(action) {
        view.action_error = Some(reason);
        return Vec::new();
    }
    if view.busy.is_some() {
        return Vec::new();
    }
    view.busy = Some(action);
    view.action_error = None;
    vec![Command::Operate {
        session: session.to_owned(),
        local_id: None,
        operation,
    }]
}
