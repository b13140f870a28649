//! The CometD client's behaviour, with replies shaped as the simulator (and CometD 3) sends them.

use gws_protocol::bayeux::{META_CONNECT, META_DISCONNECT, META_HANDSHAKE, META_SUBSCRIBE};
use gws_protocol::{Advice, BayeuxMessage, ImNotification, Reconnect, IM_SESSIONS_TOPIC};
use proptest::prelude::*;
use serde_json::{json, Value};

use super::{Input, LiveMachine, Output, ResumeToken};
use crate::state::LiveEvent;

const CLIENT: &str = "client1";

fn server_advice() -> Advice {
    Advice {
        reconnect: Some(Reconnect::Retry),
        timeout: Some(30_000),
        interval: Some(0),
        max_interval: Some(10_000),
    }
}

/// The one request in `out`, with its delay.
fn request(out: &[Output]) -> (Vec<BayeuxMessage>, u32) {
    let sends: Vec<_> = out
        .iter()
        .filter_map(|output| match output {
            Output::Send { batch, delay_ms } => Some((batch.clone(), *delay_ms)),
            _ => None,
        })
        .collect();
    assert_eq!(sends.len(), 1, "exactly one request in {out:#?}");
    sends.into_iter().next().unwrap()
}

/// The events other than the connect rounds (which `a_connect_round_*` tests cover).
fn events(out: &[Output]) -> Vec<LiveEvent> {
    out.iter()
        .filter_map(|output| match output {
            Output::Event(LiveEvent::Round { .. }) => None,
            Output::Event(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

fn problems(out: &[Output]) -> usize {
    out.iter()
        .filter(|output| matches!(output, Output::Problem(_)))
        .count()
}

fn handshake_reply(request: &BayeuxMessage, ack: bool) -> BayeuxMessage {
    BayeuxMessage {
        channel: META_HANDSHAKE.into(),
        id: request.id.clone(),
        client_id: Some(CLIENT.into()),
        successful: Some(true),
        advice: Some(server_advice()),
        ext: ack.then(|| json!({ "ack": true })),
        ..BayeuxMessage::default()
    }
}

fn success(request: &BayeuxMessage) -> BayeuxMessage {
    BayeuxMessage {
        channel: request.channel.clone(),
        id: request.id.clone(),
        subscription: request.subscription.clone(),
        successful: Some(true),
        ..BayeuxMessage::default()
    }
}

fn connect_reply(request: &BayeuxMessage, batch: Option<i64>) -> BayeuxMessage {
    BayeuxMessage {
        ext: batch.map(|batch| json!({ "ack": batch })),
        ..success(request)
    }
}

fn refused(request: &BayeuxMessage, error: &str) -> BayeuxMessage {
    BayeuxMessage {
        successful: Some(false),
        error: Some(error.into()),
        ..success(request)
    }
}

/// The simulator's (and CometD's) answer to a connect from a client it does not know.
fn unknown_client(request: &BayeuxMessage) -> BayeuxMessage {
    BayeuxMessage {
        advice: Some(Advice {
            reconnect: Some(Reconnect::Handshake),
            interval: Some(0),
            ..Advice::default()
        }),
        ..refused(request, "402::Unknown client")
    }
}

fn published(data: Value) -> BayeuxMessage {
    BayeuxMessage {
        channel: IM_SESSIONS_TOPIC.into(),
        id: Some("77".into()),
        data: Some(data),
        ..BayeuxMessage::default()
    }
}

fn new_message(text: &str) -> Value {
    json!({
        "messageType": "IMLogUpdateMessage",
        "notificationType": "NewMessage",
        "imSessionPath": "/im-sessions/12398123091823091283012",
        "message": text,
    })
}

fn log_update(text: &str) -> ImNotification {
    ImNotification::from_value(&new_message(text)).unwrap()
}

fn replied(machine: &mut LiveMachine, batch: Vec<BayeuxMessage>, at: f64) -> Vec<Output> {
    machine.step(Input::Replied { batch, at })
}

fn failed(machine: &mut LiveMachine, at: f64) -> Vec<Output> {
    machine.step(Input::Failed {
        at,
        reason: "NetworkError".into(),
    })
}

/// Start → handshake (with or without acks) → `[subscribe, connect]` answered: the client is up
/// and its next connect is outstanding.
fn live_client(ack: bool) -> (LiveMachine, BayeuxMessage) {
    let mut machine = LiveMachine::new();
    let (hello, _) = request(&machine.step(Input::Start { at: 0.0 }));
    let (subscribe, _) = request(&replied(
        &mut machine,
        vec![handshake_reply(&hello[0], ack)],
        1.0,
    ));
    let answers = vec![
        success(&subscribe[0]),
        connect_reply(&subscribe[1], ack.then_some(1)),
    ];
    let out = replied(&mut machine, answers, 2.0);
    assert_eq!(
        events(&out),
        vec![LiveEvent::Up {
            at: 2.0,
            fresh: true
        }]
    );
    let (connect, _) = request(&out);
    (machine, connect[0].clone())
}

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

// --- never panics, never stalls ---------------------------------------------------------------

fn wire_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0u64..12).prop_map(|n| json!(n)),
        (0u64..12).prop_map(|n| json!(n.to_string())),
        Just(json!(-1)),
        Just(json!(1e300)),
        "[a-z0-9/:]{0,12}".prop_map(Value::String),
        Just(json!([1, "x"])),
        Just(json!({})),
    ]
}

fn advice_value() -> impl Strategy<Value = Value> {
    let reconnect = prop_oneof![
        Just(json!("retry")),
        Just(json!("handshake")),
        Just(json!("none")),
        Just(json!(" Handshake ")),
        wire_value(),
    ];
    prop_oneof![
        wire_value(),
        (reconnect, wire_value(), wire_value(), wire_value()).prop_map(
            |(reconnect, timeout, interval, max_interval)| json!({
                "reconnect": reconnect,
                "timeout": timeout,
                "interval": interval,
                "maxInterval": max_interval,
            })
        ),
    ]
}

fn data_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        wire_value(),
        Just(new_message("hello")),
        Just(json!({ "data": new_message("wrapped") })),
        Just(json!({ "messageType": "IMSessionStateChangeMessage", "imSession": {} })),
        Just(
            json!({ "messageType": "IMSessionStateChangeMessage", "notificationType": "StatusChange",
                     "imSession": { "id": "s1", "state": " Talking" } })
        ),
    ]
}

