use std::time::Duration;

use gws_protocol::bayeux::{META_CONNECT, META_DISCONNECT, META_HANDSHAKE, META_SUBSCRIBE};
use gws_protocol::{Advice, BayeuxMessage, Reconnect};
use serde_json::{json, Value};
use tokio::time::Instant;

use super::*;
use gws_protocol::IM_SESSIONS_TOPIC;

const TOPIC: &str = IM_SESSIONS_TOPIC;

fn config() -> BayeuxConfig {
    BayeuxConfig {
        timeout: Duration::from_secs(30),
        interval: Duration::ZERO,
        max_interval: Duration::from_secs(10),
        ack_extension: true,
    }
}

fn replies(outcome: Outcome) -> Vec<BayeuxMessage> {
    match outcome {
        Outcome::Reply(messages) => messages,
        Outcome::Abort => panic!("expected a reply, got an abort"),
    }
}

async fn one(bayeux: &Bayeux, message: BayeuxMessage) -> Vec<BayeuxMessage> {
    replies(bayeux.handle(vec![message]).await)
}

/// Handshakes (offering ack when asked) and returns the clientId.
async fn handshake(bayeux: &Bayeux, ack: bool) -> String {
    let reply = one(bayeux, BayeuxMessage::handshake(1, ack)).await;
    assert_eq!(reply.len(), 1);
    assert!(reply[0].is_successful(), "{reply:?}");
    reply[0].client_id.clone().expect("a clientId")
}

/// Handshake, subscribe to the IM topic, first connect: the client is now long-polling.
async fn ready_client(bayeux: &Bayeux, ack: bool) -> String {
    let client = handshake(bayeux, ack).await;
    let reply = one(bayeux, BayeuxMessage::subscribe(2, &client, TOPIC)).await;
    assert!(reply[0].is_successful(), "{reply:?}");
    let first = one(
        bayeux,
        BayeuxMessage::connect(3, &client, ack.then_some(0), None),
    )
    .await;
    assert!(first[0].is_successful(), "{first:?}");
    client
}

fn connect_msg(id: u64, client: &str, ack: Option<i64>) -> BayeuxMessage {
    BayeuxMessage::connect(id, client, ack, None)
}

fn data_of(messages: &[BayeuxMessage]) -> Vec<Value> {
    messages
        .iter()
        .filter(|message| !message.is_meta())
        .filter_map(|message| message.data.clone())
        .collect()
}

fn connect_reply_of(messages: &[BayeuxMessage]) -> &BayeuxMessage {
    messages
        .iter()
        .find(|message| message.channel == META_CONNECT)
        .expect("a /meta/connect reply")
}

fn batch_of(messages: &[BayeuxMessage]) -> i64 {
    connect_reply_of(messages)
        .ext_ack()
        .and_then(Value::as_i64)
        .expect("an ext.ack batch id")
}

fn client_snapshot(bayeux: &Bayeux, client: &str) -> Option<Value> {
    let snapshot = bayeux.snapshot();
    snapshot["clients"]
        .as_array()?
        .iter()
        .find(|entry| entry["clientId"] == client)
        .cloned()
}

/// Lets spawned connects run until `client` has one held.
async fn until_held(bayeux: &Bayeux, client: &str) {
    for _ in 0..100 {
        if client_snapshot(bayeux, client).is_some_and(|entry| entry["connectHeld"] == true) {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("the connect of {client} was never held");
}

fn spawn_connect(bayeux: &Bayeux, message: BayeuxMessage) -> tokio::task::JoinHandle<Outcome> {
    let bayeux = bayeux.clone();
    tokio::spawn(async move { bayeux.handle(vec![message]).await })
}

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

#[tokio::test(start_paused = true)]
async fn queue_is_kept_across_a_gap_shorter_than_max_interval() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    tokio::time::advance(Duration::from_secs(6)).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    tokio::time::advance(Duration::from_secs(3)).await;
    bayeux.publish(TOPIC, json!({ "n": 2 }));
    assert_eq!(client_snapshot(&bayeux, &client).unwrap()["queued"], 2);
    let started = Instant::now();
    let reply = one(&bayeux, connect_msg(4, &client, None)).await;
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "queued data answers at once"
    );
    assert_eq!(data_of(&reply), vec![json!({ "n": 1 }), json!({ "n": 2 })]);
    assert_eq!(reply.last().unwrap().channel, META_CONNECT);
}

