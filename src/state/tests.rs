//! The reducer's behaviour, event by event.

use gws_protocol::{
    Capability, Destination, ImNotification, ImSession, ImSessionOperation, ImSessionState,
    LogUpdateKind, Participant, StateChangeKind, UserData,
};
use serde_json::json;

use super::*;

const ALL: [Capability; 5] = [
    Capability::SendMessage,
    Capability::AttachUserData,
    Capability::UpdateUserData,
    Capability::DeleteUserData,
    Capability::Complete,
];

fn session(id: &str, state: ImSessionState, capabilities: &[Capability]) -> ImSession {
    ImSession {
        id: id.into(),
        state,
        participants: vec![Participant::with_number("3002")],
        capabilities: capabilities.to_vec(),
        path: Some(format!("/im-sessions/{id}")),
        ..ImSession::default()
    }
}

fn talking(id: &str) -> ImSession {
    session(id, ImSessionState::Talking, &ALL)
}

fn status_change(session: ImSession) -> Event {
    Event::Live(LiveEvent::Notification {
        notification: ImNotification::StateChange {
            kind: StateChangeKind::StatusChange,
            session,
        },
        at: 100.0,
    })
}

fn data_change(session: ImSession) -> Event {
    Event::Live(LiveEvent::Notification {
        notification: ImNotification::StateChange {
            kind: StateChangeKind::AttachedDataChanged,
            session,
        },
        at: 100.0,
    })
}

fn new_message(id: &str, text: &str, at: Millis) -> Event {
    Event::Live(LiveEvent::Notification {
        notification: ImNotification::LogUpdate {
            kind: LogUpdateKind::NewMessage,
            im_session_path: format!("/im-sessions/{id}"),
            message: text.into(),
        },
        at,
    })
}

/// A model with the list loaded, a device known and `sessions` in it.
fn model_with(sessions: Vec<ImSession>) -> Model {
    let mut model = Model::default();
    reduce(
        &mut model,
        Event::DeviceFound(Some("/devices/dev-1".into())),
    );
    reduce(&mut model, Event::SessionsLoaded { sessions, at: 10.0 });
    model
}

fn view<'m>(model: &'m Model, id: &str) -> &'m SessionView {
    model.session(id).expect("session in model")
}

fn type_and_send(model: &mut Model, id: &str, text: &str, at: Millis) -> Vec<Command> {
    reduce(
        model,
        Event::DraftChanged {
            session: id.into(),
            text: text.into(),
        },
    );
    reduce(
        model,
        Event::SendDraft {
            session: id.into(),
            at,
        },
    )
}

fn outgoing(view: &SessionView) -> Vec<(String, Delivery, bool)> {
    view.transcript
        .iter()
        .filter_map(|l| match &l.kind {
            LineKind::Outgoing {
                delivery, echoed, ..
            } => Some((l.text.clone(), delivery.clone(), *echoed)),
            _ => None,
        })
        .collect()
}

/// The lines of one kind as an English-speaking agent reads them (notices through the catalogue).
fn texts(view: &SessionView, wanted: fn(&LineKind) -> bool) -> Vec<String> {
    view.transcript
        .iter()
        .filter(|l| wanted(&l.kind))
        .map(|l| match &l.kind {
            LineKind::Notice(notice) => {
                let (before, number, after) =
                    crate::i18n::format::notice_parts(notice, crate::i18n::Locale::En.texts());
                format!("{before}{}{after}", number.unwrap_or_default())
            }
            _ => l.text.clone(),
        })
        .collect()
}

/// The typed notices of a transcript.
fn notices(view: &SessionView) -> Vec<Notice> {
    view.transcript
        .iter()
        .filter_map(|l| match &l.kind {
            LineKind::Notice(notice) => Some(notice.clone()),
            _ => None,
        })
        .collect()
}

/// Free words as a reason (what another tab sends, or an older version stored).
impl From<&str> for Problem {
    fn from(text: &str) -> Self {
        Problem::Text(text.to_owned())
    }
}

fn unreachable_server() -> crate::state::RequestError {
    crate::state::RequestError::Network("Cannot reach the server".into())
}

fn incoming(kind: &LineKind) -> bool {
    matches!(kind, LineKind::Incoming)
}

