//! The `/_sim` control API: login, state, reset, the other party's actions, quirks switch.

mod common;

use axum::http::Method;
use common::{config, send_message, unwrap_data, Browser};
use serde_json::{json, Value};

async fn call(agent: &Browser, method: Method, uri: &str, body: Option<Value>) -> common::Reply {
    agent.control(method, uri, body).await
}

#[tokio::test]
async fn login_sets_a_cookie_and_returns_the_csrf_token() {
    let agent = Browser::new(config()).await;
    assert!(agent.cookie.starts_with("JSESSIONID="));
    assert!(!agent.token.is_empty());
    assert_eq!(agent.state().await["httpSessions"], 1);
}

#[tokio::test]
async fn state_shows_sessions_transcripts_bayeux_faults_and_counters() {
    let agent = Browser::new(config()).await;
    let id = agent.ring("3003").await;
    agent.op(&id, send_message("hi", "3003")).await;
    call(
        &agent,
        Method::POST,
        &format!("/_sim/sessions/{id}/messages"),
        Some(json!({"text": "hello back"})),
    )
    .await;
    let state = agent.state().await;
    let session = &state["sessions"][0];
    assert_eq!(session["id"], id.as_str());
    assert_eq!(session["state"], "Talking");
    assert_eq!(session["origin"], "incoming");
    let transcript: Vec<(String, String)> = session["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            (
                line["direction"].as_str().unwrap().into(),
                line["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        transcript,
        [
            ("out".into(), "hi".into()),
            ("in".into(), "hello back".into())
        ]
    );
    assert!(state["bayeux"]["clients"].is_array());
    assert_eq!(state["faults"]["dropRequests"], 0.0);
    assert_eq!(state["counters"]["operations"]["SendMessage"], 1);
    assert_eq!(state["counters"]["apiRequests"], 1);
    assert_eq!(state["quirks"], true);
    assert_eq!(state["recentNotifications"].as_array().unwrap().len(), 4);
    assert_eq!(state["config"]["auth"], true);
}

#[tokio::test]
async fn reset_forgets_sessions_faults_and_quirk_changes_but_keeps_the_login() {
    let agent = Browser::new(config()).await;
    agent.ring("3003").await;
    call(
        &agent,
        Method::PUT,
        "/_sim/faults",
        Some(json!({"latencyMs": 100})),
    )
    .await;
    call(
        &agent,
        Method::PUT,
        "/_sim/quirks",
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(
        call(&agent, Method::POST, "/_sim/reset", None)
            .await
            .codes(),
        (200, 0)
    );
    let state = agent.state().await;
    assert_eq!(state["sessions"], json!([]));
    assert_eq!(state["faults"]["latencyMs"], 0);
    assert_eq!(state["quirks"], true);
    assert_eq!(state["counters"]["apiRequests"], 0);
    assert_eq!(agent.get("/api/v2/me").await.status, 200);
    let again = agent.ring("3003").await;
    assert!(
        again.ends_with("000002"),
        "ids never repeat after a reset: {again}"
    );
}

#[tokio::test]
async fn another_agent_rings_with_user_data_and_an_opening_line() {
    let agent = Browser::new(config()).await;
    let body = json!({"from": "3003", "userData": {"caseId": "CS-1", "priority": 2}, "text": "Got a minute?"});
    let reply = call(&agent, Method::POST, "/_sim/sessions", Some(body)).await;
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    let session = agent.session(&id).await;
    assert_eq!(session["state"], "Alerting");
    assert_eq!(
        session["userData"],
        json!({"caseId": "CS-1", "priority": 2})
    );
    assert_eq!(session["capabilities"], json!(["SendMessage", "Complete"]));
    let published = agent.published();
    assert_eq!(published.len(), 2);
    assert_eq!(published[1]["message"], "Got a minute?");
    assert_eq!(
        call(&agent, Method::POST, "/_sim/sessions", Some(json!({})))
            .await
            .codes(),
        (400, 1)
    );
    assert_eq!(
        call(
            &agent,
            Method::POST,
            "/_sim/sessions",
            Some(json!({"from": "5005"}))
        )
        .await
        .codes(),
        (400, 2)
    );
    assert_eq!(
        call(
            &agent,
            Method::POST,
            "/_sim/sessions",
            Some(json!({"form": "3003"}))
        )
        .await
        .status,
        400
    );
}

#[tokio::test]
async fn the_other_party_writes_answers_attaches_and_completes() {
    let agent = Browser::new(config()).await;
    let body =
        json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3999"}});
    agent.post("/api/v2/me/im-sessions", body).await;
    let id = agent.state().await["sessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = |what: &str| format!("/_sim/sessions/{id}/{what}");

    let early = call(
        &agent,
        Method::POST,
        &path("messages"),
        Some(json!({"text": "hi"})),
    )
    .await;
    assert_eq!(early.codes(), (400, 2), "nobody writes before answering");
    assert_eq!(
        call(&agent, Method::POST, &path("answer"), None)
            .await
            .codes(),
        (200, 0)
    );
    assert_eq!(agent.session(&id).await["state"], "Talking");
    assert_eq!(
        call(&agent, Method::POST, &path("answer"), None)
            .await
            .codes(),
        (400, 2)
    );

    assert_eq!(
        call(
            &agent,
            Method::POST,
            &path("messages"),
            Some(json!({"text": "hi"}))
        )
        .await
        .codes(),
        (200, 0)
    );
    assert_eq!(agent.published().last().unwrap()["message"], "hi");
    assert_eq!(
        call(&agent, Method::POST, &path("messages"), Some(json!({})))
            .await
            .codes(),
        (400, 1)
    );

    let data = json!({"userData": {"bestNumber": "3"}});
    assert_eq!(
        call(&agent, Method::POST, &path("user-data"), Some(data))
            .await
            .codes(),
        (200, 0)
    );
    assert_eq!(
        agent.published().last().unwrap()["notificationType"],
        "AttachedDataChanged"
    );
    assert_eq!(
        call(
            &agent,
            Method::POST,
            &path("user-data"),
            Some(json!({"userData": 3}))
        )
        .await
        .status,
        400
    );

    assert_eq!(
        call(&agent, Method::POST, &path("complete"), None)
            .await
            .codes(),
        (200, 0)
    );
    assert_eq!(agent.session(&id).await["state"], "Completed");
    assert_eq!(
        call(&agent, Method::POST, &path("complete"), None)
            .await
            .codes(),
        (400, 2)
    );
    let unknown = call(&agent, Method::POST, "/_sim/sessions/NOPE/complete", None).await;
    assert_eq!(unknown.codes(), (404, 6));
}

#[tokio::test]
async fn capabilities_can_be_set_verbatim_and_are_enforced() {
    let agent = Browser::new(config()).await;
    let id = agent.ring("3003").await;
    agent.op(&id, send_message("hi", "3003")).await;
    let caps = json!({"capabilities": ["Complete", "Transfer"]});
    let reply = call(
        &agent,
        Method::PUT,
        &format!("/_sim/sessions/{id}/capabilities"),
        Some(caps),
    )
    .await;
    assert_eq!(reply.codes(), (200, 0));
    let last = agent.published().last().cloned().unwrap();
    let session = &unwrap_data(&last)["imSession"];
    assert_eq!(unwrap_data(&last)["notificationType"], "StatusChange");
    let mut shown: Vec<&str> = session["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    shown.sort_unstable();
    assert_eq!(shown, ["Complete", "Transfer"]);
    assert_eq!(
        agent.op(&id, send_message("again", "3003")).await.codes(),
        (400, 2),
        "SendMessage was taken away"
    );
    assert_eq!(
        agent
            .op(&id, json!({"operationName": "Complete"}))
            .await
            .codes(),
        (200, 0)
    );
    let missing = call(
        &agent,
        Method::PUT,
        &format!("/_sim/sessions/{id}/capabilities"),
        Some(json!({})),
    )
    .await;
    assert_eq!(missing.codes(), (400, 1));
}

#[tokio::test]
async fn quirks_switch() {
    let agent = Browser::new(config()).await;
    assert_eq!(
        call(&agent, Method::GET, "/_sim/quirks", None).await.json(),
        json!({"enabled": true})
    );
    let off = call(
        &agent,
        Method::PUT,
        "/_sim/quirks",
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(off.json(), json!({"enabled": false}));
    assert_eq!(agent.state().await["quirks"], false);
    assert_eq!(
        call(
            &agent,
            Method::PUT,
            "/_sim/quirks",
            Some(json!({"on": true}))
        )
        .await
        .status,
        400
    );
}
