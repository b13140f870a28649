//! CometD (Bayeux) batches as a CometD 3 server sends them, and the requests a CometD server expects.

use gws_protocol::bayeux::{
    BAYEUX_VERSION, LONG_POLLING, META_CONNECT, META_DISCONNECT, META_HANDSHAKE, META_SUBSCRIBE,
    META_UNSUBSCRIBE,
};
use gws_protocol::{
    Advice, BayeuxMessage, ImNotification, ImSessionState, LogUpdateKind, Reconnect,
    StateChangeKind, IM_SESSIONS_TOPIC,
};
use serde_json::{json, Value};

fn batch(text: &str) -> Vec<BayeuxMessage> {
    match BayeuxMessage::decode_batch(text) {
        Ok(messages) => messages,
        Err(err) => panic!("{text} is not a Bayeux batch: {err}"),
    }
}

fn only(text: &str) -> BayeuxMessage {
    let mut messages = batch(text);
    assert_eq!(messages.len(), 1, "expected one message in {text}");
    messages.pop().unwrap_or_default()
}

fn encoded(message: &BayeuxMessage) -> Value {
    serde_json::to_value(message).unwrap_or(Value::Null)
}

#[test]
fn handshake_reply_with_advice_and_ack_decodes() {
    let reply = only(
        r#"[{"minimumVersion":"1.0","clientId":"2f1bxi1bcr0ywt1iyr2tsrq0v5",
            "supportedConnectionTypes":["long-polling","callback-polling"],
            "advice":{"interval":0,"timeout":30000,"reconnect":"retry","maxInterval":10000},
            "channel":"/meta/handshake","id":"1","version":"1.0","successful":true,
            "ext":{"ack":true}}]"#,
    );
    assert_eq!(reply.channel, META_HANDSHAKE);
    assert!(reply.is_meta());
    assert!(reply.is_successful());
    assert_eq!(reply.id.as_deref(), Some("1"));
    assert_eq!(
        reply.client_id.as_deref(),
        Some("2f1bxi1bcr0ywt1iyr2tsrq0v5")
    );
    assert_eq!(reply.version.as_deref(), Some("1.0"));
    assert_eq!(reply.minimum_version.as_deref(), Some("1.0"));
    assert_eq!(
        reply.supported_connection_types,
        Some(vec![
            "long-polling".to_owned(),
            "callback-polling".to_owned()
        ])
    );
    assert_eq!(
        reply.advice,
        Some(Advice {
            reconnect: Some(Reconnect::Retry),
            timeout: Some(30000),
            interval: Some(0),
            max_interval: Some(10000),
        })
    );
    assert_eq!(reply.ext_ack(), Some(&json!(true)));
    assert_eq!(reply.error, None);
}

