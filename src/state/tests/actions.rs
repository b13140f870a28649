//! End session, case data and New IM.

use super::*;

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
