//! Drives `gws_sim::app` in-process with `oneshot`, as an agent's browser would.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request};
use axum::Router;
use gws_sim::{app, SimConfig, SimState};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A config for tests: no dist folder, fast colleagues, short long-polls.
pub fn config() -> SimConfig {
    let mut config = SimConfig {
        dist: PathBuf::from("/nonexistent/gws-sim-test-dist"),
        ..SimConfig::default()
    };
    config.bayeux.timeout = Duration::from_millis(500);
    config
}

/// One HTTP answer. `body` is `None` when the connection was dropped without an answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
}

impl Reply {
    pub fn json(&self) -> Value {
        let body = self
            .body
            .as_ref()
            .expect("an answer, not a dropped connection");
        serde_json::from_slice(body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", String::from_utf8_lossy(body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(self.body.as_deref().unwrap_or_default()).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn dropped(&self) -> bool {
        self.body.is_none()
    }

    /// `(HTTP status, statusCode)`.
    pub fn codes(&self) -> (u16, i64) {
        (
            self.status,
            self.json()["statusCode"].as_i64().unwrap_or(-1),
        )
    }
}

pub async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    send_raw(app, method, uri, headers, body.map(|b| b.to_string())).await
}

pub async fn send_raw(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let has_body = body.is_some();
    if has_body {
        request = request.header("content-type", "application/json");
    }
    let request = request
        .body(body.map(Body::from).unwrap_or_else(Body::empty))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .ok()
        .map(|b| b.to_bytes());
    Reply {
        status,
        headers,
        body,
    }
}

/// A logged-in agent's browser: session cookie and CSRF token.
pub struct Browser {
    pub app: Router,
    pub sim: SimState,
    pub cookie: String,
    pub token: String,
}

impl Browser {
    pub async fn new(config: SimConfig) -> Self {
        let sim = SimState::new(config);
        Self::login(sim).await
    }