#[test]
fn connect_reply_with_ext_ack_and_data_messages_decodes() {
    let messages = batch(
        r#"[
          {"channel":"/v2/me/im-sessions","id":"17","data":{
             "messageType":"IMLogUpdateMessage","notificationType":"NewMessage",
             "imSessionPath":"/im-sessions/s1","message":"Are you free?"}},
          {"channel":"/v2/me/im-sessions","data":{
             "messageType":"IMSessionStateChangeMessage","notificationType":"StatusChange",
             "imSession":{"id":"s1","state":" Talking","capabilities":["SendMessage","Complete"]}}},
          {"id":"4","successful":true,"channel":"/meta/connect","clientId":"2f1bxi1bcr0ywt1iyr2tsrq0v5",
           "advice":{"interval":0,"timeout":30000,"reconnect":"retry"},"ext":{"ack":3}}
        ]"#,
    );
    assert_eq!(messages.len(), 3);
    let (data_messages, meta): (Vec<_>, Vec<_>) = messages.iter().partition(|m| !m.is_meta());
    assert_eq!(data_messages.len(), 2);

    let notifications: Vec<ImNotification> = data_messages
        .iter()
        .map(|message| {
            assert_eq!(message.channel, IM_SESSIONS_TOPIC);
            let data = message.data.clone().unwrap_or_default();
            match ImNotification::from_value(&data) {
                Ok(decoded) => decoded,
                Err(err) => panic!("{data} is not a notification: {err}"),
            }
        })
        .collect();
    assert_eq!(
        notifications.first(),
        Some(&ImNotification::LogUpdate {
            kind: LogUpdateKind::NewMessage,
            im_session_path: "/im-sessions/s1".into(),
            message: "Are you free?".into(),
        })
    );
    match notifications.get(1) {
        Some(ImNotification::StateChange { kind, session }) => {
            assert_eq!(kind, &StateChangeKind::StatusChange);
            assert_eq!(session.id, "s1");
            assert_eq!(session.state, ImSessionState::Talking);
        }
        other => panic!("expected a state change, got {other:?}"),
    }

    let connect = meta.first().copied().cloned().unwrap_or_default();
    assert_eq!(connect.channel, META_CONNECT);
    assert!(connect.is_successful());
    assert_eq!(connect.id.as_deref(), Some("4"));
    assert_eq!(connect.ext_ack(), Some(&json!(3)));
    assert_eq!(connect.ext_ack().and_then(Value::as_i64), Some(3));
    assert_eq!(
        connect.advice.and_then(|advice| advice.reconnect),
        Some(Reconnect::Retry)
    );
}

#[test]
fn unknown_client_error_reply_asks_for_a_handshake() {
    let reply = only(
        r#"[{"advice":{"interval":0,"reconnect":"handshake"},"channel":"/meta/connect","id":"9",
            "error":"402::Unknown client","successful":false}]"#,
    );
    assert_eq!(reply.channel, META_CONNECT);
    assert!(!reply.is_successful());
    assert_eq!(reply.successful, Some(false));
    assert_eq!(reply.error.as_deref(), Some("402::Unknown client"));
    assert_eq!(
        reply.advice,
        Some(Advice {
            reconnect: Some(Reconnect::Handshake),
            interval: Some(0),
            ..Advice::default()
        })
    );
}

#[test]
fn subscribe_reply_decodes() {
    let reply = only(
        r#"[{"id":"3","subscription":"/v2/me/im-sessions","successful":true,"channel":"/meta/subscribe",
            "clientId":"2f1bxi1bcr0ywt1iyr2tsrq0v5"}]"#,
    );
    assert_eq!(reply.channel, META_SUBSCRIBE);
    assert!(reply.is_successful());
    assert_eq!(reply.subscription.as_deref(), Some(IM_SESSIONS_TOPIC));
}

