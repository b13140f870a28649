//! What the model says happened or went wrong, as typed values: the UI words them through the
//! catalogue of the agent's language (`crate::i18n`), so the model stays language-neutral.
//!
//! Both are stored (in transcripts) as one short string each, "kind␟field␟…" (U+001F between
//! fields), written and read by hand: serde's derived enum code would cost several KB of wasm.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::action::Action;
use super::RequestError;

/// Between the fields of a stored notice or problem.
const SEP: char = '\u{1f}';
/// Starts a stored problem, telling it from the plain sentence older versions stored.
const MARK: char = '\u{1}';

/// Something that happened to a session, shown as a transcript line.
#[derive(Debug, Clone, PartialEq)]
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

impl Notice {
    fn encode(&self) -> String {
        let with_party = |kind: &str, party: &Option<String>| match party {
            Some(party) => format!("{kind}{SEP}{party}"),
            None => kind.to_owned(),
        };
        match self {
            Self::Calling { party } => with_party("calling", party),
            Self::Alerting { party } => with_party("alerting", party),
            Self::Talking { party } => with_party("talking", party),
            Self::Ended => "ended".to_owned(),
            Self::State(raw) => format!("state{SEP}{raw}"),
        }
    }

    fn decode(stored: &str) -> Self {
        let (kind, rest) = match stored.split_once(SEP) {
            Some((kind, rest)) => (kind, Some(rest.to_owned())),
            None => (stored, None),
        };
        match kind {
            "calling" => Self::Calling { party: rest },
            "alerting" => Self::Alerting { party: rest },
            "talking" => Self::Talking { party: rest },
            "ended" => Self::Ended,
            _ => Self::State(rest.unwrap_or_default()),
        }
    }
}

impl Serialize for Notice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Notice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|stored| Self::decode(&stored))
    }
}

/// Why something could not be done.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// A message whose request got no answer, and whose echo did not come in time.
    NotDelivered,
    /// A request failed.
    Request(RequestError),
    /// A request for `action` failed.
    ActionFailed {
        action: Action,
        error: RequestError,
    },
    /// Re-reading the session list failed after it had loaded once (the banner).
    RefreshFailed(RequestError),
    /// The browser keeps no transcripts: they are gone after a reload.
    StorageRefused,
    /// Words from elsewhere, shown as they are: a sentence an older version stored, or another tab's.
    Text(String),
}

impl Problem {
    /// The host page's name for it (`imw:error`'s `detail.kind`): a request's failure by its
    /// error, "not-delivered", or "invalid" for what the widget refused by itself.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Request(error)
            | Self::RefreshFailed(error)
            | Self::ActionFailed { error, .. } => error.kind(),
            Self::NotDelivered => "not-delivered",
            _ => "invalid",
        }
    }
}

/// The problems without data, by their stored names.
const SIMPLE: [(&str, Problem); 11] = [
    ("ended", Problem::SessionEnded),
    ("cannot-send", Problem::CannotSend),
    ("cannot-end", Problem::CannotEnd),
    ("cannot-case-data", Problem::CannotChangeCaseData),
    ("no-number", Problem::NoNumber),
    ("no-device", Problem::NoDevice),
    ("empty-key", Problem::EmptyKey),
    ("empty-extension", Problem::EmptyExtension),
    ("one-session", Problem::OneSessionAtATime),
    ("not-delivered", Problem::NotDelivered),
    ("no-storage", Problem::StorageRefused),
];

const ACTIONS: [Action; 5] = [
    Action::SendMessage,
    Action::AttachUserData,
    Action::UpdateUserData,
    Action::DeleteUserData,
    Action::Complete,
];

impl Problem {
    fn encode(&self) -> String {
        let body = match self {
            Self::Request(error) => format!("request{SEP}{}", error.encode()),
            Self::ActionFailed { action, error } => {
                let index = ACTIONS.iter().position(|a| a == action).unwrap_or(0);
                format!("action{SEP}{index}{SEP}{}", error.encode())
            }
            Self::RefreshFailed(error) => format!("refresh{SEP}{}", error.encode()),
            Self::Text(text) => format!("text{SEP}{text}"),
            simple => SIMPLE
                .iter()
                .find(|(_, p)| p == simple)
                .map_or("", |(name, _)| name)
                .to_owned(),
        };
        format!("{MARK}{body}")
    }

