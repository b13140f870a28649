//! The browser side of the tab channel: the BroadcastChannel, the Web Lock that picks the leader,
//! the leader's live client and the followers' dispatch, the localStorage relay without them.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

use super::handover::Handover;
use super::message::TabMessage;
use crate::net::live::{LiveClient, ResumeToken};
use crate::state::{Event, LiveEvent, Millis};

type HeaderSource = Rc<dyn Fn() -> Vec<(String, String)>>;
type EventSink = Rc<dyn Fn(Event)>;
type MessageHandler = Closure<dyn FnMut(MessageEvent)>;

/// The live channel of one mounted widget: shared with the other tabs, or its own.
pub struct Tabs {
    mode: Mode,
}

enum Mode {
    Shared(Rc<Inner>),
    /// No BroadcastChannel or Web Locks: this tab has its own client (and a relay where
    /// localStorage works).
    Alone(LiveClient, Option<StorageRelay>),
}

/// Without BroadcastChannel the tabs still tell each other what the agent sends (or failed to
/// send), so each shows another tab's message as the agent's, never as the other party's: each
/// announcement is written to one localStorage key and removed at once, and every other tab of
/// the origin hears the change as a `storage` event.
struct StorageRelay {
    key: String,
    on_storage: Closure<dyn FnMut(web_sys::Event)>,
}

impl StorageRelay {
    fn start(name: &str, on_event: EventSink) -> Option<StorageRelay> {
        let window = web_sys::window()?;
        let key = relay_key(name);
        let wanted = key.clone();
        let on_storage = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let field = |name: &str| {
                js_sys::Reflect::get(&event, &name.into())
                    .ok()
                    .and_then(|value| value.as_string())
            };
            if field("key").as_deref() != Some(wanted.as_str()) {
                return;
            }
            let Some(message) = field("newValue").and_then(|text| TabMessage::decode(&text)) else {
                return;
            };
            if matches!(
                message,
                TabMessage::Outgoing { .. }
                    | TabMessage::OutgoingFailed { .. }
                    | TabMessage::Agent { .. }
                    | TabMessage::SignOut
            ) {
                if let Some(event) = message.into_event() {
                    on_event(event);
                }
            }
        });
        window
            .add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref())
            .ok()?;
        Some(StorageRelay { key, on_storage })
    }

    fn post(&self, message: &TabMessage) {
        relay_post(&self.key, message);
    }

    fn stop(&self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "storage",
                self.on_storage.as_ref().unchecked_ref(),
            );
        }
    }
}

fn relay_key(name: &str) -> String {
    format!("{name}:outgoing")
}

fn relay_post(key: &str, message: &TabMessage) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return;
    };
    // Full or refused storage only means no tab hears it; nothing stays stored.
    let _ = storage.set_item(key, &message.encode());
    let _ = storage.remove_item(key);
}

/// Tells every other tab of the widget `message` without a [`Tabs`] (before it starts, or after
/// it stopped): over the BroadcastChannel (tabs that share a client hear it there) and, when
/// `relay`, through the storage relay (tabs that run their own client hear it there).
pub fn broadcast(name: &str, message: &TabMessage, relay: bool) {
    if let Ok(channel) = BroadcastChannel::new(name) {
        let _ = channel.post_message(&JsValue::from_str(&message.encode()));
        channel.close();
    }
    if relay {
        relay_post(&relay_key(name), message);
    }
}

struct Inner {
    url: String,
    extra_headers: HeaderSource,
    on_event: EventSink,
    channel: BroadcastChannel,
    /// Set while this tab leads.
    live: RefCell<Option<LiveClient>>,
    /// The last resume token heard from (or, leading, made by) the leader.
    token: RefCell<Option<ResumeToken>>,
    /// What this tab, leading, shares of its client's current step: posted at the step's end
    /// as one message, so a follower hears a reply's events and its token together or not at all.
    step: RefCell<Vec<TabMessage>>,
    /// The leader's last connection event, told to tabs that join.
    status: RefCell<Option<LiveEvent>>,
    /// What this tab must mark when it takes the lead.
    handover: RefCell<Handover>,
    /// Resolves the promise that holds the lock.
    release: RefCell<Option<js_sys::Function>>,
    stopped: Cell<bool>,
    on_message: RefCell<Option<MessageHandler>>,
    /// Another tab has been heard: only then is the leader's traffic worth posting (a new tab
    /// says Hello first and is answered with the status and token it needs).
    peers: Cell<bool>,
}

