//! Privacy at a shared desk: retention, and another agent.

use super::*;

#[test]
fn completed_sessions_past_their_retention_go_and_stay_gone_while_open_ones_stay() {
    let mut model = model_with(vec![talking("open"), talking("done")]);
    reduce(&mut model, new_message("open", "old question", 1_000.0));
    reduce(&mut model, new_message("done", "old answer", 1_000.0));
    let mut done = session("done", ImSessionState::Completed, &ALL);
    done.participants = vec![Participant::with_number("3003")];
    reduce(
        &mut model,
        Event::Live(LiveEvent::Notification {
            notification: ImNotification::StateChange {
                kind: StateChangeKind::StatusChange,
                session: done.clone(),
            },
            at: 2_000.0,
        }),
    );
    reduce(&mut model, Event::Select("done".into()));
    let keep = 10_000.0;
    assert!(
        expired_sessions(&model, 12_000.0, keep).is_empty(),
        "the completion's line is 10 s old: exactly at the limit"
    );
    let expired = expired_sessions(&model, 12_001.0, keep);
    assert_eq!(expired, ["done"], "the open session stays however old");
    let commands = reduce(&mut model, Event::Expired { sessions: expired });
    assert_eq!(
        commands,
        [Command::Forget {
            session: "done".into()
        }]
    );
    assert!(model.session("done").is_none());
    assert_eq!(
        model.selected, None,
        "the chat of an expired session closes"
    );
    assert!(model.session("open").is_some());
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("open"), done],
            at: 13_000.0,
        },
    );
    assert!(
        model.session("done").is_none(),
        "a list that still has it does not bring it back"
    );
    assert!(
        reduce(
            &mut model,
            Event::Expired {
                sessions: vec!["nobody".into()]
            }
        )
        .is_empty(),
        "an id the model does not hold changes nothing"
    );
}

#[test]
fn another_agent_at_the_desk_starts_from_an_empty_model() {
    let mut model = model_with(vec![talking("a")]);
    reduce(&mut model, new_message("a", "customer's card number", 50.0));
    reduce(&mut model, Event::Select("a".into()));
    assert!(reduce(&mut model, Event::AgentChanged).is_empty());
    assert_eq!(model, Model::default());
    for event in [
        Event::PeerAgent {
            agent: "sam".into(),
        },
        Event::PeerSignedOut,
    ] {
        let before = model_with(vec![talking("b")]);
        let mut after = before.clone();
        assert!(reduce(&mut after, event).is_empty());
        assert_eq!(
            after, before,
            "the runtime handles it; the model is untouched"
        );
    }
}