#[tokio::test(start_paused = true)]
async fn client_without_connect_for_max_interval_is_swept_with_its_queue() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    tokio::time::advance(Duration::from_millis(10_001)).await;
    assert!(client_snapshot(&bayeux, &client).is_none(), "swept");
    let reply = one(&bayeux, connect_msg(4, &client, None)).await;
    assert_eq!(reply.len(), 1, "the queue went with the client");
    assert_eq!(reply[0].successful, Some(false));
    assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
}

#[tokio::test(start_paused = true)]
async fn a_held_connect_keeps_the_client_alive_past_max_interval() {
    let bayeux = Bayeux::new(BayeuxConfig {
        timeout: Duration::from_secs(30),
        max_interval: Duration::from_secs(5),
        ..config()
    });
    let client = ready_client(&bayeux, false).await;
    let reply = one(&bayeux, connect_msg(4, &client, None)).await;
    assert!(reply[0].is_successful(), "still known after a 30 s hold");
    tokio::time::advance(Duration::from_secs(4)).await;
    assert!(client_snapshot(&bayeux, &client).is_some());
}

#[tokio::test(start_paused = true)]
async fn other_messages_extend_the_client_life() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    tokio::time::advance(Duration::from_secs(8)).await;
    one(
        &bayeux,
        BayeuxMessage::subscribe(4, &client, "/v2/me/devices"),
    )
    .await;
    tokio::time::advance(Duration::from_secs(8)).await;
    assert!(client_snapshot(&bayeux, &client).is_some());
}

#[tokio::test(start_paused = true)]
async fn unknown_client_gets_402_with_handshake_advice_and_can_rehandshake() {
    let bayeux = Bayeux::new(config());
    let reply = one(&bayeux, connect_msg(1, "nosuchclient", None)).await;
    assert_eq!(reply.len(), 1);
    let json = serde_json::to_value(&reply[0]).unwrap();
    assert_eq!(json["successful"], false);
    assert_eq!(json["error"], "402::Unknown client");
    assert_eq!(
        json["advice"],
        json!({ "reconnect": "handshake", "interval": 0 })
    );

    let client = ready_client(&bayeux, false).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let reply = one(&bayeux, connect_msg(5, &client, None)).await;
    assert_eq!(data_of(&reply), vec![json!({ "n": 1 })]);
}

#[tokio::test(start_paused = true)]
async fn forget_all_clients_gives_402_to_held_and_later_connects() {
    let bayeux = Bayeux::new(config());
    let held_client = ready_client(&bayeux, false).await;
    let idle_client = ready_client(&bayeux, true).await;
    let held = spawn_connect(&bayeux, connect_msg(4, &held_client, None));
    until_held(&bayeux, &held_client).await;
    bayeux.forget_all_clients();
    let reply = replies(held.await.unwrap());
    assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
    assert_eq!(
        reply[0].advice.as_ref().unwrap().reconnect,
        Some(Reconnect::Handshake)
    );
    let reply = one(&bayeux, connect_msg(5, &idle_client, Some(1))).await;
    assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
    let reply = one(&bayeux, BayeuxMessage::subscribe(6, &idle_client, TOPIC)).await;
    assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
    assert_eq!(
        reply[0].advice, None,
        "CometD advises only on handshake/connect"
    );
    assert_eq!(bayeux.snapshot()["clients"], json!([]));
}

