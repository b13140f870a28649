//! The counters and the snapshot `/_sim/state` shows.

use super::*;

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
