//! `/_sim`: the control API for tests, demos and benchmarks. JSON, no auth, never faulted.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{StatusCode as HttpStatus, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Json, Router};
use gws_protocol::{Capability, Device, StatusCode, StatusReply, UserData};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::{set_cookie, HttpSession};
use crate::error::{json_body, ApiError};
use crate::faults::{FaultsPatch, FaultsView};
use crate::model::{Agent, OpError, Origin, TranscriptLine};
use crate::scenario::{self, LoadReport, LoadSpec, RunReport, Scenario};
use crate::sim::{Counters, SimState};

pub fn routes() -> Router<SimState> {
    Router::new()
        .route("/_sim/login", post(login))
        .route("/_sim/state", get(state))
        .route("/_sim/reset", post(reset))
        .route("/_sim/sessions", post(ring))
        .route("/_sim/sessions/{id}/messages", post(message))
        .route("/_sim/sessions/{id}/answer", post(answer))
        .route("/_sim/sessions/{id}/capabilities", put(capabilities))
        .route("/_sim/sessions/{id}/user-data", post(user_data))
        .route("/_sim/sessions/{id}/complete", post(complete))
        .route(
            "/_sim/faults",
            get(faults).put(patch_faults).delete(clear_faults),
        )
        .route("/_sim/faults/unknown-client", post(unknown_client))
        .route("/_sim/restart", post(restart))
        .route("/_sim/expire", post(expire))
        .route("/_sim/scenario", post(run_scenario))
        .route("/_sim/load", post(load).delete(stop_load))
        .route("/_sim/quirks", get(quirks).put(set_quirks))
        .route(
            "/_sim/{*rest}",
            any(|uri: Uri| async move { ApiError::no_route(uri.path()) }),
        )
}

fn ok() -> Json<StatusReply> {
    Json(StatusReply::ok())
}

/// What `POST /_sim/login` may say: which agent signs in (absent: the agent already playing).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginRequest {
    agent: Option<Agent>,
}

/// `POST /_sim/login`: a new HTTP session; the cookie is set and the token returned. With
/// `{"agent": {"id", "userName", "firstName", "lastName"}}` another agent signs in at this desk
/// first (see `SimState::sign_in_agent`); the reply says whether the agent changed.
async fn login(State(sim): State<SimState>, body: Bytes) -> Result<Response, ApiError> {
    let request: LoginRequest = if body.iter().all(u8::is_ascii_whitespace) {
        LoginRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|why| {
            ApiError::malformed(format!("the login is not {{\"agent\": {{…}}}}: {why}"))
        })?
    };
    let changed = request.agent.is_some_and(|agent| sim.sign_in_agent(agent));
    let session: HttpSession = sim.create_http_session();
    let cookie = set_cookie(&session);
    let mut reply = serde_json::to_value(&session).unwrap_or_default();
    if let Value::Object(fields) = &mut reply {
        fields.insert("agentChanged".into(), Value::Bool(changed));
    }
    Ok(([(SET_COOKIE, cookie)], Json(reply)).into_response())
}

/// One session in `/_sim/state`: the GWS shape plus what only the server knows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    #[serde(flatten)]
    pub session: gws_protocol::ImSession,
    pub transcript: Vec<TranscriptLine>,
    pub origin: Origin,
    pub scripted: bool,
    pub created_at: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfigView {
    auth: bool,
    csrf: bool,
    speed: f64,
    dist: String,
    poll_timeout_ms: u64,
    max_interval_ms: u64,
}

/// `GET /_sim/state`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct StateView {
    agent: Agent,
    device: Device,
    sessions: Vec<SessionView>,
    bayeux: Value,
    faults: FaultsView,
    quirks: bool,
    counters: Counters,
    http_sessions: usize,
    expired_http_sessions: u64,
    scenarios: Vec<RunReport>,
    scenarios_waiting_for_subscriber: usize,
    recent_notifications: Vec<Value>,
    config: ConfigView,
}

async fn state(State(sim): State<SimState>) -> Json<Value> {
    let presenter = sim.presenter();
    let (agent, device, sessions) = sim.read(|w| {
        let sessions = w
            .sessions()
            .iter()
            .map(|s| SessionView {
                session: presenter.rest_session(s.to_gws()),
                transcript: s.transcript.clone(),
                origin: s.origin,
                scripted: s.scripted,
                created_at: s.created_at,
            })
            .collect();
        (w.agent.clone(), w.agent.device(), sessions)
    });
    let (scenarios, waiting) = {
        let script = sim.script();
        (script.runs(), script.waiting_for_subscriber())
    };
    let config = sim.config();
    let view = StateView {
        agent,
        device,
        sessions,
        bayeux: sim.bayeux().snapshot(),
        faults: sim.faults(),
        quirks: sim.quirks(),
        counters: sim.counters(),
        http_sessions: sim.http_session_count(),
        expired_http_sessions: sim.expired_http_sessions(),
        scenarios,
        scenarios_waiting_for_subscriber: waiting,
        recent_notifications: sim.published(),
        config: ConfigView {
            auth: config.auth,
            csrf: config.csrf,
            speed: config.speed,
            dist: config.dist.display().to_string(),
            poll_timeout_ms: config.bayeux.timeout.as_millis() as u64,
            max_interval_ms: config.bayeux.max_interval.as_millis() as u64,
        },
    };
    Json(serde_json::to_value(view).unwrap_or_default())
}

async fn reset(State(sim): State<SimState>) -> Json<StatusReply> {
    sim.reset();
    ok()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RingRequest {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    user_data: Option<UserData>,
    /// Let the directory colleague reply by themselves.
    #[serde(default)]
    scripted: bool,
    /// An opening line written while it rings.
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Serialize)]
struct Created {
    id: String,
}

