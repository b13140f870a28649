//! The world: ids, capabilities per state, what each operation does and refuses, history.

use super::*;

#[test]
fn ids_look_like_sip_call_uuids_and_never_repeat() {
    let mut world = world();
    let (a, _) = world.ring("3002", UserData::new(), false, 0).unwrap();
    world.clear();
    let (b, _) = world.ring("3002", UserData::new(), false, 0).unwrap();
    assert_eq!(a.len(), 32);
    assert!(a.starts_with("00") && a.ends_with("000001"), "{a}");
    assert!(b.ends_with("000002"), "{b}");
    assert!(a
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    assert_ne!(a, b);
}

#[test]
fn capabilities_per_state_are_the_decided_ones() {
    assert_eq!(
        capabilities_for(&ImSessionState::Initiating),
        vec![Capability::Complete]
    );
    assert_eq!(
        capabilities_for(&ImSessionState::Alerting),
        vec![Capability::SendMessage, Capability::Complete]
    );
    assert_eq!(
        capabilities_for(&ImSessionState::Talking),
        ALL_CAPABILITIES.to_vec()
    );
    assert!(capabilities_for(&ImSessionState::Completed).is_empty());
}

#[test]
fn ring_then_first_send_message_answers_then_echoes() {
    let mut world = world();
    let (id, notes) = world
        .ring("3003", user_data(&[("caseId", "7")]), false, 1)
        .unwrap();
    assert_eq!(kinds(&notes), ["StatusChange:Alerting"]);
    let notes = world.apply(&id, &send("hello", "3003"), 2).unwrap();
    assert_eq!(kinds(&notes), ["StatusChange:Talking", "NewMessage:hello"]);
    let session = world.session(&id).unwrap();
    assert_eq!(session.capabilities, ALL_CAPABILITIES.to_vec());
    assert_eq!(
        session.transcript,
        vec![TranscriptLine {
            direction: Direction::Out,
            text: "hello".into(),
            at: 2
        }]
    );
}

#[test]
fn complete_declines_a_ringing_session() {
    let mut world = world();
    let (id, _) = world.ring("3003", UserData::new(), false, 1).unwrap();
    let notes = world.apply(&id, &ImSessionOperation::Complete, 2).unwrap();
    assert_eq!(kinds(&notes), ["StatusChange:Completed"]);
}

#[test]
fn completed_keeps_capabilities_only_with_the_quirk() {
    for keep in [true, false] {
        let mut world = world();
        world.keep_capabilities_on_complete = keep;
        let (id, _) = world.ring("3003", UserData::new(), false, 1).unwrap();
        world.apply(&id, &send("hi", "3003"), 2).unwrap();
        world.apply(&id, &ImSessionOperation::Complete, 3).unwrap();
        let session = world.session(&id).unwrap();
        assert_eq!(session.capabilities.is_empty(), !keep);
        // Whatever it shows, a Completed session refuses every operation.
        for operation in [send("x", "3003"), ImSessionOperation::Complete] {
            let err = world.apply(&id, &operation, 4).unwrap_err();
            assert_eq!(err.code, StatusCode::InvalidState);
        }
    }
}

#[test]
fn operations_table_by_state() {
    // (state reached, operation, accepted?)
    let attach = ImSessionOperation::AttachUserData {
        user_data: user_data(&[("a", "1")]),
    };
    let update = ImSessionOperation::UpdateUserData {
        user_data: user_data(&[("a", "2")]),
    };
    let delete = ImSessionOperation::DeleteUserData { key: "a".into() };
    let operations = [
        send("m", "3004"),
        attach,
        update,
        delete,
        ImSessionOperation::Complete,
    ];
    let expected: [(&str, [bool; 5]); 4] = [
        ("Initiating", [false, false, false, false, true]),
        ("Alerting", [true, false, false, false, true]),
        ("Talking", [true, true, true, true, true]),
        ("Completed", [false, false, false, false, false]),
    ];
    for (state, accepted) in expected {
        for (operation, accept) in operations.iter().zip(accepted) {
            let mut world = world();
            let id = match state {
                "Initiating" => {
                    world
                        .initiate_scripted("3004", UserData::new(), false, 0)
                        .unwrap()
                        .0
                }
                _ => world.ring("3004", UserData::new(), false, 0).unwrap().0,
            };
            match state {
                "Talking" => {
                    world.agent_message(&id, "answer", 0).unwrap();
                    world.other_attach(&id, &user_data(&[("a", "0")])).unwrap();
                }
                "Completed" => {
                    world.complete(&id).unwrap();
                }
                _ => {}
            }
            assert_eq!(state_of(&world, &id).as_wire(), state);
            let result = world.apply(&id, operation, 1);
            assert_eq!(
                result.is_ok(),
                accept,
                "{} in {state}: {result:?}",
                operation.name()
            );
            if let Err(err) = result {
                assert_eq!(err.code, StatusCode::InvalidState);
            }
        }
    }
}

#[test]
fn one_active_im_per_agent_for_initiate() {
    let mut world = world();
    let request = InitiateImSession {
        destination: Destination::new("3002"),
        user_data: None,
        device_path: None,
    };
    let (id, notes) = world.initiate(&request, false, 0).unwrap();
    assert_eq!(kinds(&notes), ["StatusChange:Initiating"]);
    let err = world.initiate(&request, false, 0).unwrap_err();
    assert_eq!(err.code, StatusCode::InvalidState);
    assert!(err.message.starts_with("Invalid state"), "{}", err.message);
    // Incoming sessions still ring.
    assert!(world.ring("3003", UserData::new(), false, 0).is_ok());
    world.complete(&id).unwrap();
    // A ringing session is active too.
    assert_eq!(
        world.initiate(&request, false, 0).unwrap_err().code,
        StatusCode::InvalidState
    );
}

#[test]
fn initiate_checks_destination_and_device() {
    let mut world = world();
    let to = |n: &str, path: Option<&str>| InitiateImSession {
        destination: Destination::new(n),
        user_data: None,
        device_path: path.map(str::to_owned),
    };
    assert_eq!(
        world.initiate(&to(" ", None), false, 0).unwrap_err().code,
        StatusCode::InvalidState
    );
    assert_eq!(
        world
            .initiate(&to(AGENT_NUMBER, None), false, 0)
            .unwrap_err()
            .code,
        StatusCode::InvalidState
    );
    let short = "/devices/8191741c-bcb7-4e86-9493-98dc993446f";
    assert_eq!(
        world
            .initiate(&to("3002", Some(short)), false, 0)
            .unwrap_err()
            .code,
        StatusCode::InvalidState
    );
    assert!(world
        .initiate(&to("3002", Some(&device_path())), false, 0)
        .is_ok());
}

#[test]
fn send_message_checks_text_destination_and_device() {
    let mut world = world();
    let (id, _) = world.ring("3003", UserData::new(), false, 0).unwrap();
    let wrong_destination = send("x", "3999");
    assert_eq!(
        world.apply(&id, &wrong_destination, 0).unwrap_err().code,
        StatusCode::InvalidState
    );
    let wrong_device = ImSessionOperation::SendMessage {
        text: "x".into(),
        destination: Destination::new("3003"),
        device_path: "/devices/nope".into(),
    };
    assert_eq!(
        world.apply(&id, &wrong_device, 0).unwrap_err().code,
        StatusCode::InvalidState
    );
    assert_eq!(
        world.apply(&id, &send("  ", "3003"), 0).unwrap_err().code,
        StatusCode::InvalidState
    );
    // Nothing changed: still ringing, nothing written.
    let session = world.session(&id).unwrap();
    assert_eq!(session.state, ImSessionState::Alerting);
    assert!(session.transcript.is_empty());
    assert_eq!(
        world.apply("nope", &send("x", "3003"), 0).unwrap_err().code,
        StatusCode::NotFound
    );
}

#[test]
fn user_data_attach_update_delete() {
    let mut world = world();
    let (id, _) = world.ring("3002", UserData::new(), false, 0).unwrap();
    world.agent_message(&id, "hi", 0).unwrap();
    let attach = ImSessionOperation::AttachUserData {
        user_data: user_data(&[("bestNumber", "3"), ("User Data 1", "important data")]),
    };
    let notes = world.apply(&id, &attach, 0).unwrap();
    assert_eq!(kinds(&notes), ["AttachedDataChanged:Talking"]);
    let update = ImSessionOperation::UpdateUserData {
        user_data: user_data(&[("bestNumber", "5")]),
    };
    world.apply(&id, &update, 0).unwrap();
    assert_eq!(
        world.session(&id).unwrap().user_data.get("bestNumber"),
        Some(&json!("5"))
    );
    let delete = ImSessionOperation::DeleteUserData {
        key: "bestNumber".into(),
    };
    world.apply(&id, &delete, 0).unwrap();
    let data = &world.session(&id).unwrap().user_data;
    assert_eq!(data.len(), 1);
    assert_eq!(data.get("User Data 1"), Some(&json!("important data")));
    assert_eq!(
        world.apply(&id, &delete, 0).unwrap_err().code,
        StatusCode::InvalidState
    );
    let empty = ImSessionOperation::AttachUserData {
        user_data: UserData::new(),
    };
    assert_eq!(
        world.apply(&id, &empty, 0).unwrap_err().code,
        StatusCode::InvalidState
    );
}

#[test]
fn other_party_actions() {
    let mut world = world();
    let (id, _) = world
        .initiate_scripted("3002", UserData::new(), true, 0)
        .unwrap();
    assert_eq!(
        world.other_message(&id, "too early", 0).unwrap_err().code,
        StatusCode::InvalidState
    );
    assert_eq!(kinds(&world.answer(&id).unwrap()), ["StatusChange:Talking"]);
    assert_eq!(
        world.answer(&id).unwrap_err().code,
        StatusCode::InvalidState
    );
    assert_eq!(
        kinds(&world.other_message(&id, "hey", 5).unwrap()),
        ["NewMessage:hey"]
    );
    assert_eq!(
        world.session(&id).unwrap().transcript[0].direction,
        Direction::In
    );
    let notes = world
        .set_capabilities(&id, vec![Capability::Complete])
        .unwrap();
    assert_eq!(kinds(&notes), ["StatusChange:Talking"]);
    assert_eq!(
        world.apply(&id, &send("x", "3002"), 0).unwrap_err().code,
        StatusCode::InvalidState
    );
    assert_eq!(
        kinds(&world.complete(&id).unwrap()),
        ["StatusChange:Completed"]
    );
    assert_eq!(
        world.complete(&id).unwrap_err().code,
        StatusCode::InvalidState
    );
    assert_eq!(
        world
            .other_attach(&id, &user_data(&[("a", "b")]))
            .unwrap_err()
            .code,
        StatusCode::InvalidState
    );
    assert_eq!(
        world.ring(" ", UserData::new(), false, 0).unwrap_err().code,
        StatusCode::MissingParameter
    );
}

#[test]
fn history_sessions_are_completed_with_transcripts() {
    let mut world = world();
    let id = world.add_history(
        "4001",
        &[(Direction::In, "a".into()), (Direction::Out, "b".into())],
        9,
    );
    let session = world.session(&id).unwrap();
    assert_eq!(session.state, ImSessionState::Completed);
    assert_eq!(session.transcript.len(), 2);
    assert!(world.active_session().is_none());
}

#[test]
fn transcript_is_bounded() {
    let mut world = world();
    let (id, _) = world.ring("3002", UserData::new(), false, 0).unwrap();
    for n in 0..TRANSCRIPT_LIMIT + 3 {
        world.other_message(&id, &format!("m{n}"), 0).unwrap();
    }
    let transcript = &world.session(&id).unwrap().transcript;
    assert_eq!(transcript.len(), TRANSCRIPT_LIMIT);
    assert_eq!(transcript[0].text, "m3");
}

#[test]
fn xorshift_is_deterministic_and_in_range() {
    let mut a = XorShift::new(1);
    let mut b = XorShift::new(1);
    for _ in 0..1000 {
        let x = a.next_f64();
        assert!((0.0..1.0).contains(&x));
        assert_eq!(x, b.next_f64());
    }
    assert_eq!(XorShift::new(0).below(0), 0);
    assert_ne!(XorShift::new(1).next_u64(), XorShift::new(2).next_u64());
}