impl Tabs {
    /// Joins the tabs sharing `name` (see [`super::channel_name`]); this tab leads when it gets
    /// the lock, and until then dispatches what the leader shares.
    pub fn start(
        name: &str,
        url: String,
        extra_headers: HeaderSource,
        on_event: EventSink,
        relay: bool,
    ) -> Tabs {
        let relay_of = |on_event: &EventSink| {
            relay
                .then(|| StorageRelay::start(name, Rc::clone(on_event)))
                .flatten()
        };
        let locks = lock_manager();
        let channel = BroadcastChannel::new(name).ok();
        let (Some((locks, request)), Some(channel)) = (locks, channel) else {
            let relay = relay_of(&on_event);
            return Tabs {
                mode: Mode::Alone(
                    LiveClient::start(url, extra_headers, live_sink(&on_event)),
                    relay,
                ),
            };
        };
        let inner = Rc::new(Inner {
            url,
            extra_headers,
            on_event,
            channel,
            live: RefCell::new(None),
            token: RefCell::new(None),
            step: RefCell::new(Vec::new()),
            status: RefCell::new(None),
            handover: RefCell::new(Handover::new(js_sys::Date::now())),
            release: RefCell::new(None),
            stopped: Cell::new(false),
            on_message: RefCell::new(None),
            peers: Cell::new(false),
        });
        let weak = Rc::downgrade(&inner);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(inner) = weak.upgrade() {
                if let Some(message) = event
                    .data()
                    .as_string()
                    .and_then(|text| TabMessage::decode(&text))
                {
                    inner.heard(message);
                }
            }
        });
        inner
            .channel
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        *inner.on_message.borrow_mut() = Some(on_message);
        let weak = Rc::downgrade(&inner);
        let on_granted = Closure::once_into_js(move |_lock: JsValue| lead(&weak));
        if request.call2(&locks, &name.into(), &on_granted).is_err() {
            inner.close();
            let live = LiveClient::start(
                inner.url.clone(),
                Rc::clone(&inner.extra_headers),
                live_sink(&inner.on_event),
            );
            let relay = relay_of(&inner.on_event);
            return Tabs {
                mode: Mode::Alone(live, relay),
            };
        }
        inner.post(&TabMessage::Hello);
        Tabs {
            mode: Mode::Shared(inner),
        }
    }

    /// Tells the other tabs the agent is sending `text` in `session` (before the request goes).
    pub fn announce_outgoing(&self, session: &str, text: &str, at: Millis) {
        self.announce(&TabMessage::Outgoing {
            session: session.to_owned(),
            text: text.to_owned(),
            at,
        });
    }

    /// Tells the other tabs that this tab's SendMessage for `text` failed.
    pub fn announce_failed(&self, session: &str, text: &str, reason: &str) {
        self.announce(&TabMessage::OutgoingFailed {
            session: session.to_owned(),
            text: text.to_owned(),
            reason: reason.to_owned(),
        });
    }

    fn announce(&self, message: &TabMessage) {
        match &self.mode {
            Mode::Shared(inner) => inner.post(message),
            Mode::Alone(_, Some(relay)) => relay.post(message),
            Mode::Alone(_, None) => {}
        }
    }

    /// The widget is going away. A leader stops without `/meta/disconnect` and releases the
    /// lock, so the next tab carries on its client.
    pub fn stop(&self) {
        match &self.mode {
            Mode::Shared(inner) => inner.close(),
            Mode::Alone(live, relay) => {
                live.stop();
                if let Some(relay) = relay {
                    relay.stop();
                }
            }
        }
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Inner {
    fn post(&self, message: &TabMessage) {
        if self.stopped.get() {
            return;
        }
        // A closed channel only means no tab hears it.
        let _ = self
            .channel
            .post_message(&JsValue::from_str(&message.encode()));
    }

    fn is_leader(&self) -> bool {
        self.live.borrow().is_some()
    }

    fn heard(&self, message: TabMessage) {
        if self.stopped.get() {
            return;
        }
        self.peers.set(true);
        if let TabMessage::Bundle(messages) = message {
            for message in messages {
                self.heard(message);
            }
            return;
        }
        if !self.is_leader() {
            self.handover.borrow_mut().heard(&message);
        }
        match message {
            TabMessage::Hello => {
                if self.is_leader() {
                    let status = self.status.borrow().clone();
                    if let Some(event) = status {
                        self.post(&TabMessage::Live(event));
                    }
                    let token = self.token.borrow().clone();
                    if let Some(token) = token {
                        self.post(&TabMessage::from_token(&token));
                    }
                }
            }
            TabMessage::Resume { .. } => {
                if !self.is_leader() {
                    *self.token.borrow_mut() = message.token();
                }
            }
            TabMessage::Outgoing { .. }
            | TabMessage::OutgoingFailed { .. }
            | TabMessage::Agent { .. }
            | TabMessage::SignOut => {
                if let Some(event) = message.into_event() {
                    (self.on_event)(event);
                }
            }
            TabMessage::Live(_) | TabMessage::Bundle(_) => {
                if !self.is_leader() {
                    if let Some(event) = message.into_event() {
                        (self.on_event)(event);
                    }
                }
            }
        }
    }

    /// This tab's own live event, as leader: kept for the step's message, then dispatched here.
    fn led(&self, event: LiveEvent) {
        if self.stopped.get() {
            return;
        }
        if self.peers.get() {
            self.step.borrow_mut().push(TabMessage::Live(event.clone()));
        }
        if let LiveEvent::Up { at, .. } = event {
            // A tab that joins later only needs to know the session is up.
            *self.status.borrow_mut() = Some(LiveEvent::Up { at, fresh: false });
        } else if matches!(
            event,
            LiveEvent::Interrupted { .. } | LiveEvent::Offline { .. }
        ) {
            *self.status.borrow_mut() = Some(event.clone());
        }
        (self.on_event)(Event::Live(event));
    }

    /// The leader's step is over: what it shares goes out as one message, the new resume
    /// token (if any) last.
    fn step_ended(&self, token: Option<ResumeToken>) {
        let mut messages = std::mem::take(&mut *self.step.borrow_mut());
        if let Some(token) = token {
            if self.peers.get() {
                messages.push(TabMessage::from_token(&token));
            }
            *self.token.borrow_mut() = Some(token);
        }
        match messages.len() {
            0 => {}
            1 => self.post(&messages.remove(0)),
            _ => self.post(&TabMessage::Bundle(messages)),
        }
    }

    fn close(&self) {
        if self.stopped.replace(true) {
            return;
        }
        self.channel.set_onmessage(None);
        self.channel.close();
        if let Some(live) = self.live.borrow_mut().take() {
            live.abandon();
        }
        if let Some(release) = self.release.borrow_mut().take() {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
        self.on_message.borrow_mut().take();
    }
}

/// This tab's own client's events, for the widget (wrapped once, as `Event::Live`).
fn live_sink(on_event: &EventSink) -> Rc<dyn Fn(LiveEvent)> {
    let on_event = Rc::clone(on_event);
    Rc::new(move |event| on_event(Event::Live(event)))
}

/// The lock was granted: start the client (from the last token heard) and hold the lock with a
/// promise that settles only when this widget stops.
fn lead(weak: &Weak<Inner>) -> js_sys::Promise {
    let Some(inner) = weak.upgrade() else {
        return js_sys::Promise::resolve(&JsValue::UNDEFINED);
    };
    if inner.stopped.get() {
        return js_sys::Promise::resolve(&JsValue::UNDEFINED);
    }
    let held = js_sys::Promise::new(&mut |resolve, _reject| {
        *inner.release.borrow_mut() = Some(resolve);
    });
    // The old leader's session ends here, for this tab and every other follower.
    let ended = inner.handover.borrow().take_lead();
    if let Some(event) = ended {
        inner.led(event);
        inner.step_ended(None);
    }
    let events = Rc::downgrade(&inner);
    let steps = Rc::downgrade(&inner);
    let token = inner.token.borrow_mut().take();
    let live = LiveClient::resume(
        inner.url.clone(),
        Rc::clone(&inner.extra_headers),
        Rc::new(move |event| {
            if let Some(inner) = events.upgrade() {
                inner.led(event);
            }
        }),
        Some(Rc::new(move |token: Option<ResumeToken>| {
            if let Some(inner) = steps.upgrade() {
                inner.step_ended(token);
            }
        })),
        token,
    );
    *inner.live.borrow_mut() = Some(live);
    mark_leader();
    held
}

/// `navigator.locks` and its `request`, where the browser has them.
fn lock_manager() -> Option<(JsValue, js_sys::Function)> {
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"navigator".into()).ok())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|locks| !locks.is_undefined() && !locks.is_null())?;
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    Some((locks, request))
}

/// `window.__imwLeader = true`: which tab holds the connection, for tests and support.
fn mark_leader() {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__imwLeader".into(), &JsValue::TRUE);
    }
}
