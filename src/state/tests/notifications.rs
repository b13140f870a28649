//! Notifications: sessions ringing, state and capability changes, case data from elsewhere, unread counts.

use super::*;

#[test]
fn a_ringing_session_arrives_live_with_a_system_line_and_is_not_opened() {
    let mut model = model_with(vec![]);
    reduce(
        &mut model,
        status_change(session(
            "r",
            ImSessionState::Alerting,
            &[Capability::SendMessage, Capability::Complete],
        )),
    );
    let ringing = view(&model, "r");
    assert_eq!(ringing.state(), &ImSessionState::Alerting);
    assert_eq!(texts(ringing, system), ["3002 wants to talk"]);
    assert_eq!(
        notices(ringing),
        [Notice::Alerting {
            party: Some("3002".into())
        }]
    );
    assert_eq!(model.selected, None);
}

#[test]
fn a_session_the_agent_initiated_opens_by_itself() {
    let mut model = model_with(vec![]);
    reduce(
        &mut model,
        status_change(session(
            "n",
            ImSessionState::Initiating,
            &[Capability::Complete],
        )),
    );
    assert_eq!(model.selected.as_deref(), Some("n"));
    assert_eq!(texts(view(&model, "n"), system), ["Calling 3002…"]);
    assert_eq!(
        notices(view(&model, "n")),
        [Notice::Calling {
            party: Some("3002".into())
        }]
    );
}

#[test]
fn state_changes_add_a_system_line_and_capabilities_follow_the_server() {
    let mut model = model_with(vec![session(
        "a",
        ImSessionState::Alerting,
        &[Capability::SendMessage],
    )]);
    assert!(!view(&model, "a").allows(Action::Complete));
    reduce(&mut model, status_change(talking("a")));
    let a = view(&model, "a");
    assert_eq!(
        texts(a, system).last().map(String::as_str),
        Some("Talking with 3002")
    );
    assert!(a.allows(Action::Complete));

    reduce(
        &mut model,
        status_change(session(
            "a",
            ImSessionState::Talking,
            &[Capability::Complete],
        )),
    );
    let a = view(&model, "a");
    assert!(
        !a.allows(Action::SendMessage),
        "a capability that disappears disables its action"
    );
    assert_eq!(a.why_not(Action::SendMessage), Some(Problem::CannotSend));
    assert_eq!(
        texts(a, system).len(),
        2,
        "no system line when only capabilities change"
    );
}

#[test]
fn a_completed_session_allows_nothing_even_with_the_docs_unchanged_capabilities() {
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        status_change(session("a", ImSessionState::Completed, &ALL)),
    );
    let a = view(&model, "a");
    for action in [
        Action::SendMessage,
        Action::AttachUserData,
        Action::UpdateUserData,
        Action::DeleteUserData,
        Action::Complete,
    ] {
        assert!(!a.allows(action));
        assert_eq!(a.why_not(action), Some(Problem::SessionEnded));
    }
}

#[test]
fn unknown_states_and_capabilities_are_kept_but_allow_nothing_extra() {
    let mut s = talking("a");
    s.state = ImSessionState::Unknown("Parked".into());
    s.capabilities = vec![Capability::Unknown("Teleport".into())];
    let model = model_with(vec![s]);
    let a = view(&model, "a");
    assert!(!a.allows(Action::SendMessage));
    assert_eq!(texts(a, system), ["Session state: Parked"]);
}

#[test]
fn user_data_changes_from_elsewhere_replace_the_shown_data() {
    let mut model = model_with(vec![talking("a")]);
    let mut changed = talking("a");
    changed.user_data = UserData::from_iter([("bestNumber", json!("5")), ("vip", json!(true))]);
    reduce(&mut model, data_change(changed.clone()));
    assert_eq!(view(&model, "a").user_data(), &changed.user_data);
}

#[test]
fn an_incoming_message_counts_as_unread_until_the_session_is_opened() {
    let mut model = model_with(vec![talking("a"), talking("b")]);
    reduce(&mut model, Event::Select("b".into()));
    reduce(&mut model, new_message("a", "are you there?", 20.0));
    reduce(&mut model, new_message("a", "hello?", 21.0));
    reduce(&mut model, new_message("b", "in view", 22.0));
    assert_eq!(view(&model, "a").unread, 2);
    assert_eq!(
        view(&model, "b").unread,
        0,
        "the open session has nothing unread"
    );
    assert_eq!(model.unread_total(), 2);
    assert!(view(&model, "a").awaiting_reply());
    reduce(&mut model, Event::Select("a".into()));
    assert_eq!(view(&model, "a").unread, 0);
    assert_eq!(model.selected.as_deref(), Some("a"));
}

#[test]
fn selecting_an_unknown_session_changes_nothing() {
    let mut model = model_with(vec![talking("a")]);
    reduce(&mut model, Event::Select("nope".into()));
    assert_eq!(model.selected, None);
}

#[test]
fn a_message_for_an_unknown_session_is_kept_and_the_list_is_fetched() {
    let mut model = model_with(vec![]);
    let commands = reduce(&mut model, new_message("ghost", "hi", 20.0));
    assert_eq!(commands, [Command::LoadSessions]);
    assert_eq!(texts(view(&model, "ghost"), incoming), ["hi"]);
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("ghost")],
            at: 30.0,
        },
    );
    assert_eq!(model.sessions.len(), 1);
    assert_eq!(view(&model, "ghost").state(), &ImSessionState::Talking);
}

#[test]
fn unknown_notifications_change_nothing() {
    let mut model = model_with(vec![talking("a")]);
    let before = model.clone();
    let event = Event::Live(LiveEvent::Notification {
        notification: ImNotification::Unknown {
            message_type: "CallStateChangeMessage".into(),
        },
        at: 1.0,
    });
    assert!(reduce(&mut model, event).is_empty());
    assert_eq!(model, before);
}