fn system(kind: &LineKind) -> bool {
    matches!(kind, LineKind::System | LineKind::Notice(_))
}

// --- loading ------------------------------------------------------------------------------

#[test]
fn starts_loading_and_connecting() {
    let model = Model::default();
    assert_eq!(model.load, ListLoad::Loading);
    assert_eq!(model.connection, Connection::Connecting);
}

#[test]
fn a_loaded_list_shows_every_session_in_order() {
    let model = model_with(vec![talking("a"), talking("b")]);
    assert_eq!(model.load, ListLoad::Loaded);
    let ids: Vec<_> = model.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(view(&model, "a").started_at, 10.0);
}

#[test]
fn a_failed_first_load_is_shown_and_a_failed_refresh_keeps_the_list() {
    let mut model = Model::default();
    reduce(&mut model, Event::SessionsFailed(unreachable_server()));
    assert_eq!(
        model.load,
        ListLoad::Failed(Problem::Request(unreachable_server()))
    );

    let mut model = model_with(vec![talking("a")]);
    reduce(&mut model, Event::SessionsFailed(unreachable_server()));
    assert_eq!(model.load, ListLoad::Loaded);
    assert_eq!(model.sessions.len(), 1);
    assert_eq!(
        model.banner,
        Some(Problem::RefreshFailed(unreachable_server()))
    );
    reduce(&mut model, Event::DismissBanner);
    assert_eq!(model.banner, None);
}

#[test]
fn reloading_reconciles_without_duplicates_and_ends_sessions_the_server_no_longer_has() {
    let mut model = model_with(vec![talking("a"), talking("b")]);
    reduce(&mut model, new_message("a", "hello", 20.0));
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 30.0,
        },
    );
    assert_eq!(model.sessions.len(), 2, "nothing shown twice");
    assert_eq!(
        texts(view(&model, "a"), incoming),
        ["hello"],
        "transcript kept"
    );
    assert!(view(&model, "b").is_completed());
    assert_eq!(
        texts(view(&model, "b"), system).last().map(String::as_str),
        Some("Session ended")
    );
}

// --- notifications --------------------------------------------------------------------------

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

// --- sending and echoes ---------------------------------------------------------------------

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

// --- actions --------------------------------------------------------------------------------

#[test]
fn complete_is_requested_once_and_settles_when_the_session_ends() {
    let mut model = model_with(vec![talking("a")]);
    let commands = reduce(
        &mut model,
        Event::Complete {
            session: "a".into(),
        },
    );
    assert_eq!(
        commands,
        [Command::Operate {
            session: "a".into(),
            local_id: None,
            operation: ImSessionOperation::Complete
        }]
    );
    assert_eq!(view(&model, "a").busy, Some(Action::Complete));
    assert!(
        reduce(
            &mut model,
            Event::Complete {
                session: "a".into()
            }
        )
        .is_empty(),
        "not pressed twice"
    );
    reduce(
        &mut model,
        Event::ActionDone {
            session: "a".into(),
            action: Action::Complete,
        },
    );
    reduce(
        &mut model,
        status_change(session("a", ImSessionState::Completed, &ALL)),
    );
    let a = view(&model, "a");
    assert!(a.is_completed());
    assert_eq!(a.busy, None);
    assert_eq!(notices(a).last(), Some(&Notice::Ended));
}

#[test]
fn a_failed_action_shows_why_and_frees_the_button() {
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        Event::Complete {
            session: "a".into(),
        },
    );
    reduce(
        &mut model,
        Event::ActionFailed {
            session: "a".into(),
            action: Action::Complete,
            reason: unreachable_server(),
        },
    );
    let a = view(&model, "a");
    assert_eq!(a.busy, None);
    assert_eq!(
        a.action_error,
        Some(Problem::ActionFailed {
            action: Action::Complete,
            error: unreachable_server()
        })
    );
}

#[test]
fn complete_without_the_capability_explains_instead_of_asking() {
    let mut model = model_with(vec![session(
        "a",
        ImSessionState::Talking,
        &[Capability::SendMessage],
    )]);
    assert!(reduce(
        &mut model,
        Event::Complete {
            session: "a".into()
        }
    )
    .is_empty());
    assert_eq!(view(&model, "a").action_error, Some(Problem::CannotEnd));
}

