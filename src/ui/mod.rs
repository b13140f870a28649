//! Leptos components only: each reads slices of the model through `Memo`s and dispatches
//! `state::Event`s; no JSON, no fetch, no storage here.

mod action_button;
mod app;
mod banner;
mod chat;
mod connection_status;
mod context;
mod dialog;
mod focus;
mod header;
mod icon;
mod later;
mod menu;
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
