//! Why a request failed, as the model keeps it (and storage writes it).

use gws_protocol::StatusCode;

/// Why a request to GWS did not succeed, in terms a person can act on (worded by `i18n::errors`: it
/// knows no language). `net::api` makes them from replies (as `api::Error`); the model keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// No answer: the network, a proxy or the server is unreachable.
    Network(String),
    /// The session cookie is missing or expired.
    Unauthenticated,
    /// The server refused the CSRF token (HTTP 403 without a GWS body).
    Csrf,
    /// GWS answered with a non-zero `statusCode`.
    Gws { code: StatusCode, message: String },
    /// An HTTP error without a GWS body.
    Http { status: u16, body: String },
    /// The server answered something this widget cannot read.
    Decode(String),
}

impl RequestError {
    /// A machine-readable name of the failure for the host page (`imw:error`'s `detail.kind`):
    /// `unauthenticated` asks the host to sign the agent in again.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Network(_) => "network",
            Self::Unauthenticated => "unauthenticated",
            Self::Csrf => "csrf",
            Self::Gws { .. } => "refused",
            Self::Http { .. } => "http",
            Self::Decode(_) => "decode",
        }
    }

    /// Whether trying again later may succeed without the agent changing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Http { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            Self::Gws { code, .. } => *code == StatusCode::InternalError,
            _ => false,
        }
    }
}

/// Between the fields of a stored error.
const SEP: char = '\u{1f}';

impl RequestError {
    /// The error as one short string for storage ("kind␟field␟…").
    pub fn encode(&self) -> String {
        match self {
            Self::Network(detail) => format!("network{SEP}{detail}"),
            Self::Unauthenticated => "signed-out".to_owned(),
            Self::Csrf => "csrf".to_owned(),
            Self::Gws { code, message } => format!("gws{SEP}{}{SEP}{message}", code.code()),
            Self::Http { status, body } => format!("http{SEP}{status}{SEP}{body}"),
            Self::Decode(detail) => format!("decode{SEP}{detail}"),
        }
    }

    /// A stored error; anything unreadable becomes `Decode` with the stored text.
    pub fn decode(stored: &str) -> Self {
        let (kind, rest) = stored.split_once(SEP).unwrap_or((stored, ""));
        let (first, second) = rest.split_once(SEP).unwrap_or((rest, ""));
        match kind {
            "network" => Self::Network(rest.to_owned()),
            "signed-out" => Self::Unauthenticated,
            "csrf" => Self::Csrf,
            "gws" => Self::Gws {
                code: StatusCode::from_code(first.parse().unwrap_or(-1)),
                message: second.to_owned(),
            },
            "http" => Self::Http {
                status: first.parse().unwrap_or(0),
                body: second.to_owned(),
            },
            "decode" => Self::Decode(rest.to_owned()),
            _ => Self::Decode(stored.to_owned()),
        }
    }
}
