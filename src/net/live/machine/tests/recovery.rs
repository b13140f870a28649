//! Unknown clients, failures, refusals, `reconnect: none` and stopping: the machine when it does not.

use super::*;

#[test]
fn an_unknown_client_rehandshakes_resubscribes_and_is_a_fresh_session() {
    let (mut machine, connect) = live_client(true);
    let out = replied(&mut machine, vec![unknown_client(&connect)], 5.0);
    assert_eq!(events(&out), vec![LiveEvent::Interrupted { at: 5.0 }]);
    let (hello, delay) = request(&out);
    assert_eq!(delay, 0, "the server advised interval 0");
    assert_eq!(hello[0].channel, META_HANDSHAKE);
    assert_eq!(machine.client_id(), None);

    let mut welcome = handshake_reply(&hello[0], true);
    welcome.client_id = Some("client2".into());
    let (subscribe, _) = request(&replied(&mut machine, vec![welcome], 6.0));
    assert_eq!(subscribe[0].client_id.as_deref(), Some("client2"));
    assert_eq!(
        subscribe[1].ext,
        Some(json!({ "ack": 0 })),
        "a new client starts its batches again"
    );
    let answers = vec![
        success(&subscribe[0]),
        connect_reply(&subscribe[1], Some(1)),
    ];
    let out = replied(&mut machine, answers, 7.0);
    assert_eq!(
        events(&out),
        vec![LiveEvent::Up {
            at: 7.0,
            fresh: true
        }]
    );
    request(&out);
}

#[test]
fn advice_to_handshake_on_a_successful_connect_is_followed() {
    let (mut machine, connect) = live_client(false);
    let reply = BayeuxMessage {
        advice: Some(Advice {
            reconnect: Some(Reconnect::Handshake),
            interval: Some(300),
            ..Advice::default()
        }),
        ..connect_reply(&connect, None)
    };
    let (hello, delay) = request(&replied(&mut machine, vec![reply], 3.0));
    assert_eq!(hello[0].channel, META_HANDSHAKE);
    assert_eq!(delay, 300);
}

#[test]
fn a_402_on_the_subscribe_batch_rehandshakes_and_a_loop_of_them_backs_off() {
    let mut machine = LiveMachine::new();
    let (mut hello, _) = request(&machine.step(Input::Start { at: 0.0 }));
    let mut delays = Vec::new();
    for round in 0..5 {
        let at = f64::from(round);
        let (subscribe, _) = request(&replied(
            &mut machine,
            vec![handshake_reply(&hello[0], false)],
            at,
        ));
        let answers = vec![unknown_client(&subscribe[0]), unknown_client(&subscribe[1])];
        let out = replied(&mut machine, answers, at);
        assert!(events(&out).is_empty(), "never up, so nothing interrupted");
        let (next, delay) = request(&out);
        assert_eq!(next[0].channel, META_HANDSHAKE);
        delays.push(delay);
        hello = next;
    }
    assert_eq!(delays, vec![0, 250, 500, 1_000, 2_000]);
}

#[test]
fn network_failures_keep_the_client_back_off_and_report_interrupted_then_offline() {
    let (mut machine, connect) = live_client(true);
    let mut delays = Vec::new();
    let mut all_events = Vec::new();
    let mut last = connect.clone();
    for at in [
        10_000.0, 10_300.0, 10_900.0, 12_000.0, 14_100.0, 16_200.0, 18_300.0, 20_400.0,
    ] {
        let out = failed(&mut machine, at);
        let (retry, delay) = request(&out);
        assert_eq!(retry.len(), 1);
        assert_eq!(retry[0].channel, META_CONNECT, "the same step again");
        assert_eq!(
            retry[0].client_id.as_deref(),
            Some(CLIENT),
            "the same clientId"
        );
        assert_eq!(retry[0].ext, Some(json!({ "ack": 1 })));
        assert_eq!(
            retry[0].advice.as_ref().and_then(|advice| advice.timeout),
            Some(0),
            "a retry is answered at once, so the client learns the server is back"
        );
        delays.push(delay);
        all_events.extend(events(&out));
        last = retry[0].clone();
    }
    assert_eq!(
        delays,
        vec![250, 500, 1_000, 2_000, 2_000, 2_000, 2_000, 2_000]
    );
    assert_eq!(
        all_events,
        vec![
            LiveEvent::Interrupted { at: 10_000.0 },
            LiveEvent::Offline { at: 20_400.0 },
        ],
        "offline once failures outlast maxInterval (10 s)"
    );
    // The server kept the client after all: the same session is back, nothing lost.
    let out = replied(&mut machine, vec![connect_reply(&last, Some(2))], 21_000.0);
    assert_eq!(
        events(&out),
        vec![LiveEvent::Up {
            at: 21_000.0,
            fresh: false
        }]
    );
    let (next, delay) = request(&out);
    assert_eq!(delay, 0);
    assert_eq!(next[0].ext, Some(json!({ "ack": 2 })));
    assert_eq!(next[0].advice, None, "back to held long-polls");
    // The backoff starts again after a success.
    let (_, delay) = request(&failed(&mut machine, 30_000.0));
    assert_eq!(delay, 250);
}