#[tokio::test(start_paused = true)]
async fn ack_resends_a_batch_whose_connect_reply_was_lost() {
    let bayeux = Bayeux::new(config());
    let client = handshake(&bayeux, true).await;
    one(&bayeux, BayeuxMessage::subscribe(2, &client, TOPIC)).await;
    let first = one(&bayeux, connect_msg(3, &client, Some(0))).await;
    let acked = batch_of(&first);

    let held = spawn_connect(&bayeux, connect_msg(4, &client, Some(acked)));
    until_held(&bayeux, &client).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let lost = replies(held.await.unwrap());
    assert_eq!(data_of(&lost), vec![json!({ "n": 1 })]);
    let lost_batch = batch_of(&lost);
    assert!(lost_batch > acked);
    let entry = client_snapshot(&bayeux, &client).unwrap();
    assert_eq!(
        entry["unackedBatches"],
        json!([{ "batch": lost_batch, "messages": 1 }])
    );

    // The reply never reached the client: it connects again with the old batch id.
    let started = Instant::now();
    let resent = one(&bayeux, connect_msg(5, &client, Some(acked))).await;
    assert_eq!(started.elapsed(), Duration::ZERO, "a resend is not held");
    assert_eq!(data_of(&resent), vec![json!({ "n": 1 })]);
    let resent_batch = batch_of(&resent);

    // Acknowledged now: nothing is sent twice, and the next connect is held again.
    bayeux.publish(TOPIC, json!({ "n": 2 }));
    let next = one(&bayeux, connect_msg(6, &client, Some(resent_batch))).await;
    assert_eq!(data_of(&next), vec![json!({ "n": 2 })]);
    let started = Instant::now();
    let idle = one(&bayeux, connect_msg(7, &client, Some(batch_of(&next)))).await;
    assert_eq!(started.elapsed(), Duration::from_secs(30));
    assert!(data_of(&idle).is_empty());
    assert_eq!(
        client_snapshot(&bayeux, &client).unwrap()["unackedBatches"],
        json!([])
    );
}

#[tokio::test(start_paused = true)]
async fn ack_client_gets_data_only_in_connect_replies() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, true).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let reply = one(
        &bayeux,
        BayeuxMessage::subscribe(4, &client, "/v2/me/calls"),
    )
    .await;
    assert_eq!(reply.len(), 1, "{reply:?}");
    assert_eq!(client_snapshot(&bayeux, &client).unwrap()["queued"], 1);
}

#[tokio::test(start_paused = true)]
async fn ack_ignores_a_claim_for_a_batch_never_sent() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, true).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let reply = one(&bayeux, connect_msg(4, &client, Some(1_000))).await;
    assert_eq!(data_of(&reply), vec![json!({ "n": 1 })]);
}

#[tokio::test(start_paused = true)]
async fn non_ack_client_gets_its_queue_with_any_reply() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let reply = one(
        &bayeux,
        BayeuxMessage::subscribe(4, &client, "/v2/me/calls"),
    )
    .await;
    assert_eq!(reply.len(), 2);
    assert_eq!(reply[0].data, Some(json!({ "n": 1 })));
    assert_eq!(reply[1].channel, META_SUBSCRIBE);
}

#[tokio::test(start_paused = true)]
async fn a_second_connect_answers_the_held_one() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, true).await;
    let first = spawn_connect(&bayeux, connect_msg(4, &client, Some(1)));
    until_held(&bayeux, &client).await;
    let second = spawn_connect(&bayeux, connect_msg(5, &client, Some(1)));
    let reply = replies(first.await.unwrap());
    assert_eq!(reply.len(), 1);
    assert_eq!(reply[0].id.as_deref(), Some("4"));
    assert!(reply[0].is_successful());
    assert_eq!(
        reply[0].ext, None,
        "the superseded reply acknowledges nothing"
    );
    until_held(&bayeux, &client).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let reply = replies(second.await.unwrap());
    assert_eq!(data_of(&reply), vec![json!({ "n": 1 })]);
    assert_eq!(connect_reply_of(&reply).id.as_deref(), Some("5"));
}

