//! The simulator over HTTP: `/api/v2` (the simulated GWS, behind its layers), `/_sim` (control)
//! and the widget's files. Handlers read and change the world (`crate::sim`); nothing below this
//! module calls up into it.

pub mod control;
pub mod layers;
pub mod rest;
pub mod serve;

use crate::sim::SimState;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::{middleware, Router};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

/// The simulator's routes, ready to serve or to drive in-process with `tower::ServiceExt::oneshot`.
pub fn app(state: SimState) -> Router {
    // The scripted colleagues hear what the agent does through these routes.
    crate::scenario::install(&state);
    // Layers run outside in: authentication and CSRF first, then faults, then the route.
    let api = rest::routes()
        .layer(middleware::from_fn_with_state(
            state.clone(),
            layers::inject,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), layers::guard))
        .layer(cors(&state.config().cors_origins));
    Router::new()
        .merge(api)
        .merge(control::routes())
        .fallback(serve::serve_widget)
        .with_state(state)
}

/// CORS for pages of other origins (outermost, so preflights need no cookie): credentials allowed,
/// the CSRF headers readable, any request header allowed. No origins: no CORS headers at all.
fn cors(origins: &[String]) -> tower::util::Either<CorsLayer, tower::layer::util::Identity> {
    if origins.is_empty() {
        return tower::util::Either::Right(tower::layer::util::Identity::new());
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::mirror_request()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect::<Vec<_>>(),
        )
    };
    tower::util::Either::Left(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers(AllowHeaders::mirror_request())
            .expose_headers([
                HeaderName::from_static("x-csrf-header"),
                HeaderName::from_static("x-csrf-token"),
                header::CONTENT_TYPE,
            ])
            .max_age(std::time::Duration::from_secs(600)),
    )
}
