//! The reducer: every change to the model, as a pure function.

use gws_protocol::{
    Destination, ImNotification, ImSession, ImSessionOperation, ImSessionState, InitiateImSession,
    StateChangeKind, UserData,
};

use super::action::Action;
use super::model::{
    Connection, Delivery, Line, LineKind, ListLoad, Millis, Model, NewImStatus, SessionView,
};
use super::notice::{Notice, Problem};
use super::{Command, Event, LiveEvent, StoredSession};

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

/// Signed out: say so, keep everything, and check now and then whether the agent signed in again.
/// Nothing is sent again by itself: a message refused meanwhile keeps its Retry.
fn sign_out(model: &mut Model) -> Vec<Command> {
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

/// How long to wait before reading the session list again after `failures` failed reads in a
/// row: 2 s, 4 s, 8 s … at most 30 s.
pub fn load_retry_delay_ms(failures: u32) -> u32 {
    let doublings = failures.saturating_sub(1).min(4);
    (2_000u32 << doublings).min(30_000)
}

/// Gives every `Unconfirmed` own line (not yet echoed) the delivery `verdict` returns for the time
/// its request failed, if any; keeps `model.unconfirmed` an upper bound of those left.
fn settle_unconfirmed(model: &mut Model, verdict: impl Fn(Millis) -> Option<Delivery>) {
    if model.unconfirmed == 0 {
        return;
    }
    let mut left = 0u32;
    for view in model.sessions.iter_mut() {
        for line in view.transcript.iter_mut() {
            if let LineKind::Outgoing {
                delivery,
                echoed: false,
                ..
            } = &mut line.kind
            {
                if let Delivery::Unconfirmed { since } = *delivery {
                    match verdict(since) {
                        Some(settled) => *delivery = settled,
                        None => left = left.saturating_add(1),
                    }
                }
            }
        }
    }
    model.unconfirmed = left;
}

fn user_data_key(key: &str) -> Option<String> {
    let key = key.trim();
    (!key.is_empty()).then(|| key.to_owned())
}

/// A case-data action on a trimmed, non-empty key; an empty key is explained instead.
fn user_data_action(
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

fn reject_empty_key(model: &mut Model, session: &str) -> Vec<Command> {
    if let Some(view) = model.session_mut(session) {
        view.action_error = Some(Problem::EmptyKey);
    }
    Vec::new()
}

/// Starts an operation other than SendMessage, if the session allows it and none is in flight.
fn start_action(
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

/// Sets `to` on the oldest not-yet-echoed own line of `session` with `text` whose delivery is `from`;
/// returns whether there was one.
fn redeliver_unechoed(
    model: &mut Model,
    session: &str,
    text: &str,
    from: impl Fn(&Delivery) -> bool,
    to: Delivery,
) -> bool {
    let Some(view) = model.session_mut(session) else {
        return false;
    };
    let line = view.transcript.iter_mut().find(|line| {
        line.text == text
            && matches!(&line.kind, LineKind::Outgoing { delivery, echoed: false, .. } if from(delivery))
    });
    match line.map(|line| &mut line.kind) {
        Some(LineKind::Outgoing { delivery, .. }) => {
            *delivery = to;
            true
        }
        _ => false,
    }
}

fn outgoing_mut<'m>(model: &'m mut Model, session: &str, local_id: u64) -> Option<&'m mut Line> {
    model
        .session_mut(session)?
        .transcript
        .iter_mut()
        .find(|line| matches!(line.kind, LineKind::Outgoing { local_id: id, .. } if id == local_id))
}

/// The SendMessage request for `text`, or why it cannot be made.
fn send_command(
    view: &SessionView,
    device_path: Option<&str>,
    local_id: u64,
    text: &str,
) -> Result<Command, Problem> {
    if let Some(reason) = view.why_not(Action::SendMessage) {
        return Err(reason);
    }
    let destination = view.destination().ok_or(Problem::NoNumber)?;
    let device_path = device_path.ok_or(Problem::NoDevice)?;
    Ok(Command::Operate {
        session: view.id.clone(),
        local_id: Some(local_id),
        operation: ImSessionOperation::SendMessage {
            text: text.to_owned(),
            destination: Destination::new(destination),
            device_path: device_path.to_owned(),
        },
    })
}

/// Where a gap noticed at `at` may begin: the server may have lost this client any time after
/// it answered the last connect, which left no later than `delivered_before` (not when this
/// client happened to notice, which can be after a message of the gap was published).
fn gap_start(model: &Model, at: Millis) -> Millis {
    model.delivered_before.map_or(at, |before| before.min(at))
}

fn send_draft(model: &mut Model, session: &str, at: Millis) -> Vec<Command> {
    let local_id = model.next_local_id + 1;
    let device_path = model.device_path.clone();
    let Some(view) = model.session_mut(session) else {
        return Vec::new();
    };
    if view.draft.trim().is_empty() {
        return Vec::new();
    }
    if let Some(reason) = view.why_not(Action::SendMessage) {
        // The draft stays: nothing the agent typed is lost.
        view.action_error = Some(reason);
        return Vec::new();
    }
    let text = std::mem::take(&mut view.draft);
    let (delivery, commands) = if has_in_flight(view) {
        (Delivery::Queued, Vec::new())
    } else {
        match send_command(view, device_path.as_deref(), local_id, &text) {
            Ok(command) => (Delivery::Sending, vec![command]),
            Err(reason) => (Delivery::Failed { reason }, Vec::new()),
        }
    };
    view.action_error = None;
    view.transcript.push(Line {
        at,
        text,
        kind: LineKind::Outgoing {
            local_id,
            delivery,
            echoed: false,
        },
    });
    model.next_local_id = local_id;
    commands
}

fn retry(model: &mut Model, session: &str, local_id: u64) -> Vec<Command> {
    let device_path = model.device_path.clone();
    let Some(view) = model.session_mut(session) else {
        return Vec::new();
    };
    let Some(text) = view.transcript.iter().find_map(|line| match &line.kind {
        LineKind::Outgoing {
            local_id: id,
            delivery: Delivery::Failed { .. } | Delivery::Uncertain,
            echoed: false,
        } if *id == local_id => Some(line.text.clone()),
        _ => None,
    }) else {
        return Vec::new();
    };
    let (delivery, commands) = if has_in_flight(view) {
        (Delivery::Queued, Vec::new())
    } else {
        match send_command(view, device_path.as_deref(), local_id, &text) {
            Ok(command) => (Delivery::Sending, vec![command]),
            Err(reason) => (Delivery::Failed { reason }, Vec::new()),
        }
    };
    if let Some(line) = outgoing_mut(model, session, local_id) {
        if let LineKind::Outgoing {
            delivery: current, ..
        } = &mut line.kind
        {
            *current = delivery;
        }
    }
    commands
}

/// Whether a SendMessage request of this session is still unanswered.
fn has_in_flight(view: &SessionView) -> bool {
    view.transcript.iter().any(|line| {
        matches!(
            line.kind,
            LineKind::Outgoing {
                delivery: Delivery::Sending,
                ..
            }
        )
    })
}

/// Sends the oldest queued message of `session` once nothing is in flight.
fn send_next_queued(model: &mut Model, session: &str) -> Vec<Command> {
    let device_path = model.device_path.clone();
    let Some(view) = model.session_mut(session) else {
        return Vec::new();
    };
    if has_in_flight(view) {
        return Vec::new();
    }
    let Some((index, local_id)) =
        view.transcript
            .iter()
            .enumerate()
            .find_map(|(i, line)| match line.kind {
                LineKind::Outgoing {
                    local_id,
                    delivery: Delivery::Queued,
                    ..
                } => Some((i, local_id)),
                _ => None,
            })
    else {
        return Vec::new();
    };
    let text = view
        .transcript
        .get(index)
        .map(|l| l.text.clone())
        .unwrap_or_default();
    let (delivery, commands) = match send_command(view, device_path.as_deref(), local_id, &text) {
        Ok(command) => (Delivery::Sending, vec![command]),
        Err(reason) => (Delivery::Failed { reason }, Vec::new()),
    };
    if let Some(LineKind::Outgoing {
        delivery: current, ..
    }) = view.transcript.get_mut(index).map(|l| &mut l.kind)
    {
        *current = delivery;
    }
    if commands.is_empty() {
        // This one could not go (e.g. the capability went away): try the next, so none is stuck queued.
        return send_next_queued(model, session);
    }
    commands
}

fn apply_notification(model: &mut Model, notification: ImNotification, at: Millis) -> Vec<Command> {
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

/// Matches a `NewMessage` to the oldest of the agent's own messages with the same text that has not
/// been echoed yet (see ARCHITECTURE.md); returns whether it was an echo.
/// Sets the delivery of the agent's line `local_id` unless its echo already confirmed it; whether it did.
fn set_unechoed_delivery(model: &mut Model, session: &str, local_id: u64, to: Delivery) -> bool {
    let Some(line) = outgoing_mut(model, session, local_id) else {
        return false;
    };
    match &mut line.kind {
        LineKind::Outgoing {
            delivery,
            echoed: false,
            ..
        } => {
            *delivery = to;
            true
        }
        _ => false,
    }
}

fn confirm_echo(view: &mut SessionView, message: &str) -> bool {
    let echo = view.transcript.iter_mut().find(|line| {
        // A queued message has not been sent, so no echo can be its.
        matches!(&line.kind, LineKind::Outgoing { echoed: false, delivery, .. } if *delivery != Delivery::Queued)
            && line.text.trim() == message.trim()
    });
    match echo {
        Some(line) => {
            if let LineKind::Outgoing {
                delivery, echoed, ..
            } = &mut line.kind
            {
                *delivery = Delivery::Sent;
                *echoed = true;
            }
            true
        }
        None => false,
    }
}

fn new_view(id: &str, session: ImSession, at: Millis) -> SessionView {
    SessionView {
        session,
        id: id.to_owned(),
        started_at: at,
        transcript: Vec::new(),
        incoming: 0,
        unread: 0,
        draft: String::new(),
        action_error: None,
        busy: None,
    }
}

/// What a state change means, as a transcript notice.
fn state_notice(state: &ImSessionState, party: Option<String>) -> Notice {
    match state {
        ImSessionState::Initiating => Notice::Calling { party },
        ImSessionState::Alerting => Notice::Alerting { party },
        ImSessionState::Talking => Notice::Talking { party },
        ImSessionState::Completed => Notice::Ended,
        ImSessionState::Unknown(raw) => Notice::State(raw.clone()),
    }
}

/// A transcript line for `notice`.
fn notice_line(at: Millis, notice: Notice) -> Line {
    Line {
        at,
        text: String::new(),
        kind: LineKind::Notice(notice),
    }
}

/// Inserts or updates a session from the server's copy; returns its id.
fn upsert(model: &mut Model, session: ImSession, at: Millis) -> Option<String> {
    let id = session.key()?.to_owned();
    if session.state == ImSessionState::Completed && model.dismissed.contains(&id) {
        // The agent dismissed it; the server still lists it (as GWS may): keep it gone.
        return Some(id);
    }
    let party = session
        .participants
        .iter()
        .find_map(|p| p.display_number())
        .map(str::to_owned);
    match model.session_mut(&id) {
        Some(view) => {
            if view.session.state != session.state
                && !matches!(session.state, ImSessionState::Unknown(_))
            {
                view.transcript
                    .push(notice_line(at, state_notice(&session.state, party)));
            }
            view.session = session;
        }
        None => {
            let opens = session.state == ImSessionState::Initiating;
            let mut view = new_view(&id, session, at);
            let notice = state_notice(view.state(), party);
            view.transcript.push(notice_line(at, notice));
            if let Some((from, until)) = model.pending_gap {
                view.transcript.push(Line {
                    at: from,
                    text: String::new(),
                    kind: LineKind::Gap { until },
                });
            }
            model.push_session(view);
            if opens {
                // The agent just started this one: open it.
                model.selected = Some(id.clone());
                model.opened_by_itself = model.opened_by_itself.wrapping_add(1);
            }
        }
    }
    Some(id)
}

/// Makes the model agree with a fresh server list.
fn reconcile(model: &mut Model, sessions: Vec<ImSession>, at: Millis) {
    let mut listed = std::collections::HashSet::with_capacity(sessions.len());
    for session in sessions {
        if let Some(id) = upsert(model, session, at) {
            listed.insert(id);
        }
    }
    for view in model.sessions.iter_mut() {
        // Missing from a list asked for before this client first saw the session is no news: a
        // session that rang while the request was on its way is simply newer than the reply.
        if !listed.contains(&view.id) && !view.is_completed() && view.started_at < at {
            view.session.state = ImSessionState::Completed;
            view.busy = None;
            view.transcript.push(notice_line(at, Notice::Ended));
        }
    }
}

/// Removes the session at `index` (dismissed, or past its retention): a re-read of the list must
/// not bring it back.
fn forget_session(model: &mut Model, index: usize) {
    let Some(session) = model.sessions.get(index).map(|v| v.id.clone()) else {
        return;
    };
    model.remove_session(index);
    if model.selected.as_deref() == Some(session.as_str()) {
        model.selected = None;
    }
    remember_dismissed(model, session);
}

/// Keeps `session` gone from re-read lists, forgetting the oldest beyond [`super::DISMISSED_KEPT`].
fn remember_dismissed(model: &mut Model, session: String) {
    if model.dismissed.len() >= super::DISMISSED_KEPT {
        model.dismissed.pop_front();
    }
    model.dismissed.push_back(session);
}

fn restore(model: &mut Model, stored: Vec<StoredSession>) {
    for mut saved in stored {
        if model.was_dismissed(&saved.id) {
            // Saved before the agent dismissed it: it stays gone.
            continue;
        }
        // A check that a closed page left open cannot end here: this is another CometD session.
        for line in saved.transcript.iter_mut() {
            if let LineKind::Outgoing { delivery, .. } = &mut line.kind {
                if matches!(delivery, Delivery::Unconfirmed { .. }) {
                    *delivery = Delivery::Uncertain;
                }
            }
        }
        match model.session_mut(&saved.id) {
            Some(view) => {
                let newer = std::mem::take(&mut view.transcript);
                view.transcript = saved.transcript;
                view.transcript.extend(newer);
                view.recount_incoming();
                view.started_at = view.started_at.min(saved.started_at);
                if view.draft.is_empty() {
                    view.draft = saved.draft;
                }
            }
            None => {
                let mut view = new_view(&saved.id, saved.session, saved.started_at);
                view.transcript = saved.transcript;
                view.recount_incoming();
                view.draft = saved.draft;
                model.push_session(view);
            }
        }
    }
}
