//! The queue: messages go to the server one at a time in the order typed, per session; an echo
//! releases the next and never confirms a queued one.

use super::*;

#[test]
fn messages_go_to_the_server_one_at_a_time_in_the_order_typed() {
    let mut model = model_with(vec![talking("a")]);
    let first = type_and_send(&mut model, "a", "one", 50.0);
    assert!(matches!(
        &first[..],
        [Command::Operate {
            local_id: Some(1),
            ..
        }]
    ));
    assert!(
        type_and_send(&mut model, "a", "two", 51.0).is_empty(),
        "two waits for one"
    );
    assert!(
        type_and_send(&mut model, "a", "three", 52.0).is_empty(),
        "three waits too"
    );
    let states: Vec<Delivery> = outgoing(view(&model, "a"))
        .into_iter()
        .map(|o| o.1)
        .collect();
    assert_eq!(
        states,
        [Delivery::Sending, Delivery::Queued, Delivery::Queued]
    );

    let next = reduce(
        &mut model,
        Event::MessageAccepted {
            session: "a".into(),
            local_id: 1,
        },
    );
    assert!(matches!(
        &next[..],
        [Command::Operate {
            local_id: Some(2),
            ..
        }]
    ));
    // A failure does not hold the rest back: it shows failed, and the next goes.
    let next = reduce(
        &mut model,
        Event::MessageRejected {
            session: "a".into(),
            local_id: 2,
            reason: "x".into(),
        },
    );
    assert!(matches!(
        &next[..],
        [Command::Operate {
            local_id: Some(3),
            ..
        }]
    ));
    assert!(reduce(
        &mut model,
        Event::MessageAccepted {
            session: "a".into(),
            local_id: 3
        }
    )
    .is_empty());
}

#[test]
fn an_echo_releases_the_next_message_and_never_confirms_a_queued_one() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "same", 50.0);
    type_and_send(&mut model, "a", "same", 51.0);
    let next = reduce(&mut model, new_message("a", "same", 52.0));
    assert!(matches!(
        &next[..],
        [Command::Operate {
            local_id: Some(2),
            ..
        }]
    ));
    assert_eq!(
        outgoing(view(&model, "a")),
        [
            ("same".to_owned(), Delivery::Sent, true),
            ("same".to_owned(), Delivery::Sending, false)
        ]
    );
}

#[test]
fn their_message_with_the_text_of_a_queued_one_is_theirs() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "first", 50.0);
    type_and_send(&mut model, "a", "thanks", 51.0);
    reduce(&mut model, new_message("a", "thanks", 52.0));
    assert_eq!(texts(view(&model, "a"), incoming), ["thanks"]);
    assert_eq!(outgoing(view(&model, "a"))[1].1, Delivery::Queued);
}

#[test]
fn sessions_queue_independently() {
    let mut model = model_with(vec![talking("a"), talking("b")]);
    type_and_send(&mut model, "a", "to a", 50.0);
    assert_eq!(type_and_send(&mut model, "b", "to b", 51.0).len(), 1);
}
