//! The session list: reading it, reconciling the model with it, forgetting what the agent dismissed.

use gws_protocol::{ImSession, ImSessionState};

use crate::state::model::{ListLoad, Model};
use crate::state::notice::{Notice, Problem};
use crate::state::session::{Line, LineKind, SessionView};
use crate::state::Millis;
use crate::state::{Command, RequestError};

/// How long to wait before reading the session list again after `failures` failed reads in a
/// row: 2 s, 4 s, 8 s … at most 30 s.
pub fn load_retry_delay_ms(failures: u32) -> u32 {
    let doublings = failures.saturating_sub(1).min(4);
    (2_000u32 << doublings).min(30_000)
}

pub(super) fn new_view(id: &str, session: ImSession, at: Millis) -> SessionView {
    SessionView {
        session,
        id: id.to_owned(),
        started_at: at,
        transcript: Vec::new(),
        incoming: 0,
        outbox: 0,
        unread: 0,
        draft: String::new(),
        action_error: None,
        busy: None,
    }
}

/// Inserts or updates a session from the server's copy; returns its id.
pub(super) fn upsert(model: &mut Model, session: ImSession, at: Millis) -> Option<String> {
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
pub(super) fn reconcile(model: &mut Model, sessions: Vec<ImSession>, at: Millis) {
    let mut listed = std::collections::HashSet::with_capacity(sessions.len());
    for session in sessions {
        if let Some(id) = upsert(model, session, at) {
            listed.insert(id);
        }
    }
    model.change_sessions(|view| {
        // Missing from a list asked for before this client first saw the session is no news: a
        // session that rang while the request was on its way is simply newer than the reply.
        let ended = !listed.contains(&view.id) && !view.is_completed() && view.started_at < at;
        if ended {
            view.session.state = ImSessionState::Completed;
            view.busy = None;
            view.transcript.push(notice_line(at, Notice::Ended));
        }
        ended
    });
}

/// Removes the session at `index` (dismissed, or past its retention): a re-read of the list must
/// not bring it back.
pub(super) fn forget_session(model: &mut Model, index: usize) {
    let Some(session) = model.sessions.get(index).map(|v| v.id.clone()) else {
        return;
    };
    model.remove_session(index);
    if model.selected.as_deref() == Some(session.as_str()) {
        model.selected = None;
    }
    remember_dismissed(model, session);
}

/// Keeps `session` gone from re-read lists, forgetting the oldest beyond [`crate::state::DISMISSED_KEPT`].
pub(super) fn remember_dismissed(model: &mut Model, session: String) {
    if model.dismissed.len() >= crate::state::DISMISSED_KEPT {
        model.dismissed.pop_front();
    }
    model.dismissed.push_back(session);
}

/// What a state change means, as a transcript notice.
pub(super) fn state_notice(state: &ImSessionState, party: Option<String>) -> Notice {
    match state {
        ImSessionState::Initiating => Notice::Calling { party },
        ImSessionState::Alerting => Notice::Alerting { party },
        ImSessionState::Talking => Notice::Talking { party },
        ImSessionState::Completed => Notice::Ended,
        ImSessionState::Unknown(raw) => Notice::State(raw.clone()),
    }
}

/// A transcript line for `notice`.
pub(super) fn notice_line(at: Millis, notice: Notice) -> Line {
    Line {
        at,
        text: String::new(),
        kind: LineKind::Notice(notice),
    }
}

/// The list was read: the model agrees with it from now on.
pub(super) fn loaded(model: &mut Model, sessions: Vec<ImSession>, at: Millis) -> Vec<Command> {
    reconcile(model, sessions, at);
    model.pending_gap = None;
    model.load = ListLoad::Loaded;
    model.load_failures = 0;
    if matches!(model.banner, Some(Problem::RefreshFailed(_))) {
        model.banner = None;
    }
    Vec::new()
}

/// The list could not be read: said, and tried again later (not when signed out).
pub(super) fn load_failed(model: &mut Model, error: RequestError) -> Vec<Command> {
    // Signed out does not mend by itself (and start-up stops there); anything else is retried.
    let retry = error != RequestError::Unauthenticated;
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

/// Read the list again, if the last read failed.
pub(super) fn retry_load(model: &mut Model) -> Vec<Command> {
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

/// The agent opened session `id`: its unread count goes.
pub(super) fn select(model: &mut Model, id: String) -> Vec<Command> {
    if let Some(view) = model.session_mut(&id) {
        view.unread = 0;
        model.selected = Some(id);
    }
    Vec::new()
}

/// The agent dismissed a completed session: gone from the list and from storage.
pub(super) fn dismiss(model: &mut Model, session: String) -> Vec<Command> {
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

/// Completed sessions past their retention: removed as Dismiss removes them.
pub(super) fn expire(model: &mut Model, sessions: Vec<String>) -> Vec<Command> {
    sessions
        .into_iter()
        .filter_map(|session| {
            let index = model.position(&session)?;
            forget_session(model, index);
            Some(Command::Forget { session })
        })
        .collect()
}
