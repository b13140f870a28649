//! gws-sim: a Genesys Web Services simulator.
//!
//! `app(state)` is the whole server as an axum `Router`; `main.rs` only parses flags and listens.
//! `/api/v2` is the simulated GWS (REST + CometD) behind authentication, CSRF and fault injection;
//! `/_sim` is the control API; everything else serves the built widget.

pub mod auth;
pub mod bayeux;
pub mod cli;
pub mod control;
pub mod error;
pub mod faults;
pub mod model;
pub mod quirks;
pub mod rest;
pub mod scenario;
pub mod serve;
pub mod sim;

use axum::{middleware, Router};

pub use sim::{SimConfig, SimState};

/// The simulator's routes, ready to serve or to drive in-process with `tower::ServiceExt::oneshot`.
pub fn app(state: SimState) -> Router {
    // Layers run outside in: authentication and CSRF first, then faults, then the route.
    let api = rest::routes()
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard));
    Router::new()
        .merge(api)
        .merge(control::routes())
        .fallback(serve::serve_widget)
        .with_state(state)
}