    pub async fn login(sim: SimState) -> Self {
        let app = app(sim.clone());
        let reply = send(&app, Method::POST, "/_sim/login", &[], None).await;
        assert_eq!(reply.status, 200);
        let set_cookie = reply.header("set-cookie").expect("set-cookie").to_owned();
        let cookie = set_cookie.split(';').next().unwrap_or_default().to_owned();
        let token = reply.json()["csrfToken"]
            .as_str()
            .expect("csrfToken")
            .to_owned();
        Self {
            app,
            sim,
            cookie,
            token,
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        send(
            &self.app,
            Method::GET,
            uri,
            &[("cookie", &self.cookie)],
            None,
        )
        .await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Reply {
        let headers = [
            ("cookie", self.cookie.as_str()),
            ("x-csrf-token", self.token.as_str()),
        ];
        send(&self.app, Method::POST, uri, &headers, Some(body)).await
    }

    pub async fn post_raw(&self, uri: &str, body: &str) -> Reply {
        let headers = [
            ("cookie", self.cookie.as_str()),
            ("x-csrf-token", self.token.as_str()),
        ];
        send_raw(
            &self.app,
            Method::POST,
            uri,
            &headers,
            Some(body.to_owned()),
        )
        .await
    }

    /// `POST /api/v2/me/im-sessions/{id}`.
    pub async fn op(&self, id: &str, body: Value) -> Reply {
        self.post(&format!("/api/v2/me/im-sessions/{id}"), body)
            .await
    }

    /// A `/_sim` call (no auth).
    pub async fn control(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        send(&self.app, method, uri, &[], body).await
    }

    /// Another agent rings: returns the new session id.
    pub async fn ring(&self, from: &str) -> String {
        let reply = self
            .control(
                Method::POST,
                "/_sim/sessions",
                Some(serde_json::json!({ "from": from })),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["id"].as_str().expect("id").to_owned()
    }

    /// A session as `GET /api/v2/me/im-sessions/{id}` shows it.
    pub async fn session(&self, id: &str) -> Value {
        let reply = self.get(&format!("/api/v2/me/im-sessions/{id}")).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["imSession"].clone()
    }

    /// How many sessions `GET /api/v2/me/im-sessions?fields=*` lists.
    pub async fn session_list_len(&self) -> usize {
        self.get("/api/v2/me/im-sessions?fields=*").await.json()["imSessions"]
            .as_array()
            .map_or(0, Vec::len)
    }

    /// How many sessions the server has, read through the never-faulted control API.
    pub async fn session_list_len_unfaulted(&self) -> usize {
        self.state().await["sessions"]
            .as_array()
            .map_or(0, Vec::len)
    }

    pub async fn state(&self) -> Value {
        self.control(Method::GET, "/_sim/state", None).await.json()
    }

    /// Payloads published since the last call to `published_since(0)`-style indexing.
    pub fn published(&self) -> Vec<Value> {
        self.sim.published()
    }
}

/// The SendMessage body the widget sends.
pub fn send_message(text: &str, to: &str) -> Value {
    serde_json::json!({
        "operationName": "SendMessage",
        "text": text,
        "destination": { "phoneNumber": to },
        "devicePath": "/devices/8191741c-bcb7-4e86-9493-98dc993446f0",
    })
}

/// A payload with one `{"data": …}` wrapper taken off, when it has one.
pub fn unwrap_data(payload: &Value) -> &Value {
    match payload.get("data") {
        Some(inner) if payload.get("messageType").is_none() => inner,
        _ => payload,
    }
}

/// A CometD client speaking to `/api/v2/notifications` with the browser's cookie.
pub struct Cometd {
    pub client_id: String,
    /// The last `ext.ack` batch id received (ack extension).
    pub acked: Option<i64>,
    next_id: u64,
}

impl Browser {
    /// Posts one Bayeux batch with the cookie only (no CSRF token, as CometD clients do).
    pub async fn bayeux(&self, batch: Value) -> Reply {
        send(
            &self.app,
            Method::POST,
            "/api/v2/notifications",
            &[("cookie", &self.cookie)],
            Some(batch),
        )
        .await
    }

    /// Handshakes (offering the ack extension when `ack`), subscribes to the IM topic and makes
    /// the first connect, which the server answers at once.
    pub async fn cometd(&self, ack: bool) -> Cometd {
        let mut handshake = serde_json::json!({
            "channel": "/meta/handshake", "id": "1", "version": "1.0",
            "supportedConnectionTypes": ["long-polling"],
        });
        if ack {
            handshake["ext"] = serde_json::json!({ "ack": true });
        }
        let reply = self.bayeux(Value::Array(vec![handshake])).await.json();
        assert_eq!(reply[0]["successful"], true, "{reply}");
        let client_id = reply[0]["clientId"].as_str().expect("clientId").to_owned();
        let subscribe = serde_json::json!([{
            "channel": "/meta/subscribe", "id": "2", "clientId": client_id, "subscription": "/v2/me/im-sessions",
        }]);
        let reply = self.bayeux(subscribe).await.json();
        assert_eq!(reply[0]["successful"], true, "{reply}");
        let mut client = Cometd {
            client_id,
            acked: None,
            next_id: 3,
        };
        let first = self.connect(&mut client).await;
        assert!(!first.dropped());
        client
    }

    /// One `/meta/connect`; returns the reply (data messages and the connect reply).
    pub async fn connect(&self, client: &mut Cometd) -> Reply {
        let mut connect = serde_json::json!({
            "channel": "/meta/connect", "id": client.next_id.to_string(), "clientId": client.client_id,
            "connectionType": "long-polling",
        });
        client.next_id += 1;
        if let Some(batch) = client.acked {
            connect["ext"] = serde_json::json!({ "ack": batch });
        }
        let reply = self.bayeux(Value::Array(vec![connect])).await;
        if let Some(Value::Array(messages)) = reply
            .body
            .as_ref()
            .and_then(|b| serde_json::from_slice(b).ok())
        {
            for message in messages {
                if message["channel"] == "/meta/connect" {
                    if let Some(batch) = message["ext"]["ack"].as_i64() {
                        client.acked = Some(batch);
                    }
                }
            }
        }
        reply
    }
}

/// The `data` of the messages on `/v2/me/im-sessions` in a Bayeux reply.
pub fn im_data(reply: &Reply) -> Vec<Value> {
    match reply.json() {
        Value::Array(messages) => messages
            .into_iter()
            .filter(|m| m["channel"] == "/v2/me/im-sessions")
            .map(|m| m["data"].clone())
            .collect(),
        other => panic!("not a Bayeux batch: {other}"),
    }
}
