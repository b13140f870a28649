//! Odd-but-harmless server data decodes; broken data is an error, never a panic.

use gws_protocol::{
    BayeuxMessage, Capability, DecodeError, ImNotification, ImSession, ImSessionList,
    ImSessionState, LogUpdateKind, Participant, StateChangeKind, StatusCode, StatusReply, UserData,
};
use serde_json::{json, Value};

fn session(text: &str) -> ImSession {
    match serde_json::from_str(text) {
        Ok(session) => session,
        Err(err) => panic!("{text} does not decode as a session: {err}"),
    }
}

fn notification(value: Value) -> ImNotification {
    match ImNotification::from_value(&value) {
        Ok(decoded) => decoded,
        Err(err) => panic!("{value} is not a notification: {err}"),
    }
}

fn state_change_session(value: Value) -> ImSession {
    match notification(value) {
        ImNotification::StateChange { session, .. } => session,
        other => panic!("expected a state change, got {other:?}"),
    }
}

fn keys(data: &UserData) -> Vec<&str> {
    data.iter().map(|(key, _)| key).collect()
}

#[test]
fn unknown_state_decodes_to_unknown() {
    assert_eq!(
        session(r#"{"id":"s1","state":"Held"}"#).state,
        ImSessionState::Unknown("Held".into())
    );
    assert_eq!(
        session(r#"{"id":"s1","state":" OnHold  "}"#).state,
        ImSessionState::Unknown("OnHold".into())
    );
    assert!(matches!(
        session(r#"{"id":"s1","state":7}"#).state,
        ImSessionState::Unknown(_)
    ));
    assert!(matches!(
        session(r#"{"id":"s1","state":{"a":1}}"#).state,
        ImSessionState::Unknown(_)
    ));
}

#[test]
fn unknown_capability_decodes_to_unknown_in_place() {
    let decoded = session(r#"{"id":"s1","capabilities":["Complete","Transfer"," SendMessage "]}"#);
    assert_eq!(
        decoded.capabilities,
        vec![
            Capability::Complete,
            Capability::Unknown("Transfer".into()),
            Capability::SendMessage
        ]
    );
    assert!(decoded.can(&Capability::SendMessage));
    assert!(!decoded.can(&Capability::AttachUserData));
}

#[test]
fn every_known_state_decodes_and_padding_is_trimmed() {
    let cases = [
        ("Initiating", ImSessionState::Initiating),
        ("Alerting", ImSessionState::Alerting),
        ("Talking", ImSessionState::Talking),
        (" Talking", ImSessionState::Talking),
        ("Completed", ImSessionState::Completed),
        ("  Completed ", ImSessionState::Completed),
        ("\tAlerting\n", ImSessionState::Alerting),
    ];
    for (wire, state) in cases {
        let text = json!({ "id": "s1", "state": wire }).to_string();
        assert_eq!(session(&text).state, state, "state {wire:?}");
        assert_eq!(ImSessionState::from_wire(wire), state);
    }
    assert_eq!(ImSessionState::Completed.as_wire(), "Completed");
    assert_eq!(ImSessionState::Talking.to_string(), "Talking");
}

#[test]
fn state_names_are_case_sensitive_and_kept_when_unknown() {
    assert_eq!(
        ImSessionState::from_wire("talking"),
        ImSessionState::Unknown("talking".into())
    );
    assert_eq!(
        ImSessionState::Unknown("talking".into()).as_wire(),
        "talking"
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let decoded = session(
        r#"{"id":"s1","state":"Talking","mediaType":"chat","extra":{"deep":[1,2]},
            "participants":[{"phoneNumber":"3002","displayName":"Bob","role":"Other"}]}"#,
    );
    assert_eq!(decoded.id, "s1");
    assert_eq!(decoded.state, ImSessionState::Talking);
    assert_eq!(
        decoded.participants,
        vec![Participant {
            phone_number: Some("3002".into()),
            ..Participant::default()
        }]
    );

    let reply: Result<StatusReply, _> =
        serde_json::from_str(r#"{"statusCode":0,"referenceId":"r-17","trace":null}"#);
    assert_eq!(reply.ok(), Some(StatusReply::ok()));

    let list: Result<ImSessionList, _> =
        serde_json::from_str(r#"{"statusCode":0,"imSessions":[],"total":0,"page":{"size":10}}"#);
    assert!(list.is_ok_and(|list| list.im_sessions.is_empty()));

    let log = notification(json!({
        "messageType": "IMLogUpdateMessage",
        "notificationType": "NewMessage",
        "imSessionPath": "/im-sessions/s1",
        "message": "hi",
        "timestamp": 1_700_000_000_000_u64,
        "sender": {"phoneNumber": "3002"}
    }));
    assert_eq!(log.session_id(), Some("s1"));
}

#[test]
fn missing_optional_fields_default() {
    let decoded = session(r#"{"id":"s1"}"#);
    assert_eq!(decoded.id, "s1");
    assert_eq!(decoded.state, ImSessionState::default());
    assert!(matches!(decoded.state, ImSessionState::Unknown(_)));
    assert!(decoded.participants.is_empty());
    assert!(decoded.capabilities.is_empty());
    assert!(decoded.user_data.is_empty());
    assert_eq!(decoded.path, None);
    assert_eq!(decoded.uri, None);

    let empty_participant: Result<Participant, _> = serde_json::from_str("{}");
    assert_eq!(empty_participant.ok(), Some(Participant::default()));

    let list: Result<ImSessionList, _> = serde_json::from_str(r#"{"statusCode":0}"#);
    assert!(list.is_ok_and(|list| list.im_sessions.is_empty() && list.uris.is_empty()));
}

#[test]
fn null_lists_and_user_data_decode_empty() {
    let decoded = session(
        r#"{"id":"s1","state":"Alerting","participants":null,"capabilities":null,"userData":null,
            "path":null,"uri":null}"#,
    );
    assert_eq!(decoded.state, ImSessionState::Alerting);
    assert!(decoded.participants.is_empty());
    assert!(decoded.capabilities.is_empty());
    assert!(decoded.user_data.is_empty());
    assert_eq!(decoded.path, None);
    assert_eq!(decoded.uri, None);

    let wrong_types =
        session(r#"{"id":"s1","participants":"3002","capabilities":{},"userData":[1]}"#);
    assert!(wrong_types.participants.is_empty());
    assert!(wrong_types.capabilities.is_empty());
    assert!(wrong_types.user_data.is_empty());

    let inside_notification = state_change_session(json!({
        "messageType": "IMSessionStateChangeMessage",
        "notificationType": "StatusChange",
        "imSession": {"id": "s1", "participants": null, "capabilities": null, "userData": null}
    }));
    assert!(inside_notification.participants.is_empty());
    assert!(inside_notification.capabilities.is_empty());
    assert!(inside_notification.user_data.is_empty());
}

#[test]
fn null_state_is_unknown() {
    assert!(matches!(
        session(r#"{"id":"s1","state":null}"#).state,
        ImSessionState::Unknown(_)
    ));
}

#[test]
fn numbers_where_strings_belong_are_read_as_strings() {
    let decoded = session(r#"{"id":12345,"participants":[{"digits":3002,"phoneNumber":3002}]}"#);
    assert_eq!(decoded.id, "12345");
    assert_eq!(decoded.key(), Some("12345"));
    assert_eq!(
        decoded
            .participants
            .first()
            .and_then(Participant::dial_number),
        Some("3002")
    );
}

#[test]
fn participants_that_are_not_objects_are_skipped() {
    let decoded = session(r#"{"id":"s1","participants":["3002",null,{"phoneNumber":"3003"},7]}"#);
    assert_eq!(
        decoded.participants,
        vec![Participant {
            phone_number: Some("3003".into()),
            ..Participant::default()
        }]
    );
}

const MIXED_USER_DATA: &str = r#"{
    "zeta": "last letter, first key",
    "count": 42,
    "ratio": 0.5,
    "negative": -7,
    "vip": true,
    "optOut": false,
    "nothing": null,
    "nested": {"z": 1, "a": [1, "two", {"three": 3}]},
    "list": ["b", "a"],
    "alpha": "first letter, last key"
}"#;

const MIXED_USER_DATA_KEYS: [&str; 10] = [
    "zeta", "count", "ratio", "negative", "vip", "optOut", "nothing", "nested", "list", "alpha",
];

fn assert_mixed_user_data(data: &UserData) {
    assert_eq!(
        keys(data),
        MIXED_USER_DATA_KEYS.to_vec(),
        "user data key order"
    );
    assert_eq!(data.get("zeta"), Some(&json!("last letter, first key")));
    assert_eq!(data.get("count"), Some(&json!(42)));
    assert_eq!(data.get("ratio"), Some(&json!(0.5)));
    assert_eq!(data.get("negative"), Some(&json!(-7)));
    assert_eq!(data.get("vip"), Some(&json!(true)));
    assert_eq!(data.get("optOut"), Some(&json!(false)));
    assert_eq!(data.get("nothing"), Some(&Value::Null));
    assert_eq!(
        data.get("nested"),
        Some(&json!({"z": 1, "a": [1, "two", {"three": 3}]}))
    );
    assert_eq!(data.get("list"), Some(&json!(["b", "a"])));
    assert_eq!(data.get("alpha"), Some(&json!("first letter, last key")));
    let nested_keys: Option<Vec<&String>> = data
        .get("nested")
        .and_then(Value::as_object)
        .map(|object| object.keys().collect());
    assert_eq!(
        nested_keys,
        Some(vec![&"z".to_owned(), &"a".to_owned()]),
        "nested key order"
    );
}

#[test]
fn user_data_keeps_values_and_key_order_in_a_session() {
    let text = format!(r#"{{"id":"s1","userData":{MIXED_USER_DATA}}}"#);
    let decoded = session(&text);
    assert_mixed_user_data(&decoded.user_data);

    let encoded = serde_json::to_string(&decoded).unwrap_or_default();
    let again = session(&encoded);
    assert_mixed_user_data(&again.user_data);
    assert_eq!(again, decoded);
}

#[test]
fn user_data_keeps_values_and_key_order_through_a_bayeux_message() {
    let body = format!(
        r#"[{{"channel":"/v2/me/im-sessions","data":{{"messageType":"IMSessionStateChangeMessage",
        "notificationType":"AttachedDataChanged","imSession":{{"id":"s1","state":"Talking",
        "userData":{MIXED_USER_DATA}}}}}}}]"#
    );
    let batch = BayeuxMessage::decode_batch(&body).unwrap_or_default();
    assert_eq!(batch.len(), 1);
    let data = batch
        .first()
        .and_then(|message| message.data.clone())
        .unwrap_or_default();
    let decoded = state_change_session(data);
    assert_mixed_user_data(&decoded.user_data);
}

#[test]
fn user_data_edits_keep_positions() {
    let mut data: UserData = [("b", json!(1)), ("a", json!(2))].into_iter().collect();
    data.insert("b", json!("changed"));
    data.insert("c", json!(3));
    assert_eq!(keys(&data), vec!["b", "a", "c"]);
    assert_eq!(data.remove("a"), Some(json!(2)));
    assert_eq!(data.remove("a"), None);
    assert_eq!(keys(&data), vec!["b", "c"]);
    assert_eq!(data.len(), 2);
}

#[test]
fn one_malformed_session_in_a_list_is_skipped() {
    let text = r#"{
        "statusCode": 0,
        "imSessions": [
            {"id": "s1", "state": "Talking"},
            "not a session",
            null,
            42,
            {"state": "Talking", "participants": [{"phoneNumber": "3002"}]},
            {"id": "s2", "state": " Alerting", "capabilities": ["Complete", 9, null]},
            {"path": "/im-sessions/s3", "state": "Completed"}
        ]
    }"#;
    let list: Result<ImSessionList, _> = serde_json::from_str(text);
    let list = match list {
        Ok(list) => list,
        Err(err) => panic!("the list failed as a whole: {err}"),
    };
    // The session with neither id nor path cannot be addressed, so it is dropped too.
    let keys: Vec<Option<&str>> = list.im_sessions.iter().map(ImSession::key).collect();
    assert_eq!(keys, vec![Some("s1"), Some("s2"), Some("s3")]);
    let states: Vec<&ImSessionState> = list.im_sessions.iter().map(|s| &s.state).collect();
    assert_eq!(
        states,
        vec![
            &ImSessionState::Talking,
            &ImSessionState::Alerting,
            &ImSessionState::Completed
        ]
    );
}

#[test]
fn a_list_of_uris_decodes() {
    let text = r#"{"statusCode":0,"uris":["http://host/api/v2/im-sessions/s1",5,"http://host/api/v2/im-sessions/s2"]}"#;
    let list: Result<ImSessionList, _> = serde_json::from_str(text);
    let uris = list.map(|list| list.uris).unwrap_or_default();
    assert_eq!(
        uris,
        vec![
            "http://host/api/v2/im-sessions/s1",
            "http://host/api/v2/im-sessions/s2"
        ]
    );
}

#[test]
fn an_error_list_reply_decodes_with_its_message() {
    let list: Result<ImSessionList, _> =
        serde_json::from_str(r#"{"statusCode":3,"statusMessage":"Forbidden"}"#);
    let list = list.ok();
    assert_eq!(
        list.as_ref().map(|list| list.status_code),
        Some(StatusCode::Forbidden)
    );
    assert_eq!(
        list.and_then(|list| list.status_message).as_deref(),
        Some("Forbidden")
    );
}

#[test]
fn status_codes_decode_including_unknown_and_string_forms() {
    let cases = [
        (
            r#"{"statusCode":1,"statusMessage":"Missing destination"}"#,
            StatusCode::MissingParameter,
        ),
        (
            r#"{"statusCode":2,"statusMessage":"Invalid state"}"#,
            StatusCode::InvalidState,
        ),
        (
            r#"{"statusCode":4,"statusMessage":"Internal"}"#,
            StatusCode::InternalError,
        ),
        (
            r#"{"statusCode":6,"statusMessage":"Not found"}"#,
            StatusCode::NotFound,
        ),
        (
            r#"{"statusCode":"5","statusMessage":"No permission"}"#,
            StatusCode::NoPermission,
        ),
        (
            r#"{"statusCode":99,"statusMessage":"?"}"#,
            StatusCode::Other(99),
        ),
    ];
    for (text, code) in cases {
        let reply: Result<StatusReply, _> = serde_json::from_str(text);
        assert_eq!(
            reply.map(|reply| reply.status_code).ok(),
            Some(code),
            "{text}"
        );
    }
    for broken in [
        r#"{}"#,
        r#"{"statusCode":null}"#,
        r#"{"statusCode":"ok"}"#,
        "[]",
        "0",
    ] {
        assert!(
            serde_json::from_str::<StatusReply>(broken).is_err(),
            "{broken} decoded"
        );
    }
}

#[test]
fn a_state_change_for_a_session_without_id_is_an_error() {
    let cases = [
        json!({"messageType": "IMSessionStateChangeMessage", "notificationType": "StatusChange",
               "imSession": {"state": "Talking", "participants": []}}),
        json!({"messageType": "IMSessionStateChangeMessage", "notificationType": "StatusChange",
               "imSession": {"id": "   ", "path": "/im-sessions/"}}),
        json!({"messageType": "IMSessionStateChangeMessage", "notificationType": "StatusChange",
               "imSession": null}),
        json!({"messageType": "IMSessionStateChangeMessage", "notificationType": "StatusChange"}),
        json!({"messageType": "IMSessionStateChangeMessage", "imSession": "s1"}),
        json!({"data": {"messageType": "IMSessionStateChangeMessage", "imSession": {}}}),
    ];
    for value in cases {
        let result = ImNotification::from_value(&value);
        assert!(
            matches!(result, Err(DecodeError(_))),
            "{value} gave {result:?}"
        );
    }
}

#[test]
fn a_state_change_without_id_but_with_path_is_keyed_by_path() {
    let decoded = notification(json!({
        "messageType": "IMSessionStateChangeMessage",
        "notificationType": "StatusChange",
        "imSession": {"path": "/im-sessions/from-path", "state": "Completed"}
    }));
    assert_eq!(decoded.session_id(), Some("from-path"));
}

#[test]
fn a_new_message_without_session_path_or_text_is_an_error() {
    let cases = [
        json!({"messageType": "IMLogUpdateMessage", "notificationType": "NewMessage", "message": "hi"}),
        json!({"messageType": "IMLogUpdateMessage", "imSessionPath": "", "message": "hi"}),
        json!({"messageType": "IMLogUpdateMessage", "imSessionPath": "/im-sessions/s1"}),
        json!({"messageType": "IMLogUpdateMessage", "imSessionPath": "/im-sessions/s1", "message": null}),
    ];
    for value in cases {
        let result = ImNotification::from_value(&value);
        assert!(
            matches!(result, Err(DecodeError(_))),
            "{value} gave {result:?}"
        );
    }
}

#[test]
fn notification_kinds_and_message_types_are_tolerant() {
    let padded = notification(json!({
        "messageType": " IMLogUpdateMessage ",
        "notificationType": "NewMessage ",
        "imSessionPath": "/im-sessions/s1",
        "message": " spaces are the agent's own "
    }));
    assert_eq!(
        padded,
        ImNotification::LogUpdate {
            kind: LogUpdateKind::NewMessage,
            im_session_path: "/im-sessions/s1".into(),
            message: " spaces are the agent's own ".into(),
        }
    );

    let unknown_kind = notification(json!({
        "messageType": "IMSessionStateChangeMessage",
        "notificationType": "ParticipantsChanged",
        "imSession": {"id": "s1"}
    }));
    assert!(matches!(
        unknown_kind,
        ImNotification::StateChange { kind: StateChangeKind::Unknown(ref name), .. }
            if name == "ParticipantsChanged"
    ));

    let unknown_type = notification(json!({"messageType": "IMSessionTypingMessage"}));
    assert_eq!(
        unknown_type,
        ImNotification::Unknown {
            message_type: "IMSessionTypingMessage".into()
        }
    );
    assert_eq!(unknown_type.session_id(), None);
}

#[test]
fn payloads_that_are_not_objects_are_errors() {
    for value in [
        json!(null),
        json!(7),
        json!("text"),
        json!([1, 2]),
        json!({"data": 5}),
    ] {
        let result = ImNotification::from_value(&value);
        assert!(result.is_err(), "{value} gave {result:?}");
    }
    for text in ["", "{", "not json", "[]", "null"] {
        assert!(ImNotification::from_json(text).is_err(), "{text:?} decoded");
    }
}
