//! Taking over another tab's client from its resume token.

use super::*;

#[test]
fn a_live_client_offers_a_resume_token_with_its_id_and_last_batch() {
    assert_eq!(LiveMachine::new().resume_token(), None);
    let (mut machine, connect) = live_client(true);
    assert_eq!(
        machine.resume_token(),
        Some(ResumeToken {
            client_id: CLIENT.into(),
            acks: true,
            batch: 1
        })
    );
    replied(&mut machine, vec![connect_reply(&connect, Some(4))], 3.0);
    assert_eq!(machine.resume_token().map(|token| token.batch), Some(4));
}

#[test]
fn resume_connects_at_once_with_the_given_client_and_ack_then_runs_the_loop() {
    let mut machine = LiveMachine::new();
    let out = machine.step(Input::Resume {
        client_id: CLIENT.into(),
        acks: true,
        batch: 7,
        at: 0.0,
    });
    let (connect, delay) = request(&out);
    assert_eq!(delay, 0);
    assert_eq!(connect[0].channel, META_CONNECT);
    assert_eq!(connect[0].client_id.as_deref(), Some(CLIENT));
    assert_eq!(connect[0].ext, Some(json!({ "ack": 7 })));
    assert_eq!(
        connect[0].advice.as_ref().and_then(|advice| advice.timeout),
        Some(0),
        "the server answers at once, so the tab knows the client is still there"
    );
    assert!(events(&out).is_empty());
    let batch = vec![
        published(new_message("missed")),
        connect_reply(&connect[0], Some(8)),
    ];
    let out = replied(&mut machine, batch, 1.0);
    assert_eq!(
        events(&out),
        vec![
            LiveEvent::Up {
                at: 1.0,
                fresh: false
            },
            LiveEvent::Notification {
                notification: log_update("missed"),
                at: 1.0
            },
        ]
    );
    let (next, _) = request(&out);
    assert_eq!(next[0].channel, META_CONNECT);
    assert_eq!(next[0].ext, Some(json!({ "ack": 8 })));
    assert_eq!(next[0].advice, None);
}

#[test]
fn resume_without_acks_sends_none_and_a_402_handshakes_as_usual() {
    let mut machine = LiveMachine::new();
    let out = machine.step(Input::Resume {
        client_id: "gone".into(),
        acks: false,
        batch: 3,
        at: 0.0,
    });
    let (connect, _) = request(&out);
    assert_eq!(connect[0].ext, None);
    let out = replied(&mut machine, vec![unknown_client(&connect[0])], 1.0);
    assert!(events(&out).is_empty(), "nothing was up yet: {out:#?}");
    let (hello, _) = request(&out);
    assert_eq!(hello[0].channel, META_HANDSHAKE);
    let (subscribe, _) = request(&replied(
        &mut machine,
        vec![handshake_reply(&hello[0], true)],
        2.0,
    ));
    let out = replied(
        &mut machine,
        vec![
            success(&subscribe[0]),
            connect_reply(&subscribe[1], Some(1)),
        ],
        3.0,
    );
    assert_eq!(
        events(&out),
        vec![LiveEvent::Up {
            at: 3.0,
            fresh: true
        }]
    );
}

#[test]
fn resume_is_ignored_once_started() {
    let (mut machine, _) = live_client(true);
    let out = machine.step(Input::Resume {
        client_id: "other".into(),
        acks: true,
        batch: 1,
        at: 5.0,
    });
    assert!(out.is_empty());
    assert_eq!(machine.client_id(), Some(CLIENT));
}

/// The `started` of every connect round in `out`.
fn rounds(out: &[Output]) -> Vec<f64> {
    out.iter()
        .filter_map(|output| match output {
            Output::Event(LiveEvent::Round { started }) => Some(*started),
            _ => None,
        })
        .collect()
}

#[test]
fn a_connect_round_is_reported_after_its_data_with_when_that_connect_left() {
    let (mut machine, connect) = live_client(false);
    // The connect after the subscribe reply (at 2.0, interval 0) left at 2.0 at the earliest.
    let out = replied(
        &mut machine,
        vec![
            published(new_message("hello")),
            connect_reply(&connect, None),
        ],
        40.0,
    );
    let notification_at = out
        .iter()
        .position(|o| matches!(o, Output::Event(LiveEvent::Notification { .. })))
        .unwrap();
    let round_at = out
        .iter()
        .position(|o| matches!(o, Output::Event(LiveEvent::Round { .. })))
        .unwrap();
    assert!(notification_at < round_at, "data first: {out:#?}");
    assert_eq!(rounds(&out), vec![2.0]);
    let (next, _) = request(&out);
    let out = replied(&mut machine, vec![connect_reply(&next[0], None)], 70.0);
    assert_eq!(
        rounds(&out),
        vec![40.0],
        "the next one left when the last came back"
    );
}

#[test]
fn a_connect_round_after_a_failure_starts_no_earlier_than_the_retry_left() {
    let (mut machine, connect) = live_client(false);
    let out = failed(&mut machine, 10.0);
    assert!(rounds(&out).is_empty(), "a failure is no round");
    let (retry, delay) = request(&out);
    assert_eq!(retry[0].channel, META_CONNECT);
    let out = replied(&mut machine, vec![connect_reply(&retry[0], None)], 11_000.0);
    assert_eq!(rounds(&out), vec![10.0 + f64::from(delay)]);
    let _ = connect;
}
