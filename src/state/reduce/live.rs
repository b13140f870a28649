//! The live channel: notifications, the CometD session's ups and downs, gaps, and signing in again.

use gws_protocol::{ImNotification, ImSession, StateChangeKind};

use super::list::{new_view, upsert};
use super::outbox::{confirm_echo, send_next_queued, settle_unconfirmed};
use crate::state::action::Action;
use crate::state::model::{Connection, ListLoad, Model};
use crate::state::notice::Problem;
use crate::state::session::{Delivery, Line, LineKind};
use crate::state::Millis;
use crate::state::{Command, LiveEvent};

/// Signed out: say so, keep everything, and check now and then whether the agent signed in again.
/// Nothing is sent again by itself: a message refused meanwhile keeps its Retry.
pub(super) fn sign_out(model: &mut Model) -> Vec<Command> {
    if model.signed_out {
        return Vec::new();
    }
    model.signed_out = true;
    model.sign_in_checks = 0;
    if model.sign_in_pending {
        // A check from an earlier sign-out is still out; its answer carries on from here.
        return Vec::new();
    }
    model.sign_in_pending = true;
    vec![Command::CheckSignIn {
        delay_ms: sign_in_check_delay_ms(0),
    }]
}

/// The wait before the next sign-in check: 2 s, 4 s, 8 s, then every 10 s.
pub fn sign_in_check_delay_ms(checks: u32) -> u32 {
    (2_000u32 << checks.min(3)).min(10_000)
}

/// Where a gap noticed at `at` may begin: the server may have lost this client any time after
/// it answered the last connect, which left no later than `delivered_before` (not when this
/// client happened to notice, which can be after a message of the gap was published).
pub(super) fn gap_start(model: &Model, at: Millis) -> Millis {
    model.delivered_before.map_or(at, |before| before.min(at))
}

pub(super) fn apply_notification(
    model: &mut Model,
    notification: ImNotification,
    at: Millis,
) -> Vec<Command> {
    match notification {
        ImNotification::StateChange { kind, session } => {
            let is_data_change = kind == StateChangeKind::AttachedDataChanged;
            let id = upsert(model, session, at);
            if let Some(view) = id.and_then(|id| model.session_mut(&id)) {
                let settled = match view.busy {
                    Some(Action::Complete) => view.is_completed(),
                    Some(
                        Action::AttachUserData | Action::UpdateUserData | Action::DeleteUserData,
                    ) => is_data_change,
                    _ => false,
                };
                if settled {
                    view.busy = None;
                }
            }
            Vec::new()
        }
        ImNotification::LogUpdate {
            im_session_path,
            message,
            ..
        } => {
            let Some(id) = gws_protocol::session_id_from_path(&im_session_path).map(str::to_owned)
            else {
                return Vec::new();
            };
            let mut commands = Vec::new();
            if model.session(&id).is_none() {
                // A message for a session this client has not seen: show it, and fetch the session.
                let placeholder = ImSession {
                    id: id.clone(),
                    ..ImSession::default()
                };
                model.push_session(new_view(&id, placeholder, at));
                commands.push(Command::LoadSessions);
            }
            let selected = model.selected.as_deref() == Some(id.as_str());
            if let Some(view) = model.session_mut(&id) {
                if confirm_echo(view, &message) {
                    // The server has it: the next queued message may go.
                    commands.extend(send_next_queued(model, &id));
                } else {
                    view.transcript.push(Line {
                        at,
                        text: message,
                        kind: LineKind::Incoming,
                    });
                    view.incoming += 1;
                    if !selected {
                        view.unread += 1;
                    }
                }
            }
            commands
        }
        ImNotification::Unknown { .. } => Vec::new(),
    }
}

/// One event of the live channel.
pub(super) fn apply(model: &mut Model, event: LiveEvent) -> Vec<Command> {
    match event {
        LiveEvent::Round { started } => {
            model.delivered_before = Some(started);
            settle_unconfirmed(model, |since| {
                (since < started).then_some(Delivery::Failed {
                    reason: Problem::NotDelivered,
                })
            });
            Vec::new()
        }
        LiveEvent::Notification { notification, at } => apply_notification(model, notification, at),
        LiveEvent::SignedOut => Vec::new(),
        LiveEvent::Up { at, fresh } => {
            model.connection = Connection::Connected;
            let lost_at = model.live_lost_at.take();
            if !fresh {
                return Vec::new();
            }
            // A new CometD session never gets what was published before it: no evidence left.
            settle_unconfirmed(model, |_| Some(Delivery::Uncertain));
            if let Some(from) = lost_at {
                model.pending_gap = Some((from, at));
                model.change_sessions(|view| {
                    let live = !view.is_completed();
                    if live {
                        view.transcript.push(Line {
                            at: from,
                            text: String::new(),
                            kind: LineKind::Gap { until: at },
                        });
                    }
                    live
                });
            }
            // A new CometD session only sees what is published from now on: re-read the list so
            // that changes since the last read (or during the gap) are not missed.
            vec![Command::LoadSessions]
        }
        LiveEvent::Interrupted { at } => {
            model.live_lost_at.get_or_insert(gap_start(model, at));
            if !matches!(
                model.connection,
                Connection::Reconnecting { .. } | Connection::Offline { .. }
            ) {
                model.connection = Connection::Reconnecting { since: at };
            }
            Vec::new()
        }
        LiveEvent::Offline { at } => {
            model.live_lost_at.get_or_insert(gap_start(model, at));
            let since = match model.connection {
                Connection::Reconnecting { since } | Connection::Offline { since } => since,
                _ => at,
            };
            model.connection = Connection::Offline { since };
            Vec::new()
        }
    }
}

/// The answer to a sign-in check: whether `GET /me` works again.
pub(super) fn sign_in_checked(model: &mut Model, signed_in: bool) -> Vec<Command> {
    if !model.signed_out {
        model.sign_in_pending = false;
        Vec::new()
    } else if !signed_in {
        model.sign_in_checks = model.sign_in_checks.saturating_add(1);
        vec![Command::CheckSignIn {
            delay_ms: sign_in_check_delay_ms(model.sign_in_checks),
        }]
    } else {
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
}
