//! Every decoder survives arbitrary input (a `Result` either way, never a panic), and what
//! decodes is a fixed point of encode → decode.

use gws_protocol::{
    Advice, BayeuxMessage, Capability, Device, DeviceList, ImNotification, ImSession,
    ImSessionList, ImSessionOperation, ImSessionState, InitiateImSession, Participant, StatusReply,
    UserData,
};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

/// Field names and values the decoders look for, so random objects often hit real code paths.
const WIRE_WORDS: &[&str] = &[
    "id",
    "state",
    "participants",
    "capabilities",
    "userData",
    "path",
    "uri",
    "data",
    "channel",
    "messageType",
    "notificationType",
    "imSession",
    "imSessionPath",
    "message",
    "statusCode",
    "statusMessage",
    "imSessions",
    "uris",
    "devices",
    "operationName",
    "destination",
    "phoneNumber",
    "text",
    "devicePath",
    "key",
    "advice",
    "reconnect",
    "ext",
    "ack",
    "successful",
    "clientId",
    "Talking",
    " Talking",
    "  Completed ",
    "Alerting",
    "Initiating",
    "SendMessage",
    "Complete",
    "IMSessionStateChangeMessage",
    "IMLogUpdateMessage",
    "StatusChange",
    "AttachedDataChanged",
    "NewMessage",
    "InitiateIMSession",
    "AttachUserData",
    "UpdateUserData",
    "DeleteUserData",
    "/im-sessions/",
    "/im-sessions/s1",
    "/v2/me/im-sessions",
    "/meta/connect",
    "/meta/handshake",
    "handshake",
    "retry",
    "",
    " ",
];

fn wire_word() -> impl Strategy<Value = String> {
    prop::sample::select(WIRE_WORDS).prop_map(str::to_owned)
}

/// Strings of every kind: wire words, short ASCII, and any Unicode (controls, emoji, RTL…).
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => wire_word(),
        2 => "[a-zA-Z0-9 /:._-]{0,12}",
        2 => any::<String>(),
        1 => "\\PC{0,8}",
    ]
}

fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// Numbers whose JSON text serde_json parses back exactly (integers, short binary fractions).
fn exact_number() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (0i64..30).prop_map(Value::from),
        (any::<i32>(), 0..8).prop_map(|(m, shift)| float(f64::from(m) / f64::from(1 << shift))),
    ]
    .boxed()
}

/// Any number, including floats with 17 significant digits.
fn any_number() -> BoxedStrategy<Value> {
    prop_oneof![3 => exact_number(), 1 => any::<f64>().prop_map(float)].boxed()
}

fn leaf(number: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number,
        any_text().prop_map(Value::String),
    ]
}

/// Arbitrary JSON trees: nulls, booleans, numbers, strings, nested arrays and objects.
fn any_json() -> BoxedStrategy<Value> {
    json_tree(any_number())
}

/// JSON trees that survive text exactly (serde_json is built without `float_roundtrip`).
fn exact_json() -> BoxedStrategy<Value> {
    json_tree(exact_number())
}

fn json_tree(number: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    leaf(number)
        .prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any_text(), inner), 0..6)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
            ]
        })
        .boxed()
}

/// Whether some float in `value` would come back from its JSON text a ulp away.
fn has_inexact_float(value: &Value) -> bool {
    match value {
        Value::Number(number) if number.is_f64() => {
            serde_json::from_str::<Value>(&number.to_string())
                .ok()
                .as_ref()
                != Some(value)
        }
        Value::Array(items) => items.iter().any(has_inexact_float),
        Value::Object(fields) => fields.values().any(has_inexact_float),
        _ => false,
    }
}

type Field = (&'static str, BoxedStrategy<Value>);

/// An object holding each of `fields` four times in five, and now and then an unknown field.
fn shaped(fields: Vec<Field>) -> BoxedStrategy<Value> {
    let known: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
        .into_iter()
        .map(|(name, value)| {
            prop::option::weighted(0.8, value)
                .prop_map(move |value| value.map(|value| (name.to_owned(), value)))
                .boxed()
        })
        .collect();
    (known, prop::collection::vec((any_text(), any_json()), 0..2))
        .prop_map(|(known, unknown)| {
            Value::Object(known.into_iter().flatten().chain(unknown).collect())
        })
        .boxed()
}

fn text_or_json() -> BoxedStrategy<Value> {
    prop_oneof![3 => any_text().prop_map(Value::String), 1 => any_json()].boxed()
}

/// Mostly one of `words`, sometimes anything.
fn one_of(words: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::sample::select(words).prop_map(|word| Value::String(word.to_owned())),
        1 => text_or_json(),
    ]
    .boxed()
}

