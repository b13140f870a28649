//! The browser side of alerts: a short tone (Web Audio, no asset), a desktop notification, the
//! remembered mute, the one-tab lock, and the unread total for the host page (title, attribute, event).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const MUTED_KEY: &str = "imw:v1:prefs:muted";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether the agent muted alerts (remembered across reloads).
pub fn load_muted() -> bool {
    local_storage()
        .and_then(|s| s.get_item(MUTED_KEY).ok().flatten())
        .is_some_and(|v| v == "true")
}

pub fn save_muted(muted: bool) {
    if let Some(storage) = local_storage() {
        // A full or disabled storage only loses the preference.
        let _ = storage.set_item(MUTED_KEY, if muted { "true" } else { "false" });
    }
}

/// Whether the page is in a background tab or minimised window.
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Asks for the "imw-alerts" Web Lock and keeps it for the page's life: only its holder alerts,
/// so several tabs with the widget ring once. Without Web Locks this tab alerts.
pub fn hold_lock() -> Rc<Cell<bool>> {
    let holder = Rc::new(Cell::new(false));
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
        holder.set(true);
        return holder;
    };
    let granted = Rc::clone(&holder);
    let on_granted = Closure::once_into_js(move |_lock: JsValue| {
        granted.set(true);
        // Never settles: the lock is held until the page goes away.
        js_sys::Promise::new(&mut |_, _| {})
    });
    if request
        .call2(&locks, &"imw-alerts".into(), &on_granted)
        .is_err()
    {
        holder.set(true);
    }
    holder
}

/// The browser's answer so far about desktop notifications: "granted", "denied", "default", or
/// "unsupported".
pub fn notification_permission() -> &'static str {
    let supported = web_sys::window()
        .and_then(|w| js_sys::Reflect::has(&w, &"Notification".into()).ok())
        .unwrap_or(false);
    if !supported {
        return "unsupported";
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => "granted",
        web_sys::NotificationPermission::Denied => "denied",
        _ => "default",
    }
}

/// Asks for notification permission (call from a click); `done` runs with the answer.
pub fn request_permission(done: impl FnOnce(&'static str) + 'static) {
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

/// Adds `{kind, session}` to `window.__imwAlerts`, so tests (and curious hosts) see every alert.
fn record(kind: &str, session: &str) {
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
    let _ = js_sys::Reflect::set(&entry, &"kind".into(), &kind.into());
    let _ = js_sys::Reflect::set(&entry, &"session".into(), &session.into());
    log.push(&entry);
}

/// Alerts the agent: records it, beeps, and shows a desktop notification if allowed.
/// `kind` is "ring", "ring-repeat" or "message".
pub fn alert(kind: &str, session: &str, title: &str, body: &str) {
    record(kind, session);
    beep(kind != "message");
    if notification_permission() == "granted" {
        let options = web_sys::NotificationOptions::new();
        options.set_body(body);
        // One notification per session: a newer one replaces the older.
        options.set_tag(&format!("imw-{session}"));
        let _ = web_sys::Notification::new_with_options(title, &options);
    }
}

/// The page's title when the widget started (restored when nothing is unread).
pub fn document_title() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.title())
        .unwrap_or_default()
}

pub fn set_document_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// Tells the host page the unread total: `data-imw-unread` on the host element and a bubbling
/// `imw:unread` event with `detail.total`.
pub fn announce_unread(host: &web_sys::Element, total: u32, changed: bool) {
    let _ = host.set_attribute("data-imw-unread", &total.to_string());
    if !changed {
        return;
    }
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"total".into(), &total.into());
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("imw:unread", &init) {
        let _ = host.dispatch_event(&event);
    }
}
