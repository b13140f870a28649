//! Every JSON body the simulator emits has the field names and JSON types of the documentation's
//! samples (the fixtures in `protocol/tests/fixtures/`, copied verbatim from the docs) and decodes
//! with `gws_protocol`.

mod common;

use axum::http::Method;
use common::{config, send, send_message, unwrap_data, Browser};
use gws_protocol::{DeviceList, ImNotification, ImSessionList, StatusReply};
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../protocol/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Same keys at every level, same JSON type for every value; array items are compared with the
/// sample's first item. User data is compared as "an object of strings" (its keys are data).
fn same_shape(ours: &Value, doc: &Value, at: &str) -> Result<(), String> {
    match (ours, doc) {
        (Value::Object(ours), Value::Object(doc)) => {
            let mut our_keys: Vec<&String> = ours.keys().collect();
            let mut doc_keys: Vec<&String> = doc.keys().collect();
            our_keys.sort();
            doc_keys.sort();
            if our_keys != doc_keys {
                return Err(format!("{at}: keys {our_keys:?} != the docs' {doc_keys:?}"));
            }
            for (key, value) in ours {
                let path = format!("{at}.{key}");
                if key == "userData" {
                    let all_strings = |v: &Value| {
                        v.as_object()
                            .is_some_and(|m| m.values().all(Value::is_string))
                    };
                    if !all_strings(value) || !all_strings(&doc[key]) {
                        return Err(format!("{path}: not an object of strings"));
                    }
                    continue;
                }
                same_shape(value, &doc[key], &path)?;
            }
            Ok(())
        }
        (Value::Array(ours), Value::Array(doc)) => match doc.first() {
            Some(sample) => ours
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| same_shape(item, sample, &format!("{at}[{i}]"))),
            None => Ok(()),
        },
        (ours, doc) if kind(ours) == kind(doc) => Ok(()),
        (ours, doc) => Err(format!(
            "{at}: {} ({ours}) where the docs have {} ({doc})",
            kind(ours),
            kind(doc)
        )),
    }
}

fn assert_same_shape(ours: &Value, fixture_name: &str) {
    if let Err(why) = same_shape(ours, &fixture(fixture_name), "$") {
        panic!("{fixture_name}: {why}\nours: {ours:#}");
    }
}

/// A Talking session with 3002 carrying user data, as in the docs' samples.
async fn talking_with_user_data(agent: &Browser) -> String {
    let ring = json!({"from": "3002", "userData": {"favColor": "blue"}});
    let id = agent
        .control(Method::POST, "/_sim/sessions", Some(ring))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = agent
        .op(
            &id,
            send_message("Hello! This is my first message.", "3002"),
        )
        .await;
    assert_same_shape(&reply.json(), "success_reply.json");
    id
}

fn find(published: &[Value], predicate: impl Fn(&Value) -> bool) -> &Value {
    published.iter().find(|p| predicate(p)).expect("published")
}

#[tokio::test]
async fn the_session_list_has_the_docs_shape() {
    let agent = Browser::new(config()).await;
    let id = agent.ring("3002").await;
    agent.op(&id, send_message("hi", "3002")).await;
    let list = agent.get("/api/v2/me/im-sessions?fields=*").await.json();
    assert_same_shape(&list, "im_sessions_list.json");
    let decoded: ImSessionList = serde_json::from_value(list).unwrap();
    assert_eq!(decoded.im_sessions.len(), 1);
}

#[tokio::test]
async fn status_change_notifications_have_the_topic_pages_shape() {
    let agent = Browser::new(config()).await;
    talking_with_user_data(&agent).await;
    let published = agent.published();
    let talking = find(&published, |p| {
        p["data"]["imSession"]["state"] == " Talking"
    });
    assert_same_shape(talking, "topic_envelope_status_change.json");
    assert!(matches!(
        ImNotification::from_value(talking),
        Ok(ImNotification::StateChange { .. })
    ));
}

#[tokio::test]
async fn message_notifications_have_the_docs_shape() {
    let agent = Browser::new(config()).await;
    let id = talking_with_user_data(&agent).await;
    agent
        .control(
            Method::POST,
            &format!("/_sim/sessions/{id}/messages"),
            Some(json!({"text": "Hi!"})),
        )
        .await;
    for message in agent
        .published()
        .iter()
        .filter(|p| p["messageType"] == "IMLogUpdateMessage")
    {
        assert_same_shape(message, "new_message_notification.json");
        assert!(matches!(
            ImNotification::from_value(message),
            Ok(ImNotification::LogUpdate { .. })
        ));
    }
}

#[tokio::test]
async fn attached_data_changed_has_the_docs_shape() {
    let agent = Browser::new(config()).await;
    let id = talking_with_user_data(&agent).await;
    for body in [
        json!({"operationName": "AttachUserData", "userData": {"bestNumber": "3"}}),
        json!({"operationName": "UpdateUserData", "userData": {"bestNumber": "5"}}),
        json!({"operationName": "DeleteUserData", "key": "bestNumber"}),
    ] {
        assert_same_shape(&agent.op(&id, body).await.json(), "success_reply.json");
        let published = agent.published();
        let changed = published.last().unwrap();
        assert_same_shape(changed, "attached_data_changed_notification.json");
        ImNotification::from_value(changed).unwrap();
    }
    agent
        .control(
            Method::POST,
            &format!("/_sim/sessions/{id}/user-data"),
            Some(json!({"userData": {"a": "b"}})),
        )
        .await;
    assert_same_shape(
        agent.published().last().unwrap(),
        "attached_data_changed_notification.json",
    );
}

#[tokio::test]
async fn the_completed_notification_has_the_docs_shape() {
    let agent = Browser::new(config()).await;
    let id = talking_with_user_data(&agent).await;
    agent.op(&id, json!({"operationName": "Complete"})).await;
    let published = agent.published();
    let completed = unwrap_data(published.last().unwrap());
    assert_eq!(completed["imSession"]["state"], "Completed");
    assert_same_shape(completed, "completed_notification.json");
}

#[tokio::test]
async fn devices_replies_and_errors_have_the_docs_shape() {
    let agent = Browser::new(config()).await;
    let devices = agent.get("/api/v2/me/devices").await.json();
    assert_same_shape(&devices["devices"][0], "device.json");
    serde_json::from_value::<DeviceList>(devices).unwrap();
    let me = agent.get("/api/v2/me?subresources=*").await.json();
    assert_same_shape(&me["user"]["devices"][0], "device.json");

    let unauthenticated = send(&agent.app, Method::GET, "/api/v2/me", &[], None)
        .await
        .json();
    assert_same_shape(&unauthenticated, "unauthenticated_reply.json");
    serde_json::from_value::<StatusReply>(unauthenticated).unwrap();
    let refused = agent
        .op("NOPE", json!({"operationName": "Complete"}))
        .await
        .json();
    assert_same_shape(&refused, "unauthenticated_reply.json");
}

#[test]
fn the_comparison_catches_differences() {
    assert!(same_shape(&json!({"a": 1}), &json!({"a": 2}), "$").is_ok());
    assert!(same_shape(&json!({"a": "1"}), &json!({"a": 2}), "$").is_err());
    assert!(same_shape(&json!({"a": 1, "b": 1}), &json!({"a": 2}), "$").is_err());
    assert!(same_shape(
        &json!({"l": [{"x": 1}, {"y": 1}]}),
        &json!({"l": [{"x": 0}]}),
        "$"
    )
    .is_err());
}