#[test]
fn user_data_actions_send_the_documented_bodies() {
    let mut model = model_with(vec![talking("a")]);
    let attach = reduce(
        &mut model,
        Event::AttachUserData {
            session: "a".into(),
            key: " bestNumber ".into(),
            value: json!("3"),
        },
    );
    assert_eq!(
        attach,
        [Command::Operate {
            session: "a".into(),
            local_id: None,
            operation: ImSessionOperation::AttachUserData {
                user_data: UserData::from_iter([("bestNumber", json!("3"))])
            },
        }]
    );
    reduce(&mut model, data_change(talking("a")));
    assert_eq!(
        view(&model, "a").busy,
        None,
        "settled by AttachedDataChanged"
    );

    let update = reduce(
        &mut model,
        Event::UpdateUserData {
            session: "a".into(),
            key: "bestNumber".into(),
            value: json!("5"),
        },
    );
    assert!(matches!(
        &update[..],
        [Command::Operate {
            operation: ImSessionOperation::UpdateUserData { .. },
            ..
        }]
    ));
    reduce(
        &mut model,
        Event::ActionDone {
            session: "a".into(),
            action: Action::UpdateUserData,
        },
    );
    reduce(&mut model, data_change(talking("a")));

    let delete = reduce(
        &mut model,
        Event::DeleteUserData {
            session: "a".into(),
            key: "bestNumber".into(),
        },
    );
    assert_eq!(
        delete,
        [Command::Operate {
            session: "a".into(),
            local_id: None,
            operation: ImSessionOperation::DeleteUserData {
                key: "bestNumber".into()
            },
        }]
    );
}

#[test]
fn user_data_needs_a_key_and_the_capability() {
    let mut model = model_with(vec![session(
        "a",
        ImSessionState::Talking,
        &[Capability::AttachUserData],
    )]);
    assert!(reduce(
        &mut model,
        Event::AttachUserData {
            session: "a".into(),
            key: "  ".into(),
            value: json!("x")
        }
    )
    .is_empty());
    assert_eq!(view(&model, "a").action_error, Some(Problem::EmptyKey));
    assert!(reduce(
        &mut model,
        Event::DeleteUserData {
            session: "a".into(),
            key: "k".into()
        }
    )
    .is_empty());
    assert_eq!(
        view(&model, "a").action_error,
        Some(Problem::CannotChangeCaseData)
    );
}

// --- new IM -----------------------------------------------------------------------------------

#[test]
fn a_new_im_asks_for_initiate_with_the_extension_user_data_and_device() {
    let mut model = model_with(vec![]);
    let commands = reduce(
        &mut model,
        Event::StartNewIm {
            destination: " 16001 ".into(),
            user_data: UserData::from_iter([("favColor", json!("blue"))]),
        },
    );
    assert_eq!(
        commands,
        [Command::Initiate(gws_protocol::InitiateImSession {
            destination: Destination::new("16001"),
            user_data: Some(UserData::from_iter([("favColor", json!("blue"))])),
            device_path: Some("/devices/dev-1".into()),
        })]
    );
    assert_eq!(model.new_im, NewImStatus::Sending);
    reduce(&mut model, Event::NewImAccepted);
    assert_eq!(model.new_im, NewImStatus::Idle);
}

#[test]
fn a_new_im_without_an_extension_or_refused_says_why() {
    let mut model = model_with(vec![]);
    assert!(reduce(
        &mut model,
        Event::StartNewIm {
            destination: " ".into(),
            user_data: UserData::new()
        }
    )
    .is_empty());
    assert_eq!(model.new_im, NewImStatus::Failed(Problem::EmptyExtension));
    reduce(
        &mut model,
        Event::StartNewIm {
            destination: "3002".into(),
            user_data: UserData::new(),
        },
    );
    reduce(&mut model, Event::NewImFailed(Problem::OneSessionAtATime));
    assert_eq!(
        model.new_im,
        NewImStatus::Failed(Problem::OneSessionAtATime)
    );
}

// --- dismiss ----------------------------------------------------------------------------------