#[tokio::test(start_paused = true)]
async fn disconnect_removes_the_client_and_answers_its_held_connect() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
    until_held(&bayeux, &client).await;
    let reply = one(&bayeux, BayeuxMessage::disconnect(5, &client)).await;
    assert_eq!(reply.len(), 1);
    assert_eq!(reply[0].channel, META_DISCONNECT);
    assert!(reply[0].is_successful());
    let held = replies(held.await.unwrap());
    assert_eq!(
        held[0].advice.as_ref().unwrap().reconnect,
        Some(Reconnect::None)
    );
    assert!(client_snapshot(&bayeux, &client).is_none());
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let reply = one(&bayeux, connect_msg(6, &client, None)).await;
    assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
}

#[tokio::test(start_paused = true)]
async fn close_polls_early_answers_connects_at_once() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
    until_held(&bayeux, &client).await;
    let started = Instant::now();
    bayeux.set_close_polls_early(true);
    let reply = replies(held.await.unwrap());
    assert_eq!(reply.len(), 1);
    assert!(reply[0].is_successful());
    let reply = one(&bayeux, connect_msg(5, &client, None)).await;
    assert_eq!(reply.len(), 1);
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(bayeux.snapshot()["config"]["closePollsEarly"], true);

    bayeux.set_close_polls_early(false);
    let reply = one(&bayeux, connect_msg(6, &client, None)).await;
    assert_eq!(started.elapsed(), Duration::from_secs(30), "held again");
    assert!(reply[0].is_successful());
}

#[tokio::test(start_paused = true)]
async fn restart_aborts_held_connects_and_forgets_everyone() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, true).await;
    let held = spawn_connect(&bayeux, connect_msg(4, &client, Some(1)));
    until_held(&bayeux, &client).await;
    bayeux.restart();
    assert_eq!(held.await.unwrap(), Outcome::Abort);
    let reply = one(&bayeux, connect_msg(5, &client, Some(1))).await;
    assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
    let again = ready_client(&bayeux, true).await;
    assert_ne!(again, client, "ids are not reused after a restart");
}

#[tokio::test(start_paused = true)]
async fn a_dropped_long_poll_keeps_the_queue_and_lets_the_client_expire() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
    until_held(&bayeux, &client).await;
    held.abort();
    let _ = held.await;
    let entry = client_snapshot(&bayeux, &client).unwrap();
    assert_eq!(entry["connectHeld"], false);
    assert_eq!(entry["expiresInMs"], 10_000);
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let reply = one(&bayeux, connect_msg(5, &client, None)).await;
    assert_eq!(data_of(&reply), vec![json!({ "n": 1 })]);
    tokio::time::advance(Duration::from_millis(10_001)).await;
    assert!(client_snapshot(&bayeux, &client).is_none());
}

#[tokio::test(start_paused = true)]
async fn unsubscribe_stops_delivery_and_wildcards_match() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let reply = one(&bayeux, BayeuxMessage::unsubscribe(4, &client, TOPIC)).await;
    assert!(reply[0].is_successful());
    assert_eq!(reply[0].subscription.as_deref(), Some(TOPIC));
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    assert_eq!(client_snapshot(&bayeux, &client).unwrap()["queued"], 0);

    one(&bayeux, BayeuxMessage::subscribe(5, &client, "/v2/me/*")).await;
    one(&bayeux, BayeuxMessage::subscribe(6, &client, "/v2/**")).await;
    bayeux.publish(TOPIC, json!({ "n": 2 }));
    let reply = one(&bayeux, connect_msg(7, &client, None)).await;
    assert_eq!(data_of(&reply), vec![json!({ "n": 2 })], "delivered once");
}

