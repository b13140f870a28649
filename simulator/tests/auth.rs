//! Authentication (`JSESSIONID`, Basic, the page) and CSRF, with and without `--no-auth`/`--no-csrf`.

mod common;

use axum::http::Method;
use common::{config, send, Browser};
use gws_sim::{app, SimConfig, SimState};
use serde_json::json;

const INITIATE: &str =
    r#"{"operationName":"InitiateIMSession","destination":{"phoneNumber":"3999"}}"#;

fn initiate() -> serde_json::Value {
    serde_json::from_str(INITIATE).unwrap()
}

#[tokio::test]
async fn api_without_a_session_is_401_status_code_20() {
    let app = app(SimState::new(config()));
    for (method, uri) in [
        (Method::GET, "/api/v2/me"),
        (Method::GET, "/api/v2/me/im-sessions?fields=*"),
        (Method::POST, "/api/v2/me/im-sessions"),
        (Method::POST, "/api/v2/notifications"),
        (Method::GET, "/api/v2/anything"),
    ] {
        let reply = send(&app, method.clone(), uri, &[], Some(json!([]))).await;
        assert_eq!(reply.status, 401, "{method} {uri}");
        assert_eq!(
            reply.json(),
            json!({"statusCode": 20, "statusMessage": "Access denied"})
        );
        let decoded: gws_protocol::StatusReply = serde_json::from_value(reply.json()).unwrap();
        assert_eq!(
            decoded.status_code,
            gws_protocol::StatusCode::Unauthenticated
        );
    }
    let unknown = send(
        &app,
        Method::GET,
        "/api/v2/me",
        &[("cookie", "JSESSIONID=FORGED")],
        None,
    )
    .await;
    assert_eq!(unknown.status, 401);
}

#[tokio::test]
async fn get_answers_the_csrf_header_name_and_this_sessions_token() {
    let agent = Browser::new(config()).await;
    let reply = agent.get("/api/v2/me/devices").await;
    assert_eq!(reply.header("x-csrf-header"), Some("X-CSRF-TOKEN"));
    assert_eq!(reply.header("x-csrf-token"), Some(agent.token.as_str()));
    let other = Browser::login(agent.sim.clone()).await;
    assert_ne!(
        other.token, agent.token,
        "each HTTP session has its own token"
    );
}

#[tokio::test]
async fn writes_need_this_sessions_token() {
    let agent = Browser::new(config()).await;
    let other = Browser::login(agent.sim.clone()).await;
    let cookie = ("cookie", agent.cookie.as_str());
    let without = send(
        &agent.app,
        Method::POST,
        "/api/v2/me/im-sessions",
        &[cookie],
        Some(initiate()),
    )
    .await;
    assert_eq!(without.status, 403);
    assert_eq!(without.text(), "Missing or invalid Csrf token");
    let wrong = [cookie, ("x-csrf-token", other.token.as_str())];
    assert_eq!(
        send(
            &agent.app,
            Method::POST,
            "/api/v2/me/im-sessions",
            &wrong,
            Some(initiate())
        )
        .await
        .status,
        403
    );
    assert!(
        agent.published().is_empty(),
        "a rejected write is not applied"
    );
    assert_eq!(
        agent
            .post("/api/v2/me/im-sessions", initiate())
            .await
            .codes(),
        (200, 0)
    );
    assert_eq!(agent.state().await["counters"]["csrfRejected"], 2);
}

#[tokio::test]
async fn cometd_needs_the_cookie_only() {
    let agent = Browser::new(config()).await;
    let handshake = json!([{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}]);
    let reply = send(
        &agent.app,
        Method::POST,
        "/api/v2/notifications",
        &[("cookie", &agent.cookie)],
        Some(handshake),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()[0]["successful"], true);
}