#[test]
fn only_completed_sessions_can_be_dismissed_and_storage_forgets_them() {
    let mut model = model_with(vec![talking("a")]);
    reduce(&mut model, Event::Select("a".into()));
    assert!(reduce(
        &mut model,
        Event::Dismiss {
            session: "a".into()
        }
    )
    .is_empty());
    reduce(
        &mut model,
        status_change(session("a", ImSessionState::Completed, &[])),
    );
    assert_eq!(
        reduce(
            &mut model,
            Event::Dismiss {
                session: "a".into()
            }
        ),
        [Command::Forget {
            session: "a".into()
        }]
    );
    assert!(model.sessions.is_empty());
    assert_eq!(model.selected, None);
}

#[test]
fn a_dismissed_session_stays_gone_when_the_list_is_read_again() {
    let done = || session("a", ImSessionState::Completed, &[]);
    let mut model = model_with(vec![done(), talking("b")]);
    reduce(
        &mut model,
        Event::Dismiss {
            session: "a".into(),
        },
    );
    // A re-read (after a 402, a restart, a long outage) still lists the completed session.
    for at in [20.0, 30.0] {
        reduce(
            &mut model,
            Event::SessionsLoaded {
                sessions: vec![done(), talking("b")],
                at,
            },
        );
        assert!(model.session("a").is_none(), "dismissed stays dismissed");
        assert!(model.session("b").is_some());
    }
    // The server no longer lists it, and then a late notification names it: still gone (the id
    // stays remembered, within DISMISSED_KEPT, whatever the list says).
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("b")],
            at: 40.0,
        },
    );
    reduce(&mut model, status_change(done()));
    assert!(
        model.session("a").is_none(),
        "a late notification does not bring it back"
    );
    assert!(model.was_dismissed("a"));
}

#[test]
fn sessions_dismissed_before_a_reload_stay_gone_when_the_server_still_lists_them() {
    let done = || session("a", ImSessionState::Completed, &[]);
    let mut before = model_with(vec![done(), talking("b")]);
    reduce(
        &mut before,
        Event::Dismiss {
            session: "a".into(),
        },
    );
    // What storage keeps of it (`…:gone`) comes back with the reload.
    let gone: Vec<String> = before.dismissed.iter().cloned().collect();
    assert_eq!(gone, ["a"]);
    let mut model = Model::default();
    reduce(
        &mut model,
        Event::Restored {
            sessions: Vec::new(),
            live_until: None,
            dismissed: gone.clone(),
        },
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![done(), talking("b")],
            at: 50.0,
        },
    );
    assert!(
        model.session("a").is_none(),
        "still dismissed after the reload"
    );
    assert!(model.session("b").is_some());
    // Restored twice (another tab's agent, a reboot): remembered once.
    reduce(
        &mut model,
        Event::Restored {
            sessions: Vec::new(),
            live_until: None,
            dismissed: gone,
        },
    );
    assert_eq!(model.dismissed.len(), 1);
}

#[test]
fn the_dismissed_ids_a_model_keeps_are_bounded() {
    let limit = crate::state::DISMISSED_KEPT;
    let ids: Vec<String> = (0..limit + 20).map(|n| format!("s{n}")).collect();
    let done = |id: &str| session(id, ImSessionState::Completed, &[]);
    let mut model = model_with(ids.iter().map(|id| done(id)).collect());
    for id in &ids {
        reduce(
            &mut model,
            Event::Dismiss {
                session: id.clone(),
            },
        );
    }
    assert_eq!(model.dismissed.len(), limit);
    assert_eq!(
        model.dismissed.front(),
        Some(&ids[20]),
        "the oldest went first"
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: ids.iter().map(|id| done(id)).collect(),
            at: 20.0,
        },
    );
    assert_eq!(
        model.sessions.len(),
        20,
        "only the forgotten oldest come back"
    );
}

// --- the live channel and gaps -----------------------------------------------------------------

#[test]
fn an_interruption_that_resumes_the_same_cometd_session_marks_no_gap() {
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 11.0,
            fresh: true,
        }),
    );
    reduce(&mut model, Event::Live(LiveEvent::Interrupted { at: 20.0 }));
    assert_eq!(model.connection, Connection::Reconnecting { since: 20.0 });
    let commands = reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 25.0,
            fresh: false,
        }),
    );
    assert!(commands.is_empty());
    assert_eq!(model.connection, Connection::Connected);
    assert!(!view(&model, "a")
        .transcript
        .iter()
        .any(|l| matches!(l.kind, LineKind::Gap { .. })));
}