#[test]
fn subscription_patterns_follow_bayeux_wildcards() {
    assert!(subscription_matches(
        "/v2/me/im-sessions",
        "/v2/me/im-sessions"
    ));
    assert!(subscription_matches("/v2/me/*", "/v2/me/im-sessions"));
    assert!(!subscription_matches("/v2/*", "/v2/me/im-sessions"));
    assert!(subscription_matches("/v2/**", "/v2/me/im-sessions"));
    assert!(subscription_matches("/**", "/v2/me/im-sessions"));
    assert!(subscription_matches("/*", "/v2"));
    assert!(!subscription_matches("/v2/me/**", "/v2/me"));
    assert!(!subscription_matches("/v2/me/*", "/v2/mex/a"));
    assert!(!subscription_matches("/v2/me", "/v2/me/im-sessions"));
    assert!(is_meta("/meta/connect") && is_meta("/meta/**") && is_meta("/meta"));
    assert!(!is_meta("/metadata"));
    assert!(is_service("/service/x") && !is_service("/services"));
}

#[tokio::test(start_paused = true)]
async fn bad_input_gets_an_error_reply_per_message() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let bad = |json: Value| -> BayeuxMessage { serde_json::from_value(json).unwrap() };
    let cases: Vec<(BayeuxMessage, &str)> = vec![
        (bad(json!({ "id": "1" })), ERROR_CHANNEL_MISSING),
        (
            bad(json!({ "channel": null, "id": "1" })),
            ERROR_CHANNEL_MISSING,
        ),
        (
            bad(json!({ "channel": "no-slash", "clientId": client })),
            ERROR_CHANNEL_INVALID,
        ),
        (
            bad(json!({ "channel": "/bad<script>", "clientId": client })),
            ERROR_CHANNEL_INVALID,
        ),
        (
            bad(json!({ "channel": 42, "clientId": client })),
            ERROR_CHANNEL_INVALID,
        ),
        (
            bad(json!({ "channel": "/meta/connect", "id": "a-1", "clientId": client })),
            ERROR_MESSAGE_ID_INVALID,
        ),
        (
            bad(json!({ "channel": "/meta/connect" })),
            ERROR_UNKNOWN_CLIENT,
        ),
        (
            bad(json!({ "channel": "/meta/connect", "clientId": 12 })),
            ERROR_UNKNOWN_CLIENT,
        ),
        (
            bad(json!({ "channel": "/meta/subscribe", "clientId": client })),
            ERROR_SUBSCRIPTION_MISSING,
        ),
        (
            bad(
                json!({ "channel": "/meta/subscribe", "clientId": client, "subscription": ["/a"] }),
            ),
            ERROR_SUBSCRIPTION_MISSING,
        ),
        (
            bad(
                json!({ "channel": "/meta/subscribe", "clientId": client, "subscription": "nope" }),
            ),
            ERROR_SUBSCRIPTION_INVALID,
        ),
        (
            bad(
                json!({ "channel": "/meta/subscribe", "clientId": client, "subscription": "/meta/*" }),
            ),
            ERROR_SUBSCRIBE_FAILED,
        ),
        (
            bad(
                json!({ "channel": "/meta/subscribe", "clientId": client, "subscription": "/meta/connect" }),
            ),
            ERROR_SUBSCRIBE_FAILED,
        ),
        (
            bad(
                json!({ "channel": "/meta/unsubscribe", "clientId": client, "subscription": "/meta/**" }),
            ),
            ERROR_UNSUBSCRIBE_FAILED,
        ),
        (
            bad(json!({ "channel": "/meta/bogus", "clientId": client })),
            ERROR_META_CHANNEL_UNKNOWN,
        ),
        (
            bad(json!({ "channel": TOPIC, "clientId": client, "data": {} })),
            ERROR_PUBLISH_DENIED,
        ),
    ];
    for (message, error) in cases {
        let reply = one(&bayeux, message.clone()).await;
        assert_eq!(reply.len(), 1, "{message:?} -> {reply:?}");
        assert_eq!(reply[0].successful, Some(false), "{message:?}");
        assert_eq!(reply[0].error.as_deref(), Some(error), "{message:?}");
    }
    let service =
        bad(json!({ "channel": "/service/echo", "clientId": client, "id": "9", "data": 1 }));
    assert!(one(&bayeux, service).await[0].is_successful());
    assert_eq!(replies(bayeux.handle(Vec::new()).await), Vec::new());
    assert!(
        client_snapshot(&bayeux, &client).is_some(),
        "bad messages hurt nobody"
    );
}