#[test]
fn reconnect_advice_is_tolerant() {
    let cases = [
        (r#"{"reconnect":"none"}"#, Some(Reconnect::None)),
        (r#"{"reconnect":" retry "}"#, Some(Reconnect::Retry)),
        (
            r#"{"reconnect":"later"}"#,
            Some(Reconnect::Unknown("later".into())),
        ),
        (r#"{"reconnect":null}"#, None),
        (r#"{}"#, None),
    ];
    for (text, reconnect) in cases {
        let advice: Result<Advice, _> = serde_json::from_str(text);
        assert_eq!(
            advice.map(|advice| advice.reconnect).ok(),
            Some(reconnect),
            "{text}"
        );
    }
    let odd: Result<Advice, _> =
        serde_json::from_str(r#"{"timeout":"soon","interval":-5,"maxInterval":null,"x":1}"#);
    assert_eq!(odd.ok(), Some(Advice::default()));
}

#[test]
fn batches_are_tolerant_of_odd_shapes() {
    let lone = batch(r#"{"channel":"/meta/connect","successful":true}"#);
    assert_eq!(lone.len(), 1);

    let mixed = batch(r#"[1, null, "x", {"channel":"/meta/connect","successful":true}, []]"#);
    assert!(mixed
        .iter()
        .any(|m| m.channel == META_CONNECT && m.is_successful()));

    let numeric_ids =
        only(r#"[{"channel":"/meta/handshake","id":1,"clientId":77,"successful":"yes"}]"#);
    assert_eq!(numeric_ids.id.as_deref(), Some("1"));
    assert_eq!(numeric_ids.client_id.as_deref(), Some("77"));
    assert_eq!(numeric_ids.successful, None);
    assert!(!numeric_ids.is_successful());

    assert_eq!(batch("[]"), Vec::new());
    for broken in ["", "not json", "[", "42", "\"text\"", "null", "true"] {
        assert!(
            BayeuxMessage::decode_batch(broken).is_err(),
            "{broken:?} decoded"
        );
    }
}

#[test]
fn handshake_encodes_as_cometd_expects() {
    assert_eq!(
        encoded(&BayeuxMessage::handshake(1, true)),
        json!({
            "channel": "/meta/handshake",
            "id": "1",
            "version": "1.0",
            "minimumVersion": "1.0",
            "supportedConnectionTypes": ["long-polling"],
            "ext": {"ack": true}
        })
    );
    assert_eq!(
        encoded(&BayeuxMessage::handshake(7, false)),
        json!({
            "channel": "/meta/handshake",
            "id": "7",
            "version": BAYEUX_VERSION,
            "minimumVersion": BAYEUX_VERSION,
            "supportedConnectionTypes": [LONG_POLLING]
        })
    );
}

#[test]
fn connect_encodes_as_cometd_expects() {
    assert_eq!(
        encoded(&BayeuxMessage::connect(2, "abc", None, None)),
        json!({
            "channel": "/meta/connect",
            "id": "2",
            "clientId": "abc",
            "connectionType": "long-polling"
        })
    );
    let first_with_ack = BayeuxMessage::connect(
        3,
        "abc",
        Some(0),
        Some(Advice {
            timeout: Some(0),
            ..Advice::default()
        }),
    );
    assert_eq!(
        encoded(&first_with_ack),
        json!({
            "channel": "/meta/connect",
            "id": "3",
            "clientId": "abc",
            "connectionType": "long-polling",
            "advice": {"timeout": 0},
            "ext": {"ack": 0}
        })
    );
    let acked = BayeuxMessage::connect(4, "abc", Some(12), None);
    assert_eq!(acked.ext_ack(), Some(&json!(12)));
}

#[test]
fn subscribe_unsubscribe_and_disconnect_encode_as_cometd_expects() {
    assert_eq!(
        encoded(&BayeuxMessage::subscribe(3, "abc", IM_SESSIONS_TOPIC)),
        json!({
            "channel": "/meta/subscribe",
            "id": "3",
            "clientId": "abc",
            "subscription": "/v2/me/im-sessions"
        })
    );
    assert_eq!(
        encoded(&BayeuxMessage::unsubscribe(4, "abc", IM_SESSIONS_TOPIC)),
        json!({
            "channel": META_UNSUBSCRIBE,
            "id": "4",
            "clientId": "abc",
            "subscription": "/v2/me/im-sessions"
        })
    );
    assert_eq!(
        encoded(&BayeuxMessage::disconnect(5, "abc")),
        json!({ "channel": META_DISCONNECT, "id": "5", "clientId": "abc" })
    );
}

#[test]
fn requests_round_trip_through_a_batch() {
    let requests = vec![
        BayeuxMessage::handshake(1, true),
        BayeuxMessage::connect(
            2,
            "abc",
            Some(5),
            Some(Advice {
                timeout: Some(0),
                ..Advice::default()
            }),
        ),
        BayeuxMessage::subscribe(3, "abc", IM_SESSIONS_TOPIC),
    ];
    let body = serde_json::to_string(&requests).unwrap_or_default();
    assert_eq!(batch(&body), requests);
}
