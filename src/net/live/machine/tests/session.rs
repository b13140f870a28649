//! Start-up, the connect loop, acks, advice and data: the machine when all goes well.

use super::*;

#[test]
fn start_handshakes_offering_the_ack_extension_and_long_polling() {
    let mut machine = LiveMachine::new();
    let (batch, delay) = request(&machine.step(Input::Start { at: 0.0 }));
    assert_eq!(delay, 0);
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].channel, META_HANDSHAKE);
    assert_eq!(batch[0].ext, Some(json!({ "ack": true })));
    assert_eq!(
        batch[0].supported_connection_types,
        Some(vec!["long-polling".to_owned()])
    );
    assert_eq!(machine.client_id(), None);
    assert!(
        machine.step(Input::Start { at: 1.0 }).is_empty(),
        "a second start does nothing"
    );
}

#[test]
fn the_handshake_reply_is_followed_at_once_by_subscribe_and_the_first_connect() {
    let mut machine = LiveMachine::new();
    let (hello, _) = request(&machine.step(Input::Start { at: 0.0 }));
    let out = replied(&mut machine, vec![handshake_reply(&hello[0], true)], 1.0);
    assert!(events(&out).is_empty(), "not live before the subscription");
    let (batch, delay) = request(&out);
    assert_eq!(delay, 0);
    assert_eq!(batch.len(), 2);
    assert_eq!(batch[0].channel, META_SUBSCRIBE);
    assert_eq!(batch[0].subscription.as_deref(), Some(IM_SESSIONS_TOPIC));
    assert_eq!(batch[0].client_id.as_deref(), Some(CLIENT));
    assert_eq!(batch[1].channel, META_CONNECT);
    assert_eq!(batch[1].client_id.as_deref(), Some(CLIENT));
    assert_eq!(batch[1].connection_type.as_deref(), Some("long-polling"));
    assert_eq!(
        batch[1].ext,
        Some(json!({ "ack": 0 })),
        "CometD's ack batch starts at 0"
    );
    assert_ne!(batch[0].id, batch[1].id);
    assert_eq!(machine.client_id(), Some(CLIENT));
}

#[test]
fn a_successful_subscribe_is_a_fresh_live_session_then_the_connect_loop_runs() {
    let (mut machine, connect) = live_client(false);
    assert_eq!(connect.channel, META_CONNECT);
    assert_eq!(connect.ext, None, "no acks: the server did not agree");
    let out = replied(&mut machine, vec![connect_reply(&connect, None)], 3.0);
    assert!(events(&out).is_empty(), "still up: nothing to say");
    let (next, delay) = request(&out);
    assert_eq!(delay, 0);
    assert_eq!(next[0].channel, META_CONNECT);
    assert_ne!(next[0].id, connect.id, "every message has a new id");
}

#[test]
fn acks_carry_the_last_batch_id_only_when_the_server_agreed() {
    let (mut machine, connect) = live_client(true);
    assert_eq!(
        connect.ext,
        Some(json!({ "ack": 1 })),
        "batch 1 came with the subscribe reply"
    );
    let out = replied(&mut machine, vec![connect_reply(&connect, Some(2))], 3.0);
    let (next, _) = request(&out);
    assert_eq!(next[0].ext, Some(json!({ "ack": 2 })));
    // A failed reply acknowledges nothing: the retry repeats the last batch received.
    let (retry, _) = request(&failed(&mut machine, 4.0));
    assert_eq!(retry[0].ext, Some(json!({ "ack": 2 })));
    // An unsuccessful reply's batch id is not taken.
    let out = replied(
        &mut machine,
        vec![BayeuxMessage {
            ext: Some(json!({ "ack": 9 })),
            ..refused(&retry[0], "500::oops")
        }],
        5.0,
    );
    let (again, _) = request(&out);
    assert_eq!(again[0].ext, Some(json!({ "ack": 2 })));
}