    /// A stored problem; a plain sentence (what older versions stored) is kept as `Text`.
    fn decode(stored: &str) -> Self {
        let Some(body) = stored.strip_prefix(MARK) else {
            return Self::Text(stored.to_owned());
        };
        let (kind, rest) = body.split_once(SEP).unwrap_or((body, ""));
        let error = |text: &str| RequestError::decode(text);
        match kind {
            "request" => Self::Request(error(rest)),
            "refresh" => Self::RefreshFailed(error(rest)),
            "action" => {
                let (index, error_text) = rest.split_once(SEP).unwrap_or(("", rest));
                let action = index.parse::<usize>().ok().and_then(|i| ACTIONS.get(i));
                Self::ActionFailed {
                    action: action.copied().unwrap_or(Action::SendMessage),
                    error: error(error_text),
                }
            }
            "text" => Self::Text(rest.to_owned()),
            name => SIMPLE
                .iter()
                .find(|(n, _)| *n == name)
                .map_or_else(|| Self::Text(body.to_owned()), |(_, p)| p.clone()),
        }
    }
}

impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Problem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|stored| Self::decode(&stored))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{reduce, Event, Model};
    use gws_protocol::StatusCode;

    #[test]
    fn refused_storage_is_told_once_however_often_it_refuses() {
        let mut model = Model::default();
        assert!(reduce(&mut model, Event::StorageRefused).is_empty());
        assert_eq!(model.banner, Some(Problem::StorageRefused));
        reduce(&mut model, Event::DismissBanner);
        for _ in 0..5 {
            // Each storage tick that fails again.
            reduce(&mut model, Event::StorageRefused);
        }
        assert_eq!(model.banner, None, "dismissed, and not told again");
        assert!(model.storage_refused);
    }

    #[test]
    fn refused_storage_is_worded_in_every_language() {
        let english = crate::i18n::format::problem_text(
            &Problem::StorageRefused,
            crate::i18n::Locale::En.texts(),
        );
        assert!(english.contains("reload"), "{english}");
        for locale in [crate::i18n::Locale::De, crate::i18n::Locale::Ar] {
            let text = crate::i18n::format::problem_text(&Problem::StorageRefused, locale.texts());
            assert!(!text.is_empty() && text != english, "{locale:?}: {text}");
        }
    }

    #[test]
    fn every_notice_and_problem_survives_storage() {
        let notices = [
            Notice::Calling {
                party: Some("+49 30 1234".into()),
            },
            Notice::Alerting { party: None },
            Notice::Talking {
                party: Some("3002".into()),
            },
            Notice::Ended,
            Notice::State("Parked".into()),
        ];
        for notice in notices {
            assert_eq!(Notice::decode(&notice.encode()), notice);
        }
        let errors = [
            RequestError::Network("timeout".into()),
            RequestError::Unauthenticated,
            RequestError::Csrf,
            RequestError::Gws {
                code: StatusCode::InvalidState,
                message: "Invalid state".into(),
            },
            RequestError::Gws {
                code: StatusCode::Other(99),
                message: String::new(),
            },
            RequestError::Http {
                status: 502,
                body: "<html>".into(),
            },
            RequestError::Decode("eof".into()),
        ];
        let mut problems: Vec<Problem> = SIMPLE.iter().map(|(_, p)| p.clone()).collect();
        for error in errors {
            problems.push(Problem::Request(error.clone()));
            problems.push(Problem::RefreshFailed(error.clone()));
            for action in ACTIONS {
                problems.push(Problem::ActionFailed {
                    action,
                    error: error.clone(),
                });
            }
        }
        problems.push(Problem::Text("Not allowed.".into()));
        for problem in problems {
            let json = serde_json::to_string(&problem).unwrap();
            assert_eq!(serde_json::from_str::<Problem>(&json).unwrap(), problem);
        }
        assert_eq!(
            serde_json::from_str::<Problem>(r#""Cannot reach the server (x).""#).unwrap(),
            Problem::Text("Cannot reach the server (x).".into()),
            "an older version's sentence"
        );
    }
}
