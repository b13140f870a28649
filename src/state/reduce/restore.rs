//! Transcripts restored from storage after a reload.

use super::list::{new_view, remember_dismissed};
use crate::state::model::{Connection, Model};
use crate::state::notice::Problem;
use crate::state::session::{Delivery, LineKind};
use crate::state::Millis;
use crate::state::{Command, StoredSession};

pub(super) fn restore(model: &mut Model, stored: Vec<StoredSession>) {
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
                view.recount();
                view.started_at = view.started_at.min(saved.started_at);
                if view.draft.is_empty() {
                    view.draft = saved.draft;
                }
            }
            None => {
                let mut view = new_view(&saved.id, saved.session, saved.started_at);
                view.transcript = saved.transcript;
                view.recount();
                view.draft = saved.draft;
                model.push_session(view);
            }
        }
    }
}

/// What storage kept, after a reload: transcripts, what the agent dismissed, and when the widget was last live.
pub(super) fn restored(
    model: &mut Model,
    sessions: Vec<StoredSession>,
    live_until: Option<Millis>,
    dismissed: Vec<String>,
) -> Vec<Command> {
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

/// The browser refused to keep transcripts: the agent hears it once.
pub(super) fn storage_refused(model: &mut Model) -> Vec<Command> {
    // Every refused write says so again: the agent hears it once.
    if !std::mem::replace(&mut model.storage_refused, true) {
        model.banner = Some(Problem::StorageRefused);
    }
    Vec::new()
}
