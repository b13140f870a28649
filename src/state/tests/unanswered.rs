//! Sends without an answer (docs/RELIABILITY.md, "Messages sent without an answer").

use super::*;

fn unanswered(model: &mut Model, local_id: u64, at: Millis) -> Vec<Command> {
    reduce(
        model,
        Event::MessageUnanswered {
            session: "a".into(),
            local_id,
            at,
        },
    )
}

fn retry_of(model: &mut Model, local_id: u64) -> Vec<Command> {
    reduce(
        model,
        Event::Retry {
            session: "a".into(),
            local_id,
            at: 0.0,
        },
    )
}

#[test]
fn a_send_without_an_answer_is_checked_and_its_echo_makes_it_sent() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "did it go?", 50.0);
    unanswered(&mut model, 1, 60.0);
    assert_eq!(
        outgoing(view(&model, "a")),
        [(
            "did it go?".to_owned(),
            Delivery::Unconfirmed { since: 60.0 },
            false
        )]
    );
    assert!(
        retry_of(&mut model, 1).is_empty(),
        "no Retry while checking"
    );
    assert!(
        reduce(
            &mut model,
            Event::Discard {
                session: "a".into(),
                local_id: 1
            }
        )
        .is_empty()
            && outgoing(view(&model, "a")).len() == 1,
        "nor Discard"
    );
    // A round that left before the failure proves nothing.
    reduce(&mut model, Event::Live(LiveEvent::Round { started: 59.0 }));
    assert_eq!(
        outgoing(view(&model, "a"))[0].1,
        Delivery::Unconfirmed { since: 60.0 }
    );
    reduce(&mut model, new_message("a", "did it go?", 61.0));
    let a = view(&model, "a");
    assert_eq!(
        outgoing(a),
        [("did it go?".to_owned(), Delivery::Sent, true)]
    );
    assert!(texts(a, incoming).is_empty(), "not shown twice");
    reduce(&mut model, Event::Live(LiveEvent::Round { started: 70.0 }));
    assert_eq!(outgoing(view(&model, "a"))[0].1, Delivery::Sent);
    assert_eq!(model.unconfirmed, 0, "nothing left to check");
}

#[test]
fn a_send_without_an_answer_and_no_echo_in_a_later_round_is_not_delivered_and_can_be_retried() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "lost", 50.0);
    unanswered(&mut model, 1, 60.0);
    reduce(&mut model, Event::Live(LiveEvent::Round { started: 61.0 }));
    assert_eq!(
        outgoing(view(&model, "a")),
        [(
            "lost".to_owned(),
            Delivery::Failed {
                reason: Problem::NotDelivered
            },
            false
        )]
    );
    assert_eq!(
        crate::i18n::format::delivery_text(
            &outgoing(view(&model, "a"))[0].1,
            crate::i18n::Locale::En.texts()
        ),
        "Not delivered"
    );
    let commands = retry_of(&mut model, 1);
    assert!(
        matches!(
            &commands[..],
            [Command::Operate {
                local_id: Some(1),
                ..
            }]
        ),
        "Retry sends the same line again: {commands:?}"
    );
    assert_eq!(outgoing(view(&model, "a"))[0].1, Delivery::Sending);
}

#[test]
fn a_lost_cometd_session_leaves_the_agent_to_decide_and_never_resends_by_itself() {
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 1.0,
            fresh: true,
        }),
    );
    type_and_send(&mut model, "a", "maybe", 50.0);
    unanswered(&mut model, 1, 60.0);
    reduce(&mut model, Event::Live(LiveEvent::Interrupted { at: 61.0 }));
    let commands = reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 70.0,
            fresh: true,
        }),
    );
    assert!(
        commands
            .iter()
            .all(|c| !matches!(c, Command::Operate { .. })),
        "never re-sent by itself: {commands:?}"
    );
    assert_eq!(outgoing(view(&model, "a"))[0].1, Delivery::Uncertain);
    assert_eq!(
        crate::i18n::format::delivery_text(&Delivery::Uncertain, crate::i18n::Locale::En.texts()),
        "May not have been delivered"
    );
    // A late echo (a resend of the server's queue) still confirms it.
    let mut late = model.clone();
    reduce(&mut late, new_message("a", "maybe", 71.0));
    assert_eq!(outgoing(view(&late, "a"))[0].1, Delivery::Sent);
    // Or the agent decides: Discard removes it, Retry sends it.
    let mut discarded = model.clone();
    reduce(
        &mut discarded,
        Event::Discard {
            session: "a".into(),
            local_id: 1,
        },
    );
    assert!(outgoing(view(&discarded, "a")).is_empty());
    assert_eq!(retry_of(&mut model, 1).len(), 1);
}

#[test]
fn a_send_without_an_answer_does_not_hold_the_queue_back() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "one", 50.0);
    type_and_send(&mut model, "a", "two", 51.0);
    let commands = unanswered(&mut model, 1, 60.0);
    assert!(
        matches!(
            &commands[..],
            [Command::Operate {
                local_id: Some(2),
                ..
            }]
        ),
        "{commands:?}"
    );
}

#[test]
fn a_check_a_closed_page_left_open_becomes_the_agents_decision_after_reload() {
    let mut model = model_with(vec![talking("a")]);
    type_and_send(&mut model, "a", "before reload", 50.0);
    unanswered(&mut model, 1, 60.0);
    let stored = StoredSession::from_view(view(&model, "a"));
    let mut reloaded = Model::default();
    reduce(
        &mut reloaded,
        Event::Restored {
            sessions: vec![stored],
            live_until: Some(61.0),
            dismissed: Vec::new(),
        },
    );
    assert_eq!(outgoing(view(&reloaded, "a"))[0].1, Delivery::Uncertain);
}
