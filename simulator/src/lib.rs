//! gws-sim: a Genesys Web Services simulator.
//!
//! `app(state)` is the whole server as an axum `Router`; `main.rs` only parses flags and listens.
//! `/api/v2` is the simulated GWS (REST + CometD) behind authentication, CSRF and fault injection;
//! `/_sim` is the control API; everything else serves the built widget.
//!
//! The direction of imports (checked by `scripts/module-cycles.mjs`): state types (`model`, `auth`,
//! `faults`, `script`, `quirks`, `bayeux`, `error`) ← the world (`sim`) ← what drives it (`scenario`)
//! and what serves it (`http`: `rest`, `control`, `serve` and the `layers` on `/api/v2`).

pub mod auth;
pub mod bayeux;
pub mod cli;
pub mod error;
pub mod faults;
pub mod http;
pub mod model;
pub mod quirks;
pub mod scenario;
pub mod script;
pub mod sim;

pub use http::app;
pub use sim::{SimConfig, SimState};
