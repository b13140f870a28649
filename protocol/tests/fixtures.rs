//! The documentation's own JSON samples (`tests/fixtures/`), decoded field by field and round-tripped.
//!
//! Every fixture except `device.json` is copied byte for byte from /work/shared/GWS-API.md;
//! `doc_samples_are_copied_verbatim` and `every_doc_sample_has_a_fixture` keep it that way.

use std::path::{Path, PathBuf};

use gws_protocol::{
    Capability, Destination, Device, DeviceList, ImNotification, ImSession, ImSessionList,
    ImSessionOperation, ImSessionState, InitiateImSession, LogUpdateKind, Participant,
    StateChangeKind, StatusCode, StatusReply, UserData,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const IM_SESSIONS_LIST: &str = include_str!("fixtures/im_sessions_list.json");
const INITIATE_IM_SESSION_REQUEST: &str = include_str!("fixtures/initiate_im_session_request.json");
const SEND_MESSAGE_REQUEST: &str = include_str!("fixtures/send_message_request.json");
const NEW_MESSAGE_NOTIFICATION: &str = include_str!("fixtures/new_message_notification.json");
const ATTACH_USER_DATA_REQUEST: &str = include_str!("fixtures/attach_user_data_request.json");
const UPDATE_USER_DATA_REQUEST: &str = include_str!("fixtures/update_user_data_request.json");
const DELETE_USER_DATA_REQUEST: &str = include_str!("fixtures/delete_user_data_request.json");
const ATTACHED_DATA_CHANGED_NOTIFICATION: &str =
    include_str!("fixtures/attached_data_changed_notification.json");
const COMPLETE_REQUEST: &str = include_str!("fixtures/complete_request.json");
const COMPLETED_NOTIFICATION: &str = include_str!("fixtures/completed_notification.json");
const TOPIC_ENVELOPE_STATUS_CHANGE: &str =
    include_str!("fixtures/topic_envelope_status_change.json");
const SUCCESS_REPLY: &str = include_str!("fixtures/success_reply.json");
const UNAUTHENTICATED_REPLY: &str = include_str!("fixtures/unauthenticated_reply.json");
const INITIATE_STATUS_CHANGE_USER_DATA: &str =
    include_str!("fixtures/initiate_status_change_user_data.json");
const UPDATE_USER_DATA_ATTACHED_DATA_CHANGED_USER_DATA: &str =
    include_str!("fixtures/update_user_data_attached_data_changed_user_data.json");
const DELETE_USER_DATA_ATTACHED_DATA_CHANGED_USER_DATA: &str =
    include_str!("fixtures/delete_user_data_attached_data_changed_user_data.json");
// The Return-values page elides most of the device (`"id":"efe1ab32-…"`, `"userState":{…}`,
// `"voiceEnvironmentUri":"…"`, `"capabilities":[…]`): device.json keeps the doc's fields, order and
// printed values and fills the elided ones in plausibly (a UUID starting efe1ab32, a Ready
// userState, a voice-environment URI on the docs' host, two device capabilities).
const DEVICE: &str = include_str!("fixtures/device.json");

/// How a sample is printed in GWS-API.md.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Printed {
    /// A whole ```json fenced block.
    Fenced,
    /// An inline `code` span.
    Inline,
    /// Elided in the doc; the fixture fills the gaps.
    Elided,
}

