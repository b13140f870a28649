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

mod acks;
mod bad_input;
mod connect;
mod counters;
mod lifetime;
mod transport;
