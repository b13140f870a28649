//! `GET /api/v2/me/devices`: the agent's devices; SendMessage needs one's `devicePath`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::envelope::StatusCode;
use crate::lenient;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub device_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_state: Option<Value>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone_number: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub e164_number: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub telephony_network: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub do_not_disturb: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub voice_environment_uri: Option<String>,
    #[serde(default, deserialize_with = "lenient::vec_skipping_bad")]
    pub capabilities: Vec<String>,
}

impl Device {
    /// `/devices/{id}`, the form operations take in `devicePath`.
    pub fn path(&self) -> String {
        format!("/devices/{}", self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceList {
    pub status_code: StatusCode,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_message: Option<String>,
    #[serde(default, deserialize_with = "lenient::vec_skipping_bad")]
    pub devices: Vec<Device>,
}
