//! The ack extension: batches re-sent until acknowledged, data only in connect replies.

use super::*;

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
