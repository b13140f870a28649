//! The `statusCode` / `statusMessage` envelope every GWS response carries.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::lenient;
use crate::session::ImSession;

/// A GWS `statusCode` (the documentation's "Return values" page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusCode {
    Success,
    MissingParameter,
    InvalidState,
    Forbidden,
    InternalError,
    NoPermission,
    NotFound,
    PartialSuccess,
    Unauthenticated,
    Other(i64),
}

impl StatusCode {
    pub fn code(self) -> i64 {
        match self {
            Self::Success => 0,
            Self::MissingParameter => 1,
            Self::InvalidState => 2,
            Self::Forbidden => 3,
            Self::InternalError => 4,
            Self::NoPermission => 5,
            Self::NotFound => 6,
            Self::PartialSuccess => 7,
            Self::Unauthenticated => 20,
            Self::Other(code) => code,
        }
    }

    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::Success,
            1 => Self::MissingParameter,
            2 => Self::InvalidState,
            3 => Self::Forbidden,
            4 => Self::InternalError,
            5 => Self::NoPermission,
            6 => Self::NotFound,
            7 => Self::PartialSuccess,
            20 => Self::Unauthenticated,
            other => Self::Other(other),
        }
    }

    pub fn is_success(self) -> bool {
        self == Self::Success
    }

    /// The HTTP status a server pairs with this code (the docs do not say; see ARCHITECTURE.md).
    pub fn http_status(self) -> u16 {
        match self {
            Self::Success | Self::PartialSuccess => 200,
            Self::MissingParameter | Self::InvalidState => 400,
            Self::Forbidden | Self::NoPermission => 403,
            Self::NotFound => 404,
            Self::Unauthenticated => 401,
            Self::InternalError | Self::Other(_) => 500,
        }
    }
}

impl Default for StatusCode {
    fn default() -> Self {
        Self::Other(-1)
    }
}

impl Serialize for StatusCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let code = match &value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        code.map(Self::from_code)
            .ok_or_else(|| serde::de::Error::custom(format!("statusCode is not a number: {value}")))
    }
}

/// The reply to every operation: `{"statusCode": 0}` or a code with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReply {
    pub status_code: StatusCode,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_message: Option<String>,
}

impl StatusReply {
    pub fn ok() -> Self {
        Self {
            status_code: StatusCode::Success,
            status_message: None,
        }
    }

    pub fn error(status_code: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status_code,
            status_message: Some(message.into()),
        }
    }
}

/// `GET /api/v2/me/im-sessions` — sessions with `?fields=*`, else (as other GWS collections) `uris`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImSessionList {
    pub status_code: StatusCode,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_message: Option<String>,
    #[serde(
        default,
        deserialize_with = "addressable_sessions",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub im_sessions: Vec<ImSession>,
    #[serde(
        default,
        deserialize_with = "lenient::vec_skipping_bad",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub uris: Vec<String>,
}

/// Like `vec_skipping_bad`, and also drops sessions with neither `id` nor `path`: nothing can address them.
fn addressable_sessions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ImSession>, D::Error> {
    let sessions: Vec<ImSession> = lenient::vec_skipping_bad(deserializer)?;
    Ok(sessions
        .into_iter()
        .filter(|session| session.key().is_some())
        .collect())
}

/// `GET /api/v2/me/im-sessions/{id}` — `{"statusCode":0,"imSession":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImSessionReply {
    pub status_code: StatusCode,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_message: Option<String>,
    /// Absent when `statusCode` is not 0.
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub im_session: Option<ImSession>,
}
