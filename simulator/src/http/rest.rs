//! `/api/v2`: the agent's resource, devices, IM sessions and their operations, and the CometD endpoint.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use gws_protocol::bayeux::META_SUBSCRIBE;
use gws_protocol::{
    BayeuxMessage, DeviceList, ImSession, ImSessionList, ImSessionOperation, ImSessionReply,
    StatusCode, StatusReply, User, UserReply, IM_SESSIONS_TOPIC,
};

use super::layers::aborted_connection;
use crate::bayeux::Outcome;
use crate::error::{json_object, ApiError};
use crate::model::INTERNAL_HOST;
use crate::model::{
    capability_for_operation, operation_name, parse_initiate, parse_session_operation, OpError,
};
use crate::sim::{AgentDid, SimState};

/// The REST and CometD routes (the caller adds the auth and fault layers).
pub fn routes() -> Router<SimState> {
    Router::new()
        .route("/api/v2/me", get(me))
        .route("/api/v2/me/devices", get(devices))
        .route("/api/v2/me/im-sessions", get(list_sessions).post(initiate))
        .route(
            "/api/v2/me/im-sessions/{id}",
            get(one_session).post(operate),
        )
        .route(crate::auth::NOTIFICATIONS_PATH, post(notifications))
        .route("/api/v2/{*rest}", any(no_such_resource))
}

async fn me(
    State(sim): State<SimState>,
    Query(query): Query<HashMap<String, String>>,
) -> Json<UserReply> {
    let agent = sim.read(|w| w.agent.clone());
    let with_devices = query
        .get("subresources")
        .is_some_and(|s| s.contains('*') || s.contains("devices"));
    Json(UserReply {
        status_code: StatusCode::Success,
        user: User {
            uri: Some(format!("{INTERNAL_HOST}/api/v2/users/{}", agent.id)),
            path: Some(format!("/users/{}", agent.id)),
            devices: with_devices.then(|| vec![agent.device()]),
            roles: vec!["ROLE_AGENT".into()],
            enabled: Some(true),
            change_password_on_first_login: Some(false),
            id: agent.id,
            user_name: Some(agent.user_name),
            first_name: Some(agent.first_name),
            last_name: Some(agent.last_name),
        },
    })
}

async fn devices(State(sim): State<SimState>) -> Json<DeviceList> {
    let device = sim.read(|w| w.agent.device());
    Json(DeviceList {
        status_code: StatusCode::Success,
        status_message: None,
        devices: vec![device],
    })
}

async fn list_sessions(
    State(sim): State<SimState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let presenter = sim.presenter();
    let sessions: Vec<ImSession> = sim.read(|w| {
        w.sessions()
            .iter()
            .map(|s| presenter.rest_session(s.to_gws()))
            .collect()
    });
    let full = query.contains_key("fields");
    let list = ImSessionList {
        status_code: StatusCode::Success,
        status_message: None,
        uris: if full {
            Vec::new()
        } else {
            sessions.iter().filter_map(|s| s.uri.clone()).collect()
        },
        im_sessions: if full { sessions } else { Vec::new() },
    };
    // The protocol type omits empty lists; a server still names the (empty) collection.
    let mut body = serde_json::to_value(&list).unwrap_or_default();
    if let Some(object) = body.as_object_mut() {
        let key = if full { "imSessions" } else { "uris" };
        object
            .entry(key)
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    }
    Json(body).into_response()
}

async fn one_session(
    State(sim): State<SimState>,
    Path(id): Path<String>,
) -> Result<Json<ImSessionReply>, ApiError> {
    let presenter = sim.presenter();
    let session = sim.read(|w| w.session(&id).map(|s| presenter.rest_session(s.to_gws())));
    let session = session.ok_or_else(|| OpError::not_found(&id))?;
    Ok(Json(ImSessionReply {
        status_code: StatusCode::Success,
        status_message: None,
        im_session: Some(session),
    }))
}

/// Counts an operation request by name and, when refused, as refused.
fn tally<T>(sim: &SimState, name: &str, result: Result<T, ApiError>) -> Result<T, ApiError> {
    sim.count(|c| {
        *c.operations.entry(name.to_owned()).or_default() += 1;
        if result.is_err() {
            c.refused_operations += 1;
        }
    });
    result
}