/// `POST /_sim/sessions`: another agent rings this one.
async fn ring(State(sim): State<SimState>, body: Bytes) -> Result<Json<Created>, ApiError> {
    let request: RingRequest = json_body(&body)?;
    let from = request.from.ok_or_else(|| OpError::missing("from"))?;
    let id = sim.commit(|w, now| {
        let (id, mut notifications) = w.ring(
            &from,
            request.user_data.unwrap_or_default(),
            request.scripted,
            now,
        )?;
        if let Some(text) = &request.text {
            notifications.extend(w.other_message(&id, text, now)?);
        }
        Ok((id, notifications))
    })?;
    Ok(Json(Created { id }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageRequest {
    #[serde(default)]
    text: Option<String>,
}

async fn message(
    State(sim): State<SimState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<StatusReply>, ApiError> {
    let request: MessageRequest = json_body(&body)?;
    let text = request.text.ok_or_else(|| OpError::missing("text"))?;
    sim.commit(|w, now| w.other_message(&id, &text, now).map(|n| ((), n)))?;
    Ok(ok())
}

async fn answer(
    State(sim): State<SimState>,
    Path(id): Path<String>,
) -> Result<Json<StatusReply>, ApiError> {
    sim.commit(|w, _| w.answer(&id).map(|n| ((), n)))?;
    Ok(ok())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CapabilitiesRequest {
    #[serde(default)]
    capabilities: Option<Vec<Capability>>,
}

async fn capabilities(
    State(sim): State<SimState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<StatusReply>, ApiError> {
    let request: CapabilitiesRequest = json_body(&body)?;
    let capabilities = request
        .capabilities
        .ok_or_else(|| OpError::missing("capabilities"))?;
    sim.commit(|w, _| w.set_capabilities(&id, capabilities).map(|n| ((), n)))?;
    Ok(ok())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UserDataRequest {
    #[serde(default)]
    user_data: Option<UserData>,
}

async fn user_data(
    State(sim): State<SimState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<StatusReply>, ApiError> {
    let request: UserDataRequest = json_body(&body)?;
    let data = request
        .user_data
        .ok_or_else(|| OpError::missing("userData"))?;
    sim.commit(|w, _| w.other_attach(&id, &data).map(|n| ((), n)))?;
    Ok(ok())
}

async fn complete(
    State(sim): State<SimState>,
    Path(id): Path<String>,
) -> Result<Json<StatusReply>, ApiError> {
    sim.commit(|w, _| w.complete(&id).map(|n| ((), n)))?;
    Ok(ok())
}

async fn faults(State(sim): State<SimState>) -> Json<FaultsView> {
    Json(sim.faults())
}

async fn patch_faults(
    State(sim): State<SimState>,
    body: Bytes,
) -> Result<Json<FaultsView>, ApiError> {
    let patch: FaultsPatch = json_body(&body)?;
    Ok(Json(sim.patch_faults(&patch)?))
}

async fn clear_faults(State(sim): State<SimState>) -> Json<FaultsView> {
    Json(sim.clear_faults())
}

async fn unknown_client(State(sim): State<SimState>) -> Json<StatusReply> {
    sim.bayeux().forget_all_clients();
    ok()
}

/// `POST /_sim/expire`: every HTTP session ends now (as a GWS session timeout or a sign-out
/// elsewhere ends it): the next request gets HTTP 401 with `statusCode` 20, CometD included.
async fn expire(State(sim): State<SimState>) -> Json<Value> {
    let expired = sim.expire_http_sessions();
    Json(serde_json::json!({ "statusCode": 0, "expired": expired }))
}

async fn restart(State(sim): State<SimState>) -> Json<StatusReply> {
    sim.bayeux().restart();
    ok()
}

/// `POST /_sim/scenario[?wait=true]`: runs a scenario now; with `wait`, answers its report when
/// the steps are done.
async fn run_scenario(
    State(sim): State<SimState>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let text =
        std::str::from_utf8(&body).map_err(|_| ApiError::malformed("the scenario is not UTF-8"))?;
    let scenario =
        Scenario::parse(text).map_err(|why| ApiError::new(StatusCode::InvalidState, why))?;
    let wait = query.get("wait").is_some_and(|v| v != "false" && v != "0");
    if !wait {
        let steps = scenario.steps.len();
        scenario::start(&sim, scenario);
        return Ok((
            HttpStatus::ACCEPTED,
            Json(serde_json::json!({ "statusCode": 0, "steps": steps })),
        )
            .into_response());
    }
    let report = scenario::run_in_background(&sim, scenario);
    match report.await {
        Ok(report) => Ok(Json(report).into_response()),
        Err(_) => Err(ApiError::new(
            StatusCode::InternalError,
            "the scenario was cancelled by a reset",
        )),
    }
}

async fn load(State(sim): State<SimState>, body: Bytes) -> Result<Json<LoadReport>, ApiError> {
    let spec: LoadSpec = json_body(&body)?;
    Ok(Json(scenario::start_load(&sim, &spec)?))
}

async fn stop_load(State(sim): State<SimState>) -> Json<Value> {
    let stopped = scenario::stop_load(&sim);
    Json(serde_json::json!({ "statusCode": 0, "stopped": stopped }))
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuirksSwitch {
    enabled: bool,
}

async fn quirks(State(sim): State<SimState>) -> Json<QuirksSwitch> {
    Json(QuirksSwitch {
        enabled: sim.quirks(),
    })
}

async fn set_quirks(
    State(sim): State<SimState>,
    body: Bytes,
) -> Result<Json<QuirksSwitch>, ApiError> {
    let switch: QuirksSwitch = json_body(&body)?;
    sim.set_quirks(switch.enabled);
    Ok(Json(QuirksSwitch {
        enabled: sim.quirks(),
    }))
}