#[tokio::test(start_paused = true)]
async fn a_batch_is_answered_message_by_message_under_its_first_client() {
    let bayeux = Bayeux::new(config());
    let client = handshake(&bayeux, false).await;
    let other = handshake(&bayeux, false).await;
    let batch = vec![
        BayeuxMessage::subscribe(2, &client, TOPIC),
        BayeuxMessage::subscribe(3, &other, TOPIC),
        connect_msg(4, &client, None),
    ];
    let started = Instant::now();
    let reply = replies(bayeux.handle(batch).await);
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "a connect with company is not held"
    );
    let ids: Vec<_> = reply
        .iter()
        .map(|m| (m.id.clone().unwrap(), m.successful))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("2".to_owned(), Some(true)),
            ("3".to_owned(), Some(false)),
            ("4".to_owned(), Some(true)),
        ]
    );
    let with_handshake = vec![
        BayeuxMessage::handshake(5, false),
        connect_msg(6, &client, None),
    ];
    let reply = replies(bayeux.handle(with_handshake).await);
    assert!(reply
        .iter()
        .all(|m| m.error.as_deref() == Some(ERROR_HANDSHAKE_NOT_ALONE)));
}

#[tokio::test(start_paused = true)]
async fn random_garbage_never_panics() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, true).await;
    let channels = [
        "",
        "/",
        "/meta/connect",
        "/meta/handshake",
        "/meta/subscribe",
        "/meta/disconnect",
        "/x/**",
        "x",
        "/service/a",
    ];
    let values = [
        json!(null),
        json!(1),
        json!(-1),
        json!("s"),
        json!([1]),
        json!({ "ack": "x" }),
        json!({ "ack": -5 }),
        json!({ "timeout": 1e30 }),
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % n as u64).unwrap()
    };
    for round in 0..300 {
        let mut batch = Vec::new();
        for _ in 0..=next(3) {
            let mut object = serde_json::Map::new();
            object.insert("channel".into(), json!(channels[next(channels.len())]));
            object.insert("id".into(), values[next(values.len())].clone());
            if next(2) == 0 {
                object.insert("clientId".into(), json!(client));
            }
            object.insert("ext".into(), values[next(values.len())].clone());
            object.insert("advice".into(), values[next(values.len())].clone());
            object.insert("subscription".into(), values[next(values.len())].clone());
            batch.push(serde_json::from_value(Value::Object(object)).unwrap());
        }
        let handling = bayeux.handle(batch);
        let outcome = tokio::time::timeout(Duration::from_secs(60), handling).await;
        assert!(outcome.is_ok(), "round {round} never finished");
        bayeux.publish(TOPIC, json!({ "round": round }));
    }
    let _ = bayeux.snapshot();
}

#[tokio::test(start_paused = true)]
async fn snapshot_shows_clients_subscriptions_queues_and_config() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, true).await;
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    let snapshot = bayeux.snapshot();
    assert_eq!(
        snapshot["config"],
        json!({
            "timeoutMs": 30_000,
            "intervalMs": 0,
            "maxIntervalMs": 10_000,
            "ackExtension": true,
            "closePollsEarly": false,
        })
    );
    assert_eq!(snapshot["messagesPublished"], 1);
    let entry = &snapshot["clients"][0];
    assert_eq!(entry["clientId"], client);
    assert_eq!(entry["subscriptions"], json!([TOPIC]));
    assert_eq!(entry["ackExtension"], true);
    assert_eq!(entry["connected"], true);
    assert_eq!(entry["connectHeld"], false);
    assert_eq!(entry["queued"], 1);
    assert_eq!(entry["unackedBatches"], json!([]));
    assert_eq!(entry["lastBatchSent"], 1);
}
#[tokio::test(start_paused = true)]
async fn handshakes_are_counted_once_each_and_refused_ones_not_at_all() {
    let bayeux = Bayeux::new(config());
    assert_eq!(bayeux.counters(), BayeuxCounters::default());
    handshake(&bayeux, false).await;
    handshake(&bayeux, true).await;
    let not_alone = vec![
        BayeuxMessage::handshake(5, false),
        BayeuxMessage::handshake(6, false),
    ];
    bayeux.handle(not_alone).await;
    assert_eq!(bayeux.counters().handshakes, 2);
    assert_eq!(bayeux.snapshot()["counters"]["handshakes"], 2);
}

