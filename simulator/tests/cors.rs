//! CORS for host pages on another origin (`--cors-origin`): preflights without a cookie,
//! credentials allowed, the CSRF headers readable; nothing for other origins or without the flag.

mod common;

use axum::http::Method;
use common::{config, send};
use gws_sim::{app, SimConfig, SimState};

const DESK: &str = "http://127.0.0.1:9001";

fn with_origins(origins: &[&str]) -> SimConfig {
    SimConfig {
        cors_origins: origins.iter().map(|o| o.to_string()).collect(),
        ..config()
    }
}

#[tokio::test]
async fn a_preflight_from_an_allowed_origin_is_answered_without_a_cookie() {
    let app = app(SimState::new(with_origins(&[DESK])));
    let reply = send(
        &app,
        Method::OPTIONS,
        "/api/v2/me/im-sessions/abc",
        &[
            ("origin", DESK),
            ("access-control-request-method", "POST"),
            (
                "access-control-request-headers",
                "content-type,x-csrf-token",
            ),
        ],
        None,
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), Some(DESK));
    assert_eq!(
        reply.header("access-control-allow-credentials"),
        Some("true")
    );
    let headers = reply
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(headers.contains("x-csrf-token"), "{headers}");
    assert!(reply
        .header("access-control-allow-methods")
        .unwrap_or_default()
        .contains("POST"));
}

#[tokio::test]
async fn replies_to_an_allowed_origin_expose_the_csrf_headers() {
    let app = app(SimState::new(with_origins(&[DESK])));
    let reply = send(&app, Method::GET, "/api/v2/me", &[("origin", DESK)], None).await;
    // No cookie: still 401, but readable by the page, so the widget can say why.
    assert_eq!(reply.status, 401);
    assert_eq!(reply.header("access-control-allow-origin"), Some(DESK));
    let exposed = reply
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("x-csrf-header") && exposed.contains("x-csrf-token"),
        "{exposed}"
    );
}

#[tokio::test]
async fn other_origins_and_no_flag_get_no_cors_headers() {
    let app_with = app(SimState::new(with_origins(&[DESK])));
    let reply = send(
        &app_with,
        Method::GET,
        "/api/v2/me",
        &[("origin", "http://evil.example")],
        None,
    )
    .await;
    assert_eq!(reply.header("access-control-allow-origin"), None);
    let app_without = app(SimState::new(config()));
    let reply = send(
        &app_without,
        Method::GET,
        "/api/v2/me",
        &[("origin", DESK)],
        None,
    )
    .await;
    assert_eq!(reply.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_star_answers_any_origin_by_name_never_with_a_wildcard() {
    let app = app(SimState::new(with_origins(&["*"])));
    let reply = send(
        &app,
        Method::GET,
        "/api/v2/me",
        &[("origin", "http://10.0.0.5:3000")],
        None,
    )
    .await;
    // Credentials forbid "*": the origin is mirrored.
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("http://10.0.0.5:3000")
    );
}

#[test]
fn the_flag_is_parsed_and_checked() {
    let cli = gws_sim::cli::parse(
        ["--cors-origin", "http://a.example/", "--cors-origin=*"].map(String::from),
    )
    .unwrap();
    assert_eq!(cli.config.cors_origins, ["http://a.example", "*"]);
    assert!(gws_sim::cli::parse(["--cors-origin", "a.example"].map(String::from)).is_err());
}