const FIXTURES: &[(&str, &str, Printed)] = &[
    ("im_sessions_list.json", IM_SESSIONS_LIST, Printed::Fenced),
    (
        "initiate_im_session_request.json",
        INITIATE_IM_SESSION_REQUEST,
        Printed::Fenced,
    ),
    (
        "send_message_request.json",
        SEND_MESSAGE_REQUEST,
        Printed::Fenced,
    ),
    (
        "new_message_notification.json",
        NEW_MESSAGE_NOTIFICATION,
        Printed::Fenced,
    ),
    (
        "attach_user_data_request.json",
        ATTACH_USER_DATA_REQUEST,
        Printed::Fenced,
    ),
    (
        "update_user_data_request.json",
        UPDATE_USER_DATA_REQUEST,
        Printed::Fenced,
    ),
    (
        "delete_user_data_request.json",
        DELETE_USER_DATA_REQUEST,
        Printed::Fenced,
    ),
    (
        "attached_data_changed_notification.json",
        ATTACHED_DATA_CHANGED_NOTIFICATION,
        Printed::Fenced,
    ),
    ("complete_request.json", COMPLETE_REQUEST, Printed::Fenced),
    (
        "completed_notification.json",
        COMPLETED_NOTIFICATION,
        Printed::Fenced,
    ),
    (
        "topic_envelope_status_change.json",
        TOPIC_ENVELOPE_STATUS_CHANGE,
        Printed::Fenced,
    ),
    ("success_reply.json", SUCCESS_REPLY, Printed::Inline),
    (
        "unauthenticated_reply.json",
        UNAUTHENTICATED_REPLY,
        Printed::Inline,
    ),
    (
        "initiate_status_change_user_data.json",
        INITIATE_STATUS_CHANGE_USER_DATA,
        Printed::Inline,
    ),
    (
        "update_user_data_attached_data_changed_user_data.json",
        UPDATE_USER_DATA_ATTACHED_DATA_CHANGED_USER_DATA,
        Printed::Inline,
    ),
    (
        "delete_user_data_attached_data_changed_user_data.json",
        DELETE_USER_DATA_ATTACHED_DATA_CHANGED_USER_DATA,
        Printed::Inline,
    ),
    ("device.json", DEVICE, Printed::Elided),
];

const DOC_SESSION_ID: &str = "12398123091823091283012";
const DOC_SESSION_PATH: &str = "/im-sessions/12398123091823091283012";
const DOC_NOTIFICATION_URI: &str =
    "http://hpe-voicevm-64.genesyslab.com:8090/api/v2/im-sessions/00S4UMMDT8AHN1VL807GK2LAES000002";

fn doc_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/GWS-API.md")
}

/// The API doc, or `None` (with a note) where shared/ is not beside the clone.
fn read_doc() -> Option<String> {
    let path = doc_path();
    match std::fs::read_to_string(&path) {
        Ok(doc) => Some(doc),
        Err(err) => {
            println!(
                "note: skipping the verbatim check, {} is unreadable: {err}",
                path.display()
            );
            None
        }
    }
}

fn decode<T: DeserializeOwned>(name: &str, text: &str) -> T {
    match serde_json::from_str(text) {
        Ok(decoded) => decoded,
        Err(err) => panic!("{name} does not decode: {err}"),
    }
}

fn to_value<T: Serialize>(item: &T) -> Value {
    match serde_json::to_value(item) {
        Ok(value) => value,
        Err(err) => panic!("does not encode: {err}"),
    }
}

/// decode → encode → decode gives an equal value.
fn assert_round_trip<T>(name: &str, decoded: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let encoded = match serde_json::to_string(decoded) {
        Ok(text) => text,
        Err(err) => panic!("{name} does not encode: {err}"),
    };
    let again: T = decode(name, &encoded);
    assert_eq!(
        &again, decoded,
        "{name} changes on a round trip through {encoded}"
    );
}

/// Encoding a request body gives the very JSON the doc prints.
fn assert_encodes_to_fixture<T: Serialize>(name: &str, body: &T, fixture: &str) {
    let printed: Value = decode(name, fixture);
    assert_eq!(
        to_value(body),
        printed,
        "{name} encodes differently from the doc"
    );
}

fn notification(name: &str, text: &str) -> ImNotification {
    let value: Value = decode(name, text);
    match ImNotification::from_value(&value) {
        Ok(decoded) => decoded,
        Err(err) => panic!("{name} is not a notification: {err}"),
    }
}

/// Decodes a notification bare and wrapped in `{"data": …}`, and round-trips it.
fn notification_both_ways(name: &str, text: &str) -> ImNotification {
    let value: Value = decode(name, text);
    let decoded = notification(name, text);
    let (bare, wrapped) = match value.get("data") {
        Some(inner) => (inner.clone(), value.clone()),
        None => (
            value.clone(),
            json!({ "data": value, "channel": "/v2/me/im-sessions" }),
        ),
    };
    for form in [&bare, &wrapped] {
        match ImNotification::from_value(form) {
            Ok(other) => assert_eq!(other, decoded, "{name} decodes differently in {form}"),
            Err(err) => panic!("{name} fails in {form}: {err}"),
        }
    }
    assert_eq!(
        ImNotification::from_json(text).as_ref(),
        Ok(&decoded),
        "{name} from_json"
    );
    let again = ImNotification::from_value(&decoded.to_value());
    assert_eq!(
        again.as_ref(),
        Ok(&decoded),
        "{name} changes on a round trip"
    );
    assert_round_trip(name, &decoded);
    decoded
}

