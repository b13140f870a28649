//! What the model says happened or went wrong, as typed values: the UI words them through the
//! catalogue of the agent's language (`crate::i18n`), so the model stays language-neutral.

use serde::{Deserialize, Deserializer, Serialize};

use super::model::Action;
use crate::api;

/// Something that happened to a session, shown as a transcript line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Notice {
    /// The agent started it; `party` is the other party's number, if known.
    Calling {
        party: Option<String>,
    },
    /// The other party wants to talk.
    Alerting {
        party: Option<String>,
    },
    Talking {
        party: Option<String>,
    },
    Ended,
    /// A state this version does not know, as the server spelled it.
    State(String),
}

/// Why something could not be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    SessionEnded,
    CannotSend,
    CannotEnd,
    CannotChangeCaseData,
    NoNumber,
    NoDevice,
    EmptyKey,
    EmptyExtension,
    /// A New IM while the agent already has one (GWS "Invalid state").
    OneSessionAtATime,
    /// A request failed.
    Request(api::Error),
    /// A request for `action` failed.
    ActionFailed {
        action: Action,
        error: api::Error,
    },
    /// Re-reading the session list failed after it had loaded once (the banner).
    RefreshFailed(api::Error),
    /// Words from elsewhere, shown as they are: a sentence an older version stored, or another tab's.
    Text(String),
}

/// A stored failure reason: today's typed value, or the English sentence older versions stored.
pub(crate) fn stored_reason<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Problem, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    match Problem::deserialize(&value) {
        Ok(problem) => Ok(problem),
        Err(err) => match value {
            serde_json::Value::String(text) => Ok(Problem::Text(text)),
            _ => Err(serde::de::Error::custom(err)),
        },
    }
}
