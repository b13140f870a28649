//! The reducer: every change to the model, as a pure function.

use gws_protocol::{Destination, ImSessionOperation, InitiateImSession, UserData};

use super::action::Action;
use super::model::{Connection, Delivery, Line, LineKind, ListLoad, Model, NewImStatus};
use super::notice::Problem;
use super::{Command, Event, LiveEvent};

mod actions;
mod list;
mod live;
mod outbox;
mod restore;

use actions::{start_action, user_data_action};
pub use list::load_retry_delay_ms;
use list::{forget_session, reconcile, remember_dismissed};
use live::{apply_notification, gap_start, sign_in_check_delay_ms, sign_out};
use outbox::{
    outgoing_mut, redeliver_unechoed, retry, send_draft, send_next_queued, set_unechoed_delivery,
    settle_unconfirmed,
};
use restore::restore;

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
        Event::SessionsLoaded { sessions, at } => {
            reconcile(model, sessions, at);
            model.pending_gap = None;
            model.load = ListLoad::Loaded;
            model.load_failures = 0;
            if matches!(model.banner, Some(Problem::RefreshFailed(_))) {
                model.banner = None;
            }
            Vec::new()
        }
        Event::SessionsFailed(error) => {
            // Signed out does not mend by itself (and start-up stops there); anything else is retried.
            let retry = error != super::RequestError::Unauthenticated;
            if model.load == ListLoad::Loaded {
                model.banner = Some(Problem::RefreshFailed(error));
            } else {
                model.load = ListLoad::Failed(Problem::Request(error));
            }
            if !retry {
                return Vec::new();
            }
            model.load_failures = model.load_failures.saturating_add(1);
            vec![Command::RetryLoadLater {
                delay_ms: load_retry_delay_ms(model.load_failures),
            }]
        }
        Event::RetryLoad => {
            let stale = matches!(model.load, ListLoad::Failed(_))
                || matches!(model.banner, Some(Problem::RefreshFailed(_)));
            if !stale {
                return Vec::new();
            }
            if model.load != ListLoad::Loaded {
                model.load = ListLoad::Loading;
            }
            vec![Command::LoadSessions]
        }
        Event::DeviceFound(path) => {
            model.device_path = path;
            Vec::new()
        }
        Event::MessageAccepted { session, local_id } => {
            if let Some(line) = outgoing_mut(model, &session, local_id) {
                if let LineKind::Outgoing { delivery, .. } = &mut line.kind {
                    *delivery = Delivery::Sent;
                }
            }
            send_next_queued(model, &session)
        }
        Event::MessageRejected {
            session,
            local_id,
            reason,
        } => {
            set_unechoed_delivery(model, &session, local_id, Delivery::Failed { reason });
            send_next_queued(model, &session)
        }
        Event::MessageUnanswered {
            session,
            local_id,
            at,
        } => {
            if set_unechoed_delivery(
                model,
                &session,
                local_id,
                Delivery::Unconfirmed { since: at },
            ) {
                model.unconfirmed = model.unconfirmed.saturating_add(1);
            }
            // Like a failure, it does not hold the rest back.
            send_next_queued(model, &session)
        }
        Event::Live(LiveEvent::Round { started }) => {
            model.delivered_before = Some(started);
            settle_unconfirmed(model, |since| {
                (since < started).then_some(Delivery::Failed {
                    reason: Problem::NotDelivered,
                })
            });
            Vec::new()
        }
        Event::ActionDone { session, action } => {
            if let Some(view) = model.session_mut(&session) {
                if view.busy == Some(action) {
                    view.busy = None;
                }
                view.action_error = None;
            }
            Vec::new()
        }
        Event::ActionFailed {
            session,
            action,
            reason,
        } => {
            if let Some(view) = model.session_mut(&session) {
                view.busy = None;
                view.action_error = Some(Problem::ActionFailed {
                    action,
                    error: reason,
                });
            }
            Vec::new()
        }
        Event::NewImAccepted => {
            model.new_im = NewImStatus::Idle;
            Vec::new()
        }
        Event::NewImFailed(reason) => {
            model.new_im = NewImStatus::Failed(reason);
            Vec::new()
        }
        Event::Live(LiveEvent::Notification { notification, at }) => {
            apply_notification(model, notification, at)
        }
        Event::Live(LiveEvent::SignedOut) => Vec::new(),
        Event::SignInChecked { .. } if !model.signed_out => {
            model.sign_in_pending = false;
            Vec::new()
        }
        Event::SignInChecked { signed_in: false } => {
            model.sign_in_checks = model.sign_in_checks.saturating_add(1);
            vec![Command::CheckSignIn {
                delay_ms: sign_in_check_delay_ms(model.sign_in_checks),
            }]
        }
        Event::SignInChecked { signed_in: true } => {
            model.sign_in_pending = false;
            // Signed in again: what changed meanwhile is read again; the live channel, retrying all
            // along, handshakes afresh (the expired session took its CometD client) and marks the gap.
            model.signed_out = false;
            model.load_failures = 0;
            if model.load != ListLoad::Loaded {
                model.load = ListLoad::Loading;
            }
            vec![Command::LoadSessions]
        }
        Event::Live(LiveEvent::Up { at, fresh }) => {
            model.connection = Connection::Connected;
            let lost_at = model.live_lost_at.take();
            if !fresh {
                return Vec::new();
            }
            // A new CometD session never gets what was published before it: no evidence left.
            settle_unconfirmed(model, |_| Some(Delivery::Uncertain));
            if let Some(from) = lost_at {
                model.pending_gap = Some((from, at));
                for view in model.sessions.iter_mut().filter(|v| !v.is_completed()) {
                    view.transcript.push(Line {
                        at: from,
                        text: String::new(),
                        kind: LineKind::Gap { until: at },
                    });
                }
            }
            // A new CometD session only sees what is published from now on: re-read the list so
            // that changes since the last read (or during the gap) are not missed.
            vec![Command::LoadSessions]
        }
        Event::Live(LiveEvent::Interrupted { at }) => {
            model.live_lost_at.get_or_insert(gap_start(model, at));
            if !matches!(
                model.connection,
                Connection::Reconnecting { .. } | Connection::Offline { .. }
            ) {
                model.connection = Connection::Reconnecting { since: at };
            }
            Vec::new()
        }
        Event::Live(LiveEvent::Offline { at }) => {
            model.live_lost_at.get_or_insert(gap_start(model, at));
            let since = match model.connection {
                Connection::Reconnecting { since } | Connection::Offline { since } => since,
                _ => at,
            };
            model.connection = Connection::Offline { since };
            Vec::new()
        }
        Event::Select(id) => {
            if let Some(view) = model.session_mut(&id) {
                view.unread = 0;
                model.selected = Some(id);
            }
            Vec::new()
        }
        Event::DraftChanged { session, text } => {
            if let Some(view) = model.session_mut(&session) {
                view.draft = text;
            }
            Vec::new()
        }
        Event::SendDraft { session, at } => send_draft(model, &session, at),
        Event::PeerOutgoingFailed {
            session,
            text,
            reason,
        } => {
            let was_sent = |d: &Delivery| *d == Delivery::Sent;
            redeliver_unechoed(
                model,
                &session,
                &text,
                was_sent,
                Delivery::Failed {
                    reason: Problem::Text(reason),
                },
            );
            Vec::new()
        }
        Event::PeerOutgoing { session, text, at } => {
            // The other tab retrying a message that failed: the same line is sent again, not a new one.
            let failed = |d: &Delivery| matches!(d, Delivery::Failed { .. });
            if redeliver_unechoed(model, &session, &text, failed, Delivery::Sent) {
                return Vec::new();
            }
            let local_id = model.next_local_id + 1;
            if let Some(view) = model.session_mut(&session) {
                view.transcript.push(Line {
                    at,
                    text,
                    kind: LineKind::Outgoing {
                        local_id,
                        delivery: Delivery::Sent,
                        echoed: false,
                    },
                });
                model.next_local_id = local_id;
            }
            Vec::new()
        }
        Event::Retry {
            session,
            local_id,
            at: _,
        } => retry(model, &session, local_id),
        Event::Discard { session, local_id } => {
            if let Some(view) = model.session_mut(&session) {
                view.transcript.retain(|line| {
                    !matches!(&line.kind, LineKind::Outgoing { local_id: id, delivery: Delivery::Failed { .. } | Delivery::Uncertain, .. } if *id == local_id)
                });
            }
            Vec::new()
        }
        Event::Complete { session } => start_action(
            model,
            &session,
            Action::Complete,
            ImSessionOperation::Complete,
        ),
        Event::AttachUserData {
            session,
            key,
            value,
        } => user_data_action(model, &session, &key, |key| {
            let user_data = UserData::from_iter([(key, value)]);
            (
                Action::AttachUserData,
                ImSessionOperation::AttachUserData { user_data },
            )
        }),
        Event::UpdateUserData {
            session,
            key,
            value,
        } => user_data_action(model, &session, &key, |key| {
            let user_data = UserData::from_iter([(key, value)]);
            (
                Action::UpdateUserData,
                ImSessionOperation::UpdateUserData { user_data },
            )
        }),
        Event::DeleteUserData { session, key } => user_data_action(model, &session, &key, |key| {
            (
                Action::DeleteUserData,
                ImSessionOperation::DeleteUserData { key },
            )
        }),
        Event::StartNewIm {
            destination,
            user_data,
        } => {
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
        Event::Dismiss { session } => {
            let Some(index) = model
                .sessions
                .iter()
                .position(|v| v.id == session && v.is_completed())
            else {
                return Vec::new();
            };
            forget_session(model, index);
            vec![Command::Forget { session }]
        }
        Event::Expired { sessions } => sessions
            .into_iter()
            .filter_map(|session| {
                let index = model.position(&session)?;
                forget_session(model, index);
                Some(Command::Forget { session })
            })
            .collect(),
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
        } => {
            for id in dismissed {
                if !model.was_dismissed(&id) {
                    remember_dismissed(model, id);
                }
            }
            restore(model, sessions);
            if live_until.is_some() && model.connection != Connection::Connected {
                model.live_lost_at = live_until;
            }
            Vec::new()
        }
        Event::StorageRefused => {
            // Every refused write says so again: the agent hears it once.
            if !std::mem::replace(&mut model.storage_refused, true) {
                model.banner = Some(Problem::StorageRefused);
            }
            Vec::new()
        }
    }
}