#[tokio::test]
async fn no_csrf_accepts_writes_without_a_token_and_sends_no_headers() {
    let agent = Browser::new(SimConfig {
        csrf: false,
        ..config()
    })
    .await;
    let cookie = [("cookie", agent.cookie.as_str())];
    let reply = send(
        &agent.app,
        Method::POST,
        "/api/v2/me/im-sessions",
        &cookie,
        Some(initiate()),
    )
    .await;
    assert_eq!(reply.codes(), (200, 0));
    let get = agent.get("/api/v2/me").await;
    assert!(get.header("x-csrf-token").is_none());
    assert!(get.header("x-csrf-header").is_none());
}

#[tokio::test]
async fn no_auth_serves_without_a_cookie_and_still_checks_csrf() {
    let app = app(SimState::new(SimConfig {
        auth: false,
        ..config()
    }));
    let get = send(&app, Method::GET, "/api/v2/me", &[], None).await;
    assert_eq!(get.status, 200);
    let token = get
        .header("x-csrf-token")
        .expect("a token for cookie-less clients")
        .to_owned();
    let post = send(
        &app,
        Method::POST,
        "/api/v2/me/im-sessions",
        &[],
        Some(initiate()),
    )
    .await;
    assert_eq!(post.status, 403);
    let post = send(
        &app,
        Method::POST,
        "/api/v2/me/im-sessions",
        &[("x-csrf-token", &token)],
        Some(initiate()),
    )
    .await;
    assert_eq!(post.codes(), (200, 0));
    let both_off = app_without_auth_or_csrf();
    assert_eq!(
        send(
            &both_off,
            Method::POST,
            "/api/v2/me/im-sessions",
            &[],
            Some(initiate())
        )
        .await
        .codes(),
        (200, 0)
    );
}

fn app_without_auth_or_csrf() -> axum::Router {
    app(SimState::new(SimConfig {
        auth: false,
        csrf: false,
        ..config()
    }))
}