#[test]
fn after_failures_a_402_means_the_session_is_gone_and_a_fresh_one_follows() {
    let (mut machine, _) = live_client(false);
    let out = failed(&mut machine, 10_000.0);
    assert_eq!(events(&out), vec![LiveEvent::Interrupted { at: 10_000.0 }]);
    let (retry, _) = request(&out);
    let out = replied(&mut machine, vec![unknown_client(&retry[0])], 11_000.0);
    assert!(events(&out).is_empty(), "already reported interrupted");
    let (hello, delay) = request(&out);
    assert_eq!(delay, 0, "the server is reachable: handshake at once");
    let (subscribe, _) = request(&replied(
        &mut machine,
        vec![handshake_reply(&hello[0], false)],
        11_100.0,
    ));
    let answers = vec![success(&subscribe[0]), connect_reply(&subscribe[1], None)];
    let out = replied(&mut machine, answers, 11_200.0);
    assert_eq!(
        events(&out),
        vec![LiveEvent::Up {
            at: 11_200.0,
            fresh: true
        }]
    );
}

#[test]
fn start_up_failures_are_silent_until_they_outlast_max_interval() {
    let mut machine = LiveMachine::new();
    request(&machine.step(Input::Start { at: 0.0 }));
    let mut all_events = Vec::new();
    for at in [100.0, 500.0, 5_000.0, 10_050.0, 10_200.0, 12_000.0] {
        let out = failed(&mut machine, at);
        let (hello, _) = request(&out);
        assert_eq!(hello[0].channel, META_HANDSHAKE, "the handshake again");
        all_events.extend(events(&out));
    }
    assert_eq!(all_events, vec![LiveEvent::Offline { at: 10_200.0 }]);
}

#[test]
fn failures_of_the_subscribe_batch_resend_it_for_the_same_client() {
    let mut machine = LiveMachine::new();
    let (hello, _) = request(&machine.step(Input::Start { at: 0.0 }));
    request(&replied(
        &mut machine,
        vec![handshake_reply(&hello[0], false)],
        1.0,
    ));
    let (again, delay) = request(&failed(&mut machine, 2.0));
    assert_eq!(delay, 250);
    assert_eq!(again.len(), 2);
    assert_eq!(again[0].channel, META_SUBSCRIBE);
    assert_eq!(again[0].client_id.as_deref(), Some(CLIENT));
}

#[test]
fn refusals_retry_the_same_step_with_backoff() {
    let mut machine = LiveMachine::new();
    let (hello, _) = request(&machine.step(Input::Start { at: 0.0 }));
    let out = replied(&mut machine, vec![refused(&hello[0], "403::nope")], 1.0);
    assert_eq!(problems(&out), 1);
    let (hello, delay) = request(&out);
    assert_eq!((hello[0].channel.as_str(), delay), (META_HANDSHAKE, 250));

    let (subscribe, _) = request(&replied(
        &mut machine,
        vec![handshake_reply(&hello[0], false)],
        2.0,
    ));
    let answers = vec![
        refused(&subscribe[0], "403::subscribe_failed"),
        connect_reply(&subscribe[1], None),
    ];
    let out = replied(&mut machine, answers, 3.0);
    assert!(events(&out).is_empty());
    let (subscribe, delay) = request(&out);
    assert_eq!(
        (subscribe[0].channel.as_str(), delay),
        (META_SUBSCRIBE, 500)
    );

    let answers = vec![success(&subscribe[0]), connect_reply(&subscribe[1], None)];
    let (connect, _) = request(&replied(&mut machine, answers, 4.0));
    let out = replied(
        &mut machine,
        vec![refused(&connect[0], "500::server_error")],
        5.0,
    );
    assert_eq!(events(&out), vec![LiveEvent::Interrupted { at: 5.0 }]);
    let (connect, delay) = request(&out);
    assert_eq!((connect[0].channel.as_str(), delay), (META_CONNECT, 250));
    let out = replied(&mut machine, vec![connect_reply(&connect[0], None)], 6.0);
    assert_eq!(
        events(&out),
        vec![LiveEvent::Up {
            at: 6.0,
            fresh: false
        }]
    );
}

