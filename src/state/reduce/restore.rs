//! Transcripts restored from storage after a reload.

use super::list::new_view;
use crate::state::model::{Delivery, LineKind, Model};
use crate::state::StoredSession;

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
