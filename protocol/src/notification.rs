//! Notifications published on the CometD topic `/v2/me/im-sessions`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::session::{session_id_from_path, tolerant_string_enum, ImSession};
use crate::DecodeError;

tolerant_string_enum! {
    /// `notificationType` of an `IMSessionStateChangeMessage`.
    StateChangeKind {
        /// The session's state changed (or it is new).
        StatusChange = "StatusChange",
        /// The session's user data changed.
        AttachedDataChanged = "AttachedDataChanged",
    }
}

tolerant_string_enum! {
    /// `notificationType` of an `IMLogUpdateMessage`.
    LogUpdateKind {
        NewMessage = "NewMessage",
    }
}

/// One notification's payload (the Bayeux message's `data`).
#[derive(Debug, Clone, PartialEq)]
pub enum ImNotification {
    /// `IMSessionStateChangeMessage`: carries the whole session.
    StateChange {
        kind: StateChangeKind,
        session: ImSession,
    },
    /// `IMLogUpdateMessage`: a message in either direction, with no sender, time or id.
    LogUpdate {
        kind: LogUpdateKind,
        im_session_path: String,
        message: String,
    },
    /// A `messageType` this version does not know; ignored by clients.
    Unknown { message_type: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNotification {
    #[serde(default, deserialize_with = "crate::lenient::string")]
    message_type: String,
    #[serde(default, deserialize_with = "crate::lenient::string")]
    notification_type: String,
    #[serde(default)]
    im_session: Option<Value>,
    #[serde(default, deserialize_with = "crate::lenient::string")]
    im_session_path: String,
    #[serde(default)]
    message: Option<Value>,
}

impl ImNotification {
    /// Decodes a payload, bare or wrapped in `{"data": …}` (the docs print both).
    pub fn from_value(value: &Value) -> Result<Self, DecodeError> {
        let payload = match value.get("data") {
            Some(inner) if value.get("messageType").is_none() => inner,
            _ => value,
        };
        if !payload.is_object() {
            return Err(DecodeError(format!(
                "notification is not an object: {}",
                short(payload)
            )));
        }
        let raw: RawNotification = serde_json::from_value(payload.clone())?;
        match raw.message_type.trim() {
            "IMSessionStateChangeMessage" => {
                let session = raw.im_session.ok_or_else(|| {
                    DecodeError("IMSessionStateChangeMessage without imSession".into())
                })?;
                let session: ImSession = serde_json::from_value(session)?;
                if session.key().is_none() {
                    return Err(DecodeError(
                        "IMSessionStateChangeMessage without a session id".into(),
                    ));
                }
                Ok(Self::StateChange {
                    kind: StateChangeKind::from_wire(&raw.notification_type),
                    session,
                })
            }
            "IMLogUpdateMessage" => {
                if session_id_from_path(&raw.im_session_path).is_none() {
                    return Err(DecodeError(
                        "IMLogUpdateMessage without imSessionPath".into(),
                    ));
                }
                let message = match raw.message {
                    Some(Value::String(text)) => text,
                    Some(Value::Null) | None => {
                        return Err(DecodeError("IMLogUpdateMessage without message".into()))
                    }
                    Some(other) => other.to_string(),
                };
                Ok(Self::LogUpdate {
                    kind: LogUpdateKind::from_wire(&raw.notification_type),
                    im_session_path: raw.im_session_path,
                    message,
                })
            }
            other => Ok(Self::Unknown {
                message_type: other.to_owned(),
            }),
        }
    }

    /// Decodes JSON text (see [`ImNotification::from_value`]).
    pub fn from_json(text: &str) -> Result<Self, DecodeError> {
        Self::from_value(&serde_json::from_str(text)?)
    }

    /// The session this notification is about.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Self::StateChange { session, .. } => session.key(),
            Self::LogUpdate {
                im_session_path, ..
            } => session_id_from_path(im_session_path),
            Self::Unknown { .. } => None,
        }
    }

    /// The bare payload as the docs print it.
    pub fn to_value(&self) -> Value {
        match self {
            Self::StateChange { kind, session } => json!({
                "messageType": "IMSessionStateChangeMessage",
                "notificationType": kind,
                "imSession": session,
            }),
            Self::LogUpdate {
                kind,
                im_session_path,
                message,
            } => json!({
                "messageType": "IMLogUpdateMessage",
                "notificationType": kind,
                "imSessionPath": im_session_path,
                "message": message,
            }),
            Self::Unknown { message_type } => json!({ "messageType": message_type }),
        }
    }
}

impl Serialize for ImNotification {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ImNotification {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(&value).map_err(serde::de::Error::custom)
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