/// The operation's name for the counters; names a client made up are counted together.
fn name_in(body: &Bytes) -> String {
    let name = json_object(body).ok().and_then(|map| {
        map.get("operationName")
            .and_then(|n| n.as_str())
            .map(str::to_owned)
    });
    match name {
        Some(name) if name == "InitiateIMSession" || capability_for_operation(&name).is_some() => {
            name
        }
        Some(_) => "(other)".into(),
        None => "(none)".into(),
    }
}

/// `POST /api/v2/me/im-sessions` (InitiateIMSession).
async fn initiate(State(sim): State<SimState>, body: Bytes) -> Result<Json<StatusReply>, ApiError> {
    let result = (|| {
        let request = parse_initiate(&json_object(&body)?)?;
        Ok(sim.commit(|w, now| w.initiate(&request, true, now))?)
    })();
    let id = tally(&sim, &name_in(&body), result)?;
    sim.agent_did(AgentDid::Initiated { id });
    Ok(Json(StatusReply::ok()))
}

/// `POST /api/v2/me/im-sessions/{id}`: checks in the order unknown id (6), operation name (1/2),
/// capability in this state (2), parameters (1/2).
async fn operate(
    State(sim): State<SimState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<StatusReply>, ApiError> {
    let result = (|| {
        let map = json_object(&body)?;
        sim.read(|w| {
            w.session(&id)
                .map(|_| ())
                .ok_or_else(|| OpError::not_found(&id))
        })?;
        let name = operation_name(&map)?;
        let capability = capability_for_operation(name).ok_or_else(|| {
            OpError::invalid(
                "operationName",
                format!("{name} is not an operation of an IM session"),
            )
        })?;
        sim.read(|w| w.check_allowed(&id, &capability, name))?;
        let operation = parse_session_operation(name, &map)?;
        sim.commit(|w, now| w.apply(&id, &operation, now).map(|n| ((), n)))?;
        Ok::<_, ApiError>(operation)
    })();
    let operation = tally(&sim, &name_in(&body), result)?;
    if let ImSessionOperation::SendMessage { text, .. } = operation {
        sim.agent_did(AgentDid::Wrote { id, text });
    }
    Ok(Json(StatusReply::ok()))
}

/// Whether a Bayeux message subscribes to the IM topic (directly or by wildcard).
fn subscribes_to_im_sessions(message: &BayeuxMessage) -> bool {
    message.channel == META_SUBSCRIBE
        && message.subscription.as_deref().is_some_and(|channel| {
            matches!(
                channel,
                IM_SESSIONS_TOPIC | "/v2/me/*" | "/v2/me/**" | "/v2/**" | "/**"
            )
        })
}

/// `POST /api/v2/notifications`: the CometD endpoint.
async fn notifications(State(sim): State<SimState>, body: Bytes) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        return ApiError::malformed("the Bayeux batch is not UTF-8").into_response();
    };
    let batch = match BayeuxMessage::decode_batch(text) {
        Ok(batch) => batch,
        Err(err) => return ApiError::malformed(err).into_response(),
    };
    if batch.iter().any(subscribes_to_im_sessions) {
        sim.agent_did(AgentDid::Subscribed);
    }
    match sim.bayeux().handle(batch).await {
        Outcome::Reply(replies) => Json(replies).into_response(),
        Outcome::Abort => aborted_connection(),
    }
}

async fn no_such_resource(uri: Uri) -> ApiError {
    ApiError::no_route(uri.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_subscriptions_count() {
        for (channel, expected) in [
            ("/v2/me/im-sessions", true),
            ("/v2/me/**", true),
            ("/**", true),
            ("/v2/me/calls", false),
        ] {
            let message = BayeuxMessage::subscribe(1, "c", channel);
            assert_eq!(subscribes_to_im_sessions(&message), expected, "{channel}");
        }
        assert!(!subscribes_to_im_sessions(&BayeuxMessage::connect(
            1, "c", None, None
        )));
    }

    #[test]
    fn status_code_missing_is_http_400() {
        assert_eq!(ApiError::malformed("x").http.as_u16(), 400);
        assert_eq!(ApiError::from(OpError::not_found("x")).http.as_u16(), 404);
    }
}
