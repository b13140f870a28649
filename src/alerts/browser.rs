//! The browser side of alerts: a short tone (Web Audio, no asset), a desktop notification, the
//! remembered mute, the one-tab lock, and the unread total for the host page (title, attribute, event).

use super::kind::{AlertKind, Permission};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Whether the page is in a background tab or minimised window.
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Whether this page alerts: it holds the "imw-alerts" Web Lock, so several tabs with the widget
/// ring once. Every widget of the page shares one lock; the last one unmounted releases it.
pub struct AlertLock {
    held: Cell<bool>,
    /// Settles the lock's promise, which releases the lock.
    release: RefCell<Option<js_sys::Function>>,
}

impl AlertLock {
    pub fn held(&self) -> bool {
        self.held.get()
    }
}

impl Drop for AlertLock {
    fn drop(&mut self) {
        if let Some(release) = self.release.borrow_mut().take() {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
    }
}

thread_local! {
    static LOCK: RefCell<std::rc::Weak<AlertLock>> = const { RefCell::new(std::rc::Weak::new()) };
}

/// The page's alert lock, requested by the first widget. Without Web Locks the page alerts.
pub fn hold_lock() -> Rc<AlertLock> {
    if let Some(lock) = LOCK.with(|lock| lock.borrow().upgrade()) {
        return lock;
    }
    let lock = Rc::new(AlertLock {
        held: Cell::new(false),
        release: RefCell::new(None),
    });
    LOCK.with(|shared| *shared.borrow_mut() = Rc::downgrade(&lock));
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"navigator".into()).ok())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|locks| !locks.is_undefined() && !locks.is_null());
    let request = locks.as_ref().and_then(|locks| {
        js_sys::Reflect::get(locks, &"request".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        lock.held.set(true);
        return lock;
    };
    let granted = Rc::downgrade(&lock);
    let on_granted = Closure::once_into_js(move |_lock: JsValue| {
        let mut release = None;
        let promise = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
        match granted.upgrade() {
            Some(lock) => {
                lock.held.set(true);
                *lock.release.borrow_mut() = release;
            }
            // Every widget went away while waiting: give the lock back at once.
            None => {
                if let Some(release) = release {
                    let _ = release.call0(&JsValue::UNDEFINED);
                }
            }
        }
        // Settles when released: the lock is held until then.
        promise
    });
    if request
        .call2(&locks, &"imw-alerts".into(), &on_granted)
        .is_err()
    {
        lock.held.set(true);
    }
    lock
}

/// The browser's answer so far about desktop notifications.
pub fn notification_permission() -> Permission {
    let supported = web_sys::window()
        .and_then(|w| js_sys::Reflect::has(&w, &"Notification".into()).ok())
        .unwrap_or(false);
    if !supported {
        return Permission::Unsupported;
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => Permission::Granted,
        web_sys::NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Undecided,
    }
}

/// Asks for notification permission (call from a click); `done` runs with the answer.
pub fn request_permission(done: impl FnOnce(Permission) + 'static) {
    let Ok(promise) = web_sys::Notification::request_permission() else {
        done(notification_permission());
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        done(notification_permission());
    });
}

thread_local! {
    static AUDIO: RefCell<Option<web_sys::AudioContext>> = const { RefCell::new(None) };
}

/// A short two-tone beep; silently nothing where audio is unavailable or not yet allowed.
fn beep(urgent: bool) {
    AUDIO.with(|audio| {
        let mut audio = audio.borrow_mut();
        if audio.is_none() {
            *audio = web_sys::AudioContext::new().ok();
        }
        let Some(context) = audio.as_ref() else {
            return;
        };
        let _ = context.resume();
        let start = context.current_time();
        let tones: &[f32] = if urgent { &[880.0, 660.0] } else { &[660.0] };
        for (step, frequency) in tones.iter().enumerate() {
            let (Ok(oscillator), Ok(gain)) = (context.create_oscillator(), context.create_gain())
            else {
                return;
            };
            let at = start + 0.18 * step as f64;
            oscillator.set_type(web_sys::OscillatorType::Sine);
            oscillator.frequency().set_value(*frequency);
            gain.gain().set_value(0.15);
            let _ = oscillator.connect_with_audio_node(&gain);
            let _ = gain.connect_with_audio_node(&context.destination());
            let _ = oscillator.start_with_when(at);
            let _ = oscillator.stop_with_when(at + 0.15);
        }
    });
}

/// Adds `{kind, session}` to `window.__imwAlerts`, so tests (and curious hosts) see the recent alerts.
fn record(kind: AlertKind, session: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = JsValue::from_str("__imwAlerts");
    let log = js_sys::Reflect::get(&window, &key)
        .ok()
        .and_then(|log| log.dyn_into::<js_sys::Array>().ok())
        .unwrap_or_else(|| {
            let log = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&window, &key, &log);
            log
        });
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &"kind".into(), &kind.as_str().into());
    let _ = js_sys::Reflect::set(&entry, &"session".into(), &session.into());
    log.push(&entry);
    // Bounded: a shift rings thousands of times.
    while log.length() > RECORDED_ALERTS {
        log.shift();
    }
}

/// How many alerts `window.__imwAlerts` keeps (the newest).
const RECORDED_ALERTS: u32 = 200;

/// Alerts the agent: records it, beeps (unless the host turned sound off), and shows a desktop notification if allowed.
pub fn alert(kind: AlertKind, session: &str, title: &str, body: &str, sound: bool) {
    record(kind, session);
    if sound {
        // After this frame: opening the audio device can take 100 ms, which must not delay the
        // view that shows what rang.
        let urgent = kind.is_urgent();
        leptos::prelude::set_timeout(move || beep(urgent), std::time::Duration::ZERO);
    }
    if notification_permission() == Permission::Granted {
        let options = web_sys::NotificationOptions::new();
        options.set_body(body);
        // One notification per session: a newer one replaces the older.
        options.set_tag(&format!("imw-{session}"));
        let _ = web_sys::Notification::new_with_options(title, &options);
    }
}

/// The page title without unread counts, the title last written, and each widget's unread total.
#[derive(Default)]
struct PageTitle {
    base: String,
    written: Option<String>,
    totals: Vec<(u32, u32)>,
}

thread_local! {
    static TITLE: RefCell<PageTitle> = RefCell::default();
}

/// Shows widget `widget`'s unread `total` (`None` once unmounted) in the page title, summed over
/// every widget of the page: "(3) Desk". A title the host set meanwhile becomes the new base.
pub fn show_unread_in_title(widget: u32, total: Option<u32>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    TITLE.with(|state| {
        let mut state = state.borrow_mut();
        let PageTitle {
            base,
            written,
            totals,
        } = &mut *state;
        let current = document.title();
        if written.as_deref() != Some(current.as_str()) {
            *base = current;
        }
        totals.retain(|(id, _)| *id != widget);
        if let Some(total) = total {
            totals.push((widget, total));
        }
        let sum = totals.iter().map(|(_, total)| total).sum();
        let title = crate::alerts::attention::title_with_unread(base, sum);
        if title != document.title() {
            document.set_title(&title);
        }
        *written = Some(title);
    });
}
