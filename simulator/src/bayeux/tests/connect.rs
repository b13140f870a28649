//! Handshake, the held `/meta/connect` and publishing: the engine's main path.

use super::*;

#[test]
fn handle_future_is_send_for_axum() {
    fn assert_send<T: Send>(_: T) {}
    let bayeux = Bayeux::default();
    assert_send(bayeux.handle(Vec::new()));
}

#[tokio::test(start_paused = true)]
async fn handshake_reply_offers_long_polling_with_advice() {
    let bayeux = Bayeux::new(config());
    let reply = one(&bayeux, BayeuxMessage::handshake(7, false)).await;
    let json = serde_json::to_value(&reply).unwrap();
    let handshake = &json[0];
    assert_eq!(handshake["channel"], META_HANDSHAKE);
    assert_eq!(handshake["id"], "7");
    assert_eq!(handshake["successful"], true);
    assert_eq!(handshake["version"], "1.0");
    assert_eq!(
        handshake["supportedConnectionTypes"],
        json!(["long-polling"])
    );
    assert_eq!(handshake["advice"]["reconnect"], "retry");
    assert_eq!(handshake["advice"]["interval"], 0);
    assert_eq!(handshake["advice"]["timeout"], 30_000);
    assert_eq!(handshake["advice"]["maxInterval"], 10_000);
    assert!(handshake["clientId"]
        .as_str()
        .is_some_and(|id| id.len() >= 14));
    assert!(
        handshake.get("ext").is_none(),
        "no ack unless the client asks"
    );
    let other = handshake_id(&bayeux).await;
    assert_ne!(Some(other.as_str()), handshake["clientId"].as_str());
}

async fn handshake_id(bayeux: &Bayeux) -> String {
    handshake(bayeux, false).await
}

#[tokio::test(start_paused = true)]
async fn handshake_grants_ack_only_when_asked_and_switched_on() {
    let bayeux = Bayeux::new(config());
    let reply = one(&bayeux, BayeuxMessage::handshake(1, true)).await;
    assert_eq!(reply[0].ext, Some(json!({ "ack": true })));

    bayeux.set_ack_extension(false);
    assert!(!bayeux.config().ack_extension);
    let reply = one(&bayeux, BayeuxMessage::handshake(2, true)).await;
    assert_eq!(reply[0].ext, None);
    let client = reply[0].client_id.clone().unwrap();
    assert_eq!(
        client_snapshot(&bayeux, &client).unwrap()["ackExtension"],
        false
    );
}

#[tokio::test(start_paused = true)]
async fn first_connect_is_answered_at_once_with_advice_then_held() {
    let bayeux = Bayeux::new(config());
    let client = handshake(&bayeux, false).await;
    let first = one(&bayeux, connect_msg(2, &client, None)).await;
    assert_eq!(first.len(), 1);
    assert!(first[0].is_successful());
    assert_eq!(first[0].id.as_deref(), Some("2"));
    let advice = first[0]
        .advice
        .clone()
        .expect("advice on the first connect");
    assert_eq!(advice.reconnect, Some(Reconnect::Retry));
    assert_eq!(advice.timeout, Some(30_000));

    let started = Instant::now();
    let second = one(&bayeux, connect_msg(3, &client, None)).await;
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(30),
        "held for the whole timeout"
    );
    assert_eq!(second.len(), 1);
    assert!(second[0].is_successful());
    assert_eq!(second[0].advice, None, "advice is not repeated");
}

#[tokio::test(start_paused = true)]
async fn held_connect_is_answered_by_publish_with_data_first() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
    until_held(&bayeux, &client).await;
    let started = Instant::now();
    bayeux.publish(
        TOPIC,
        json!({ "messageType": "IMLogUpdateMessage", "message": "hi" }),
    );
    let reply = replies(held.await.unwrap());
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "answered at once, not at the timeout"
    );
    assert_eq!(reply.len(), 2);
    assert_eq!(reply[0].channel, TOPIC);
    assert_eq!(
        reply[0].data,
        Some(json!({ "messageType": "IMLogUpdateMessage", "message": "hi" }))
    );
    assert!(reply[0].id.is_some());
    assert_eq!(reply[1].channel, META_CONNECT);
    assert!(reply[1].is_successful());
}

#[tokio::test(start_paused = true)]
async fn published_messages_have_unique_ids_and_the_documented_shape() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    bayeux.publish(TOPIC, json!({ "n": 2 }));
    let reply = one(&bayeux, connect_msg(4, &client, None)).await;
    let json = serde_json::to_value(&reply).unwrap();
    let first = json[0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["channel", "data", "id"]);
    assert_ne!(json[0]["id"], json[1]["id"]);
    assert_eq!(data_of(&reply), vec![json!({ "n": 1 }), json!({ "n": 2 })]);
}

#[tokio::test(start_paused = true)]
async fn held_connect_times_out_empty() {
    let bayeux = Bayeux::new(BayeuxConfig {
        timeout: Duration::from_secs(2),
        ..config()
    });
    let client = ready_client(&bayeux, false).await;
    let started = Instant::now();
    let reply = one(&bayeux, connect_msg(4, &client, None)).await;
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    assert_eq!(reply.len(), 1);
    assert!(reply[0].is_successful());
}

#[tokio::test(start_paused = true)]
async fn client_advice_timeout_zero_is_answered_at_once() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let advice = Advice {
        timeout: Some(0),
        ..Advice::default()
    };
    let started = Instant::now();
    let reply = one(
        &bayeux,
        BayeuxMessage::connect(4, &client, None, Some(advice)),
    )
    .await;
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert!(reply[0].is_successful());
    assert!(
        reply[0].advice.is_some(),
        "a client that sends advice is re-advised"
    );
}
