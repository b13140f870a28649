//! `/api/v2` REST: every endpoint, every operation in every state, every error path.

mod common;

use axum::http::Method;
use common::{config, send_message, unwrap_data, Browser};
use gws_protocol::{ImNotification, ImSession, ImSessionList, StateChangeKind, StatusReply};
use serde_json::{json, Value};

const DEVICE_PATH: &str = "/devices/8191741c-bcb7-4e86-9493-98dc993446f0";

async fn browser() -> Browser {
    Browser::new(config()).await
}

fn notifications(payloads: &[Value]) -> Vec<ImNotification> {
    payloads
        .iter()
        .map(|p| ImNotification::from_value(p).expect("decodes"))
        .collect()
}

#[tokio::test]
async fn me_returns_the_user_and_with_subresources_its_devices() {
    let agent = browser().await;
    let plain = agent.get("/api/v2/me").await;
    assert_eq!(plain.status, 200);
    let body = plain.json();
    assert_eq!(body["statusCode"], 0);
    assert_eq!(body["user"]["userName"], "alex.morgan");
    assert!(body["user"].get("devices").is_none());
    let full = agent.get("/api/v2/me?subresources=*").await.json();
    let devices = full["user"]["devices"].as_array().expect("devices");
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["phoneNumber"], "5005");
    let decoded: gws_protocol::UserReply = serde_json::from_value(full).expect("UserReply");
    assert_eq!(
        decoded.user.storage_key(),
        Some("2e8d0c1a-6f5b-4e3d-9a7c-5b4a3f2e1d0c")
    );
    assert_eq!(decoded.user.devices.map(|d| d.len()), Some(1));
}

#[tokio::test]
async fn devices_lists_one_device_with_a_full_uuid() {
    let agent = browser().await;
    let reply = agent.get("/api/v2/me/devices").await;
    assert_eq!(reply.status, 200);
    let list: gws_protocol::DeviceList = serde_json::from_value(reply.json()).expect("DeviceList");
    assert!(list.status_code.is_success());
    assert_eq!(list.devices.len(), 1);
    let device = &list.devices[0];
    assert_eq!(device.phone_number.as_deref(), Some("5005"));
    let groups: Vec<usize> = device.id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{}", device.id);
    assert_eq!(device.path(), DEVICE_PATH);
}

#[tokio::test]
async fn im_sessions_list_with_fields_and_uris_without() {
    let agent = browser().await;
    let empty = agent.get("/api/v2/me/im-sessions?fields=*").await.json();
    assert_eq!(empty, json!({"statusCode": 0, "imSessions": []}));
    assert_eq!(
        agent.get("/api/v2/me/im-sessions").await.json(),
        json!({"statusCode": 0, "uris": []})
    );

    let id = agent.ring("3003").await;
    let full: ImSessionList =
        serde_json::from_value(agent.get("/api/v2/me/im-sessions?fields=*").await.json()).unwrap();
    assert_eq!(full.im_sessions.len(), 1);
    assert_eq!(full.im_sessions[0].id, id);
    assert_eq!(
        full.im_sessions[0].path.as_deref(),
        Some(format!("/im-sessions/{id}").as_str())
    );
    let uris = agent.get("/api/v2/me/im-sessions").await.json();
    assert_eq!(
        uris["uris"][0],
        format!("http://hpe-voicevm-64.genesyslab.com:8090/api/v2/im-sessions/{id}")
    );
    assert!(uris.get("imSessions").is_none());
}

#[tokio::test]
async fn one_session_by_id_and_unknown_id_is_code_6_http_404() {
    let agent = browser().await;
    let id = agent.ring("3003").await;
    let reply = agent.get(&format!("/api/v2/me/im-sessions/{id}")).await;
    assert_eq!(reply.json()["statusCode"], 0);
    let decoded: gws_protocol::ImSessionReply = serde_json::from_value(reply.json()).unwrap();
    let session: ImSession = decoded.im_session.expect("imSession");
    assert_eq!(session.id, id);
    assert_eq!(session.state.as_wire(), "Alerting");
    let missing = agent.get("/api/v2/me/im-sessions/NOPE").await;
    assert_eq!(missing.codes(), (404, 6));
    let decoded: StatusReply = serde_json::from_value(missing.json()).unwrap();
    assert!(decoded.status_message.unwrap().contains("NOPE"));
    let op = agent.op("NOPE", json!({"operationName": "Complete"})).await;
    assert_eq!(op.codes(), (404, 6));
}

