//! Start-up and the agent at the desk: `GET /me`, kept transcripts, the list, the device, the
//! live channel; a sign-in check after a sign-out; another agent taking the desk.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Runtime, WidgetContext};
use crate::config::StorageMode;
use crate::net::api::Error;
use crate::net::tabs::message::TabMessage;
use crate::net::tabs::Tabs;
use crate::runtime::storage::TranscriptStore;
use crate::state::Event;

impl Runtime {
    /// Whether `agent` (a `GET /me` storage key) is not the agent this widget started for. Before
    /// start-up knew the agent, nobody is "other".
    pub(super) fn is_other_agent(&self, agent: Option<&str>) -> bool {
        self.agent
            .borrow()
            .as_deref()
            .is_some_and(|mine| agent.is_some_and(|agent| agent != mine))
    }

    /// Another agent signed in at this desk (this tab's `/me`, or another tab's): everything of the
    /// agent who was here goes (stored data, the model, the live channel) and start-up runs again
    /// for the new agent.
    pub(super) fn change_agent(self: &Rc<Self>) {
        if let Some(store) = self.store.borrow_mut().take() {
            store.remove_all();
        }
        if let Some(live) = self.live.borrow_mut().take() {
            live.stop();
        }
        self.clear_timers();
        self.agent.borrow_mut().take();
        self.booted.set(false);
        self.dispatch(Event::AgentChanged);
        self.attention
            .set(crate::alerts::attention::Attention::default());
        self.unsaved.set(false);
        let runtime = Rc::clone(self);
        spawn_local(async move { runtime.boot().await });
    }

    /// Whether the agent signed in again (`GET /me` works); a start-up that stopped at a signed-out
    /// `/me` is finished then. Signed in as another agent, the widget starts again for them.
    pub(super) async fn check_sign_in(self: &Rc<Self>) {
        let me = self.api.me().await;
        if self.stopped.get() {
            return;
        }
        if let Ok(user) = &me {
            if self.is_other_agent(user.storage_key()) {
                self.change_agent();
                return;
            }
        }
        let signed_in = me.is_ok();
        self.dispatch(Event::SignInChecked { signed_in });
        if signed_in && !self.booted.get() {
            self.boot().await;
        }
    }

    /// Start-up: who the agent is (and the CSRF token), their kept transcripts, the list, the device,
    /// then the live channel.
    pub(super) async fn boot(self: &Rc<Self>) {
        // The three reads go out together (the first list is on screen one round trip sooner);
        // their results are applied in this order, so the list reconciles the restored sessions.
        let requested_at = WidgetContext::clock();
        let (me, listed, device) = futures_util::future::join3(
            self.api.me(),
            self.api.list_sessions(),
            self.api.device_path(),
        )
        .await;
        if self.stopped.get() {
            return;
        }
        match me {
            Ok(user) => {
                if let Some(agent) = user.storage_key() {
                    self.start_as(agent);
                }
            }
            Err(Error::Unauthenticated) => {
                // The reducer checks now and then whether the agent signed in again; then this runs again.
                self.dispatch(Event::SessionsFailed(Error::Unauthenticated));
                return;
            }
            // Without the agent's identity nothing is restored, but the widget still works.
            Err(_) => {}
        }
        self.booted.set(true);
        self.dispatch(Self::listed(listed, requested_at));
        self.dispatch(Event::DeviceFound(device.ok().flatten()));
        if self.stopped.get() {
            return;
        }
        let api = self.api.clone();
        let weak = Rc::downgrade(self);
        let live = Tabs::start(
            &self.tabs_name,
            self.notifications_url.clone(),
            Rc::new(move || api.csrf_headers()),
            Rc::new(move |event| {
                if let Some(runtime) = weak.upgrade() {
                    runtime.dispatch(event);
                }
            }),
            self.storage_mode != StorageMode::None,
        );
        *self.live.borrow_mut() = Some(live);
    }

    /// `/me` named `agent`: every other agent's stored data goes before anything renders, the other
    /// tabs hear who is here now, and this agent's kept transcripts (within their retention) return.
    pub(super) fn start_as(self: &Rc<Self>, agent: &str) {
        crate::runtime::storage::clear_for(agent, self.storage_mode);
        crate::net::tabs::broadcast(
            &self.tabs_name,
            &TabMessage::Agent {
                agent: agent.to_owned(),
            },
            self.storage_mode != StorageMode::None,
        );
        *self.agent.borrow_mut() = Some(agent.to_owned());
        self.prefs.load(agent, self.storage_mode);
        match TranscriptStore::open(agent, self.storage_mode) {
            Some(store) => {
                let (sessions, live_until, dismissed) =
                    store.load(WidgetContext::clock(), self.retention_ms);
                *self.store.borrow_mut() = Some(store);
                self.dispatch(Event::Restored {
                    sessions,
                    live_until,
                    dismissed,
                });
            }
            // Memory only, as the host asked: nothing to say.
            None if self.storage_mode == StorageMode::None => {}
            // Private mode or a policy: no storage at all; the widget works from memory.
            None => self.dispatch(Event::StorageRefused),
        }
    }
}