fn list_of(item: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::collection::vec(item, 0..4).prop_map(Value::Array),
        1 => any_json(),
    ]
    .boxed()
}

fn session_path() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => "/im-sessions/[a-zA-Z0-9]{0,8}/?".prop_map(Value::String),
        1 => text_or_json(),
    ]
    .boxed()
}

fn user_data_shaped() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::collection::vec((any_text(), any_json()), 0..5)
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        1 => any_json(),
    ]
    .boxed()
}

fn participant_shaped() -> BoxedStrategy<Value> {
    shaped(vec![
        ("digits", text_or_json()),
        ("e164Number", text_or_json()),
        ("formattedPhoneNumber", text_or_json()),
        ("phoneNumber", text_or_json()),
    ])
}

/// Objects shaped like an `ImSession`, with random field values.
fn session_shaped() -> BoxedStrategy<Value> {
    shaped(vec![
        (
            "id",
            prop_oneof![3 => "[a-zA-Z0-9]{1,12}".prop_map(Value::String), 1 => text_or_json()]
                .boxed(),
        ),
        (
            "state",
            one_of(&[
                "Initiating",
                "Alerting",
                "Talking",
                " Talking",
                "Completed",
                "  Completed ",
                "Held",
            ]),
        ),
        ("participants", list_of(participant_shaped())),
        (
            "capabilities",
            list_of(one_of(&[
                "SendMessage",
                "AttachUserData",
                "UpdateUserData",
                "DeleteUserData",
                "Complete",
                " Complete ",
                "Transfer",
            ])),
        ),
        ("userData", user_data_shaped()),
        ("path", session_path()),
        ("uri", text_or_json()),
    ])
}

/// Objects shaped like a notification, bare or wrapped in `{"data": …}`.
fn notification_shaped() -> BoxedStrategy<Value> {
    let bare = shaped(vec![
        (
            "messageType",
            one_of(&[
                "IMSessionStateChangeMessage",
                "IMLogUpdateMessage",
                " IMLogUpdateMessage ",
                "DeviceStateChangeMessage",
            ]),
        ),
        (
            "notificationType",
            one_of(&["StatusChange", "AttachedDataChanged", "NewMessage", "Other"]),
        ),
        (
            "imSession",
            prop_oneof![4 => session_shaped(), 1 => text_or_json()].boxed(),
        ),
        ("imSessionPath", session_path()),
        ("message", text_or_json()),
    ]);
    bare.prop_flat_map(|payload| {
        prop_oneof![
            Just(payload.clone()),
            Just(serde_json::json!({ "data": payload.clone(), "channel": "/v2/me/im-sessions" })),
            Just(serde_json::json!({ "data": payload })),
        ]
    })
    .boxed()
}

fn device_shaped() -> BoxedStrategy<Value> {
    shaped(vec![
        ("id", text_or_json()),
        ("deviceState", one_of(&["Active", "Inactive"])),
        ("userState", any_json()),
        ("phoneNumber", text_or_json()),
        ("e164Number", text_or_json()),
        ("telephonyNetwork", one_of(&["Private", "Public"])),
        ("doNotDisturb", one_of(&["Off", "On"])),
        ("voiceEnvironmentUri", text_or_json()),
        ("capabilities", list_of(text_or_json())),
    ])
}

fn status_code() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::sample::select(&[0, 1, 2, 3, 4, 5, 6, 7, 20, 99][..]).prop_map(Value::from),
        1 => "[0-9 ]{1,3}".prop_map(Value::String),
        1 => text_or_json(),
    ]
    .boxed()
}

fn list_shaped() -> BoxedStrategy<Value> {
    shaped(vec![
        ("statusCode", status_code()),
        ("statusMessage", text_or_json()),
        ("imSessions", list_of(session_shaped())),
        ("uris", list_of(text_or_json())),
        ("devices", list_of(device_shaped())),
    ])
}

