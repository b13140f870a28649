//! The GWS IM-session agent widget: Leptos components over a pure state model.
//!
//! Data flows wire → `gws_protocol` type → `state::Event` → `state::reduce` → signals → `ui`;
//! agent actions flow `ui` callback → `api` call → reply → `state::Event`.

#[cfg(target_arch = "wasm32")]
mod alerts;
pub mod api;
pub mod attention;
pub mod config;
pub mod format;
pub mod i18n;
pub mod live;
#[cfg(target_arch = "wasm32")]
pub mod runtime;
pub mod state;
#[cfg(target_arch = "wasm32")]
mod storage;
pub mod tabs;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod workflow;

/// Mounts a widget into every element marked `data-gws-im-widget` on the page.
#[cfg(target_arch = "wasm32")]
pub fn mount_all() {
    use wasm_bindgen::JsCast;

    install_panic_hook();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(hosts) = document.query_selector_all("[data-gws-im-widget]") else {
        return;
    };
    for index in 0..hosts.length() {
        let Some(host) = hosts
            .item(index)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let config = config::WidgetConfig::from_attributes(|name| host.get_attribute(name));
        leptos::mount::mount_to(
            host,
            move || leptos::view! { <ui::App config=config.clone() /> },
        )
        .forget();
    }
}

/// Logs a panic to the console and, since a panicked wasm instance is dead, replaces every mounted
/// widget with a plain notice (and marks it `data-imw-crashed` for tests and host pages).
#[cfg(target_arch = "wasm32")]
fn install_panic_hook() {
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
    let Ok(hosts) = document.query_selector_all("[data-gws-im-widget]") else {
        return;
    };
    for index in 0..hosts.length() {
        let Some(host) = hosts.item(index) else {
            continue;
        };
        let Ok(notice) = document.create_element("p") else {
            continue;
        };
        notice.set_class_name("imw-crashed");
        let _ = notice.set_attribute("role", "alert");
        let host = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(host).ok();
        let configured = host.as_ref().and_then(|h| h.get_attribute("data-locale"));
        let locale = i18n::page_locale(configured.as_deref()).0;
        let _ = notice.set_attribute("lang", locale.tag());
        let _ = notice.set_attribute("dir", locale.dir());
        notice.set_text_content(Some(locale.texts().crashed));
        if let Some(element) = host {
            element.set_text_content(None);
            let _ = element.append_child(&notice);
            let _ = element.set_attribute("data-imw-crashed", "");
        }
    }
}
