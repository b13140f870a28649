//! Serves the built widget (`dist/`) at `/`; the page that hosts the widget counts as logged in.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::http::StatusCode as HttpStatus;
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::layers::session_of;
use crate::auth::set_cookie;
use crate::sim::SimState;

/// Everything that is not `/api/v2` or `/_sim`: files from `dist/`, `index.html` for any other
/// path (client-side routes), or a page saying how to build the widget when there is no `dist/`.
pub async fn serve_widget(State(sim): State<SimState>, request: Request) -> Response {
    let logged_in = session_of(&sim, request.headers()).is_some();
    let dist = sim.config().dist.clone();
    let index = dist.join("index.html");
    let built = tokio::fs::metadata(&index)
        .await
        .is_ok_and(|meta| meta.is_file());
    let mut response = if built {
        match ServeDir::new(&dist)
            .fallback(ServeFile::new(&index))
            .oneshot(request)
            .await
        {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        }
    } else {
        missing_dist_page(&dist.display().to_string(), request.uri().path())
    };
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if is_html && !logged_in {
        let session = sim.create_http_session();
        response
            .headers_mut()
            .append(SET_COOKIE, set_cookie(&session));
    }
    response
}

fn missing_dist_page(dist: &str, path: &str) -> Response {
    let status = if path == "/" || path == "/index.html" {
        HttpStatus::OK
    } else {
        HttpStatus::NOT_FOUND
    };
    let dist = escape(dist);
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>gws-sim</title></head>\n<body>\n\
         <h1>gws-sim is running</h1>\n\
         <p>There is no built widget in <code>{dist}</code>. Build it first (<code>trunk build --release</code> \
         in the repository), or start <code>gws-sim --dist DIR</code> with a folder that holds <code>index.html</code>.</p>\n\
         <p>The simulated GWS API is at <code>/api/v2</code>; the control API at <code>/_sim</code> \
         (try <a href=\"/_sim/state\">/_sim/state</a>).</p>\n</body></html>\n"
    );
    (status, Html(page)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
