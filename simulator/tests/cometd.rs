//! `POST /api/v2/notifications` wired to the Bayeux engine: delivery, 402, restart, and CometD faults.

mod common;

use std::time::{Duration, Instant};

use axum::http::Method;
use common::{config, im_data, Browser};
use gws_sim::SimConfig;
use serde_json::json;

#[tokio::test]
async fn published_notifications_reach_a_subscribed_client_in_order() {
    let agent = Browser::new(config()).await;
    let mut client = agent.cometd(false).await;
    let id = agent.ring("3003").await;
    let message = json!({"text": "Are you there?"});
    agent
        .control(
            Method::POST,
            &format!("/_sim/sessions/{id}/messages"),
            Some(message),
        )
        .await;
    let reply = agent.connect(&mut client).await;
    let data = im_data(&reply);
    assert_eq!(data, agent.published());
    assert_eq!(data.len(), 2);
    assert_eq!(data[1]["message"], "Are you there?");
    for payload in &data {
        gws_protocol::ImNotification::from_value(payload).expect("the widget's decoder reads it");
    }
}

#[tokio::test]
async fn a_subscribe_to_the_im_topic_is_seen_by_scenarios() {
    let agent = Browser::new(config()).await;
    let waiting = json!({"start": "firstSubscriber", "steps": [{"action": "ring", "session": "a", "from": "3003"}]});
    agent
        .control(Method::POST, "/_sim/scenario", Some(waiting))
        .await;
    assert_eq!(agent.state().await["scenariosWaitingForSubscriber"], 1);
    let _client = agent.cometd(false).await;
    tokio::time::timeout(Duration::from_secs(5), async {
        while agent.published().is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the waiting scenario ran after the subscribe");
    assert_eq!(agent.state().await["scenariosWaitingForSubscriber"], 0);
}

#[tokio::test]
async fn unknown_client_fault_gives_402_and_handshake_advice() {
    let agent = Browser::new(config()).await;
    let mut client = agent.cometd(false).await;
    assert_eq!(
        agent
            .control(Method::POST, "/_sim/faults/unknown-client", None)
            .await
            .status,
        200
    );
    let reply = agent.connect(&mut client).await.json();
    assert_eq!(reply[0]["successful"], false);
    assert_eq!(reply[0]["error"], "402::Unknown client");
    assert_eq!(reply[0]["advice"]["reconnect"], "handshake");
    // A new handshake works and later notifications arrive.
    let mut again = agent.cometd(false).await;
    agent.ring("3004").await;
    assert_eq!(im_data(&agent.connect(&mut again).await).len(), 1);
}

#[tokio::test]
async fn restart_aborts_a_held_connect_and_keeps_rest_state_and_http_sessions() {
    let mut slow = config();
    slow.bayeux.timeout = Duration::from_secs(20);
    let agent = Browser::new(slow).await;
    let id = agent.ring("3003").await;
    let mut client = agent.cometd(false).await;
    let held = {
        let app = agent.app.clone();
        let cookie = agent.cookie.clone();
        let client_id = client.client_id.clone();
        tokio::spawn(async move {
            let connect = json!([{"channel": "/meta/connect", "id": "9", "clientId": client_id, "connectionType": "long-polling"}]);
            common::send(
                &app,
                Method::POST,
                "/api/v2/notifications",
                &[("cookie", &cookie)],
                Some(connect),
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        agent
            .control(Method::POST, "/_sim/restart", None)
            .await
            .status,
        200
    );
    let reply = tokio::time::timeout(Duration::from_secs(5), held)
        .await
        .expect("answered")
        .expect("task");
    assert!(
        reply.dropped(),
        "the held connect's connection is dropped: {:?}",
        reply.text()
    );
    assert_eq!(
        agent.session(&id).await["state"],
        "Alerting",
        "REST state kept"
    );
    assert_eq!(
        agent.get("/api/v2/me").await.status,
        200,
        "HTTP session kept"
    );
    assert_eq!(
        agent.connect(&mut client).await.json()[0]["error"],
        "402::Unknown client"
    );
}

#[tokio::test]
async fn close_polls_early_answers_connects_at_once() {
    let mut slow = config();
    slow.bayeux.timeout = Duration::from_secs(20);
    let agent = Browser::new(slow).await;
    let mut client = agent.cometd(false).await;
    let faults = agent
        .control(
            Method::PUT,
            "/_sim/faults",
            Some(json!({"closePollsEarly": true})),
        )
        .await
        .json();
    assert_eq!(faults["closePollsEarly"], true);
    assert_eq!(
        agent.state().await["bayeux"]["config"]["closePollsEarly"],
        true
    );
    let started = Instant::now();
    let reply = tokio::time::timeout(Duration::from_secs(5), agent.connect(&mut client))
        .await
        .expect("not held");
    assert_eq!(reply.json()[0]["successful"], true);
    assert!(started.elapsed() < Duration::from_secs(5));
    agent.control(Method::DELETE, "/_sim/faults", None).await;
    assert_eq!(
        agent.state().await["bayeux"]["config"]["closePollsEarly"],
        false
    );
}

#[tokio::test]
async fn ack_extension_switch_reaches_new_handshakes() {
    let agent = Browser::new(config()).await;
    let handshake = json!([{"channel": "/meta/handshake", "id": "1", "version": "1.0",
        "supportedConnectionTypes": ["long-polling"], "ext": {"ack": true}}]);
    assert_eq!(
        agent.bayeux(handshake.clone()).await.json()[0]["ext"]["ack"],
        true
    );
    agent
        .control(
            Method::PUT,
            "/_sim/faults",
            Some(json!({"ackExtension": false})),
        )
        .await;
    let reply = agent.bayeux(handshake.clone()).await.json();
    assert_ne!(reply[0]["ext"]["ack"], true, "{reply}");
    let off = Browser::new(SimConfig {
        bayeux: gws_sim::bayeux::BayeuxConfig {
            ack_extension: false,
            ..config().bayeux
        },
        ..config()
    })
    .await;
    assert_ne!(off.bayeux(handshake).await.json()[0]["ext"]["ack"], true);
    assert_eq!(
        off.control(Method::GET, "/_sim/faults", None).await.json()["ackExtension"],
        false
    );
}

#[tokio::test]
async fn a_dropped_connect_reply_is_resent_with_the_ack_extension() {
    let agent = Browser::new(config()).await;
    let mut client = agent.cometd(true).await;
    assert!(
        client.acked.is_some(),
        "the connect reply carries a batch id"
    );
    agent.ring("3003").await;
    agent
        .control(
            Method::PUT,
            "/_sim/faults",
            Some(json!({"dropResponses": 1.0})),
        )
        .await;
    let lost = agent.connect(&mut client).await;
    assert!(
        lost.dropped(),
        "the reply carrying the ring was lost on the wire"
    );
    agent.control(Method::DELETE, "/_sim/faults", None).await;
    let resent = agent.connect(&mut client).await;
    assert_eq!(
        im_data(&resent),
        agent.published(),
        "the lost batch comes again"
    );
    assert_eq!(agent.state().await["counters"]["droppedResponses"], 1);
}

#[tokio::test]
async fn cometd_requests_are_faulted_too() {
    let agent = Browser::new(config()).await;
    agent
        .control(
            Method::PUT,
            "/_sim/faults",
            Some(json!({"dropRequests": 1.0})),
        )
        .await;
    let handshake = json!([{"channel": "/meta/handshake", "id": "1", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}]);
    assert!(agent.bayeux(handshake.clone()).await.dropped());
    assert_eq!(
        agent.state().await["bayeux"]["clients"],
        json!([]),
        "a dropped handshake was not applied"
    );
    agent
        .control(
            Method::PUT,
            "/_sim/faults",
            Some(json!({"dropRequests": 0.0, "serverErrorsForMs": 60000})),
        )
        .await;
    let reply = agent.bayeux(handshake).await;
    assert_eq!(reply.codes(), (503, 4));
}

#[tokio::test]
async fn malformed_bayeux_bodies_get_400() {
    let agent = Browser::new(config()).await;
    for body in ["{nope", "42", "\"x\""] {
        let headers = [("cookie", agent.cookie.as_str())];
        let reply = common::send_raw(
            &agent.app,
            Method::POST,
            "/api/v2/notifications",
            &headers,
            Some(body.into()),
        )
        .await;
        assert_eq!(reply.status, 400, "{body}");
    }
}

#[tokio::test]
async fn the_state_counts_handshakes_402s_restarts_and_polls_closed_early() {
    let agent = Browser::new(config()).await;
    let counters = |state: serde_json::Value| state["bayeux"]["counters"].clone();
    assert_eq!(
        counters(agent.state().await),
        json!({"handshakes": 0, "pollsClosedEarly": 0, "unknownClientReplies": 0, "clientsExpired": 0, "clientsForgotten": 0, "restarts": 0})
    );
    let mut client = agent.cometd(false).await;
    agent
        .control(
            Method::PUT,
            "/_sim/faults",
            Some(json!({"closePollsEarly": true})),
        )
        .await;
    agent.connect(&mut client).await;
    agent.control(Method::DELETE, "/_sim/faults", None).await;
    agent
        .control(Method::POST, "/_sim/faults/unknown-client", None)
        .await;
    agent.connect(&mut client).await;
    let mut again = agent.cometd(false).await;
    agent.control(Method::POST, "/_sim/restart", None).await;
    agent.connect(&mut again).await;
    assert_eq!(
        counters(agent.state().await),
        json!({"handshakes": 2, "pollsClosedEarly": 1, "unknownClientReplies": 2, "clientsExpired": 0, "clientsForgotten": 1, "restarts": 1})
    );
    agent.control(Method::POST, "/_sim/reset", None).await;
    assert_eq!(counters(agent.state().await)["handshakes"], 0);
}
