//! The one JSON error type every simulator route answers with: a GWS `statusCode` reply.

use axum::http::StatusCode as HttpStatus;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gws_protocol::{StatusCode, StatusReply};

use crate::model::OpError;

/// A refused request: `{"statusCode": n, "statusMessage": "…"}` with a fitting HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub http: HttpStatus,
    pub reply: StatusReply,
}

impl ApiError {
    /// The HTTP status comes from `StatusCode::http_status`.
    pub fn new(code: StatusCode, message: impl Into<String>) -> Self {
        let http =
            HttpStatus::from_u16(code.http_status()).unwrap_or(HttpStatus::INTERNAL_SERVER_ERROR);
        Self {
            http,
            reply: StatusReply::error(code, message),
        }
    }

    /// A body that could not be read at all (not JSON, not an object): HTTP 400.
    pub fn malformed(why: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::MissingParameter,
            format!("Malformed request body: {why}"),
        )
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::Unauthenticated, "Access denied")
    }

    /// A path under `/api/v2` or `/_sim` that names nothing.
    pub fn no_route(path: &str) -> Self {
        Self::new(StatusCode::NotFound, format!("Resource not found: {path}"))
    }
}

impl From<OpError> for ApiError {
    fn from(err: OpError) -> Self {
        Self::new(err.code, err.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.http, Json(self.reply)).into_response()
    }
}

/// Reads a JSON object body; anything else is an [`ApiError::malformed`].
pub fn json_object(body: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::malformed(format!(
            "expected a JSON object, got {}",
            kind(&other)
        ))),
        Err(err) => Err(ApiError::malformed(format!("not JSON ({err})"))),
    }
}

/// Reads a body into a typed control request; an empty body reads as `{}`.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|err| ApiError::malformed(err.to_string()))
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
