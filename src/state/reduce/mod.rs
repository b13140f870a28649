//! The reducer: every change to the model, as a pure function.

use super::model::Model;
use super::notice::Problem;
use super::{Command, Event, LiveEvent};

mod actions;
mod list;
mod live;
mod outbox;
mod restore;

pub use list::load_retry_delay_ms;
use live::sign_out;
use outbox::{retry, send_draft};

/// Applies one event to the model and returns the requests it calls for.
pub fn reduce(model: &mut Model, event: Event) -> Vec<Command> {
    let signs_out = says_signed_out(&event);
    // A live channel that works again proves the agent is signed in (its cookie is accepted).
    if matches!(event, Event::Live(LiveEvent::Up { .. })) {
        model.signed_out = false;
    }
    let mut commands = apply(model, event);
    if signs_out {
        commands.extend(sign_out(model));
    }
    commands
}

/// Whether `event` reports that the agent's GWS session has expired (HTTP 401, `statusCode` 20).
fn says_signed_out(event: &Event) -> bool {
    use super::RequestError::Unauthenticated;
    match event {
        Event::Live(LiveEvent::SignedOut) => true,
        Event::SessionsFailed(error) | Event::ActionFailed { reason: error, .. } => {
            *error == Unauthenticated
        }
        Event::MessageRejected { reason, .. } | Event::NewImFailed(reason) => {
            *reason == Problem::Request(Unauthenticated)
        }
        _ => false,
    }
}

fn apply(model: &mut Model, event: Event) -> Vec<Command> {
    match event {
        Event::SessionsLoaded { sessions, at } => list::loaded(model, sessions, at),
        Event::SessionsFailed(error) => list::load_failed(model, error),
        Event::RetryLoad => list::retry_load(model),
        Event::DeviceFound(path) => {
            model.device_path = path;
            Vec::new()
        }
        Event::MessageAccepted { session, local_id } => outbox::accepted(model, session, local_id),
        Event::MessageRejected {
            session,
            local_id,
            reason,
        } => outbox::rejected(model, session, local_id, reason),
        Event::MessageUnanswered {
            session,
            local_id,
            at,
        } => outbox::unanswered(model, session, local_id, at),
        Event::Live(event) => live::apply(model, event),
        Event::ActionDone { session, action } => actions::done(model, session, action),
        Event::ActionFailed {
            session,
            action,
            reason,
        } => actions::failed(model, session, action, reason),
        Event::NewImAccepted => actions::new_im_accepted(model),
        Event::NewImFailed(reason) => actions::new_im_failed(model, reason),
        Event::SignInChecked { signed_in } => live::sign_in_checked(model, signed_in),
        Event::Select(id) => list::select(model, id),
        Event::DraftChanged { session, text } => outbox::draft_changed(model, session, text),
        Event::SendDraft { session, at } => send_draft(model, &session, at),
        Event::PeerOutgoingFailed {
            session,
            text,
            reason,
        } => outbox::peer_failed(model, session, text, reason),
        Event::PeerOutgoing { session, text, at } => {
            outbox::peer_outgoing(model, session, text, at)
        }
        Event::Retry {
            session,
            local_id,
            at: _,
        } => retry(model, &session, local_id),
        Event::Discard { session, local_id } => outbox::discard(model, session, local_id),
        Event::Complete { session } => actions::complete(model, session),
        Event::AttachUserData {
            session,
            key,
            value,
        } => actions::attach(model, session, key, value),
        Event::UpdateUserData {
            session,
            key,
            value,
        } => actions::update(model, session, key, value),
        Event::DeleteUserData { session, key } => actions::delete(model, session, key),
        Event::StartNewIm {
            destination,
            user_data,
        } => actions::start_new_im(model, destination, user_data),
        Event::Dismiss { session } => list::dismiss(model, session),
        Event::Expired { sessions } => list::expire(model, sessions),
        Event::AgentChanged => {
            // Nothing of the agent who was here stays in memory: the next agent starts afresh.
            *model = Model::default();
            Vec::new()
        }
        // The runtime acts on these itself (another tab's agent, another tab's sign-out).
        Event::PeerAgent { .. } | Event::PeerSignedOut => Vec::new(),
        Event::DismissBanner => {
            model.banner = None;
            Vec::new()
        }
        Event::Restored {
            sessions,
            live_until,
            dismissed,
        } => restore::restored(model, sessions, live_until, dismissed),
        Event::StorageRefused => restore::storage_refused(model),
    }
}