#[tokio::test]
async fn initiate_creates_an_initiating_session_and_publishes_it() {
    let agent = browser().await;
    let body = json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3999"}, "userData": {"favColor": "blue"}});
    let reply = agent.post("/api/v2/me/im-sessions", body).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"statusCode": 0}));
    let published = notifications(&agent.published());
    let [ImNotification::StateChange { kind, session }] = published.as_slice() else {
        panic!("{published:?}")
    };
    assert_eq!(*kind, StateChangeKind::StatusChange);
    assert_eq!(session.state.as_wire(), "Initiating");
    assert_eq!(session.user_data.get("favColor"), Some(&json!("blue")));
    assert_eq!(
        session.participants[0].phone_number.as_deref(),
        Some("3999")
    );
    assert_eq!(
        session
            .capabilities
            .iter()
            .map(|c| c.as_wire())
            .collect::<Vec<_>>(),
        ["Complete"]
    );
}

#[tokio::test]
async fn a_second_initiate_while_one_is_active_is_invalid_state() {
    let agent = browser().await;
    let body =
        json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3999"}});
    assert_eq!(
        agent
            .post("/api/v2/me/im-sessions", body.clone())
            .await
            .codes(),
        (200, 0)
    );
    let second = agent.post("/api/v2/me/im-sessions", body).await;
    assert_eq!(second.codes(), (400, 2));
    assert!(second.json()["statusMessage"]
        .as_str()
        .unwrap()
        .starts_with("Invalid state"));
    // Incoming sessions still ring.
    agent.ring("3003").await;
    assert_eq!(agent.state().await["sessions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn initiate_error_paths() {
    let agent = browser().await;
    let cases = [
        (json!({"operationName": "InitiateIMSession"}), (400, 1)),
        (json!({"destination": {"phoneNumber": "3002"}}), (400, 1)),
        (
            json!({"operationName": "InitiateIMSession", "destination": {}}),
            (400, 1),
        ),
        (
            json!({"operationName": "InitiateIMSession", "destination": "3002"}),
            (400, 2),
        ),
        (
            json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": 3002}}),
            (400, 2),
        ),
        (
            json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": ""}}),
            (400, 2),
        ),
        (
            json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "5005"}}),
            (400, 2),
        ),
        (
            json!({"operationName": "Dial", "destination": {"phoneNumber": "3002"}}),
            (400, 2),
        ),
        (
            json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3002"}, "userData": 1}),
            (400, 2),
        ),
        (
            json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3002"},
                   "devicePath": "/devices/8191741c-bcb7-4e86-9493-98dc993446f"}),
            (400, 2),
        ),
    ];
    for (body, expected) in cases {
        let reply = agent.post("/api/v2/me/im-sessions", body.clone()).await;
        assert_eq!(reply.codes(), expected, "{body}: {}", reply.text());
        let decoded: StatusReply = serde_json::from_value(reply.json()).unwrap();
        assert!(
            !decoded.status_message.unwrap_or_default().is_empty(),
            "{body}"
        );
    }
    assert!(
        agent.published().is_empty(),
        "a refused request changes nothing"
    );
    assert_eq!(agent.state().await["counters"]["refusedOperations"], 10);
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_400() {
    let agent = browser().await;
    let id = agent.ring("3003").await;
    for body in ["{not json", "[1,2]", "\"Complete\"", ""] {
        for uri in [
            "/api/v2/me/im-sessions".to_owned(),
            format!("/api/v2/me/im-sessions/{id}"),
        ] {
            let reply = agent.post_raw(&uri, body).await;
            assert_eq!(reply.codes(), (400, 1), "{uri} {body:?}");
            assert!(reply.json()["statusMessage"]
                .as_str()
                .unwrap()
                .starts_with("Malformed request body"));
        }
    }
}

/// How a session in each state is reached.
async fn session_in(agent: &Browser, state: &str) -> (String, &'static str) {
    match state {
        "Initiating" => {
            let body = json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3999"}});
            assert_eq!(
                agent.post("/api/v2/me/im-sessions", body).await.codes(),
                (200, 0)
            );
            let list = agent.get("/api/v2/me/im-sessions?fields=*").await.json();
            (
                list["imSessions"][0]["id"].as_str().unwrap().to_owned(),
                "3999",
            )
        }
        _ => {
            let id = agent.ring("3003").await;
            if state == "Talking" {
                assert_eq!(
                    agent.op(&id, send_message("hi", "3003")).await.codes(),
                    (200, 0)
                );
                let data = json!({"userData": {"bestNumber": "3"}});
                assert_eq!(
                    agent
                        .control(
                            Method::POST,
                            &format!("/_sim/sessions/{id}/user-data"),
                            Some(data)
                        )
                        .await
                        .status,
                    200
                );
            }
            if state == "Completed" {
                assert_eq!(
                    agent
                        .op(&id, json!({"operationName": "Complete"}))
                        .await
                        .codes(),
                    (200, 0)
                );
            }
            (id, "3003")
        }
    }
}

