//! CometD (Bayeux 1.0) messages, as GWS uses them: long-polling only.
//!
//! Every request and response body is a JSON array of these messages.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::lenient;
use crate::session::tolerant_string_enum;

pub const META_HANDSHAKE: &str = "/meta/handshake";
pub const META_CONNECT: &str = "/meta/connect";
pub const META_SUBSCRIBE: &str = "/meta/subscribe";
pub const META_UNSUBSCRIBE: &str = "/meta/unsubscribe";
pub const META_DISCONNECT: &str = "/meta/disconnect";
pub const LONG_POLLING: &str = "long-polling";
pub const BAYEUX_VERSION: &str = "1.0";

tolerant_string_enum! {
    /// `advice.reconnect`: what the client must do next.
    Reconnect {
        /// Connect again (after `interval`).
        Retry = "retry",
        /// The client id is gone: handshake again.
        Handshake = "handshake",
        /// Stop: the server will not accept this client.
        None = "none",
    }
}

/// `advice`: how the server wants the client to behave. Times are milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Advice {
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub reconnect: Option<Reconnect>,
    /// How long the server holds a `/meta/connect` open.
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub timeout: Option<u64>,
    /// How long the client waits between a connect reply and the next connect.
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub interval: Option<u64>,
    /// How long the server keeps a client (and its queue) without a connect.
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_interval: Option<u64>,
}

/// One Bayeux message, request or response, meta or data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BayeuxMessage {
    #[serde(default, deserialize_with = "lenient::string")]
    pub channel: String,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub successful: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub error: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub advice: Option<Advice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub subscription: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub minimum_version: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub supported_connection_types: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<Value>,
}

impl BayeuxMessage {
    /// A handshake offering long-polling, and the acknowledgement extension when `ack` is set.
    pub fn handshake(id: u64, ack: bool) -> Self {
        Self {
            channel: META_HANDSHAKE.into(),
            id: Some(id.to_string()),
            version: Some(BAYEUX_VERSION.into()),
            minimum_version: Some(BAYEUX_VERSION.into()),
            supported_connection_types: Some(vec![LONG_POLLING.into()]),
            ext: ack.then(|| json!({ "ack": true })),
            ..Self::default()
        }
    }

    /// A `/meta/connect`; `ack` is the last batch id received when the ack extension is on.
    pub fn connect(id: u64, client_id: &str, ack: Option<i64>, advice: Option<Advice>) -> Self {
        Self {
            channel: META_CONNECT.into(),
            id: Some(id.to_string()),
            client_id: Some(client_id.into()),
            connection_type: Some(LONG_POLLING.into()),
            ext: ack.map(|batch| json!({ "ack": batch })),
            advice,
            ..Self::default()
        }
    }

    pub fn subscribe(id: u64, client_id: &str, subscription: &str) -> Self {
        Self {
            channel: META_SUBSCRIBE.into(),
            id: Some(id.to_string()),
            client_id: Some(client_id.into()),
            subscription: Some(subscription.into()),
            ..Self::default()
        }
    }

    pub fn unsubscribe(id: u64, client_id: &str, subscription: &str) -> Self {
        Self {
            channel: META_UNSUBSCRIBE.into(),
            ..Self::subscribe(id, client_id, subscription)
        }
    }

    pub fn disconnect(id: u64, client_id: &str) -> Self {
        Self {
            channel: META_DISCONNECT.into(),
            id: Some(id.to_string()),
            client_id: Some(client_id.into()),
            ..Self::default()
        }
    }

    pub fn is_meta(&self) -> bool {
        self.channel.starts_with("/meta/")
    }

    pub fn is_successful(&self) -> bool {
        self.successful == Some(true)
    }

    /// The server's `ext.ack` flag on a handshake reply, or batch id on a connect reply.
    pub fn ext_ack(&self) -> Option<&Value> {
        self.ext.as_ref()?.get("ack")
    }

    /// Decodes a response body: an array of messages (a lone object is accepted too).
    /// Elements that are not messages are dropped.
    pub fn decode_batch(text: &str) -> Result<Vec<Self>, crate::DecodeError> {
        Self::decode_batch_value(serde_json::from_str(text)?)
    }

    /// [`BayeuxMessage::decode_batch`] of a body already read as JSON (the widget reads JSON text
    /// with the browser's `JSON.parse`).
    pub fn decode_batch_value(value: Value) -> Result<Vec<Self>, crate::DecodeError> {
        let items = match value {
            Value::Array(items) => items,
            object @ Value::Object(_) => vec![object],
            other => {
                return Err(crate::DecodeError(format!(
                    "Bayeux body is not an array: {other}"
                )))
            }
        };
        Ok(items
            .into_iter()
            .filter_map(|item| serde_json::from_value(item).ok())
            .collect())
    }
}
