//! The GWS IM-session agent widget: Leptos components over a pure state model.
//!
//! Data flows wire → `gws_protocol` type → `state::Event` → `state::reduce` → signals → `ui`;
//! agent actions flow `ui` callback → `api` call → reply → `state::Event`.

pub mod alerts;
pub mod config;
pub mod embed;
pub mod host_events;
pub mod i18n;
pub mod json;
pub mod net;
#[cfg(target_arch = "wasm32")]
pub mod runtime;
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod workflow;

#[cfg(target_arch = "wasm32")]
pub use embed::{mount, mount_all, sign_out, transcript, unmount};
