//! The GWS IM-session agent widget: Leptos components over a pure state model.
//!
//! Data flows wire → `gws_protocol` type → `state::Event` → `state::reduce` → signals → `ui`;
//! agent actions flow `ui` callback → `api` call → reply → `state::Event`.

#[cfg(target_arch = "wasm32")]
mod alerts;
pub mod attention;
pub mod config;
pub mod embed;
pub mod format;
pub mod host_events;
pub mod i18n;
pub mod net;
#[cfg(target_arch = "wasm32")]
pub mod runtime;
pub mod state;
#[cfg(target_arch = "wasm32")]
pub(crate) mod storage;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod workflow;

#[cfg(target_arch = "wasm32")]
pub use embed::{mount, mount_all, sign_out, unmount};

/// Logs a panic to the console and, since a panicked wasm instance is dead, replaces every mounted
/// widget with a plain notice (and marks it `data-imw-crashed` for tests and host pages).
#[cfg(target_arch = "wasm32")]
pub(crate) fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            show_crash_notice();
        }));
    });
}

#[cfg(target_arch = "wasm32")]
fn show_crash_notice() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for host in embed::mounted_hosts() {
        let Ok(notice) = document.create_element("p") else {
            continue;
        };
        notice.set_class_name("imw-crashed");
        let _ = notice.set_attribute("role", "alert");
        let configured = host.get_attribute("data-locale");
        let locale = i18n::page_locale(configured.as_deref()).0;
        let _ = notice.set_attribute("lang", locale.tag());
        let _ = notice.set_attribute("dir", locale.dir());
        notice.set_text_content(Some(locale.texts().crashed));
        host.set_text_content(None);
        let _ = host.append_child(&notice);
        let _ = host.set_attribute("data-imw-crashed", "");
    }
}
