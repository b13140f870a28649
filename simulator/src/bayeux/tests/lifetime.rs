//! How long a client lives: queues across gaps, sweeping, unknown clients, forgetting all.

use super::*;

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
