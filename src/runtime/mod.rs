//! The widget's runtime: the model signal, `dispatch`, and the effects the reducer asks for
//! (REST calls, the CometD client, storage). Components reach it through [`WidgetContext`].

pub(crate) mod sessions;
pub(crate) mod storage;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gws_protocol::ImSessionOperation;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::config::{StorageMode, WidgetConfig};
use crate::net::api::{ApiClient, Error};
use crate::net::tabs::message::TabMessage;
use crate::net::tabs::Tabs;
use crate::runtime::sessions::SessionSignals;
use crate::runtime::storage::TranscriptStore;
use crate::state::{reduce, Command, Connection, Event, Millis, Model, SessionView, Touched};

/// What every component may use: read the model, dispatch events, read the ticking clock.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    /// The whole model, notified on every change: for what shows every session at once (totals,
    /// the filtered list). A view of one session reads it through [`WidgetContext::with_session`].
    pub model: ReadSignal<Model>,
    /// One trigger per session, fired only when the reducer touched that session.
    pub sessions: SessionSignals,
    /// Applies an event (through the pure reducer) and runs the requests it calls for.
    pub dispatch: Callback<Event>,
    /// This client's clock, ticking once a second, for "time since" displays.
    pub now: ReadSignal<Millis>,
    /// What the host page configured.
    pub config: StoredValue<WidgetConfig>,
    /// What is new for the agent (queued alerts, rows marked "New"), kept by `Runtime::dispatch`.
    pub attention: RwSignal<crate::alerts::attention::Attention>,
    /// Fires when a draft changes. Drafts change the model without notifying it: a keystroke then
    /// re-runs only what reads drafts (the composer), not every row's memo.
    pub drafts: Trigger,
}

impl WidgetContext {
    /// The current time for stamping events (`Date.now()`).
    pub fn clock() -> Millis {
        js_sys::Date::now()
    }

    /// Reads session `id` (`None` while the model has no such session), re-running the caller
    /// only when that session changes: a notification for one session re-runs its row and, if it
    /// is open, its chat, not the other rows.
    pub fn with_session<T>(&self, id: &str, read: impl FnOnce(Option<&SessionView>) -> T) -> T {
        self.sessions.track(id);
        self.model.with_untracked(|m| read(m.session(id)))
    }

    /// The name the host's directory gives `number`, if any.
    pub fn name_for(&self, number: &str) -> Option<String> {
        self.config
            .with_value(|c| c.name_for(number).map(str::to_owned))
    }
}

/// The effects side of one mounted widget.
struct Runtime {
    api: ApiClient,
    model: ReadSignal<Model>,
    set_model: WriteSignal<Model>,
    store: RefCell<Option<TranscriptStore>>,
    /// The model changed since storage last saw it: saved on the next tick (at most once a second,
    /// so a burst of notifications or keystrokes is written once), on `pagehide` and on unmount.
    unsaved: std::cell::Cell<bool>,
    /// The live channel, shared with the widget's other tabs.
    live: RefCell<Option<Tabs>>,
    /// The BroadcastChannel and Web Lock name of this widget's tabs.
    tabs_name: String,
    stopped: std::cell::Cell<bool>,
    /// The pending re-read of a list that failed to load (cleared on unmount).
    load_retry: RefCell<Option<TimeoutHandle>>,
    /// The pending check whether a signed-out agent signed in again (cleared on unmount).
    sign_in_check: RefCell<Option<TimeoutHandle>>,
    /// Where the live channel connects; kept to finish a start-up the agent was signed out for.
    notifications_url: String,
    /// Start-up got past `/me` (it stops there while signed out, and runs again on sign-in).
    booted: std::cell::Cell<bool>,
    attention: RwSignal<crate::alerts::attention::Attention>,
    /// The host page around the widget: it hears `imw:*` events of every change.
    host: Host,
    drafts: Trigger,
    sessions: SessionSignals,
    /// The agent's language, for failure reasons posted to the other tabs.
    texts: &'static crate::i18n::Texts,
    /// Whose widget this is (`GET /me`'s storage key), once start-up heard it.
    agent: RefCell<Option<String>>,
    /// Where transcripts are kept (`storage` option).
    storage_mode: StorageMode,
    /// How long a kept transcript outlives its last line (`retentionHours`).
    retention_ms: Millis,
}