#[tokio::test(start_paused = true)]
async fn polls_closed_early_are_counted_when_held_ones_are_woken_and_new_ones_answered() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
    until_held(&bayeux, &client).await;
    assert_eq!(bayeux.counters().polls_closed_early, 0);
    bayeux.set_close_polls_early(true);
    replies(held.await.unwrap());
    assert_eq!(bayeux.counters().polls_closed_early, 1, "the held one");
    one(&bayeux, connect_msg(5, &client, None)).await;
    one(&bayeux, connect_msg(6, &client, None)).await;
    assert_eq!(bayeux.counters().polls_closed_early, 3, "and each new one");
    // A connect with data waiting is answered at once anyway: not the fault's doing.
    bayeux.publish(TOPIC, json!({ "n": 1 }));
    one(&bayeux, connect_msg(7, &client, None)).await;
    bayeux.set_close_polls_early(false);
    let held = spawn_connect(&bayeux, connect_msg(8, &client, None));
    until_held(&bayeux, &client).await;
    held.abort();
    assert_eq!(bayeux.counters().polls_closed_early, 3);
}

#[tokio::test(start_paused = true)]
async fn every_unknown_client_reply_is_counted() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
    until_held(&bayeux, &client).await;
    bayeux.forget_all_clients();
    let reply = replies(held.await.unwrap());
    assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
    assert_eq!(
        bayeux.counters().unknown_client_replies,
        1,
        "the held connect"
    );
    assert_eq!(bayeux.counters().clients_forgotten, 1);
    for message in [
        connect_msg(5, &client, None),
        BayeuxMessage::subscribe(6, &client, TOPIC),
        BayeuxMessage::unsubscribe(7, &client, TOPIC),
        BayeuxMessage::disconnect(8, &client),
    ] {
        let reply = one(&bayeux, message).await;
        assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
    }
    assert_eq!(bayeux.counters().unknown_client_replies, 5);
    let again = ready_client(&bayeux, false).await;
    one(&bayeux, connect_msg(9, &again, None)).await;
    assert_eq!(
        bayeux.counters().unknown_client_replies,
        5,
        "a known client gets none"
    );
}

#[tokio::test(start_paused = true)]
async fn restarts_are_counted_and_a_reset_counts_from_zero() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    bayeux.restart();
    bayeux.restart();
    assert_eq!(bayeux.counters().restarts, 2);
    assert_eq!(
        bayeux.counters().clients_forgotten,
        0,
        "a restart is its own count"
    );
    one(&bayeux, connect_msg(4, &client, None)).await;
    assert_eq!(bayeux.snapshot()["counters"]["restarts"], 2);
    bayeux.reset_counters();
    assert_eq!(bayeux.counters(), BayeuxCounters::default());
}

#[tokio::test(start_paused = true)]
async fn clients_swept_after_max_interval_are_counted() {
    let bayeux = Bayeux::new(config());
    let client = ready_client(&bayeux, false).await;
    tokio::time::advance(Duration::from_millis(9_999)).await;
    assert_eq!(bayeux.counters().clients_expired, 0);
    tokio::time::advance(Duration::from_millis(2)).await;
    assert_eq!(bayeux.counters().clients_expired, 1);
    assert!(client_snapshot(&bayeux, &client).is_none());
    assert_eq!(bayeux.counters().clients_expired, 1, "swept once");
}
