//! Leptos components only: each reads slices of the model through `Memo`s and dispatches
//! `state::Event`s; no JSON, no fetch, no storage here.

mod action_button;
mod alert_settings;
mod app;
mod banner;
mod canned_picker;
mod chat;
mod connection_status;
mod dialog;
mod new_im;
mod session_filter;
mod session_list;
mod session_row;
mod shortcuts;
mod text_field;
mod waiting_timer;

pub use app::App;

use std::sync::atomic::{AtomicU32, Ordering};

/// A document-unique id for `aria-describedby` / `aria-labelledby` pairs (several widgets may share a page).
pub(crate) fn unique_id(purpose: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("imw-{purpose}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// After the view updates, focuses the first element matching one of `selectors` (tried in order)
/// inside the widget that holds `event`'s target: used when the focused control is about to vanish.
pub(crate) fn refocus_after(event: &leptos::ev::MouseEvent, selectors: &'static [&'static str]) {
    use leptos::wasm_bindgen::JsCast;

    let root = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest(".imw").ok().flatten());
    shortcuts::focus_later(root, selectors);
}
