//! Each documented quirk, on by default, off with `--no-quirks` or `PUT /_sim/quirks`.

mod common;

use axum::http::Method;
use common::{config, send_message, unwrap_data, Browser};
use gws_protocol::ImNotification;
use gws_sim::SimConfig;
use serde_json::{json, Value};

const INTERNAL: &str = "http://hpe-voicevm-64.genesyslab.com:8090/api/v2/im-sessions/";

/// Rings, answers, attaches data and completes; returns the session id.
async fn whole_life(agent: &Browser) -> String {
    let id = agent.ring("3002").await;
    agent.op(&id, send_message("hi", "3002")).await;
    agent
        .op(
            &id,
            json!({"operationName": "AttachUserData", "userData": {"bestNumber": "3"}}),
        )
        .await;
    agent.op(&id, json!({"operationName": "Complete"})).await;
    id
}

fn state_changes(published: &[Value]) -> Vec<&Value> {
    published
        .iter()
        .filter(|p| unwrap_data(p)["messageType"] == "IMSessionStateChangeMessage")
        .collect()
}

#[tokio::test]
async fn quirks_on_reproduce_the_documentation() {
    let agent = Browser::new(config()).await;
    let id = whole_life(&agent).await;
    let published = agent.published();
    let changes = state_changes(&published);
    assert_eq!(changes.len(), 4, "ring, answer, attach, complete");

    // StatusChange wrapped once more in {"data": …}; AttachedDataChanged and NewMessage bare.
    for change in &changes {
        let kind = unwrap_data(change)["notificationType"].as_str().unwrap();
        assert_eq!(
            change.get("data").is_some(),
            kind == "StatusChange",
            "{change}"
        );
    }
    assert!(published
        .iter()
        .any(|p| p["messageType"] == "IMLogUpdateMessage"));

    // " Talking" with a leading space, in notifications only.
    let talking: Vec<&str> = changes
        .iter()
        .filter_map(|c| unwrap_data(c)["imSession"]["state"].as_str())
        .collect();
    assert_eq!(talking, ["Alerting", " Talking", " Talking", "Completed"]);

    // uri on the internal host, with an id that is not the session's; id and path right.
    for change in &changes {
        let session = &unwrap_data(change)["imSession"];
        assert_eq!(session["id"], id.as_str());
        assert_eq!(session["path"], format!("/im-sessions/{id}"));
        let uri = session["uri"].as_str().unwrap();
        let uri_id = uri.strip_prefix(INTERNAL).expect("internal host");
        assert_ne!(uri_id, id);
        assert_eq!(uri_id.len(), id.len());
    }

    // Capabilities in varying order between notifications.
    let orders: Vec<Value> = changes[1..3]
        .iter()
        .map(|c| unwrap_data(c)["imSession"]["capabilities"].clone())
        .collect();
    assert_ne!(
        orders[0], orders[1],
        "the same five capabilities in another order"
    );

    // Completed keeps its capabilities (as the docs' Complete sample) — and still refuses everything.
    let completed = unwrap_data(changes[3]);
    assert_eq!(
        completed["imSession"]["capabilities"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        agent.session(&id).await["capabilities"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        agent.op(&id, send_message("late", "3002")).await.codes(),
        (400, 2)
    );

    // REST shows the internal host with the right id, and plain states.
    let session = agent.session(&id).await;
    assert_eq!(session["uri"], format!("{INTERNAL}{id}"));

    // And the protocol crate reads every one of them.
    for payload in &published {
        let decoded = ImNotification::from_value(payload).expect("decodes");
        assert_eq!(decoded.session_id(), Some(id.as_str()));
    }
}

async fn assert_plain(agent: &Browser) {
    let id = whole_life(agent).await;
    let published = agent.published();
    for change in state_changes(&published) {
        assert!(change.get("data").is_none(), "bare: {change}");
        let session = &change["imSession"];
        assert_ne!(session["state"], " Talking");
        assert_eq!(
            session["uri"],
            format!("http://127.0.0.1:8080/api/v2/me/im-sessions/{id}")
        );
        let order: Vec<&str> = session["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let canonical = [
            "SendMessage",
            "AttachUserData",
            "UpdateUserData",
            "DeleteUserData",
            "Complete",
        ];
        let expected: Vec<&str> = canonical
            .into_iter()
            .filter(|c| order.contains(c))
            .collect();
        assert_eq!(order, expected);
    }
    let session = agent.session(&id).await;
    assert_eq!(
        session["capabilities"],
        json!([]),
        "Completed has no capabilities"
    );
    assert_eq!(
        session["uri"],
        format!("http://127.0.0.1:8080/api/v2/me/im-sessions/{id}")
    );
}

#[tokio::test]
async fn no_quirks_flag_gives_plain_json() {
    assert_plain(
        &Browser::new(SimConfig {
            quirks: false,
            ..config()
        })
        .await,
    )
    .await;
}

#[tokio::test]
async fn quirks_switch_off_at_run_time() {
    let agent = Browser::new(config()).await;
    agent
        .control(Method::PUT, "/_sim/quirks", Some(json!({"enabled": false})))
        .await;
    assert_plain(&agent).await;
}