#[tokio::test]
async fn every_operation_in_every_state() {
    let operations = |to: &str| {
        vec![
            ("SendMessage", send_message("hello", to)),
            (
                "AttachUserData",
                json!({"operationName": "AttachUserData", "userData": {"favColor": "blue"}}),
            ),
            (
                "UpdateUserData",
                json!({"operationName": "UpdateUserData", "userData": {"bestNumber": "5"}}),
            ),
            (
                "DeleteUserData",
                json!({"operationName": "DeleteUserData", "key": "bestNumber"}),
            ),
            ("Complete", json!({"operationName": "Complete"})),
        ]
    };
    // state → which of the five operations are accepted
    let table = [
        ("Initiating", [false, false, false, false, true]),
        ("Alerting", [true, false, false, false, true]),
        ("Talking", [true, true, true, true, true]),
        ("Completed", [false, false, false, false, false]),
    ];
    for (state, accepted) in table {
        for (index, accept) in accepted.into_iter().enumerate() {
            let agent = browser().await;
            let (id, to) = session_in(&agent, state).await;
            assert_eq!(agent.session(&id).await["state"], state);
            let (name, body) = operations(to).swap_remove(index);
            let before = agent.published().len();
            let reply = agent.op(&id, body).await;
            let published = agent.published()[before..].to_vec();
            if accept {
                assert_eq!(
                    reply.codes(),
                    (200, 0),
                    "{name} in {state}: {}",
                    reply.text()
                );
                assert_eq!(reply.json(), json!({"statusCode": 0}));
                assert!(
                    !published.is_empty(),
                    "{name} in {state} publishes its effect"
                );
            } else {
                assert_eq!(
                    reply.codes(),
                    (400, 2),
                    "{name} in {state}: {}",
                    reply.text()
                );
                assert!(published.is_empty(), "{name} in {state} changed something");
            }
        }
    }
}