fn bayeux_shaped() -> BoxedStrategy<Value> {
    let advice = shaped(vec![
        (
            "reconnect",
            one_of(&["retry", "handshake", "none", " retry "]),
        ),
        ("timeout", any_number()),
        ("interval", any_number()),
        ("maxInterval", any_number()),
    ]);
    let flag =
        || prop_oneof![3 => any::<bool>().prop_map(Value::Bool), 1 => text_or_json()].boxed();
    let message = shaped(vec![
        (
            "channel",
            one_of(&[
                "/meta/handshake",
                "/meta/connect",
                "/meta/subscribe",
                "/v2/me/im-sessions",
            ]),
        ),
        ("id", text_or_json()),
        ("clientId", text_or_json()),
        ("successful", flag()),
        (
            "error",
            one_of(&["402::Unknown client", "403::Handshake denied"]),
        ),
        (
            "advice",
            prop_oneof![4 => advice, 1 => text_or_json()].boxed(),
        ),
        (
            "data",
            prop_oneof![4 => notification_shaped(), 1 => any_json()].boxed(),
        ),
        ("subscription", one_of(&["/v2/me/im-sessions"])),
        ("version", one_of(&["1.0"])),
        ("minimumVersion", one_of(&["1.0"])),
        (
            "supportedConnectionTypes",
            list_of(one_of(&["long-polling", "callback-polling"])),
        ),
        ("connectionType", one_of(&["long-polling"])),
        (
            "ext",
            shaped(vec![("ack", prop_oneof![flag(), any_number()].boxed())]),
        ),
    ]);
    prop_oneof![
        3 => prop::collection::vec(message.clone(), 0..4).prop_map(Value::Array),
        1 => message,
    ]
    .boxed()
}

fn operation_shaped() -> BoxedStrategy<Value> {
    shaped(vec![
        (
            "operationName",
            one_of(&[
                "InitiateIMSession",
                "SendMessage",
                "AttachUserData",
                "UpdateUserData",
                "DeleteUserData",
                "Complete",
                "Transfer",
            ]),
        ),
        ("text", text_or_json()),
        (
            "destination",
            prop_oneof![4 => shaped(vec![("phoneNumber", text_or_json())]), 1 => text_or_json()]
                .boxed(),
        ),
        ("devicePath", text_or_json()),
        ("userData", user_data_shaped()),
        ("key", text_or_json()),
    ])
}

/// Anything: random trees, or objects shaped like each wire type.
fn wire_like_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => any_json(),
        2 => session_shaped(),
        2 => notification_shaped(),
        1 => list_shaped(),
        1 => device_shaped(),
        1 => bayeux_shaped(),
        1 => operation_shaped(),
    ]
}

/// Arbitrary text: random strings, JSON of wire-like values, and that JSON cut or spliced.
fn wire_like_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any::<String>(),
        2 => wire_like_json().prop_map(|value| value.to_string()),
        2 => (wire_like_json(), any::<prop::sample::Index>()).prop_map(|(value, cut)| {
            let text = value.to_string();
            let at = cut.index(text.len() + 1);
            text.char_indices().map(|(i, _)| i).take_while(|i| *i <= at).last().map_or(
                String::new(),
                |boundary| text[..boundary].to_owned(),
            )
        }),
        1 => (wire_like_json(), any_text(), any::<prop::sample::Index>()).prop_map(
            |(value, junk, at)| {
                let mut text = value.to_string();
                let boundaries: Vec<usize> =
                    text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
                let at = boundaries.get(at.index(boundaries.len())).copied().unwrap_or(0);
                text.insert_str(at, &junk);
                text
            }
        ),
    ]
}

/// Decodes `value` as `T` from the tree and from its text; when it decodes, encoding must work
/// and decoding that again must give the same value (unless a float is a ulp off through text).
fn decodes_as_fixed_point<T>(value: &Value) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let from_tree = serde_json::from_value::<T>(value.clone());
    let from_text = serde_json::from_str::<T>(&value.to_string());
    prop_assert_eq!(
        from_tree.is_ok(),
        from_text.is_ok(),
        "tree and text disagree on {}",
        value
    );
    if let Ok(from_tree) = &from_tree {
        prop_assert!(
            serde_json::to_string(from_tree).is_ok(),
            "{:?} does not encode",
            from_tree
        );
    }
    if has_inexact_float(value) {
        return Ok(());
    }
    if let (Ok(from_tree), Ok(from_text)) = (from_tree, from_text) {
        prop_assert_eq!(&from_tree, &from_text);
        let encoded = serde_json::to_string(&from_tree);
        prop_assert!(encoded.is_ok(), "{:?} does not encode", from_tree);
        let again = serde_json::from_str::<T>(&encoded.unwrap_or_default());
        let again = again.ok();
        prop_assert_eq!(
            again.as_ref(),
            Some(&from_tree),
            "not a fixed point: {}",
            value
        );
    }
    Ok(())
}

/// Decodes `value` as `T` without asking more than "no panic".
fn decodes_without_panic<T: DeserializeOwned>(value: &Value) {
    let _ = serde_json::from_value::<T>(value.clone());
    let _ = serde_json::from_str::<T>(&value.to_string());
}

