//! A second connect, disconnect, closing polls early, restart, a dropped long poll, subscriptions.

use super::*;

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
