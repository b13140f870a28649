//! The outbox: sending drafts, queueing, retrying, and matching the server's echo to the agent's own lines.

use gws_protocol::{Destination, ImSessionOperation};

use crate::state::action::Action;
use crate::state::model::Model;
use crate::state::notice::Problem;
use crate::state::session::{Delivery, Line, LineKind, SessionView};
use crate::state::Command;
use crate::state::Millis;

/// Gives every `Unconfirmed` own line (not yet echoed) the delivery `verdict` returns for the time
/// its request failed, if any; keeps `model.unconfirmed` an upper bound of those left.
pub(super) fn settle_unconfirmed(model: &mut Model, verdict: impl Fn(Millis) -> Option<Delivery>) {
    if model.unconfirmed == 0 {
        return;
    }
    let mut left = 0u32;
    model.change_sessions(|view| {
        let mut settled_any = false;
        for line in view.pending_mut() {
            if let LineKind::Outgoing { delivery, .. } = &mut line.kind {
                if let Delivery::Unconfirmed { since } = *delivery {
                    match verdict(since) {
                        Some(settled) => {
                            *delivery = settled;
                            settled_any = true;
                        }
                        None => left = left.saturating_add(1),
                    }
                }
            }
        }
        settled_any
    });
    model.unconfirmed = left;
}

/// Sets `to` on the oldest not-yet-echoed own line of `session` with `text` whose delivery is `from`;
/// returns whether there was one.
pub(super) fn redeliver_unechoed(
    model: &mut Model,
    session: &str,
    text: &str,
    from: impl Fn(&Delivery) -> bool,
    to: Delivery,
) -> bool {
    let Some(view) = model.session_mut(session) else {
        return false;
    };
    let line = view.pending_mut().find(|line| {
        line.text == text
            && matches!(&line.kind, LineKind::Outgoing { delivery, .. } if from(delivery))
    });
    match line.map(|line| &mut line.kind) {
        Some(LineKind::Outgoing { delivery, .. }) => {
            *delivery = to;
            true
        }
        _ => false,
    }
}

/// The agent's line `local_id`, while it is in the outbox (an echoed line is settled: `Sent`).
pub(super) fn outgoing_mut<'m>(
    model: &'m mut Model,
    session: &str,
    local_id: u64,
) -> Option<&'m mut Line> {
    model
        .session_mut(session)?
        .pending_mut()
        .find(|line| matches!(line.kind, LineKind::Outgoing { local_id: id, .. } if id == local_id))
}