#[tokio::test]
async fn basic_credentials_open_a_session() {
    let app = app(SimState::new(config()));
    let basic = ("authorization", "Basic YWdlbnQ6c2VjcmV0");
    let reply = send(&app, Method::GET, "/api/v2/me", &[basic], None).await;
    assert_eq!(reply.status, 200);
    let cookie = reply
        .header("set-cookie")
        .expect("set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("JSESSIONID="));
    let token = reply.header("x-csrf-token").unwrap().to_owned();
    // The session works with the cookie alone, and its token is the one the GET gave.
    let headers = [
        ("cookie", cookie.as_str()),
        ("x-csrf-token", token.as_str()),
    ];
    assert_eq!(
        send(
            &app,
            Method::POST,
            "/api/v2/me/im-sessions",
            &headers,
            Some(initiate())
        )
        .await
        .codes(),
        (200, 0)
    );
    // Basic alone opens a fresh session whose token the client cannot know yet.
    assert_eq!(
        send(
            &app,
            Method::POST,
            "/api/v2/me/im-sessions",
            &[basic],
            Some(initiate())
        )
        .await
        .status,
        403
    );
    assert_eq!(
        send(
            &app,
            Method::GET,
            "/api/v2/me",
            &[("authorization", "Bearer x")],
            None
        )
        .await
        .status,
        401
    );
}

#[tokio::test]
async fn loading_the_page_logs_in() {
    let sim = SimState::new(config());
    let app = app(sim.clone());
    let page = send(&app, Method::GET, "/", &[], None).await;
    assert_eq!(page.status, 200);
    let cookie = page
        .header("set-cookie")
        .expect("the page sets the cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let me = send(
        &app,
        Method::GET,
        "/api/v2/me",
        &[("cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(me.status, 200);
    let again = send(&app, Method::GET, "/", &[("cookie", &cookie)], None).await;
    assert!(
        again.header("set-cookie").is_none(),
        "no new session when one exists"
    );
}

#[tokio::test]
async fn an_expired_session_is_401_status_code_20_everywhere_until_the_agent_signs_in_again() {
    let agent = Browser::new(config()).await;
    assert_eq!(agent.get("/api/v2/me").await.status, 200);
    // A live CometD client of that session.
    let handshake = agent
        .post(
            "/api/v2/notifications",
            json!([{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}]),
        )
        .await;
    let client_id = handshake.json()[0]["clientId"]
        .as_str()
        .expect("clientId")
        .to_owned();

    let expired = agent.control(Method::POST, "/_sim/expire", None).await;
    assert_eq!(expired.json()["expired"], 1);
    for (method, uri) in [
        (Method::GET, "/api/v2/me"),
        (Method::GET, "/api/v2/me/im-sessions?fields=*"),
        (Method::POST, "/api/v2/notifications"),
    ] {
        let reply = send(
            &agent.app,
            method.clone(),
            uri,
            &[("cookie", agent.cookie.as_str()), ("x-csrf-token", agent.token.as_str())],
            Some(json!([{"channel": "/meta/connect", "clientId": client_id, "connectionType": "long-polling"}])),
        )
        .await;
        assert_eq!(reply.status, 401, "{method} {uri}");
        assert_eq!(reply.json()["statusCode"], 20, "{method} {uri}");
    }
    let state = agent.state().await;
    assert_eq!(state["expiredHttpSessions"], 1);
    assert_eq!(state["httpSessions"], 0);

    // Signed in again: a new session works, and the old CometD client is gone with the old session.
    let again = Browser::login(agent.sim.clone()).await;
    assert_eq!(again.get("/api/v2/me").await.status, 200);
    let connect = again
        .post(
            "/api/v2/notifications",
            json!([{"channel": "/meta/connect", "clientId": client_id, "connectionType": "long-polling"}]),
        )
        .await;
    assert_eq!(connect.json()[0]["error"], "402::Unknown client");
    assert_eq!(
        connect.json()[0]["advice"]["reconnect"],
        "handshake",
        "the client is told to handshake again"
    );
}

#[tokio::test]
async fn a_session_unused_past_the_idle_timeout_expires_and_a_used_one_does_not() {
    let mut config = config();
    config.session_idle_timeout = Some(std::time::Duration::from_millis(300));
    let busy = Browser::new(config).await;
    let idle = Browser::login(busy.sim.clone()).await;
    for _ in 0..4 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert_eq!(busy.get("/api/v2/me").await.status, 200);
    }
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    assert_eq!(
        busy.get("/api/v2/me").await.status,
        200,
        "used every 100 ms"
    );
    let reply = idle.get("/api/v2/me").await;
    assert_eq!(reply.status, 401, "unused for 550 ms > 300 ms");
    assert_eq!(reply.json()["statusCode"], 20);
    assert_eq!(busy.state().await["expiredHttpSessions"], 1);
}

#[tokio::test]
async fn another_agent_signing_in_at_the_desk_ends_the_first_agents_sessions_and_ims() {
    let alex = Browser::new(config()).await;
    let ring = alex.ring("3002").await;
    assert_eq!(
        alex.get("/api/v2/me").await.json()["user"]["userName"],
        "alex.morgan"
    );

    // The same agent signing in again changes nothing but the cookie.
    let same = alex
        .control(Method::POST, "/_sim/login", Some(json!({})))
        .await;
    assert_eq!(same.status, 200);
    assert_eq!(same.json()["agentChanged"], false);
    assert_eq!(alex.get("/api/v2/me").await.status, 200, "still signed in");

    let sam = alex
        .control(
            Method::POST,
            "/_sim/login",
            Some(json!({"agent": {"id": "agent-sam", "userName": "sam.lee", "firstName": "Sam", "lastName": "Lee"}})),
        )
        .await;
    assert_eq!(sam.status, 200);
    assert_eq!(sam.json()["agentChanged"], true);
    assert!(sam.header("set-cookie").is_some(), "the new agent's cookie");
    let old = alex.get("/api/v2/me").await;
    assert_eq!(old.status, 401, "the first agent's session ended");
    let state = alex.state().await;
    assert_eq!(state["agent"]["userName"], "sam.lee");
    assert!(
        state["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != ring.as_str()),
        "the first agent's IM is not the new agent's"
    );
    let garbled = alex
        .control(Method::POST, "/_sim/login", Some(json!({"agent": 5})))
        .await;
    assert_eq!(garbled.status, 400, "a malformed login says so");
}
