//! Signed out: every kind of 401, sign-in checks, and a live channel that works again.

use super::*;

#[test]
fn signed_out_the_list_is_not_retried_but_sign_in_is_checked() {
    let mut model = Model::default();
    let commands = reduce(
        &mut model,
        Event::SessionsFailed(crate::state::RequestError::Unauthenticated),
    );
    assert_eq!(commands, [Command::CheckSignIn { delay_ms: 2_000 }]);
    assert!(model.signed_out);
}

#[test]
fn every_kind_of_401_signs_out_once_and_keeps_the_draft_and_the_refused_message() {
    use crate::state::RequestError::Unauthenticated;
    let mut model = model_with(vec![talking("s1")]);
    let sent = type_and_send(&mut model, "s1", "are you there?", 20.0);
    let Some(Command::Operate {
        local_id: Some(local_id),
        ..
    }) = sent.first().cloned()
    else {
        panic!("the message is sent: {sent:?}");
    };
    let commands = reduce(
        &mut model,
        Event::MessageRejected {
            session: "s1".into(),
            local_id,
            reason: Problem::Request(Unauthenticated),
        },
    );
    assert_eq!(commands, [Command::CheckSignIn { delay_ms: 2_000 }]);
    reduce(
        &mut model,
        Event::DraftChanged {
            session: "s1".into(),
            text: "half typed".into(),
        },
    );
    // Further 401s (an action, the live channel, a New IM, the list) schedule no second check.
    for event in [
        Event::ActionFailed {
            session: "s1".into(),
            action: Action::Complete,
            reason: Unauthenticated,
        },
        Event::Live(LiveEvent::SignedOut),
        Event::NewImFailed(Problem::Request(Unauthenticated)),
        Event::SessionsFailed(Unauthenticated),
    ] {
        let commands = reduce(&mut model, event.clone());
        assert!(
            !commands
                .iter()
                .any(|c| matches!(c, Command::CheckSignIn { .. })),
            "{event:?} → {commands:?}"
        );
        assert!(model.signed_out);
    }
    // Still signed out: the checks back off, 4 s, 8 s, then every 10 s.
    let delays: Vec<_> = (0..5)
        .flat_map(|_| reduce(&mut model, Event::SignInChecked { signed_in: false }))
        .collect();
    let want =
        [4_000, 8_000, 10_000, 10_000, 10_000].map(|delay_ms| Command::CheckSignIn { delay_ms });
    assert_eq!(delays, want);
    // Signed in again: the list is read again; nothing is sent by itself; the refused message
    // keeps its Retry (Failed) and the draft is there.
    let commands = reduce(&mut model, Event::SignInChecked { signed_in: true });
    assert_eq!(commands, [Command::LoadSessions]);
    assert!(!model.signed_out);
    let s1 = view(&model, "s1");
    assert_eq!(s1.draft, "half typed");
    assert_eq!(
        outgoing(s1),
        [(
            "are you there?".to_owned(),
            Delivery::Failed {
                reason: Problem::Request(Unauthenticated)
            },
            false
        )]
    );
    // A late answer of a check that was already pending changes nothing.
    assert!(reduce(&mut model, Event::SignInChecked { signed_in: true }).is_empty());
    assert!(reduce(&mut model, Event::SignInChecked { signed_in: false }).is_empty());
}

#[test]
fn a_live_channel_that_works_again_ends_signed_out_and_a_fresh_one_marks_the_gap_in_every_live_session(
) {
    let mut model = model_with(vec![talking("s1"), talking("s2")]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 10.0,
            fresh: true,
        }),
    );
    reduce(&mut model, Event::Live(LiveEvent::Interrupted { at: 20.0 }));
    reduce(&mut model, Event::Live(LiveEvent::SignedOut));
    assert!(model.signed_out);
    // The expired session took its CometD client: the next one is fresh.
    let commands = reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 90.0,
            fresh: true,
        }),
    );
    assert!(!model.signed_out);
    assert!(commands.contains(&Command::LoadSessions));
    for id in ["s1", "s2"] {
        let gaps: Vec<_> = view(&model, id)
            .transcript
            .iter()
            .filter_map(|l| match l.kind {
                LineKind::Gap { until } => Some((l.at, until)),
                _ => None,
            })
            .collect();
        assert_eq!(gaps, [(20.0, 90.0)], "{id}");
    }
}
