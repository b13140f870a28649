//! The sentence an agent reads for each [`RequestError`](crate::state::RequestError), in the catalogue's language:
//! the REST layer knows no wording.

use gws_protocol::StatusCode;

use super::{fill, Locale, Texts};
use crate::state::RequestError as Error;

impl Error {
    /// The sentence an agent reads, in the catalogue's language (the server's own `statusMessage`
    /// stays as the server wrote it).
    pub fn describe(&self, t: &Texts) -> String {
        match self {
            Self::Network(detail) => fill(t.error_network, &[("detail", detail)]),
            Self::Unauthenticated => t.error_signed_out.to_owned(),
            Self::Csrf => t.error_csrf.to_owned(),
            Self::Gws { code, message } => {
                let what = match code {
                    StatusCode::MissingParameter => t.error_missing,
                    StatusCode::InvalidState => t.error_invalid_state,
                    StatusCode::Forbidden | StatusCode::NoPermission => t.error_not_allowed,
                    StatusCode::InternalError => t.error_server,
                    StatusCode::NotFound => t.error_not_found,
                    StatusCode::Unauthenticated => t.error_signed_out_short,
                    _ => t.error_refused,
                };
                if message.is_empty() {
                    fill(t.error_gws, &[("what", what)])
                } else {
                    fill(t.error_gws_message, &[("what", what), ("message", message)])
                }
            }
            Self::Http { status, .. } => fill(t.error_http, &[("status", &status.to_string())]),
            Self::Decode(detail) => fill(t.error_decode, &[("detail", detail)]),
        }
    }
}

/// English, for logs.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(Locale::En.texts()))
    }
}