fn doc_participant() -> Participant {
    Participant {
        digits: Some("3002".into()),
        e164_number: Some("3002".into()),
        formatted_phone_number: Some("3002".into()),
        phone_number: Some("3002".into()),
    }
}

fn all_five_capabilities_in_notification_order() -> Vec<Capability> {
    vec![
        Capability::Complete,
        Capability::AttachUserData,
        Capability::DeleteUserData,
        Capability::UpdateUserData,
        Capability::SendMessage,
    ]
}

fn user_data(pairs: &[(&str, &str)]) -> UserData {
    pairs.iter().map(|(k, v)| (*k, json!(v))).collect()
}

/// The session every notification sample carries, apart from its state and user data.
fn assert_doc_notification_session(session: &ImSession) {
    assert_eq!(session.id, DOC_SESSION_ID);
    assert_eq!(session.path.as_deref(), Some(DOC_SESSION_PATH));
    assert_eq!(session.uri.as_deref(), Some(DOC_NOTIFICATION_URI));
    assert_eq!(session.participants, vec![doc_participant()]);
    assert_eq!(
        session.capabilities,
        all_five_capabilities_in_notification_order()
    );
    // The id inside the uri differs from `id`: the key must come from `id`.
    assert_eq!(session.key(), Some(DOC_SESSION_ID));
}

fn state_change(decoded: ImNotification) -> (StateChangeKind, ImSession) {
    match decoded {
        ImNotification::StateChange { kind, session } => (kind, session),
        other => panic!("expected an IMSessionStateChangeMessage, got {other:?}"),
    }
}

#[test]
fn doc_samples_are_copied_verbatim() {
    let Some(doc) = read_doc() else { return };
    for (name, text, printed) in FIXTURES {
        match printed {
            Printed::Fenced => assert!(
                doc.contains(&format!("```json\n{text}```\n")),
                "{name} is not a verbatim ```json block of GWS-API.md"
            ),
            Printed::Inline => assert!(
                doc.contains(&format!("`{text}`")),
                "{name} is not a verbatim `inline` sample of GWS-API.md"
            ),
            Printed::Elided => {}
        }
    }
}

#[test]
fn device_fixture_keeps_every_value_the_doc_prints() {
    let Some(doc) = read_doc() else { return };
    let printed = [
        r#"{"id":"efe1ab32-"#,
        r#""deviceState":"Active","userState":{"#,
        r#""phoneNumber":"5005","e164Number":"5005","#,
        r#""telephonyNetwork":"Private","doNotDisturb":"Off","voiceEnvironmentUri":""#,
        r#""capabilities":["#,
    ];
    for piece in printed {
        assert!(doc.contains(piece), "GWS-API.md no longer prints {piece}");
        assert!(DEVICE.contains(piece), "device.json lost the doc's {piece}");
    }
}

#[test]
fn every_fixture_file_is_checked() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(err) => panic!("{} is unreadable: {err}", dir.display()),
    };
    let mut on_disk: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES
        .iter()
        .map(|(name, _, _)| name.to_string())
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/fixtures/ and FIXTURES disagree");
}

/// The ```json blocks of the doc, and its inline `code` spans that parse as JSON objects.
fn doc_json_samples(doc: &str) -> Vec<String> {
    let mut samples = Vec::new();
    let mut prose = String::new();
    let mut rest = doc;
    while let Some(start) = rest.find("```json\n") {
        prose.push_str(&rest[..start]);
        let block = &rest[start + "```json\n".len()..];
        let Some(end) = block.find("```") else { break };
        samples.push(block[..end].to_owned());
        rest = &block[end + "```".len()..];
    }
    prose.push_str(rest);
    for (index, span) in prose.split('`').enumerate() {
        let parses_as_object = matches!(serde_json::from_str::<Value>(span), Ok(Value::Object(_)));
        if index % 2 == 1 && parses_as_object {
            samples.push(span.to_owned());
        }
    }
    samples
}

#[test]
fn every_doc_sample_has_a_fixture() {
    let Some(doc) = read_doc() else { return };
    let samples = doc_json_samples(&doc);
    assert_eq!(
        samples.len(),
        16,
        "GWS-API.md's samples changed: {samples:#?}"
    );
    for sample in samples {
        assert!(
            FIXTURES.iter().any(|(_, text, _)| *text == sample),
            "no fixture holds this sample of GWS-API.md:\n{sample}"
        );
    }
}