prop_compose! {
    fn wire_message()(
        channel in prop_oneof![
            Just("/meta/handshake"), Just("/meta/connect"), Just("/meta/subscribe"),
            Just("/meta/disconnect"), Just("/v2/me/im-sessions"), Just("/v2/me/calls"),
            Just(""), Just("/meta/"),
        ],
        id in wire_value(),
        client_id in prop_oneof![Just(json!(CLIENT)), Just(json!("")), wire_value()],
        successful in wire_value(),
        error in prop_oneof![Just(json!("402::Unknown client")), Just(json!("403::x")), wire_value()],
        advice in advice_value(),
        ext in prop_oneof![Just(json!({ "ack": true })), (0i64..5).prop_map(|n| json!({ "ack": n })), wire_value()],
        data in data_value(),
    ) -> Value {
        json!({
            "channel": channel, "id": id, "clientId": client_id, "successful": successful,
            "error": error, "advice": advice, "ext": ext, "data": data,
        })
    }
}

#[derive(Debug, Clone)]
enum Step {
    Reply(Vec<Value>),
    Body(String),
    Fail(String),
    Stop,
    Start,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => prop::collection::vec(wire_message(), 0..5).prop_map(Step::Reply),
        1 => ".{0,40}".prop_map(Step::Body),
        2 => ".{0,10}".prop_map(Step::Fail),
        1 => Just(Step::Stop),
        1 => Just(Step::Start),
    ]
}