fn check_notification(value: &Value) -> Result<(), TestCaseError> {
    let decoded = ImNotification::from_value(value);
    let from_json = ImNotification::from_json(&value.to_string());
    prop_assert_eq!(
        decoded.is_ok(),
        from_json.is_ok(),
        "tree and text disagree on {}",
        value
    );
    if !has_inexact_float(value) {
        prop_assert_eq!(&decoded, &from_json);
    }
    if let Ok(notification) = decoded {
        prop_assert!(serde_json::to_string(&notification).is_ok());
        if has_inexact_float(value) {
            return Ok(());
        }
        let again = ImNotification::from_value(&notification.to_value());
        prop_assert_eq!(
            again.as_ref(),
            Ok(&notification),
            "not a fixed point: {}",
            value
        );
        if let ImNotification::StateChange { session, .. } = &notification {
            prop_assert!(
                session.key().is_some(),
                "a state change without a session id: {}",
                value
            );
        }
    }
    Ok(())
}

fn check_every_decoder(value: &Value) -> Result<(), TestCaseError> {
    decodes_as_fixed_point::<ImSessionList>(value)?;
    decodes_as_fixed_point::<ImSession>(value)?;
    decodes_as_fixed_point::<StatusReply>(value)?;
    decodes_as_fixed_point::<DeviceList>(value)?;
    decodes_as_fixed_point::<Device>(value)?;
    decodes_as_fixed_point::<Participant>(value)?;
    decodes_as_fixed_point::<UserData>(value)?;
    decodes_as_fixed_point::<BayeuxMessage>(value)?;
    decodes_as_fixed_point::<Advice>(value)?;
    decodes_without_panic::<ImSessionOperation>(value);
    decodes_without_panic::<InitiateImSession>(value);
    check_notification(value)?;
    let _ = BayeuxMessage::decode_batch(&value.to_string());
    Ok(())
}

fn check_every_text_decoder(text: &str) {
    let _ = ImNotification::from_json(text);
    let _ = BayeuxMessage::decode_batch(text);
    let _ = serde_json::from_str::<BayeuxMessage>(text);
    let _ = serde_json::from_str::<ImSessionList>(text);
    let _ = serde_json::from_str::<ImSession>(text);
    let _ = serde_json::from_str::<StatusReply>(text);
    let _ = serde_json::from_str::<DeviceList>(text);
    let _ = serde_json::from_str::<ImSessionOperation>(text);
    let _ = serde_json::from_str::<InitiateImSession>(text);
}

// Valid values, for the encode → decode identity.

fn trimmed_text() -> impl Strategy<Value = String> {
    any_text().prop_map(|text| text.trim().to_owned())
}

fn session_state() -> impl Strategy<Value = ImSessionState> {
    prop_oneof![
        Just(ImSessionState::Initiating),
        Just(ImSessionState::Alerting),
        Just(ImSessionState::Talking),
        Just(ImSessionState::Completed),
        // Decoding trims and recognises known names, so only such Unknowns come back unchanged.
        trimmed_text()
            .prop_map(|text| ImSessionState::from_wire(&text))
            .prop_filter("known", |state| matches!(state, ImSessionState::Unknown(_))),
    ]
}

fn capability() -> impl Strategy<Value = Capability> {
    prop_oneof![
        Just(Capability::SendMessage),
        Just(Capability::AttachUserData),
        Just(Capability::UpdateUserData),
        Just(Capability::DeleteUserData),
        Just(Capability::Complete),
        trimmed_text().prop_map(|text| Capability::from_wire(&text)),
    ]
}

fn participant() -> impl Strategy<Value = Participant> {
    let number = || prop::option::of(any_text());
    (number(), number(), number(), number()).prop_map(
        |(digits, e164_number, formatted_phone_number, phone_number)| Participant {
            digits,
            e164_number,
            formatted_phone_number,
            phone_number,
        },
    )
}

fn user_data() -> impl Strategy<Value = UserData> {
    prop::collection::vec((any_text(), exact_json()), 0..6)
        .prop_map(|pairs| pairs.into_iter().collect::<UserData>())
}