#[test]
fn im_sessions_list_decodes_field_by_field() {
    let list: ImSessionList = decode("im_sessions_list", IM_SESSIONS_LIST);
    assert_eq!(list.status_code, StatusCode::Success);
    assert_eq!(list.status_message, None);
    assert!(list.uris.is_empty());
    assert_eq!(list.im_sessions.len(), 1);
    let Some(session) = list.im_sessions.first() else {
        return;
    };
    assert_eq!(session.id, "007MDF3D0KAHL93L807GK2LAES000001");
    assert_eq!(session.state, ImSessionState::Talking);
    assert_eq!(
        session.capabilities,
        vec![
            Capability::SendMessage,
            Capability::AttachUserData,
            Capability::Complete
        ]
    );
    assert_eq!(session.participants, vec![doc_participant()]);
    assert_eq!(
        session
            .participants
            .first()
            .and_then(Participant::display_number),
        Some("3002")
    );
    assert_eq!(
        session
            .participants
            .first()
            .and_then(Participant::dial_number),
        Some("3002")
    );
    assert_eq!(
        session.path.as_deref(),
        Some("/im-sessions/007MDF3D0KAHL93L807GK2LAES000001")
    );
    assert_eq!(
        session.uri.as_deref(),
        Some("http://hpe-voicevm-64.genesyslab.com:8090/api/v2/im-sessions/007MDF3D0KAHL93L807GK2LAES000001")
    );
    assert!(
        session.user_data.is_empty(),
        "the list sample has no userData"
    );
    assert_eq!(session.key(), Some("007MDF3D0KAHL93L807GK2LAES000001"));
    assert!(session.can(&Capability::SendMessage));
    assert!(session.can(&Capability::Complete));
    assert!(!session.can(&Capability::UpdateUserData));
    assert!(!session.can(&Capability::DeleteUserData));
    assert_round_trip("im_sessions_list", &list);
    assert_round_trip("im_sessions_list session", session);
}

#[test]
fn initiate_im_session_request_decodes_and_encodes_as_printed() {
    let body: InitiateImSession =
        decode("initiate_im_session_request", INITIATE_IM_SESSION_REQUEST);
    let expected = InitiateImSession {
        destination: Destination::new("16001"),
        user_data: Some(user_data(&[("favColor", "blue")])),
        device_path: None,
    };
    assert_eq!(body, expected);
    assert_eq!(body.destination.phone_number, "16001");
    assert_round_trip("initiate_im_session_request", &body);
    assert_encodes_to_fixture(
        "initiate_im_session_request",
        &expected,
        INITIATE_IM_SESSION_REQUEST,
    );
}

#[test]
fn send_message_request_decodes_and_encodes_as_printed() {
    let body: ImSessionOperation = decode("send_message_request", SEND_MESSAGE_REQUEST);
    let expected = ImSessionOperation::SendMessage {
        text: "Hello! This is my first message.".into(),
        destination: Destination::new("16001"),
        // The doc's device id is one character short of a UUID: kept as printed.
        device_path: "/devices/8191741c-bcb7-4e86-9493-98dc993446f".into(),
    };
    assert_eq!(body, expected);
    assert_eq!(body.name(), "SendMessage");
    assert_round_trip("send_message_request", &body);
    assert_encodes_to_fixture("send_message_request", &expected, SEND_MESSAGE_REQUEST);
}

#[test]
fn attach_user_data_request_decodes_and_encodes_as_printed() {
    let body: ImSessionOperation = decode("attach_user_data_request", ATTACH_USER_DATA_REQUEST);
    let expected = ImSessionOperation::AttachUserData {
        user_data: user_data(&[("bestNumber", "3")]),
    };
    assert_eq!(body, expected);
    assert_eq!(body.name(), "AttachUserData");
    assert_round_trip("attach_user_data_request", &body);
    assert_encodes_to_fixture(
        "attach_user_data_request",
        &expected,
        ATTACH_USER_DATA_REQUEST,
    );
}