impl Runtime {
    fn dispatch(self: &Rc<Self>, event: Event) {
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
            self.attention.maybe_update(|attention| {
                let old = attention.clone();
                attention.absorb(news, &touched, model);
                *attention != old
            });
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
    fn notify_sessions(&self, touched: &mut Touched, was_selected: Option<String>) {
        self.model.with_untracked(|model| {
            if model.selected != was_selected {
                touched.ids.extend(was_selected);
                touched.ids.extend(model.selected.clone());
            }
            self.sessions.notify(touched, model);
        });
    }

    fn execute(self: &Rc<Self>, command: Command) {
        let runtime = Rc::clone(self);
        match command {
            Command::LoadSessions => spawn_local(async move { runtime.load_sessions().await }),
            Command::Operate {
                session,
                local_id,
                operation,
            } => {
                if let (Some(_), ImSessionOperation::SendMessage { text, .. }) =
                    (local_id, &operation)
                {
                    if let Some(tabs) = self.live.borrow().as_ref() {
                        tabs.announce_outgoing(&session, text, WidgetContext::clock());
                    }
                }
                spawn_local(async move {
                    let outcome = runtime.api.operate(&session, &operation).await;
                    let action = crate::state::Action::from_operation(&operation);
                    let event = match (outcome, local_id) {
                        (Ok(()), Some(local_id)) => Event::MessageAccepted { session, local_id },
                        // No answer: the server may have it; its echo (or its absence) decides.
                        (Err(Error::Network(_)), Some(local_id)) => Event::MessageUnanswered {
                            session,
                            local_id,
                            at: WidgetContext::clock(),
                        },
                        (Err(err), Some(local_id)) => {
                            if let ImSessionOperation::SendMessage { text, .. } = &operation {
                                if let Some(tabs) = runtime.live.borrow().as_ref() {
                                    tabs.announce_failed(
                                        &session,
                                        text,
                                        &err.describe(runtime.texts),
                                    );
                                }
                            }
                            Event::MessageRejected {
                                session,
                                local_id,
                                reason: crate::state::Problem::Request(err),
                            }
                        }
                        (Ok(()), None) => Event::ActionDone { session, action },
                        (Err(err), None) => Event::ActionFailed {
                            session,
                            action,
                            reason: err,
                        },
                    };
                    runtime.dispatch(event);
                })
            }
            Command::Initiate(request) => spawn_local(async move {
                let event = match runtime.api.initiate(&request).await {
                    Ok(()) => Event::NewImAccepted,
                    Err(err) => Event::NewImFailed(initiate_error(err)),
                };
                runtime.dispatch(event);
            }),
            Command::RetryLoadLater { delay_ms } => {
                let weak = Rc::downgrade(self);
                let timer = set_timeout_with_handle(
                    move || {
                        if let Some(runtime) = weak.upgrade() {
                            runtime.load_retry.borrow_mut().take();
                            runtime.dispatch(Event::RetryLoad);
                        }
                    },
                    Duration::from_millis(u64::from(delay_ms)),
                )
                .ok();
                if let Some(old) = self.load_retry.replace(timer) {
                    old.clear();
                }
            }
            Command::CheckSignIn { delay_ms } => {
                let weak = Rc::downgrade(self);
                let timer = set_timeout_with_handle(
                    move || {
                        if let Some(runtime) = weak.upgrade() {
                            runtime.sign_in_check.borrow_mut().take();
                            spawn_local(async move { runtime.check_sign_in().await });
                        }
                    },
                    Duration::from_millis(u64::from(delay_ms)),
                )
                .ok();
                if let Some(old) = self.sign_in_check.replace(timer) {
                    old.clear();
                }
            }
            Command::Forget { session } => {
                if let Some(store) = self.store.borrow().as_ref() {
                    store.forget(&session);
                }
            }
        }
    }

    /// Runs `job` once the current event handler returned (it may stop what called it).
    fn later(self: &Rc<Self>, job: fn(&Rc<Self>)) {
        let runtime = Rc::clone(self);
        spawn_local(async move {
            if !runtime.stopped.get() {
                job(&runtime);
            }
        });
    }

    /// Whether `agent` (a `GET /me` storage key) is not the agent this widget started for. Before
    /// start-up knew the agent, nobody is "other".
    fn is_other_agent(&self, agent: Option<&str>) -> bool {
        self.agent
            .borrow()
            .as_deref()
            .is_some_and(|mine| agent.is_some_and(|agent| agent != mine))
    }

    /// Another agent signed in at this desk (this tab's `/me`, or another tab's): everything of the
    /// agent who was here goes (stored data, the model, the live channel) and start-up runs again
    /// for the new agent.
    fn change_agent(self: &Rc<Self>) {
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
    async fn check_sign_in(self: &Rc<Self>) {
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

    /// Reads the list again, with `GET /me` beside it: a list of another agent's (the desk changed
    /// hands under this page) is never shown; the widget starts again for that agent instead.
    async fn load_sessions(self: &Rc<Self>) {
        let requested_at = WidgetContext::clock();
        let (listed, me) =
            futures_util::future::join(self.api.list_sessions(), self.api.me()).await;
        if self.stopped.get() {
            return;
        }
        if me.is_ok_and(|user| self.is_other_agent(user.storage_key())) {
            self.change_agent();
            return;
        }
        self.dispatch(Self::listed(listed, requested_at));
    }

    /// The event a session-list reply makes; it is as of when the request left (`requested_at`).
    fn listed(reply: Result<Vec<gws_protocol::ImSession>, Error>, requested_at: Millis) -> Event {
        match reply {
            Ok(sessions) => Event::SessionsLoaded {
                sessions,
                at: requested_at,
            },
            Err(err) => Event::SessionsFailed(err),
        }
    }

    /// Start-up: who the agent is (and the CSRF token), their kept transcripts, the list, the device,
    /// then the live channel.
    async fn boot(self: &Rc<Self>) {
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
    fn start_as(self: &Rc<Self>, agent: &str) {
        crate::runtime::storage::clear_for(agent, self.storage_mode);
        crate::net::tabs::broadcast(
            &self.tabs_name,
            &TabMessage::Agent {
                agent: agent.to_owned(),
            },
            self.storage_mode != StorageMode::None,
        );
        *self.agent.borrow_mut() = Some(agent.to_owned());
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

    /// Completed sessions past their retention leave the list and storage (each tick).
    fn expire(self: &Rc<Self>, now: Millis) {
        let sessions = self
            .model
            .with_untracked(|model| crate::state::expired_sessions(model, now, self.retention_ms));
        if !sessions.is_empty() {
            self.dispatch(Event::Expired { sessions });
        }
    }

    /// Writes what changed to storage, if anything did.
    fn save(&self) {
        if !self.unsaved.replace(false) {
            return;
        }
        if let Some(store) = self.store.borrow().as_ref() {
            self.model.with_untracked(|model| store.save_changed(model));
        }
    }

    /// Tells the agent (once) when storage began refusing writes.
    fn report_refused_storage(self: &Rc<Self>) {
        let refused = self
            .store
            .borrow()
            .as_ref()
            .is_some_and(TranscriptStore::newly_refused);
        if refused {
            self.dispatch(Event::StorageRefused);
        }
    }

    /// Cancels the pending list re-read and sign-in check.
    fn clear_timers(&self) {
        for pending in [&self.load_retry, &self.sign_in_check] {
            if let Some(timer) = pending.borrow_mut().take() {
                timer.clear();
            }
        }
    }

    fn stop(&self) {
        self.save();
        self.stopped.set(true);
        self.clear_timers();
        if let Some(live) = self.live.borrow_mut().take() {
            live.stop();
        }
    }
}

/// The "one IM session at a time" rule, in plain words; other errors as they are.
fn initiate_error(err: Error) -> crate::state::Problem {
    match err {
        Error::Gws {
            code: gws_protocol::StatusCode::InvalidState,
            ..
        } => crate::state::Problem::OneSessionAtATime,
        other => crate::state::Problem::Request(other),
    }
}

/// Starts the runtime for one mounted widget (restores transcripts, loads sessions, connects).
/// Everything stops when the owning reactive scope is cleaned up (the widget is unmounted).
/// The host page around one widget, as `embed` hands it over: the runtime tells it what happens
/// and never reaches into `embed` itself.
pub struct Host {
    /// The host page's element the widget lives in.
    pub element: web_sys::Element,
    /// Dispatches an `imw:*` event on the element (and keeps `data-imw-unread`).
    pub emit: Box<dyn Fn(&crate::host_events::HostEvent)>,
    /// Another tab signed the agent out: the widget here ends too, shows the notice and empties
    /// this tab's sessionStorage. Called later, outside the runtime's own turn.
    pub end_signed_out: Rc<dyn Fn()>,
}

pub fn start(config: WidgetConfig, host: Host) -> WidgetContext {
    // The host reads the unread total from the start, before anything changes it.
    let _ = host.element.set_attribute("data-imw-unread", "0");
    let (model, set_model) = signal(Model::default());
    let (now, set_now) = signal(WidgetContext::clock());
    let attention = RwSignal::new(crate::alerts::attention::Attention::default());
    let drafts = Trigger::new();
    let sessions = SessionSignals::new();
    let api = ApiClient::new(&config.api_base);
    let notifications_url = config.notifications_url();
    let runtime = Rc::new(Runtime {
        api,
        model,
        set_model,
        store: RefCell::default(),
        unsaved: std::cell::Cell::new(false),
        live: RefCell::default(),
        tabs_name: crate::net::tabs::channel_name(&config.api_base),
        stopped: std::cell::Cell::new(false),
        load_retry: RefCell::default(),
        sign_in_check: RefCell::default(),
        notifications_url,
        booted: std::cell::Cell::new(false),
        attention,
        host,
        drafts,
        sessions,
        // `embed` provides the widget's language before starting the runtime.
        texts: use_context::<crate::i18n::I18n>()
            .map_or(crate::i18n::Locale::En.texts(), |i18n| i18n.texts),
        agent: RefCell::default(),
        storage_mode: config.storage,
        retention_ms: config.retention_ms(),
    });
    let handle = StoredValue::new_local(Rc::clone(&runtime));
    let dispatch = Callback::new(move |event: Event| {
        if let Some(runtime) = handle.try_get_value() {
            runtime.dispatch(event);
        }
    });

    let ticker = set_interval_with_handle(
        move || {
            let at = WidgetContext::clock();
            set_now.set(at);
            if let Some(runtime) = handle.try_get_value() {
                runtime.expire(at);
                runtime.save();
                runtime.report_refused_storage();
            }
            // While live, remember it every few seconds: a closed page's gap starts there.
            if (at as u64 / 1000).is_multiple_of(5)
                && model.with_untracked(|m| m.connection == Connection::Connected)
            {
                if let Some(runtime) = handle.try_get_value() {
                    if let Some(store) = runtime.store.borrow().as_ref() {
                        store.mark_live(at);
                    }
                }
            }
        },
        Duration::from_secs(1),
    )
    .ok();

    // A closing or reloading page keeps the last second's changes too.
    let pagehide = window_event_listener(leptos::ev::pagehide, move |_| {
        if let Some(runtime) = handle.try_get_value() {
            runtime.save();
        }
    });

    on_cleanup(move || {
        pagehide.remove();
        if let Some(ticker) = ticker {
            ticker.clear();
        }
        if let Some(runtime) = handle.try_get_value() {
            runtime.stop();
        }
    });

    let mut boot = Box::pin(async move { runtime.boot().await });
    // Polled once here, the start-up requests leave before the view is built (spawn_local alone
    // would start them after the whole first render); the executor takes it from there.
    let _ = std::future::Future::poll(
        boot.as_mut(),
        &mut std::task::Context::from_waker(std::task::Waker::noop()),
    );
    spawn_local(boot);
    WidgetContext {
        model,
        sessions,
        dispatch,
        now,
        config: StoredValue::new(config),
        attention,
        drafts,
    }
}