#[test]
fn a_server_without_the_extension_gets_no_acks_even_if_a_connect_reply_carries_one() {
    let (mut machine, connect) = live_client(false);
    let (next, _) = request(&replied(
        &mut machine,
        vec![connect_reply(&connect, Some(5))],
        3.0,
    ));
    assert_eq!(next[0].ext, None);
}

#[test]
fn advice_sets_the_interval_between_connects_and_the_request_timeout() {
    let (mut machine, connect) = live_client(false);
    assert_eq!(
        machine.request_timeout_ms(),
        40_000,
        "advice.timeout + 10 s"
    );
    let reply = BayeuxMessage {
        advice: Some(Advice {
            reconnect: Some(Reconnect::Retry),
            timeout: Some(5_000),
            interval: Some(1_500),
            max_interval: None,
        }),
        ..connect_reply(&connect, None)
    };
    let (next, delay) = request(&replied(&mut machine, vec![reply], 3.0));
    assert_eq!(delay, 1_500);
    assert_eq!(machine.request_timeout_ms(), 15_000);
    let (_, delay) = request(&replied(
        &mut machine,
        vec![connect_reply(&next[0], None)],
        4.0,
    ));
    assert_eq!(delay, 1_500, "advice holds until the server changes it");

    let mut absurd = LiveMachine::new();
    let (hello, _) = request(&absurd.step(Input::Start { at: 0.0 }));
    let mut reply = handshake_reply(&hello[0], false);
    reply.advice = Some(Advice {
        timeout: Some(u64::MAX),
        interval: Some(u64::MAX),
        ..server_advice()
    });
    let (subscribe, _) = request(&replied(&mut absurd, vec![reply], 1.0));
    let answers = vec![success(&subscribe[0]), connect_reply(&subscribe[1], None)];
    let (_, delay) = request(&replied(&mut absurd, answers, 2.0));
    assert_eq!(delay, 60_000, "a huge interval is clamped");
    assert_eq!(
        absurd.request_timeout_ms(),
        610_000,
        "a huge timeout is clamped"
    );
}

#[test]
fn data_anywhere_in_a_batch_becomes_notifications_in_order_after_live_up() {
    let mut machine = LiveMachine::new();
    let (hello, _) = request(&machine.step(Input::Start { at: 0.0 }));
    let (subscribe, _) = request(&replied(
        &mut machine,
        vec![handshake_reply(&hello[0], true)],
        1.0,
    ));
    // The simulator puts data first; another server may put it after the meta replies.
    let batch = vec![
        published(new_message("one")),
        success(&subscribe[0]),
        published(new_message("two")),
        connect_reply(&subscribe[1], Some(1)),
        published(json!({ "data": new_message("three") })),
    ];
    let out = replied(&mut machine, batch, 2.0);
    assert_eq!(
        events(&out),
        vec![
            LiveEvent::Up {
                at: 2.0,
                fresh: true
            },
            LiveEvent::Notification {
                notification: log_update("one"),
                at: 2.0
            },
            LiveEvent::Notification {
                notification: log_update("two"),
                at: 2.0
            },
            LiveEvent::Notification {
                notification: log_update("three"),
                at: 2.0
            },
        ]
    );
}

#[test]
fn undecodable_or_stray_data_is_skipped_with_a_problem() {
    let (mut machine, connect) = live_client(false);
    let batch = vec![
        published(json!("not an object")),
        published(json!({ "messageType": "IMLogUpdateMessage" })),
        BayeuxMessage {
            data: None,
            ..published(Value::Null)
        },
        BayeuxMessage {
            channel: "/v2/me/calls".into(),
            ..published(json!({}))
        },
        published(new_message("kept")),
        published(json!({ "messageType": "SomethingNew" })),
        connect_reply(&connect, None),
    ];
    let out = replied(&mut machine, batch, 3.0);
    assert_eq!(problems(&out), 4);
    assert_eq!(
        events(&out),
        vec![
            LiveEvent::Notification {
                notification: log_update("kept"),
                at: 3.0
            },
            LiveEvent::Notification {
                notification: ImNotification::Unknown {
                    message_type: "SomethingNew".into()
                },
                at: 3.0,
            },
        ]
    );
    request(&out);
}