#[test]
fn a_reply_without_our_answer_counts_as_a_failure() {
    let (mut machine, connect) = live_client(false);
    let stranger = BayeuxMessage {
        id: Some("999".into()),
        ..connect_reply(&connect, None)
    };
    let out = replied(
        &mut machine,
        vec![stranger, published(new_message("hi"))],
        3.0,
    );
    assert_eq!(
        events(&out),
        vec![
            LiveEvent::Notification {
                notification: log_update("hi"),
                at: 3.0
            },
            LiveEvent::Interrupted { at: 3.0 },
        ]
    );
    let (retry, delay) = request(&out);
    assert_eq!((retry[0].channel.as_str(), delay), (META_CONNECT, 250));
    let out = replied(&mut machine, Vec::new(), 4.0);
    let (_, delay) = request(&out);
    assert_eq!(delay, 500, "an empty batch is no answer either");
}

#[test]
fn reconnect_none_stops_and_reports_offline() {
    let (mut machine, connect) = live_client(false);
    let reply = BayeuxMessage {
        advice: Some(Advice {
            reconnect: Some(Reconnect::None),
            ..Advice::default()
        }),
        ..connect_reply(&connect, None)
    };
    let out = replied(
        &mut machine,
        vec![reply, published(new_message("last"))],
        3.0,
    );
    assert!(!out.iter().any(|o| matches!(o, Output::Send { .. })));
    assert_eq!(
        events(&out),
        vec![
            LiveEvent::Notification {
                notification: log_update("last"),
                at: 3.0
            },
            LiveEvent::Offline { at: 3.0 },
        ]
    );
    assert!(machine.is_stopped());
    assert!(failed(&mut machine, 4.0).is_empty());
    assert!(machine.step(Input::Start { at: 5.0 }).is_empty());
    assert!(
        machine.step(Input::Stop).is_empty(),
        "no client left to disconnect"
    );

    let mut refused_at_once = LiveMachine::new();
    let (hello, _) = request(&refused_at_once.step(Input::Start { at: 0.0 }));
    let reply = BayeuxMessage {
        advice: Some(Advice {
            reconnect: Some(Reconnect::None),
            ..Advice::default()
        }),
        ..refused(&hello[0], "403::denied")
    };
    let out = replied(&mut refused_at_once, vec![reply], 1.0);
    assert_eq!(events(&out), vec![LiveEvent::Offline { at: 1.0 }]);
    assert!(refused_at_once.is_stopped());
}

#[test]
fn stop_disconnects_the_client_once_and_ignores_what_comes_after() {
    let (mut machine, connect) = live_client(false);
    let (farewell, delay) = request(&machine.step(Input::Stop));
    assert_eq!(delay, 0);
    assert_eq!(farewell.len(), 1);
    assert_eq!(farewell[0].channel, META_DISCONNECT);
    assert_eq!(farewell[0].client_id.as_deref(), Some(CLIENT));
    assert!(machine.is_stopped());
    assert!(machine.step(Input::Stop).is_empty());
    assert!(replied(&mut machine, vec![connect_reply(&connect, None)], 3.0).is_empty());

    let mut handshaking = LiveMachine::new();
    handshaking.step(Input::Start { at: 0.0 });
    assert!(
        handshaking.step(Input::Stop).is_empty(),
        "no clientId yet: nothing to disconnect"
    );
}

#[test]
fn inputs_before_start_are_ignored() {
    let mut machine = LiveMachine::new();
    assert!(failed(&mut machine, 1.0).is_empty());
    let stray = BayeuxMessage::handshake(1, true);
    assert!(replied(&mut machine, vec![stray], 1.0).is_empty());
    request(&machine.step(Input::Start { at: 2.0 }));
}