#[test]
fn a_lost_cometd_session_marks_a_gap_in_open_sessions_and_rereads_the_list() {
    let mut model = model_with(vec![
        talking("a"),
        session("done", ImSessionState::Completed, &[]),
    ]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 11.0,
            fresh: true,
        }),
    );
    reduce(&mut model, Event::Live(LiveEvent::Interrupted { at: 20.0 }));
    reduce(&mut model, Event::Live(LiveEvent::Offline { at: 40.0 }));
    assert_eq!(model.connection, Connection::Offline { since: 20.0 });
    let commands = reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 60.0,
            fresh: true,
        }),
    );
    assert_eq!(commands, [Command::LoadSessions]);
    let gap = view(&model, "a")
        .transcript
        .last()
        .cloned()
        .expect("a gap line");
    assert_eq!(
        gap,
        Line {
            at: 20.0,
            text: String::new(),
            kind: LineKind::Gap { until: 60.0 }
        }
    );
    assert!(!view(&model, "done")
        .transcript
        .iter()
        .any(|l| matches!(l.kind, LineKind::Gap { .. })));
}

#[test]
fn the_first_cometd_session_of_a_fresh_page_marks_no_gap_but_rereads_the_list() {
    let mut model = model_with(vec![talking("a")]);
    let commands = reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 11.0,
            fresh: true,
        }),
    );
    assert_eq!(
        commands,
        [Command::LoadSessions],
        "what changed before the subscribe is not missed"
    );
    assert!(view(&model, "a")
        .transcript
        .iter()
        .all(|l| !matches!(l.kind, LineKind::Gap { .. })));
}

#[test]
fn a_reload_restores_transcripts_and_marks_the_time_the_page_was_closed_as_a_gap() {
    let kept = StoredSession {
        id: "a".into(),
        session: talking("a"),
        started_at: 1.0,
        transcript: vec![Line {
            at: 2.0,
            text: "before the reload".into(),
            kind: LineKind::Incoming,
        }],
        draft: "unsent".into(),
    };
    let mut model = Model::default();
    reduce(
        &mut model,
        Event::Restored {
            sessions: vec![kept],
            live_until: Some(5.0),
            dismissed: Vec::new(),
        },
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 9.0,
        },
    );
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 10.0,
            fresh: true,
        }),
    );
    let a = view(&model, "a");
    assert_eq!(model.sessions.len(), 1);
    assert_eq!(a.started_at, 1.0);
    assert_eq!(a.draft, "unsent");
    assert_eq!(texts(a, incoming), ["before the reload"]);
    assert!(a
        .transcript
        .iter()
        .any(|l| l.kind == LineKind::Gap { until: 10.0 } && l.at == 5.0));
}

#[test]
fn restoring_after_the_list_keeps_the_newer_lines_after_the_stored_ones() {
    let mut model = model_with(vec![talking("a")]);
    reduce(&mut model, new_message("a", "new", 20.0));
    let kept = StoredSession {
        id: "a".into(),
        session: talking("a"),
        started_at: 1.0,
        transcript: vec![Line {
            at: 2.0,
            text: "old".into(),
            kind: LineKind::Incoming,
        }],
        draft: String::new(),
    };
    reduce(
        &mut model,
        Event::Restored {
            sessions: vec![kept],
            live_until: None,
            dismissed: Vec::new(),
        },
    );
    assert_eq!(texts(view(&model, "a"), incoming), ["old", "new"]);
}

