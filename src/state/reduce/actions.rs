//! Operations other than SendMessage: End session and case data.

use gws_protocol::{Destination, ImSessionOperation, InitiateImSession, UserData};
use serde_json::Value;

use crate::state::action::Action;
use crate::state::model::{Model, NewImStatus};
use crate::state::notice::Problem;
use crate::state::{Command, RequestError};

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

/// An operation was accepted (its effect arrives as a notification).
pub(super) fn done(model: &mut Model, session: String, action: Action) -> Vec<Command> {
    if let Some(view) = model.session_mut(&session) {
        if view.busy == Some(action) {
            view.busy = None;
        }
        view.action_error = None;
    }
    Vec::new()
}

/// An operation was refused: said in the session.
pub(super) fn failed(
    model: &mut Model,
    session: String,
    action: Action,
    reason: RequestError,
) -> Vec<Command> {
    if let Some(view) = model.session_mut(&session) {
        view.busy = None;
        view.action_error = Some(Problem::ActionFailed {
            action,
            error: reason,
        });
    }
    Vec::new()
}

pub(super) fn new_im_accepted(model: &mut Model) -> Vec<Command> {
    model.new_im = NewImStatus::Idle;
    Vec::new()
}

pub(super) fn new_im_failed(model: &mut Model, reason: Problem) -> Vec<Command> {
    model.new_im = NewImStatus::Failed(reason);
    Vec::new()
}

/// End session.
pub(super) fn complete(model: &mut Model, session: String) -> Vec<Command> {
    start_action(
        model,
        &session,
        Action::Complete,
        ImSessionOperation::Complete,
    )
}

pub(super) fn attach(
    model: &mut Model,
    session: String,
    key: String,
    value: Value,
) -> Vec<Command> {
    user_data_action(model, &session, &key, |key| {
        let user_data = UserData::from_iter([(key, value)]);
        (
            Action::AttachUserData,
            ImSessionOperation::AttachUserData { user_data },
        )
    })
}

pub(super) fn update(
    model: &mut Model,
    session: String,
    key: String,
    value: Value,
) -> Vec<Command> {
    user_data_action(model, &session, &key, |key| {
        let user_data = UserData::from_iter([(key, value)]);
        (
            Action::UpdateUserData,
            ImSessionOperation::UpdateUserData { user_data },
        )
    })
}

pub(super) fn delete(model: &mut Model, session: String, key: String) -> Vec<Command> {
    user_data_action(model, &session, &key, |key| {
        (
            Action::DeleteUserData,
            ImSessionOperation::DeleteUserData { key },
        )
    })
}

/// New IM: an empty extension is explained, anything else is initiated.
pub(super) fn start_new_im(
    model: &mut Model,
    destination: String,
    user_data: UserData,
) -> Vec<Command> {
    let destination = destination.trim();
    if destination.is_empty() {
        model.new_im = NewImStatus::Failed(Problem::EmptyExtension);
        return Vec::new();
    }
    model.new_im = NewImStatus::Sending;
    vec![Command::Initiate(InitiateImSession {
        destination: Destination::new(destination),
        user_data: (!user_data.is_empty()).then_some(user_data),
        device_path: model.device_path.clone(),
    })]
}
