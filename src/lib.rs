//! The GWS IM-session agent widget: Leptos components over a pure state model.
//!
//! Data flows wire → `gws_protocol` type → `state::Event` → `state::reduce` → signals → `ui`;
//! agent actions flow `ui` callback → `api` call → reply → `state::Event`.

pub mod api;
pub mod config;
pub mod format;
pub mod live;
#[cfg(target_arch = "wasm32")]
pub mod runtime;
pub mod state;
#[cfg(target_arch = "wasm32")]
mod storage;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Mounts a widget into every element marked `data-gws-im-widget` on the page.
#[cfg(target_arch = "wasm32")]
pub fn mount_all() {
    use wasm_bindgen::JsCast;

    console_error_panic_hook::set_once();
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