// --- properties -------------------------------------------------------------------------------

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn id() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["a", "b", "c"]).prop_map(str::to_owned)
    }

    fn text() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["hi", "ok", " ok ", "", "\u{202e}evil"]).prop_map(str::to_owned)
    }

    fn state() -> impl Strategy<Value = ImSessionState> {
        prop::sample::select(vec![
            ImSessionState::Initiating,
            ImSessionState::Alerting,
            ImSessionState::Talking,
            ImSessionState::Completed,
            ImSessionState::Unknown(" Parked".into()),
        ])
    }

    fn a_session() -> impl Strategy<Value = ImSession> {
        (
            id(),
            state(),
            prop::collection::vec(prop::sample::select(ALL.to_vec()), 0..5),
        )
            .prop_map(|(id, state, caps)| session(&id, state, &caps))
    }

    fn action() -> impl Strategy<Value = Action> {
        prop::sample::select(vec![
            Action::SendMessage,
            Action::AttachUserData,
            Action::UpdateUserData,
            Action::DeleteUserData,
            Action::Complete,
        ])
    }

    fn event() -> impl Strategy<Value = Event> {
        let at = 0.0..1e6f64;
        prop_oneof![
            (prop::collection::vec(a_session(), 0..4), at.clone())
                .prop_map(|(sessions, at)| Event::SessionsLoaded { sessions, at }),
            text().prop_map(
                |detail| Event::SessionsFailed(crate::state::RequestError::Network(detail))
            ),
            prop::option::of(Just("/devices/d".to_owned())).prop_map(Event::DeviceFound),
            (a_session(), any::<bool>()).prop_map(|(s, data)| if data {
                data_change(s)
            } else {
                status_change(s)
            }),
            (id(), text(), at.clone()).prop_map(|(id, t, at)| new_message(&id, &t, at)),
            (id(), 0..4u64)
                .prop_map(|(session, local_id)| Event::MessageAccepted { session, local_id }),
            (id(), 0..4u64, text()).prop_map(|(session, local_id, reason)| {
                Event::MessageRejected {
                    session,
                    local_id,
                    reason: Problem::Text(reason),
                }
            }),
            (id(), action()).prop_map(|(session, action)| Event::ActionDone { session, action }),
            (id(), action(), text()).prop_map(|(session, action, reason)| Event::ActionFailed {
                session,
                action,
                reason: crate::state::RequestError::Decode(reason)
            }),
            (at.clone(), any::<bool>())
                .prop_map(|(at, fresh)| Event::Live(LiveEvent::Up { at, fresh })),
            at.clone()
                .prop_map(|at| Event::Live(LiveEvent::Interrupted { at })),
            at.clone()
                .prop_map(|at| Event::Live(LiveEvent::Offline { at })),
            id().prop_map(Event::Select),
            (id(), text()).prop_map(|(session, text)| Event::DraftChanged { session, text }),
            (id(), at.clone()).prop_map(|(session, at)| Event::SendDraft { session, at }),
            (id(), text(), at.clone()).prop_map(|(session, text, at)| Event::PeerOutgoing {
                session,
                text,
                at
            }),
            (id(), text(), text()).prop_map(|(session, text, reason)| Event::PeerOutgoingFailed {
                session,
                text,
                reason
            }),
            (id(), 0..4u64, at.clone()).prop_map(|(session, local_id, at)| Event::Retry {
                session,
                local_id,
                at
            }),
            (id(), 0..4u64).prop_map(|(session, local_id)| Event::Discard { session, local_id }),
            id().prop_map(|session| Event::Complete { session }),
            (id(), text()).prop_map(|(session, key)| Event::AttachUserData {
                session,
                key,
                value: json!("v")
            }),
            (id(), text()).prop_map(|(session, key)| Event::DeleteUserData { session, key }),
            text().prop_map(|destination| Event::StartNewIm {
                destination,
                user_data: UserData::new()
            }),
            id().prop_map(|session| Event::Dismiss { session }),
            (id(), 0..4u64, at.clone()).prop_map(|(session, local_id, at)| {
                Event::MessageUnanswered {
                    session,
                    local_id,
                    at,
                }
            }),
            at.prop_map(|started| Event::Live(LiveEvent::Round { started })),
            Just(Event::RetryLoad),
            Just(Event::Live(LiveEvent::SignedOut)),
            any::<bool>().prop_map(|signed_in| Event::SignInChecked { signed_in }),
            Just(Event::SessionsFailed(
                crate::state::RequestError::Unauthenticated
            )),
        ]
    }

    /// The (local id, failed at) of every own line still being checked.
    fn unconfirmed(model: &Model) -> Vec<(u64, Millis)> {
        model
            .sessions
            .iter()
            .flat_map(|v| &v.transcript)
            .filter_map(|l| match l.kind {
                LineKind::Outgoing {
                    local_id,
                    delivery: Delivery::Unconfirmed { since },
                    ..
                } => Some((local_id, since)),
                _ => None,
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn any_event_sequence_keeps_the_model_consistent(events in prop::collection::vec(event(), 0..60)) {
            let mut model = Model::default();
            // Sign-in checks pending: one at a time, and one whenever the agent is signed out.
            let mut checks_pending = 0u32;
            for event in events {
                let checking = unconfirmed(&model);
                if matches!(event, Event::SignInChecked { .. }) {
                    checks_pending = checks_pending.saturating_sub(1);
                }
                let round = match event {
                    Event::Live(LiveEvent::Round { started }) => Some(started),
                    Event::Live(LiveEvent::Up { fresh: true, .. }) => Some(f64::INFINITY),
                    _ => None,
                };
                let commands = reduce(&mut model, event);
                let left = unconfirmed(&model);
                prop_assert!(left.len() <= model.unconfirmed as usize, "the count of checks never falls short");
                if let Some(started) = round {
                    prop_assert!(left.iter().all(|(_, since)| *since >= started), "a round ends every check that began before it");
                }
                checks_pending += commands.iter().filter(|c| matches!(c, Command::CheckSignIn { .. })).count() as u32;
                prop_assert!(checks_pending <= 1, "one sign-in check at a time");
                prop_assert!(!model.signed_out || checks_pending == 1, "signed out, a check is always pending");
                for command in &commands {
                    if let Command::RetryLoadLater { delay_ms } = command {
                        prop_assert!((2_000..=30_000).contains(delay_ms), "list retries back off within 2-30 s");
                    }
                    if let Command::Operate { local_id: Some(id), .. } = command {
                        prop_assert!(checking.iter().all(|(c, _)| c != id), "a message being checked is never sent again");
                    }
                    if let Command::Operate { session, operation, .. } = command {
                        let view = model.session(session);
                        prop_assert!(view.is_some(), "an operation on a session the model has");
                        let action = Action::from_operation(operation);
                        prop_assert!(view.is_some_and(|v| v.allows(action)), "only allowed operations are requested");
                    }
                }
                let mut ids: Vec<&str> = model.sessions.iter().map(|s| s.id.as_str()).collect();
                let count = ids.len();
                ids.sort_unstable();
                ids.dedup();
                prop_assert_eq!(ids.len(), count, "no session twice");
                for (at, view) in model.sessions.iter().enumerate() {
                    prop_assert_eq!(model.index.0.get(&view.id), Some(&at), "the index knows every session's place");
                }
                prop_assert_eq!(model.index.0.len(), count, "the index holds nothing else");
                if let Some(selected) = &model.selected {
                    let view = model.session(selected);
                    prop_assert!(view.is_some(), "the open session exists");
                    prop_assert_eq!(view.map(|v| v.unread), Some(0), "the open session has nothing unread");
                }
                for view in &model.sessions {
                    let incoming = view.transcript.iter().filter(|l| l.kind == LineKind::Incoming).count();
                    prop_assert_eq!(view.incoming, incoming, "the incoming count is exact");
                    let in_flight = view.transcript.iter()
                        .filter(|l| matches!(l.kind, LineKind::Outgoing { delivery: Delivery::Sending, .. }))
                        .count();
                    prop_assert!(in_flight <= 1, "one SendMessage in flight per session");
                    let mut local_ids = Vec::new();
                    for line in &view.transcript {
                        if let LineKind::Outgoing { local_id, delivery, echoed } = &line.kind {
                            prop_assert!(!*echoed || *delivery == Delivery::Sent, "an echoed message is sent");
                            prop_assert!(!local_ids.contains(local_id), "local ids are unique");
                            local_ids.push(*local_id);
                        }
                    }
                }
            }
        }
    }
}

// --- sends without an answer (docs/RELIABILITY.md, "Messages sent without an answer") ---------

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

// --- the list retries by itself ----------------------------------------------------------------

#[test]
fn a_failed_list_is_read_again_with_backoff_until_it_loads() {
    let mut model = Model::default();
    let delays: Vec<_> = (0..7)
        .map(|_| {
            let commands = reduce(&mut model, Event::SessionsFailed(unreachable_server()));
            let again = reduce(&mut model, Event::RetryLoad);
            assert_eq!(again, [Command::LoadSessions]);
            assert_eq!(model.load, ListLoad::Loading, "shows it is trying");
            match commands[..] {
                [Command::RetryLoadLater { delay_ms }] => delay_ms,
                _ => panic!("{commands:?}"),
            }
        })
        .collect();
    assert_eq!(
        delays,
        [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 1.0,
        },
    );
    assert_eq!(model.load, ListLoad::Loaded);
    assert!(
        reduce(&mut model, Event::RetryLoad).is_empty(),
        "a late timer does nothing"
    );
    let commands = reduce(&mut model, Event::SessionsFailed(unreachable_server()));
    assert_eq!(
        commands,
        [Command::RetryLoadLater { delay_ms: 2_000 }],
        "the backoff starts over after a success"
    );
    assert_eq!(
        reduce(&mut model, Event::RetryLoad),
        [Command::LoadSessions]
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 2.0,
        },
    );
    assert_eq!(model.banner, None, "a good read clears the refresh problem");
}

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

