//! Leptos components only: each reads the model and emits events.

mod app;
mod session_list;

pub use app::App;
