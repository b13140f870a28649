//! Sending: drafts, echoes, failures, Retry and Discard, other tabs' sends (the queue: `queue.rs`).

use super::*;

#[test]
fn sending_takes_the_draft_and_asks_for_send_message_with_destination_and_device() {
    let mut model = model_with(vec![talking("a")]);
    let commands = type_and_send(&mut model, "a", "Can you help?", 50.0);
    assert_eq!(
        commands,
        [Command::Operate {
            session: "a".into(),
            local_id: Some(1),
            operation: ImSessionOperation::SendMessage {
                text: "Can you help?".into(),
                destination: Destination::new("3002"),
                device_path: "/devices/dev-1".into(),
            },
        }]
    );
    let a = view(&model, "a");
    assert_eq!(a.draft, "");
    assert_eq!(
        outgoing(a),
        [("Can you help?".to_owned(), Delivery::Sending, false)]
    );
}

#[test]
fn blank_drafts_are_not_sent() {
    let mut model = model_with(vec![talking("a")]);
    assert!(type_and_send(&mut model, "a", "  \n ", 50.0).is_empty());
    assert!(outgoing(view(&model, "a")).is_empty());
}

#[test]
fn without_send_capability_the_draft_stays_and_the_reason_is_shown() {
    let mut model = model_with(vec![session(
        "a",
        ImSessionState::Talking,
        &[Capability::Complete],
    )]);
    assert!(type_and_send(&mut model, "a", "hello", 50.0).is_empty());
    let a = view(&model, "a");
    assert_eq!(a.draft, "hello");
    assert!(a.action_error.is_some());
}

#[test]
fn the_echo_confirms_the_pending_message_exactly_once() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "Hello", 50.0);
    reduce(&mut model, new_message("a", "Hello", 51.0));
    reduce(
        &mut model,
        Event::MessageAccepted {
            session: "a".into(),
            local_id: 1,
        },
    );
    let a = view(&model, "a");
    assert_eq!(outgoing(a), [("Hello".to_owned(), Delivery::Sent, true)]);
    assert!(
        texts(a, incoming).is_empty(),
        "the echo is not shown as their message"
    );
    assert_eq!(a.unread, 0);
}

#[test]
fn the_other_party_writing_the_same_text_later_is_their_message() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "ok", 50.0);
    reduce(
        &mut model,
        Event::MessageAccepted {
            session: "a".into(),
            local_id: 1,
        },
    );
    reduce(&mut model, new_message("a", "ok", 51.0));
    reduce(&mut model, new_message("a", "ok", 52.0));
    assert_eq!(texts(view(&model, "a"), incoming), ["ok"]);
}

#[test]
fn identical_messages_confirm_in_the_order_typed() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "yes", 50.0);
    type_and_send(&mut model, "a", "yes", 51.0);
    reduce(&mut model, new_message("a", "yes", 52.0));
    let a = view(&model, "a");
    assert_eq!(
        outgoing(a),
        [
            ("yes".to_owned(), Delivery::Sent, true),
            ("yes".to_owned(), Delivery::Sending, false)
        ]
    );
}

#[test]
fn a_rejected_message_fails_with_the_reason_and_can_be_retried_or_discarded() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "first", 50.0);
    reduce(
        &mut model,
        Event::MessageRejected {
            session: "a".into(),
            local_id: 1,
            reason: "Not allowed.".into(),
        },
    );
    assert_eq!(
        outgoing(view(&model, "a")),
        [(
            "first".to_owned(),
            Delivery::Failed {
                reason: "Not allowed.".into()
            },
            false
        )]
    );

    let commands = reduce(
        &mut model,
        Event::Retry {
            session: "a".into(),
            local_id: 1,
            at: 60.0,
        },
    );
    assert!(matches!(
        &commands[..],
        [Command::Operate {
            local_id: Some(1),
            ..
        }]
    ));
    assert_eq!(outgoing(view(&model, "a"))[0].1, Delivery::Sending);

    reduce(
        &mut model,
        Event::MessageRejected {
            session: "a".into(),
            local_id: 1,
            reason: "again".into(),
        },
    );
    reduce(
        &mut model,
        Event::Discard {
            session: "a".into(),
            local_id: 1,
        },
    );
    assert!(outgoing(view(&model, "a")).is_empty());
}

#[test]
fn a_message_another_tab_sends_shows_as_the_agents_own_and_its_echo_confirms_it() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "mine", 15.0);
    let commands = reduce(
        &mut model,
        Event::PeerOutgoing {
            session: "a".into(),
            text: "from the other tab".into(),
            at: 20.0,
        },
    );
    assert!(commands.is_empty(), "the other tab sends it");
    assert_eq!(
        outgoing(view(&model, "a")),
        vec![
            ("mine".into(), Delivery::Sending, false),
            ("from the other tab".into(), Delivery::Sent, false),
        ]
    );
    reduce(&mut model, new_message("a", "from the other tab", 30.0));
    assert_eq!(
        outgoing(view(&model, "a")).get(1),
        Some(&("from the other tab".into(), Delivery::Sent, true))
    );
    assert!(texts(view(&model, "a"), incoming).is_empty());
    // Its local id is new: this tab's own message keeps its own.
    let ids: Vec<u64> = view(&model, "a")
        .transcript
        .iter()
        .filter_map(|l| match l.kind {
            LineKind::Outgoing { local_id, .. } => Some(local_id),
            _ => None,
        })
        .collect();
    assert_eq!(ids, vec![1, 2]);
    // A session this tab does not know is left alone.
    reduce(
        &mut model,
        Event::PeerOutgoing {
            session: "zz".into(),
            text: "x".into(),
            at: 31.0,
        },
    );
    assert_eq!(model.next_local_id, 2);
}

