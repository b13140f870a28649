//! The widget's runtime: the model signal, `dispatch`, and the effects the reducer asks for
//! (REST calls, the CometD client, storage). Components reach it through [`WidgetContext`].

mod boot;
mod dispatch;
mod effects;
pub(crate) mod prefs;
pub(crate) mod sessions;
pub(crate) mod storage;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::config::{StorageMode, WidgetConfig};
use crate::net::api::ApiClient;
use crate::net::tabs::Tabs;
use crate::runtime::sessions::SessionSignals;
use crate::runtime::storage::TranscriptStore;
use crate::state::{Connection, Event, Millis, Model, SessionView};

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
    /// The agent's view preferences (the case-data panel open), remembered per agent.
    pub prefs: prefs::Prefs,
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
    prefs: prefs::Prefs,
}

impl Runtime {
    /// Runs `job` once the current event handler returned (it may stop what called it).
    fn later(self: &Rc<Self>, job: fn(&Rc<Self>)) {
        let runtime = Rc::clone(self);
        spawn_local(async move {
            if !runtime.stopped.get() {
                job(&runtime);
            }
        });
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

/// Starts the runtime for one mounted widget (restores transcripts, loads sessions, connects).
/// Everything stops when the owning reactive scope is cleaned up (the widget is unmounted).
pub fn start(config: WidgetConfig, host: Host) -> WidgetContext {
    // The host reads the unread total from the start, before anything changes it.
    let _ = host.element.set_attribute("data-imw-unread", "0");
    let (model, set_model) = signal(Model::default());
    let (now, set_now) = signal(WidgetContext::clock());
    let attention = RwSignal::new(crate::alerts::attention::Attention::default());
    let drafts = Trigger::new();
    let sessions = SessionSignals::new();
    let prefs = prefs::Prefs::new();
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
        prefs,
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
        prefs,
    }
}