#[test]
fn a_gap_begins_when_the_last_answered_connect_left_not_when_the_loss_was_noticed() {
    // A message published after the server answered the connect that left at 100, and before the
    // 402 (or a failure) reached this client at 130, is lost: the gap must cover it.
    let mut model = model_with(vec![talking("a"), talking("b")]);
    reduce(&mut model, Event::Live(LiveEvent::Round { started: 100.0 }));
    reduce(
        &mut model,
        Event::Live(LiveEvent::Interrupted { at: 130.0 }),
    );
    reduce(&mut model, Event::Live(LiveEvent::Offline { at: 140.0 }));
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 200.0,
            fresh: true,
        }),
    );
    for id in ["a", "b"] {
        let gaps: Vec<_> = view(&model, id)
            .transcript
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Gap { .. }))
            .map(|l| (l.at, l.kind.clone()))
            .collect();
        assert_eq!(gaps, vec![(100.0, LineKind::Gap { until: 200.0 })], "{id}");
    }
    // Without a round yet, the gap begins when the loss was noticed.
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Interrupted { at: 130.0 }),
    );
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 200.0,
            fresh: true,
        }),
    );
    assert!(view(&model, "a")
        .transcript
        .iter()
        .any(|l| l.kind == LineKind::Gap { until: 200.0 } && l.at == 130.0));
}