#[test]
fn a_send_that_fails_in_another_tab_shows_failed_here_and_its_retry_does_not_add_a_line() {
    let mut model = model_with(vec![talking("a")]);
    let peer = |text: &str, at| Event::PeerOutgoing {
        session: "a".into(),
        text: text.into(),
        at,
    };
    reduce(&mut model, peer("refund?", 10.0));
    reduce(
        &mut model,
        Event::PeerOutgoingFailed {
            session: "a".into(),
            text: "refund?".into(),
            reason: "Not allowed.".into(),
        },
    );
    assert_eq!(
        outgoing(view(&model, "a")),
        [(
            "refund?".to_owned(),
            Delivery::Failed {
                reason: "Not allowed.".into()
            },
            false
        )]
    );
    // The other tab retries: the same line is sent again.
    reduce(&mut model, peer("refund?", 20.0));
    assert_eq!(
        outgoing(view(&model, "a")),
        [("refund?".to_owned(), Delivery::Sent, false)]
    );
    // Or this tab retries it: it goes from here, as any failed message.
    reduce(
        &mut model,
        Event::PeerOutgoingFailed {
            session: "a".into(),
            text: "refund?".into(),
            reason: "again".into(),
        },
    );
    assert_eq!(
        reduce(
            &mut model,
            Event::Retry {
                session: "a".into(),
                local_id: 1,
                at: 30.0
            }
        )
        .len(),
        1
    );
}

#[test]
fn sent_or_echoed_messages_cannot_be_discarded_or_retried() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "kept", 50.0);
    reduce(
        &mut model,
        Event::MessageAccepted {
            session: "a".into(),
            local_id: 1,
        },
    );
    assert!(reduce(
        &mut model,
        Event::Retry {
            session: "a".into(),
            local_id: 1,
            at: 60.0
        }
    )
    .is_empty());
    reduce(
        &mut model,
        Event::Discard {
            session: "a".into(),
            local_id: 1,
        },
    );
    assert_eq!(outgoing(view(&model, "a")).len(), 1);
}

#[test]
fn a_message_that_failed_without_an_answer_but_was_delivered_is_confirmed_by_its_echo() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "did it go?", 50.0);
    reduce(
        &mut model,
        Event::MessageRejected {
            session: "a".into(),
            local_id: 1,
            reason: "Cannot reach the server".into(),
        },
    );
    reduce(&mut model, new_message("a", "did it go?", 55.0));
    let a = view(&model, "a");
    assert_eq!(
        outgoing(a),
        [("did it go?".to_owned(), Delivery::Sent, true)]
    );
    assert!(texts(a, incoming).is_empty());
    // A late rejection of an echoed message does not turn it back into a failure.
    reduce(
        &mut model,
        Event::MessageRejected {
            session: "a".into(),
            local_id: 1,
            reason: "late".into(),
        },
    );
    assert_eq!(outgoing(view(&model, "a"))[0].1, Delivery::Sent);
}

#[test]
fn without_a_device_the_message_fails_visibly_instead_of_vanishing() {
    let mut model = Model::default();
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 1.0,
        },
    );
    assert!(type_and_send(&mut model, "a", "hi", 2.0).is_empty());
    let sent = outgoing(view(&model, "a"));
    assert!(matches!(
        &sent[0].1,
        Delivery::Failed {
            reason: Problem::NoDevice
        }
    ));
    reduce(&mut model, Event::DeviceFound(Some("/devices/d".into())));
    assert_eq!(
        reduce(
            &mut model,
            Event::Retry {
                session: "a".into(),
                local_id: 1,
                at: 3.0
            }
        )
        .len(),
        1
    );
}

#[test]
fn the_first_reply_to_a_ringing_session_is_allowed() {
    let mut model = model_with(vec![session(
        "r",
        ImSessionState::Alerting,
        &[Capability::SendMessage, Capability::Complete],
    )]);
    assert_eq!(type_and_send(&mut model, "r", "Yes?", 5.0).len(), 1);
}

#[test]
fn drafts_are_kept_per_session_when_switching() {
    let mut model = model_with(vec![talking("a"), talking("b")]);
    reduce(
        &mut model,
        Event::DraftChanged {
            session: "a".into(),
            text: "for a".into(),
        },
    );
    reduce(&mut model, Event::Select("b".into()));
    reduce(
        &mut model,
        Event::DraftChanged {
            session: "b".into(),
            text: "for b".into(),
        },
    );
    reduce(&mut model, Event::Select("a".into()));
    assert_eq!(view(&model, "a").draft, "for a");
    assert_eq!(view(&model, "b").draft, "for b");
}
