//! Fault injection on `/api/v2` and its switches on `/_sim/faults`.

mod common;

use std::time::Duration;

use axum::http::Method;
use common::{config, Browser};
use serde_json::{json, Value};

fn initiate() -> Value {
    json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3999"}})
}

async fn put_faults(agent: &Browser, body: Value) -> common::Reply {
    agent.control(Method::PUT, "/_sim/faults", Some(body)).await
}

#[tokio::test]
async fn a_dropped_request_is_not_answered_and_not_applied() {
    let agent = Browser::new(config()).await;
    assert_eq!(
        put_faults(&agent, json!({"dropRequests": 1.0}))
            .await
            .status,
        200
    );
    let reply = agent.post("/api/v2/me/im-sessions", initiate()).await;
    assert!(reply.dropped(), "{:?}", reply.text());
    assert_eq!(agent.session_list_len_unfaulted().await, 0);
    assert_eq!(agent.state().await["counters"]["droppedRequests"], 1);
}

#[tokio::test]
async fn a_dropped_response_is_applied_but_not_answered() {
    let agent = Browser::new(config()).await;
    put_faults(&agent, json!({"dropResponses": 1.0})).await;
    let reply = agent.post("/api/v2/me/im-sessions", initiate()).await;
    assert!(reply.dropped());
    assert_eq!(
        agent.session_list_len_unfaulted().await,
        1,
        "the ambiguous case: it happened"
    );
    assert_eq!(agent.published().len(), 1, "and its notification went out");
    // A retry of the same request meets the one-active-IM rule.
    agent.control(Method::DELETE, "/_sim/faults", None).await;
    assert_eq!(
        agent
            .post("/api/v2/me/im-sessions", initiate())
            .await
            .codes(),
        (400, 2)
    );
}

#[tokio::test(start_paused = true)]
async fn server_errors_for_a_while_then_recovery() {
    let agent = Browser::new(config()).await;
    let view = put_faults(&agent, json!({"serverErrorsForMs": 20000}))
        .await
        .json();
    assert_eq!(view["serverErrorsForMs"], 20000);
    for uri in ["/api/v2/me", "/api/v2/me/im-sessions?fields=*"] {
        let reply = agent.get(uri).await;
        assert_eq!(reply.codes(), (503, 4), "{uri}");
        assert!(reply.json()["statusMessage"].is_string());
    }
    assert_eq!(
        agent
            .post("/api/v2/me/im-sessions", initiate())
            .await
            .codes(),
        (503, 4)
    );
    assert!(agent.published().is_empty(), "a 503 applies nothing");
    tokio::time::advance(Duration::from_millis(20001)).await;
    assert_eq!(agent.get("/api/v2/me").await.status, 200);
    assert_eq!(agent.state().await["counters"]["serverErrors"], 3);
}

#[tokio::test(start_paused = true)]
async fn latency_delays_every_api_request_but_not_control() {
    let agent = Browser::new(config()).await;
    put_faults(&agent, json!({"latencyMs": 2000})).await;
    let started = tokio::time::Instant::now();
    assert_eq!(agent.get("/api/v2/me").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(2000));
    let started = tokio::time::Instant::now();
    agent.state().await;
    assert!(
        started.elapsed() < Duration::from_millis(10),
        "the control API is never faulted"
    );
    assert_eq!(agent.state().await["counters"]["delayedRequests"], 1);
}

#[tokio::test]
async fn the_control_api_and_the_page_are_never_faulted() {
    let agent = Browser::new(config()).await;
    put_faults(
        &agent,
        json!({"dropRequests": 1.0, "serverErrorsForMs": 60000}),
    )
    .await;
    assert_eq!(
        agent.control(Method::GET, "/_sim/state", None).await.status,
        200
    );
    assert_eq!(
        agent
            .control(
                Method::POST,
                "/_sim/sessions",
                Some(json!({"from": "3003"}))
            )
            .await
            .status,
        200
    );
    assert_eq!(agent.control(Method::GET, "/", None).await.status, 200);
}

#[tokio::test]
async fn faults_view_patch_and_clear() {
    let agent = Browser::new(config()).await;
    let off = agent
        .control(Method::GET, "/_sim/faults", None)
        .await
        .json();
    assert_eq!(
        off,
        json!({"dropRequests": 0.0, "dropResponses": 0.0, "serverErrorsForMs": 0, "latencyMs": 0,
               "closePollsEarly": false, "ackExtension": true, "seed": 1})
    );
    let patched = put_faults(
        &agent,
        json!({"dropRequests": 0.1, "latencyMs": 5, "seed": 7}),
    )
    .await
    .json();
    assert_eq!(
        (
            patched["dropRequests"].as_f64(),
            patched["latencyMs"].as_u64(),
            patched["seed"].as_u64()
        ),
        (Some(0.1), Some(5), Some(7))
    );
    assert_eq!(patched["dropResponses"], 0.0, "fields not given are kept");
    for bad in [
        json!({"dropRequests": 2}),
        json!({"dropResponses": -0.1}),
        json!({"latency": 5}),
        json!({"latencyMs": "x"}),
    ] {
        let reply = put_faults(&agent, bad.clone()).await;
        assert_eq!(reply.status, 400, "{bad}");
        assert!(reply.json()["statusMessage"].is_string());
    }
    let cleared = agent
        .control(Method::DELETE, "/_sim/faults", None)
        .await
        .json();
    assert_eq!(cleared["dropRequests"], 0.0);
    assert_eq!(cleared["latencyMs"], 0);
    assert_eq!(cleared["seed"], 7, "the seed stays");
}

#[tokio::test]
async fn the_same_seed_drops_the_same_requests() {
    let agent = Browser::new(config()).await;
    let mut patterns = Vec::new();
    for _ in 0..2 {
        put_faults(&agent, json!({"dropRequests": 0.5, "seed": 42})).await;
        let mut pattern = Vec::new();
        for _ in 0..24 {
            pattern.push(agent.get("/api/v2/me").await.dropped());
        }
        patterns.push(pattern);
    }
    assert_eq!(patterns[0], patterns[1]);
    let dropped = patterns[0].iter().filter(|d| **d).count();
    assert!((4..=20).contains(&dropped), "{dropped} of 24");
}

#[tokio::test]
async fn session_list_reads_are_counted_only_when_answered() {
    let agent = Browser::new(config()).await;
    let reads = |state: Value| state["counters"]["sessionListReads"].as_u64();
    assert_eq!(reads(agent.state().await), Some(0));
    agent.get("/api/v2/me/im-sessions").await;
    agent.get("/api/v2/me/im-sessions?fields=*").await;
    agent.post("/api/v2/me/im-sessions", initiate()).await;
    agent.get("/api/v2/me").await;
    assert_eq!(reads(agent.state().await), Some(2), "two GETs of the list");
    put_faults(&agent, json!({"dropResponses": 1.0})).await;
    assert!(agent.get("/api/v2/me/im-sessions").await.dropped());
    put_faults(
        &agent,
        json!({"dropResponses": 0.0, "serverErrorsForMs": 60000}),
    )
    .await;
    assert_eq!(agent.get("/api/v2/me/im-sessions").await.status, 503);
    assert_eq!(
        reads(agent.state().await),
        Some(2),
        "a lost or refused read is not a read"
    );
    agent.control(Method::DELETE, "/_sim/faults", None).await;
    agent.get("/api/v2/me/im-sessions").await;
    assert_eq!(reads(agent.state().await), Some(3));
    agent.control(Method::POST, "/_sim/reset", None).await;
    assert_eq!(reads(agent.state().await), Some(0));
}