#[test]
fn a_session_first_seen_in_the_re_read_after_a_gap_is_marked_too() {
    // It rang while the client was lost: its opening lines may be gone, so it says so as well.
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Interrupted { at: 100.0 }),
    );
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 200.0,
            fresh: true,
        }),
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a"), talking("new")],
            at: 210.0,
        },
    );
    for id in ["a", "new"] {
        assert!(
            view(&model, id)
                .transcript
                .iter()
                .any(|l| l.kind == LineKind::Gap { until: 200.0 } && l.at == 100.0),
            "{id}"
        );
    }
    // A session that first shows up later, with the channel live, has no gap.
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a"), talking("new"), talking("later")],
            at: 300.0,
        },
    );
    assert!(view(&model, "later")
        .transcript
        .iter()
        .all(|l| !matches!(l.kind, LineKind::Gap { .. })));
}

#[test]
fn a_list_asked_for_before_a_session_rang_does_not_end_it() {
    let mut model = model_with(vec![talking("old")]);
    // The list request leaves at 50; a session rings at 60; the reply (without it) arrives later.
    reduce(
        &mut model,
        status_change(session("new", ImSessionState::Alerting, &ALL)),
    );
    let new_seen_at = view(&model, "new").started_at;
    assert!(new_seen_at > 50.0, "{new_seen_at}");
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("old")],
            at: 50.0,
        },
    );
    assert_eq!(
        view(&model, "new").session.state,
        ImSessionState::Alerting,
        "newer than the list: not ended by it"
    );
    // A list asked for after it rang, still without it: it has ended.
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("old")],
            at: new_seen_at + 1.0,
        },
    );
    assert!(view(&model, "new").is_completed());
}

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