#[tokio::test]
async fn first_send_message_answers_a_ringing_session_and_is_echoed_without_sender() {
    let agent = browser().await;
    let id = agent.ring("3003").await;
    let before = agent.published().len();
    assert_eq!(
        agent
            .op(
                &id,
                send_message("Hello! This is my first message.", "3003")
            )
            .await
            .codes(),
        (200, 0)
    );
    let published = agent.published()[before..].to_vec();
    assert_eq!(published.len(), 2);
    let status = unwrap_data(&published[0]);
    assert_eq!(status["notificationType"], "StatusChange");
    assert_eq!(status["imSession"]["state"], " Talking");
    let echo = &published[1];
    assert_eq!(
        echo,
        &json!({"messageType": "IMLogUpdateMessage", "notificationType": "NewMessage",
                "imSessionPath": format!("/im-sessions/{id}"), "message": "Hello! This is my first message."})
    );
    let state = agent.state().await;
    assert_eq!(state["sessions"][0]["transcript"][0]["direction"], "out");
    assert_eq!(
        state["sessions"][0]["transcript"][0]["text"],
        "Hello! This is my first message."
    );
    assert!(
        state["sessions"][0]["transcript"][0]["at"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[tokio::test]
async fn complete_declines_a_ringing_session() {
    let agent = browser().await;
    let id = agent.ring("3003").await;
    assert_eq!(
        agent
            .op(&id, json!({"operationName": "Complete"}))
            .await
            .codes(),
        (200, 0)
    );
    assert_eq!(agent.session(&id).await["state"], "Completed");
    let last = agent.published().last().cloned().unwrap();
    assert_eq!(unwrap_data(&last)["imSession"]["state"], "Completed");
}

#[tokio::test]
async fn send_message_parameter_errors_change_nothing() {
    let agent = browser().await;
    let id = agent.ring("3003").await;
    let full = send_message("hi", "3003");
    let without = |key: &str| {
        let mut body = full.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let with = |key: &str, value: Value| {
        let mut body = full.clone();
        body[key] = value;
        body
    };
    let cases = [
        ("no text", without("text"), (400, 1)),
        ("no destination", without("destination"), (400, 1)),
        ("no devicePath", without("devicePath"), (400, 1)),
        ("no operationName", without("operationName"), (400, 1)),
        ("text not a string", with("text", json!(42)), (400, 2)),
        ("empty text", with("text", json!("  ")), (400, 2)),
        (
            "destination not the participant",
            with("destination", json!({"phoneNumber": "3004"})),
            (400, 2),
        ),
        (
            "destination without phoneNumber",
            with("destination", json!({"digits": "3003"})),
            (400, 1),
        ),
        (
            "the doc's 35-character devicePath",
            with(
                "devicePath",
                json!("/devices/8191741c-bcb7-4e86-9493-98dc993446f"),
            ),
            (400, 2),
        ),
        (
            "unknown operationName",
            with("operationName", json!("Transfer")),
            (400, 2),
        ),
        (
            "InitiateIMSession on a session",
            with("operationName", json!("InitiateIMSession")),
            (400, 2),
        ),
    ];
    for (why, body, expected) in cases {
        assert_eq!(agent.op(&id, body).await.codes(), expected, "{why}");
    }
    assert_eq!(agent.session(&id).await["state"], "Alerting");
    assert_eq!(agent.published().len(), 1, "only the ring was published");
    assert!(agent.state().await["sessions"][0]["transcript"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn user_data_operations_publish_the_whole_session() {
    let agent = browser().await;
    let (id, _) = session_in(&agent, "Talking").await;
    let attach =
        json!({"operationName": "AttachUserData", "userData": {"User Data 1": "important data"}});
    assert_eq!(agent.op(&id, attach).await.codes(), (200, 0));
    let last = agent.published().last().cloned().unwrap();
    assert_eq!(last["notificationType"], "AttachedDataChanged");
    assert_eq!(
        last["imSession"]["userData"],
        json!({"bestNumber": "3", "User Data 1": "important data"})
    );

    let update = json!({"operationName": "UpdateUserData", "userData": {"bestNumber": "5"}});
    assert_eq!(agent.op(&id, update).await.codes(), (200, 0));
    assert_eq!(agent.session(&id).await["userData"]["bestNumber"], "5");

    let delete = json!({"operationName": "DeleteUserData", "key": "bestNumber"});
    assert_eq!(agent.op(&id, delete.clone()).await.codes(), (200, 0));
    assert_eq!(
        agent.session(&id).await["userData"],
        json!({"User Data 1": "important data"})
    );
    let last = agent.published().last().cloned().unwrap();
    assert_eq!(
        last["imSession"]["userData"],
        json!({"User Data 1": "important data"})
    );

    assert_eq!(
        agent.op(&id, delete).await.codes(),
        (400, 2),
        "deleting a key that is not there"
    );
    assert_eq!(
        agent
            .op(&id, json!({"operationName": "DeleteUserData"}))
            .await
            .codes(),
        (400, 1)
    );
    assert_eq!(
        agent
            .op(&id, json!({"operationName": "AttachUserData"}))
            .await
            .codes(),
        (400, 1)
    );
    assert_eq!(
        agent
            .op(
                &id,
                json!({"operationName": "AttachUserData", "userData": {}})
            )
            .await
            .codes(),
        (400, 2)
    );
    assert_eq!(
        agent
            .op(
                &id,
                json!({"operationName": "UpdateUserData", "userData": []})
            )
            .await
            .codes(),
        (400, 2)
    );
}

#[tokio::test]
async fn the_docs_request_samples_are_understood() {
    let fixture = |name: &str| -> Value {
        let path = format!(
            "{}/../protocol/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).expect(name)).expect(name)
    };
    let agent = browser().await;
    // 16001 is no colleague of ours: the session starts, then fails unanswered.
    assert_eq!(
        agent
            .post(
                "/api/v2/me/im-sessions",
                fixture("initiate_im_session_request.json")
            )
            .await
            .codes(),
        (200, 0)
    );
    assert_eq!(agent.session_list_len().await, 1);
    let talking = browser().await;
    let (id, _) = session_in(&talking, "Talking").await;
    // The doc's SendMessage sample carries a 35-character devicePath and another destination.
    assert_eq!(
        talking
            .op(&id, fixture("send_message_request.json"))
            .await
            .codes(),
        (400, 2)
    );
    for name in [
        "attach_user_data_request.json",
        "update_user_data_request.json",
        "delete_user_data_request.json",
        "complete_request.json",
    ] {
        assert_eq!(
            talking.op(&id, fixture(name)).await.codes(),
            (200, 0),
            "{name}"
        );
    }
}

#[tokio::test]
async fn unknown_paths_under_api_v2_are_json_404() {
    let agent = browser().await;
    let reply = agent.get("/api/v2/me/calls").await;
    assert_eq!(reply.codes(), (404, 6));
    let reply = agent.control(Method::GET, "/_sim/nothing", None).await;
    assert_eq!(reply.codes(), (404, 6));
}