fn valid_session() -> impl Strategy<Value = ImSession> {
    (
        trimmed_text().prop_filter("a session has an id", |id| !id.is_empty()),
        session_state(),
        prop::collection::vec(participant(), 0..4),
        prop::collection::vec(capability(), 0..7),
        user_data(),
        prop::option::of(any_text()),
        prop::option::of(any_text()),
    )
        .prop_map(
            |(id, state, participants, capabilities, user_data, path, uri)| ImSession {
                id,
                state,
                participants,
                capabilities,
                user_data,
                path,
                uri,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        // Relative to the crate dir, where cargo runs tests (the default cannot find this file).
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/proptest-regressions.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_decoder_survives_any_json(value in wire_like_json()) {
        check_every_decoder(&value)?;
    }

    #[test]
    fn every_text_decoder_survives_any_string(text in wire_like_text()) {
        check_every_text_decoder(&text);
    }

    #[test]
    fn valid_sessions_round_trip(session in valid_session()) {
        let text = serde_json::to_string(&session);
        prop_assert!(text.is_ok());
        let text = text.unwrap_or_default();
        let decoded = serde_json::from_str::<ImSession>(&text).ok();
        prop_assert_eq!(decoded.as_ref(), Some(&session), "through {}", text);

        let tree = serde_json::to_value(&session).unwrap_or_default();
        let from_tree = serde_json::from_value::<ImSession>(tree).ok();
        prop_assert_eq!(from_tree.as_ref(), Some(&session));

        let list = ImSessionList {
            status_code: gws_protocol::StatusCode::Success,
            status_message: None,
            im_sessions: vec![session.clone()],
            uris: Vec::new(),
        };
        let list_text = serde_json::to_string(&list).unwrap_or_default();
        prop_assert_eq!(serde_json::from_str::<ImSessionList>(&list_text).ok(), Some(list));

        let notification = ImNotification::StateChange {
            kind: gws_protocol::StateChangeKind::StatusChange,
            session,
        };
        let wrapped = serde_json::json!({ "data": notification.to_value() });
        prop_assert_eq!(ImNotification::from_value(&wrapped), Ok(notification.clone()));
        let bayeux = serde_json::json!([{ "channel": "/v2/me/im-sessions", "data": notification }]);
        let batch = BayeuxMessage::decode_batch(&bayeux.to_string());
        let data = batch.ok().and_then(|batch| batch.into_iter().next()).and_then(|m| m.data);
        let through_bayeux = data.map(|data| ImNotification::from_value(&data));
        prop_assert_eq!(through_bayeux, Some(Ok(notification)));
    }
}

/// A strategy's name, the strategy, and what its values should often do.
type StrategyCheck = (&'static str, BoxedStrategy<Value>, fn(&Value) -> bool);

/// How many of 400 values from `strategy` pass `decodes`; guards against vacuous strategies.
fn decoding_share(strategy: BoxedStrategy<Value>, decodes: fn(&Value) -> bool) -> usize {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..400)
        .filter_map(|_| strategy.new_tree(&mut runner).ok())
        .filter(|tree| decodes(&tree.current()))
        .count()
}

#[test]
fn shaped_strategies_often_produce_decodable_values() {
    let state_change = |v: &Value| {
        matches!(
            ImNotification::from_value(v),
            Ok(ImNotification::StateChange { .. })
        )
    };
    let log_update = |v: &Value| {
        matches!(
            ImNotification::from_value(v),
            Ok(ImNotification::LogUpdate { .. })
        )
    };
    let session_with_state = |v: &Value| {
        serde_json::from_value::<ImSession>(v.clone())
            .is_ok_and(|s| s.key().is_some() && !matches!(s.state, ImSessionState::Unknown(_)))
    };
    let list_with_sessions = |v: &Value| {
        serde_json::from_value::<ImSessionList>(v.clone()).is_ok_and(|l| !l.im_sessions.is_empty())
    };
    let device_list = |v: &Value| {
        serde_json::from_value::<DeviceList>(v.clone()).is_ok_and(|l| !l.devices.is_empty())
    };
    let bayeux_with_advice = |v: &Value| {
        BayeuxMessage::decode_batch(&v.to_string())
            .is_ok_and(|batch| batch.iter().any(|m| m.advice.is_some() && m.data.is_some()))
    };
    let operation = |v: &Value| serde_json::from_value::<ImSessionOperation>(v.clone()).is_ok();
    let initiate = |v: &Value| serde_json::from_value::<InitiateImSession>(v.clone()).is_ok();
    let cases: [StrategyCheck; 8] = [
        ("state change", notification_shaped(), state_change),
        ("log update", notification_shaped(), log_update),
        ("session", session_shaped(), session_with_state),
        ("session list", list_shaped(), list_with_sessions),
        ("device list", list_shaped(), device_list),
        ("bayeux", bayeux_shaped(), bayeux_with_advice),
        ("operation", operation_shaped(), operation),
        ("initiate", operation_shaped(), initiate),
    ];
    for (name, strategy, decodes) in cases {
        let share = decoding_share(strategy, decodes);
        println!("{name}: {share}/400 decode");
        assert!(
            share >= 8,
            "only {share}/400 {name} values decode: the strategy is too random"
        );
    }
}
