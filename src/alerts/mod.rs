//! Everything that asks for the agent's attention: what is new between two models, unread totals,
//! the waiting timer's escalation and the ring schedule (`attention`, pure, tested natively), and
//! the browser's side of it — tone, desktop notification, remembered mute, the one-tab lock and the
//! page title (`browser`).

pub mod attention;
#[cfg(target_arch = "wasm32")]
mod browser;
mod kind;
#[cfg(target_arch = "wasm32")]
mod use_alerts;

#[cfg(target_arch = "wasm32")]
pub use browser::*;
pub use kind::{AlertKind, Permission};
#[cfg(target_arch = "wasm32")]
pub use use_alerts::{use_alerts, UseAlertsOptions, UseAlertsReturn};