/// Answers the request just sent the way a healthy server would, so runs get deep into the loop.
fn echo_success(batch: &[BayeuxMessage]) -> Vec<BayeuxMessage> {
    batch
        .iter()
        .map(|message| match message.channel.as_str() {
            META_HANDSHAKE => handshake_reply(message, true),
            _ => connect_reply(message, Some(1)),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn garbage_never_panics_and_never_stalls(
        steps in prop::collection::vec((step(), any::<bool>(), 0.0f64..1e6), 1..40)
    ) {
        let mut machine = LiveMachine::new();
        let mut outstanding: Option<Vec<BayeuxMessage>> = None;
        let mut stopped = false;
        let mut offline = false;
        for (step, cooperate, at) in steps {
            let was_waiting = outstanding.is_some() && !stopped;
            let out = match step {
                Step::Reply(raw) => {
                    let mut batch: Vec<BayeuxMessage> = raw
                        .into_iter()
                        .filter_map(|value| serde_json::from_value(value).ok())
                        .collect();
                    if cooperate {
                        if let Some(request) = &outstanding {
                            batch.extend(echo_success(request));
                        }
                    }
                    machine.step(Input::Replied { batch, at })
                }
                Step::Body(text) => match BayeuxMessage::decode_batch(&text) {
                    Ok(batch) => machine.step(Input::Replied { batch, at }),
                    Err(error) => machine.step(Input::Failed { at, reason: error.to_string() }),
                },
                Step::Fail(reason) => machine.step(Input::Failed { at, reason }),
                Step::Stop => {
                    let out = machine.step(Input::Stop);
                    for output in &out {
                        if let Output::Send { batch, .. } = output {
                            prop_assert_eq!(batch.len(), 1);
                            prop_assert_eq!(batch[0].channel.as_str(), META_DISCONNECT);
                        }
                    }
                    prop_assert!(machine.is_stopped());
                    stopped = true;
                    continue;
                }
                Step::Start => {
                    let out = machine.step(Input::Start { at });
                    if outstanding.is_none() && !stopped {
                        let (batch, _) = request(&out);
                        outstanding = Some(batch);
                    } else {
                        prop_assert!(out.is_empty());
                    }
                    continue;
                }
            };
            let sends: Vec<_> = out
                .iter()
                .filter_map(|output| match output {
                    Output::Send { batch, delay_ms } => Some((batch.clone(), *delay_ms)),
                    _ => None,
                })
                .collect();
            if !was_waiting {
                prop_assert!(out.is_empty(), "nothing outstanding, nothing to do: {:?}", out);
                continue;
            }
            let was_offline = offline;
            for event in events(&out) {
                match event {
                    LiveEvent::Offline { .. } => offline = true,
                    LiveEvent::Up { .. } => offline = false,
                    _ => {}
                }
            }
            if machine.is_stopped() {
                stopped = true;
                prop_assert!(sends.is_empty());
                prop_assert!(offline, "a server that says stop leaves the widget offline");
                let said_offline = events(&out).contains(&LiveEvent::Offline { at });
                prop_assert!(was_offline || said_offline);
                continue;
            }
            // Never stalls: every answer or failure leads to exactly one next request.
            prop_assert_eq!(sends.len(), 1, "{:?}", out);
            let (batch, delay_ms) = sends.into_iter().next().unwrap();
            prop_assert!(delay_ms <= 60_000);
            prop_assert!(!batch.is_empty());
            for message in &batch {
                if message.channel != META_HANDSHAKE {
                    prop_assert!(message.client_id.as_deref().is_some_and(|id| !id.is_empty()));
                }
            }
            prop_assert!(machine.request_timeout_ms() <= 610_000);
            outstanding = Some(batch);
        }
    }
}

// --- taking over another tab's client ------------------------------------------------------------

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