/// The SendMessage request for `text`, or why it cannot be made.
pub(super) fn send_command(
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

pub(super) fn send_draft(model: &mut Model, session: &str, at: Millis) -> Vec<Command> {
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
    view.outbox += 1;
    model.next_local_id = local_id;
    commands
}

pub(super) fn retry(model: &mut Model, session: &str, local_id: u64) -> Vec<Command> {
    let device_path = model.device_path.clone();
    let Some(view) = model.session_mut(session) else {
        return Vec::new();
    };
    let Some(text) = view.pending().find_map(|line| match &line.kind {
        LineKind::Outgoing {
            local_id: id,
            delivery: Delivery::Failed { .. } | Delivery::Uncertain,
            ..
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
pub(super) fn has_in_flight(view: &SessionView) -> bool {
    view.pending().any(|line| {
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
pub(super) fn send_next_queued(model: &mut Model, session: &str) -> Vec<Command> {
    let device_path = model.device_path.clone();
    let Some(view) = model.session_mut(session) else {
        return Vec::new();
    };
    if has_in_flight(view) {
        return Vec::new();
    }
    let Some((local_id, text)) = view.pending().find_map(|line| match line.kind {
        LineKind::Outgoing {
            local_id,
            delivery: Delivery::Queued,
            ..
        } => Some((local_id, line.text.clone())),
        _ => None,
    }) else {
        return Vec::new();
    };
    let (delivery, commands) = match send_command(view, device_path.as_deref(), local_id, &text) {
        Ok(command) => (Delivery::Sending, vec![command]),
        Err(reason) => (Delivery::Failed { reason }, Vec::new()),
    };
    let line = view.pending_mut().find(
        |line| matches!(line.kind, LineKind::Outgoing { local_id: id, .. } if id == local_id),
    );
    if let Some(LineKind::Outgoing {
        delivery: current, ..
    }) = line.map(|l| &mut l.kind)
    {
        *current = delivery;
    }
    if commands.is_empty() {
        // This one could not go (e.g. the capability went away): try the next, so none is stuck queued.
        return send_next_queued(model, session);
    }
    commands
}

/// Matches a `NewMessage` to the oldest of the agent's own messages with the same text that has not
/// been echoed yet (see ARCHITECTURE.md); returns whether it was an echo.
/// Sets the delivery of the agent's line `local_id` unless its echo already confirmed it; whether it did.
pub(super) fn set_unechoed_delivery(
    model: &mut Model,
    session: &str,
    local_id: u64,
    to: Delivery,
) -> bool {
    let Some(line) = outgoing_mut(model, session, local_id) else {
        return false;
    };
    match &mut line.kind {
        LineKind::Outgoing { delivery, .. } => {
            *delivery = to;
            true
        }
        _ => false,
    }
}

pub(super) fn confirm_echo(view: &mut SessionView, message: &str) -> bool {
    let echo = view.pending_mut().find(|line| {
        // A queued message has not been sent, so no echo can be its.
        matches!(&line.kind, LineKind::Outgoing { delivery, .. } if *delivery != Delivery::Queued)
            && line.text.trim() == message.trim()
    });
    let Some(LineKind::Outgoing {
        delivery, echoed, ..
    }) = echo.map(|line| &mut line.kind)
    else {
        return false;
    };
    *delivery = Delivery::Sent;
    *echoed = true;
    view.outbox = view.outbox.saturating_sub(1);
    true
}

/// GWS accepted a SendMessage: the line is Sent, and the next queued one goes.
pub(super) fn accepted(model: &mut Model, session: String, local_id: u64) -> Vec<Command> {
    if let Some(line) = outgoing_mut(model, &session, local_id) {
        if let LineKind::Outgoing { delivery, .. } = &mut line.kind {
            *delivery = Delivery::Sent;
        }
    }
    send_next_queued(model, &session)
}

/// GWS refused a SendMessage: the line shows why, with Retry and Discard.
pub(super) fn rejected(
    model: &mut Model,
    session: String,
    local_id: u64,
    reason: Problem,
) -> Vec<Command> {
    set_unechoed_delivery(model, &session, local_id, Delivery::Failed { reason });
    send_next_queued(model, &session)
}

/// A SendMessage got no answer: checked against the live channel, never re-sent by itself.
pub(super) fn unanswered(
    model: &mut Model,
    session: String,
    local_id: u64,
    at: Millis,
) -> Vec<Command> {
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

pub(super) fn draft_changed(model: &mut Model, session: String, text: String) -> Vec<Command> {
    if let Some(view) = model.session_mut(&session) {
        view.draft = text;
    }
    Vec::new()
}

/// Another tab's send of `text` failed: the same line here shows it.
pub(super) fn peer_failed(
    model: &mut Model,
    session: String,
    text: String,
    reason: String,
) -> Vec<Command> {
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

/// Another tab is sending `text`: shown here as the agent's own line.
pub(super) fn peer_outgoing(
    model: &mut Model,
    session: String,
    text: String,
    at: Millis,
) -> Vec<Command> {
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
        view.outbox += 1;
        model.next_local_id = local_id;
    }
    Vec::new()
}

/// The agent discarded a failed (or uncertain) line.
pub(super) fn discard(model: &mut Model, session: String, local_id: u64) -> Vec<Command> {
    if let Some(view) = model.session_mut(&session) {
        // From the newest end: the line is in the outbox, near the end of the transcript.
        let at = view.transcript.iter().rposition(|line| {
            line.is_pending()
                && matches!(&line.kind, LineKind::Outgoing { local_id: id, delivery: Delivery::Failed { .. } | Delivery::Uncertain, .. } if *id == local_id)
        });
        if let Some(at) = at {
            view.transcript.remove(at);
            view.outbox = view.outbox.saturating_sub(1);
        }
    }
    Vec::new()
}
