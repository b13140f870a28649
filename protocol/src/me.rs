//! `GET /api/v2/me`: the signed-in agent (with `?subresources=*`, also their devices).

use serde::{Deserialize, Serialize};

use crate::device::Device;
use crate::envelope::StatusCode;
use crate::lenient;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub first_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub uri: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub path: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::vec_skipping_bad",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<String>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub enabled: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub change_password_on_first_login: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub devices: Option<Vec<Device>>,
}

impl User {
    /// A key that tells this agent's data apart from another agent's on a shared browser.
    pub fn storage_key(&self) -> Option<&str> {
        [Some(self.id.as_str()), self.user_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|k| !k.is_empty())
    }
}

/// `{"statusCode":0,"user":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserReply {
    pub status_code: StatusCode,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub user: User,
}
