//! Client input is never trusted: an error reply per wrong message, garbage never panics.

use super::*;

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
