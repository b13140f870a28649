//! Request bodies of the IM-session operations (`POST` with an `operationName`).

use serde::{Deserialize, Serialize};

use crate::session::UserData;

/// Whom a message or a new session goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub phone_number: String,
}

impl Destination {
    pub fn new(phone_number: impl Into<String>) -> Self {
        Self {
            phone_number: phone_number.into(),
        }
    }
}

/// `POST /api/v2/me/im-sessions/{id}` bodies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "operationName")]
pub enum ImSessionOperation {
    #[serde(rename_all = "camelCase")]
    SendMessage {
        text: String,
        destination: Destination,
        device_path: String,
    },
    #[serde(rename_all = "camelCase")]
    AttachUserData {
        user_data: UserData,
    },
    #[serde(rename_all = "camelCase")]
    UpdateUserData {
        user_data: UserData,
    },
    DeleteUserData {
        key: String,
    },
    Complete,
}

impl ImSessionOperation {
    /// The `operationName` on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            Self::SendMessage { .. } => "SendMessage",
            Self::AttachUserData { .. } => "AttachUserData",
            Self::UpdateUserData { .. } => "UpdateUserData",
            Self::DeleteUserData { .. } => "DeleteUserData",
            Self::Complete => "Complete",
        }
    }
}

/// `POST /api/v2/me/im-sessions` with `operationName: InitiateIMSession`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "operationName",
    rename = "InitiateIMSession",
    rename_all = "camelCase",
    try_from = "RawInitiateImSession"
)]
pub struct InitiateImSession {
    pub destination: Destination,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<UserData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_path: Option<String>,
}

/// The wire form, so decoding can check `operationName` (serde's struct `tag` does not).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawInitiateImSession {
    operation_name: String,
    destination: Destination,
    #[serde(default)]
    user_data: Option<UserData>,
    #[serde(default)]
    device_path: Option<String>,
}

impl TryFrom<RawInitiateImSession> for InitiateImSession {
    type Error = String;

    fn try_from(raw: RawInitiateImSession) -> Result<Self, Self::Error> {
        if raw.operation_name != "InitiateIMSession" {
            return Err(format!(
                "operationName is {:?}, not \"InitiateIMSession\"",
                raw.operation_name
            ));
        }
        Ok(Self {
            destination: raw.destination,
            user_data: raw.user_data,
            device_path: raw.device_path,
        })
    }
}
