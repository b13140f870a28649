//! `Runtime::dispatch`: one event through the reducer, then everything that follows from what it
//! touched — the fresh marks and alert news, the host page's events, the per-session triggers —
//! and the commands it returned.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Runtime, WidgetContext};
use crate::state::{reduce, Event, Model, Touched};

impl Runtime {
    pub(super) fn dispatch(self: &Rc<Self>, event: Event) {
        if self.stopped.get() {
            return;
        }
        match &event {
            Event::PeerAgent { agent } => {
                if self.is_other_agent(Some(agent)) {
                    self.later(Self::change_agent);
                }
                return;
            }
            Event::PeerSignedOut => {
                // Another tab signed the agent out: this one ends too (and empties its own
                // sessionStorage). Later: this runs inside the tab channel's message handler.
                let end = Rc::clone(&self.host.end_signed_out);
                self.store.borrow_mut().take();
                spawn_local(async move { end() });
                return;
            }
            _ => {}
        }
        if matches!(event, Event::DraftChanged { .. }) {
            // Nothing but the composer shows a draft, and a draft is no news for alerts or the host.
            let mut commands = Vec::new();
            self.set_model.update_untracked(|model| {
                commands = reduce(model, event);
                // Only the composer shows a draft, and it tracks `drafts`: the session's other
                // views (its row, its transcript) stay as they are.
                model.take_touched();
            });
            self.drafts.notify();
            self.unsaved.set(true);
            for command in commands {
                self.execute(command);
            }
            return;
        }
        let live_up = matches!(event, Event::Live(crate::state::LiveEvent::Up { .. }));
        // Restored transcripts are old news: they neither alert nor mark rows "New".
        let restoring = matches!(event, Event::Restored { .. });
        let (was_signed_out, was_selected) = self
            .model
            .with_untracked(|model| (model.signed_out, model.selected.clone()));
        let mut error = crate::host_events::error_of(&event, self.texts);
        let mut commands = Vec::new();
        self.set_model
            .update(|model| commands = reduce(model, event));
        // Everything below reads only what this change touched: a /load reply of a full day
        // dispatches thousands of events in one task, so per-event work stays O(touched).
        let mut touched = self
            .set_model
            .try_update_untracked(Model::take_touched)
            .unwrap_or_default();
        let host_events = self.model.with_untracked(|model| {
            if let Some(signed_out) =
                crate::host_events::signed_out(was_signed_out, model, self.texts)
            {
                error = Some(signed_out);
            }
            let news = if restoring {
                crate::alerts::attention::News::default()
            } else {
                crate::alerts::attention::News::of(&touched, model)
            };
            self.attention
                .maybe_update(|attention| attention.absorb(news, &touched, model));
            crate::host_events::events(&touched, model, restoring)
        });
        self.notify_sessions(&mut touched, was_selected);
        for host_event in host_events.iter().chain(&error) {
            (self.host.emit)(host_event);
        }
        self.unsaved.set(true);
        if live_up {
            if let Some(store) = self.store.borrow().as_ref() {
                store.mark_live(WidgetContext::clock());
            }
        }
        for command in commands {
            self.execute(command);
        }
    }

    /// Fires the triggers of the sessions the last change touched, and of the rows that gained or
    /// lost the selection (`was_selected` before it).
    pub(super) fn notify_sessions(&self, touched: &mut Touched, was_selected: Option<String>) {
        self.model.with_untracked(|model| {
            if model.selected != was_selected {
                touched.ids.extend(was_selected);
                touched.ids.extend(model.selected.clone());
            }
            self.sessions.notify(touched, model);
        });
    }
}