#[test]
fn update_user_data_request_decodes_and_encodes_as_printed() {
    let body: ImSessionOperation = decode("update_user_data_request", UPDATE_USER_DATA_REQUEST);
    let expected = ImSessionOperation::UpdateUserData {
        user_data: user_data(&[("bestNumber", "5")]),
    };
    assert_eq!(body, expected);
    assert_eq!(body.name(), "UpdateUserData");
    assert_round_trip("update_user_data_request", &body);
    assert_encodes_to_fixture(
        "update_user_data_request",
        &expected,
        UPDATE_USER_DATA_REQUEST,
    );
}

#[test]
fn delete_user_data_request_decodes_and_encodes_as_printed() {
    let body: ImSessionOperation = decode("delete_user_data_request", DELETE_USER_DATA_REQUEST);
    let expected = ImSessionOperation::DeleteUserData {
        key: "bestNumber".into(),
    };
    assert_eq!(body, expected);
    assert_eq!(body.name(), "DeleteUserData");
    assert_round_trip("delete_user_data_request", &body);
    assert_encodes_to_fixture(
        "delete_user_data_request",
        &expected,
        DELETE_USER_DATA_REQUEST,
    );
}

#[test]
fn complete_request_decodes_and_encodes_as_printed() {
    let body: ImSessionOperation = decode("complete_request", COMPLETE_REQUEST);
    assert_eq!(body, ImSessionOperation::Complete);
    assert_eq!(body.name(), "Complete");
    assert_round_trip("complete_request", &body);
    assert_encodes_to_fixture(
        "complete_request",
        &ImSessionOperation::Complete,
        COMPLETE_REQUEST,
    );
}

#[test]
fn operation_bodies_are_not_confused_with_each_other() {
    let bodies = [
        SEND_MESSAGE_REQUEST,
        ATTACH_USER_DATA_REQUEST,
        UPDATE_USER_DATA_REQUEST,
        DELETE_USER_DATA_REQUEST,
        COMPLETE_REQUEST,
    ];
    for body in bodies {
        assert!(
            serde_json::from_str::<InitiateImSession>(body).is_err(),
            "InitiateImSession accepted {body}"
        );
    }
    assert!(serde_json::from_str::<ImSessionOperation>(INITIATE_IM_SESSION_REQUEST).is_err());
}

#[test]
fn new_message_notification_decodes_field_by_field() {
    let decoded = notification_both_ways("new_message_notification", NEW_MESSAGE_NOTIFICATION);
    assert_eq!(
        decoded,
        ImNotification::LogUpdate {
            kind: LogUpdateKind::NewMessage,
            im_session_path: DOC_SESSION_PATH.into(),
            message: "Hello! This is my first message.".into(),
        }
    );
    assert_eq!(decoded.session_id(), Some(DOC_SESSION_ID));
}

#[test]
fn attached_data_changed_notification_decodes_field_by_field() {
    let decoded = notification_both_ways(
        "attached_data_changed_notification",
        ATTACHED_DATA_CHANGED_NOTIFICATION,
    );
    assert_eq!(decoded.session_id(), Some(DOC_SESSION_ID));
    let (kind, session) = state_change(decoded);
    assert_eq!(kind, StateChangeKind::AttachedDataChanged);
    // Printed `" Talking"`: trimmed.
    assert_eq!(session.state, ImSessionState::Talking);
    assert_eq!(session.user_data, user_data(&[("bestNumber", "3")]));
    assert_eq!(session.user_data.get("bestNumber"), Some(&json!("3")));
    assert_doc_notification_session(&session);
}

#[test]
fn completed_notification_decodes_field_by_field() {
    let decoded = notification_both_ways("completed_notification", COMPLETED_NOTIFICATION);
    assert_eq!(decoded.session_id(), Some(DOC_SESSION_ID));
    let (kind, session) = state_change(decoded);
    assert_eq!(kind, StateChangeKind::StatusChange);
    assert_eq!(session.state, ImSessionState::Completed);
    assert_eq!(
        session.user_data,
        user_data(&[("User Data 1", "important data")])
    );
    // The doc still lists all five capabilities after Completed: decoded as printed.
    assert_doc_notification_session(&session);
}

#[test]
fn topic_envelope_status_change_decodes_field_by_field() {
    let decoded =
        notification_both_ways("topic_envelope_status_change", TOPIC_ENVELOPE_STATUS_CHANGE);
    assert_eq!(decoded.session_id(), Some(DOC_SESSION_ID));
    let (kind, session) = state_change(decoded);
    assert_eq!(kind, StateChangeKind::StatusChange);
    assert_eq!(session.state, ImSessionState::Talking);
    assert_eq!(session.user_data, user_data(&[("favColor", "blue")]));
    assert_doc_notification_session(&session);
}

