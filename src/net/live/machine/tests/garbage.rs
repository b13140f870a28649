//! Any input from the wire: never a panic, never a stall.

use super::*;

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
