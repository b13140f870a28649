//! The middleware on `/api/v2`, outside in: authentication and CSRF (`guard`), then faults
//! (`inject`), then the route.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode as HttpStatus};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gws_protocol::StatusCode;

use crate::auth::{
    cookie, set_cookie, HttpSession, CSRF_HEADER_HEADER, CSRF_REJECTION, CSRF_TOKEN_HEADER,
    NOTIFICATIONS_PATH, SESSION_COOKIE,
};
use crate::error::ApiError;
use crate::sim::SimState;

/// The live HTTP session named by the request's cookie (this use keeps it alive).
pub fn session_of(sim: &SimState, headers: &HeaderMap) -> Option<HttpSession> {
    cookie(headers, SESSION_COOKIE).and_then(|id| sim.http_session(id))
}

fn has_basic_credentials(headers: &HeaderMap) -> bool {
    headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().split_once(' '))
        .is_some_and(|(scheme, credentials)| {
            scheme.eq_ignore_ascii_case("basic") && !credentials.trim().is_empty()
        })
}

fn needs_csrf_token(method: &Method, path: &str) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::DELETE | Method::PATCH
    ) && path != NOTIFICATIONS_PATH
}

/// The middleware on `/api/v2`: cookie (or Basic, which opens a session) → CSRF → the route.
pub async fn guard(State(sim): State<SimState>, request: Request, next: Next) -> Response {
    let config = sim.config();
    let mut new_session = None;
    let session = match session_of(&sim, request.headers()) {
        Some(session) => session,
        None if has_basic_credentials(request.headers()) => {
            let session = sim.create_http_session();
            new_session = Some(session.clone());
            session
        }
        None if !config.auth => sim.anonymous_http_session(),
        None => {
            sim.count(|c| c.unauthorized += 1);
            return ApiError::unauthenticated().into_response();
        }
    };
    let is_get = request.method() == Method::GET;
    if config.csrf && needs_csrf_token(request.method(), request.uri().path()) {
        let sent = request
            .headers()
            .get(CSRF_TOKEN_HEADER)
            .and_then(|value| value.to_str().ok());
        if sent != Some(session.csrf_token.as_str()) {
            sim.count(|c| c.csrf_rejected += 1);
            return (HttpStatus::FORBIDDEN, CSRF_REJECTION).into_response();
        }
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if config.csrf && is_get {
        headers.insert(
            CSRF_HEADER_HEADER,
            HeaderValue::from_static(CSRF_TOKEN_HEADER),
        );
        if let Ok(token) = HeaderValue::from_str(&session.csrf_token) {
            headers.insert(CSRF_TOKEN_HEADER, token);
        }
    }
    if let Some(session) = new_session {
        headers.append(SET_COOKIE, set_cookie(&session));
    }
    response
}

/// A response hyper cannot send: its body fails on first poll, so the connection is closed
/// without a status line (what a client sees when a server or proxy dies mid-request).
pub fn aborted_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other(
            "connection dropped by a simulated fault",
        ))
    });
    Response::new(Body::from_stream(failing))
}

/// A reply that breaks off after its status line: the request was applied and the answer lost.
/// Unlike [`aborted_connection`], a browser cannot take it for a stale keep-alive connection and
/// silently send the POST again (Chromium does that when a reused connection closes before any
/// byte of the answer), so it is applied exactly once, as the fault promises.
pub fn lost_reply() -> Response {
    let failing = futures_util::stream::unfold(0u8, |step| async move {
        match step {
            0 => {
                // Pending first, so hyper flushes the status line and headers on their own.
                tokio::time::sleep(Duration::from_millis(20)).await;
                Some((Ok(Bytes::from_static(b" ")), 1))
            }
            1 => Some((
                Err(std::io::Error::other("reply lost by a simulated fault")),
                2,
            )),
            _ => None,
        }
    });
    Response::new(Body::from_stream(failing))
}

/// HTTP 503 with a GWS "internal error" body.
pub fn service_unavailable() -> Response {
    let mut error = ApiError::new(
        StatusCode::InternalError,
        "Service unavailable (simulated fault)",
    );
    error.http = HttpStatus::SERVICE_UNAVAILABLE;
    error.into_response()
}

/// The session list (`GET` reads it; `POST` starts a session).
const SESSION_LIST_PATH: &str = "/api/v2/me/im-sessions";

/// The middleware: latency, then 503 window, then dropped request, then dropped response.
pub async fn inject(State(sim): State<SimState>, request: Request, next: Next) -> Response {
    let cometd = request.uri().path() == NOTIFICATIONS_PATH;
    let list_read =
        request.method() == axum::http::Method::GET && request.uri().path() == SESSION_LIST_PATH;
    sim.count(|c| {
        if cometd {
            c.notification_requests += 1
        } else {
            c.api_requests += 1
        }
    });
    let plan = sim.fault_plan();
    if !plan.latency.is_zero() {
        sim.count(|c| c.delayed_requests += 1);
        tokio::time::sleep(plan.latency).await;
    }
    if plan.server_error {
        sim.count(|c| c.server_errors += 1);
        return service_unavailable();
    }
    if plan.drop_request {
        sim.count(|c| c.dropped_requests += 1);
        return aborted_connection();
    }
    let response = next.run(request).await;
    if plan.drop_response {
        sim.count(|c| c.dropped_responses += 1);
        return lost_reply();
    }
    if list_read && response.status().is_success() {
        sim.count(|c| c.session_list_reads += 1);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_need_a_value() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic "));
        assert!(!has_basic_credentials(&headers));
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_static("basic YWdlbnQ6cGFzcw=="),
        );
        assert!(has_basic_credentials(&headers));
    }

    #[test]
    fn csrf_applies_to_writes_except_cometd() {
        assert!(needs_csrf_token(&Method::POST, "/api/v2/me/im-sessions"));
        assert!(needs_csrf_token(
            &Method::DELETE,
            "/api/v2/me/im-sessions/x"
        ));
        assert!(!needs_csrf_token(&Method::GET, "/api/v2/me"));
        assert!(!needs_csrf_token(&Method::POST, NOTIFICATIONS_PATH));
    }
}