#[test]
fn notification_user_data_samples_decode_in_order() {
    let cases = [
        (INITIATE_STATUS_CHANGE_USER_DATA, ("favColor", "blue")),
        (
            UPDATE_USER_DATA_ATTACHED_DATA_CHANGED_USER_DATA,
            ("bestNumber", "5"),
        ),
        (
            DELETE_USER_DATA_ATTACHED_DATA_CHANGED_USER_DATA,
            ("User Data 1", "important data"),
        ),
    ];
    for (text, (key, value)) in cases {
        let data: UserData = decode("user data sample", text);
        assert_eq!(data, user_data(&[(key, value)]));
        assert_eq!(data.iter().collect::<Vec<_>>(), vec![(key, &json!(value))]);
        assert_round_trip("user data sample", &data);
    }
}

#[test]
fn success_reply_decodes() {
    let reply: StatusReply = decode("success_reply", SUCCESS_REPLY);
    assert_eq!(reply, StatusReply::ok());
    assert_eq!(reply.status_code, StatusCode::Success);
    assert!(reply.status_code.is_success());
    assert_eq!(reply.status_code.code(), 0);
    assert_eq!(reply.status_message, None);
    assert_round_trip("success_reply", &reply);
    assert_encodes_to_fixture("success_reply", &StatusReply::ok(), SUCCESS_REPLY);
}

#[test]
fn unauthenticated_reply_decodes() {
    let reply: StatusReply = decode("unauthenticated_reply", UNAUTHENTICATED_REPLY);
    assert_eq!(reply.status_code, StatusCode::Unauthenticated);
    assert_eq!(reply.status_code.code(), 20);
    assert!(!reply.status_code.is_success());
    assert_eq!(reply.status_code.http_status(), 401);
    // The doc cuts the message; it is kept as printed.
    assert_eq!(reply.status_message.as_deref(), Some("Access de…"));
    assert_eq!(
        reply,
        StatusReply::error(StatusCode::Unauthenticated, "Access de…")
    );
    assert_round_trip("unauthenticated_reply", &reply);
    assert_encodes_to_fixture("unauthenticated_reply", &reply, UNAUTHENTICATED_REPLY);
}

#[test]
fn device_decodes_field_by_field() {
    let device: Device = decode("device", DEVICE);
    assert_eq!(device.id, "efe1ab32-5c1d-4f0e-8a7b-2d9c6e4f1a03");
    assert_eq!(
        device.path(),
        "/devices/efe1ab32-5c1d-4f0e-8a7b-2d9c6e4f1a03"
    );
    assert_eq!(device.device_state.as_deref(), Some("Active"));
    assert_eq!(
        device.user_state,
        Some(json!({
            "id": "7D3F0A2C-4B1E-4C8A-9F6D-1E2B3C4D5E6F",
            "displayName": "Ready",
            "state": "Ready"
        }))
    );
    assert_eq!(device.phone_number.as_deref(), Some("5005"));
    assert_eq!(device.e164_number.as_deref(), Some("5005"));
    assert_eq!(device.telephony_network.as_deref(), Some("Private"));
    assert_eq!(device.do_not_disturb.as_deref(), Some("Off"));
    assert_eq!(
        device.voice_environment_uri.as_deref(),
        Some("http://hpe-voicevm-64.genesyslab.com:8090/api/v2/voice-environments/3c1e2a4b-7d5f-4e6a-8b9c-0d1e2f3a4b5c")
    );
    assert_eq!(
        device.capabilities,
        vec!["ForwardCallsOn".to_owned(), "DoNotDisturbOn".to_owned()]
    );
    assert_round_trip("device", &device);
    let printed: Value = decode("device", DEVICE);
    assert_eq!(
        to_value(&device),
        printed,
        "device encodes differently from its fixture"
    );
}

#[test]
fn device_list_wraps_the_device_sample() {
    let device: Value = decode("device", DEVICE);
    let text = json!({ "statusCode": 0, "devices": [device] }).to_string();
    let list: DeviceList = decode("device list", &text);
    assert_eq!(list.status_code, StatusCode::Success);
    assert_eq!(list.status_message, None);
    assert_eq!(list.devices, vec![decode::<Device>("device", DEVICE)]);
    assert_round_trip("device list", &list);
}
