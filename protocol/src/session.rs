//! The IM session resource: `GET /api/v2/me/im-sessions?fields=*` and the `imSession` of
//! every `IMSessionStateChangeMessage`.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::lenient;

/// Declares a string enum that trims its input and keeps unknown values as `Unknown(String)`.
macro_rules! tolerant_string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version does not know, kept as the server sent it (trimmed).
            Unknown(String),
        }

        impl $name {
            /// The exact string the documentation uses for this value.
            pub fn as_wire(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(other) => other,
                }
            }

            /// Decodes a wire string, ignoring surrounding whitespace.
            pub fn from_wire(raw: &str) -> Self {
                match raw.trim() {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_wire())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_wire())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(match <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)? {
                    ::serde_json::Value::String(raw) => Self::from_wire(&raw),
                    other => Self::Unknown(other.to_string()),
                })
            }
        }
    };
}
pub(crate) use tolerant_string_enum;

tolerant_string_enum! {
    /// Where an IM session is in its life (GWS maps these from SIP Server events).
    ImSessionState {
        /// EventDialing: the agent started it, the other side has not answered.
        Initiating = "Initiating",
        /// EventRinging: another agent is asking this agent to talk.
        Alerting = "Alerting",
        /// EventEstablished: both sides can exchange messages.
        Talking = "Talking",
        /// EventReleased: the session is over.
        Completed = "Completed",
    }
}

impl Default for ImSessionState {
    fn default() -> Self {
        Self::Unknown(String::new())
    }
}

tolerant_string_enum! {
    /// An operation the server allows on a session right now.
    Capability {
        SendMessage = "SendMessage",
        AttachUserData = "AttachUserData",
        UpdateUserData = "UpdateUserData",
        DeleteUserData = "DeleteUserData",
        Complete = "Complete",
    }
}

/// One party of a session, as the call resource describes participants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub digits: Option<String>,
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
    pub formatted_phone_number: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone_number: Option<String>,
}

impl Participant {
    /// A participant known only by one number.
    pub fn with_number(number: &str) -> Self {
        Self {
            digits: Some(number.to_owned()),
            e164_number: Some(number.to_owned()),
            formatted_phone_number: Some(number.to_owned()),
            phone_number: Some(number.to_owned()),
        }
    }

    /// The number to show a person: formatted, else E.164, else phone number, else digits.
    pub fn display_number(&self) -> Option<&str> {
        [
            &self.formatted_phone_number,
            &self.e164_number,
            &self.phone_number,
            &self.digits,
        ]
        .into_iter()
        .filter_map(|n| n.as_deref())
        .map(str::trim)
        .find(|n| !n.is_empty())
    }

    /// The number to dial or address: phone number, else digits, else E.164, else formatted.
    pub fn dial_number(&self) -> Option<&str> {
        [
            &self.phone_number,
            &self.digits,
            &self.e164_number,
            &self.formatted_phone_number,
        ]
        .into_iter()
        .filter_map(|n| n.as_deref())
        .map(str::trim)
        .find(|n| !n.is_empty())
    }
}

/// Key/value data attached to a session. Values may be any JSON; the server's key order is kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserData(pub Vec<(String, Value)>);

impl UserData {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key`, keeping its position when it already exists.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<K: Into<String>> FromIterator<(K, Value)> for UserData {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut data = UserData::new();
        for (k, v) in iter {
            data.insert(k, v);
        }
        data
    }
}

impl Serialize for UserData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for UserData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UserDataVisitor;
        impl<'de> Visitor<'de> for UserDataVisitor {
            type Value = UserData;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object of user data")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<UserData, A::Error> {
                let mut data = UserData::new();
                while let Some((k, v)) = access.next_entry::<String, Value>()? {
                    data.insert(k, v);
                }
                Ok(data)
            }
        }
        deserializer.deserialize_map(UserDataVisitor)
    }
}

/// An IM session as the server describes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImSession {
    /// The SIP Server call UUID. Trust this over `path`, and both over `uri`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub state: ImSessionState,
    #[serde(default, deserialize_with = "lenient::vec_skipping_bad")]
    pub participants: Vec<Participant>,
    #[serde(default, deserialize_with = "lenient::vec_skipping_bad")]
    pub capabilities: Vec<Capability>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "UserData::is_empty"
    )]
    pub user_data: UserData,
    /// `/im-sessions/{id}`.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub path: Option<String>,
    /// Points at an internal host in practice: never call it.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub uri: Option<String>,
}

impl ImSession {
    /// The id to address this session by: `id`, else the last segment of `path`.
    pub fn key(&self) -> Option<&str> {
        let id = self.id.trim();
        if !id.is_empty() {
            return Some(id);
        }
        self.path.as_deref().and_then(session_id_from_path)
    }

    pub fn can(&self, capability: &Capability) -> bool {
        self.capabilities.contains(capability)
    }
}

/// `"/im-sessions/abc"` (or any path ending in `/abc`) → `"abc"`.
pub fn session_id_from_path(path: &str) -> Option<&str> {
    path.trim()
        .rsplit('/')
        .find(|segment| !segment.is_empty())
        // `/im-sessions/` names the collection, not a session.
        .filter(|id| *id != "im-sessions")
}
