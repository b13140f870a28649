use gws_protocol::{StatusCode, StatusReply};

pub use crate::state::RequestError as Error;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Turns an HTTP status and body into the reply type, or the error a person should see.
pub fn decode_reply<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, Error> {
    // Only a JSON object is a GWS envelope (serde would read an array positionally).
    let parsed = crate::json::parse(body);
    let object = parsed.as_ref().ok().filter(|v| v.is_object());
    let read_envelope = object.map(StatusReply::deserialize);
    let envelope = read_envelope.as_ref().and_then(|r| r.as_ref().ok());
    if let Some(reply) = &envelope {
        if reply.status_code == StatusCode::Unauthenticated {
            return Err(Error::Unauthenticated);
        }
        if !reply.status_code.is_success() {
            return Err(Error::Gws {
                code: reply.status_code,
                message: reply.status_message.clone().unwrap_or_default(),
            });
        }
    }
    match (status, object) {
        (200..=299, Some(object)) if envelope.is_some() => {
            T::deserialize(object).map_err(|err| Error::Decode(err.to_string()))
        }
        // What is wrong with a 2xx reply, as precisely as the agent's support desk needs it.
        (200..=299, _) => Err(Error::Decode(match (&parsed, read_envelope) {
            (Err(_), _) => "not JSON".into(),
            (Ok(_), None) => "not a JSON object".into(),
            (Ok(v), Some(_)) if v.get("statusCode").is_none() => {
                "no statusCode in the reply".into()
            }
            (Ok(_), Some(read)) => read.err().map(|e| e.to_string()).unwrap_or_default(),
        })),
        (401, _) => Err(Error::Unauthenticated),
        (403, _) if body.to_ascii_lowercase().contains("csrf") => Err(Error::Csrf),
        _ => Err(Error::Http {
            status,
            body: body.chars().take(200).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use gws_protocol::ImSessionList;

    #[test]
    fn success_decodes_the_reply() {
        let list: ImSessionList = decode_reply(200, r#"{"statusCode":0,"imSessions":[]}"#).unwrap();
        assert!(list.im_sessions.is_empty());
    }

    #[test]
    fn non_zero_status_code_is_a_gws_error_even_with_http_200() {
        let err =
            decode_reply::<StatusReply>(200, r#"{"statusCode":2,"statusMessage":"Invalid state"}"#)
                .unwrap_err();
        assert_eq!(
            err,
            Error::Gws {
                code: StatusCode::InvalidState,
                message: "Invalid state".into()
            }
        );
        assert_eq!(
            err.describe(Locale::En.texts()),
            "Not possible in this session's current state: Invalid state"
        );
        assert_eq!(
            err.describe(Locale::De.texts()),
            "Im aktuellen Status dieser Sitzung nicht möglich: Invalid state"
        );
    }

    #[test]
    fn status_20_and_http_401_mean_signed_out() {
        let body = r#"{"statusCode":20,"statusMessage":"Access de…"}"#;
        assert_eq!(
            decode_reply::<StatusReply>(401, body).unwrap_err(),
            Error::Unauthenticated
        );
        assert_eq!(
            decode_reply::<StatusReply>(401, "").unwrap_err(),
            Error::Unauthenticated
        );
    }

    #[test]
    fn plain_text_403_about_csrf_is_a_csrf_error() {
        let err = decode_reply::<StatusReply>(403, "Missing or invalid Csrf token").unwrap_err();
        assert_eq!(err, Error::Csrf);
    }

    #[test]
    fn html_error_pages_and_garbage_are_http_or_decode_errors() {
        let err = decode_reply::<StatusReply>(502, "<html>Bad gateway</html>").unwrap_err();
        assert!(matches!(err, Error::Http { status: 502, .. }));
        assert!(err.is_transient());
        let err = decode_reply::<StatusReply>(200, "{\"statusCode\":0").unwrap_err();
        assert!(matches!(err, Error::Decode(_)));
        let err = decode_reply::<ImSessionList>(200, "[1,2]").unwrap_err();
        assert!(matches!(err, Error::Decode(_)));
    }

    #[test]
    fn a_bad_2xx_body_says_what_is_wrong_with_it() {
        let reason = |body: &str| match decode_reply::<ImSessionList>(200, body) {
            Err(Error::Decode(detail)) => detail,
            other => format!("not a decode error: {other:?}"),
        };
        assert_eq!(reason("<html>502 Bad Gateway</html>"), "not JSON");
        assert_eq!(reason(r#"{"statusCode":0,"imSessions":[{"id""#), "not JSON");
        assert_eq!(reason("null"), "not a JSON object");
        assert_eq!(reason("[1,2,3]"), "not a JSON object");
        assert_eq!(reason(r#"{"imSessions":[]}"#), "no statusCode in the reply");
        assert_eq!(
            reason(r#"{"statusCode":"zero","imSessions":{"id":7}}"#),
            r#"statusCode is not a number: "zero""#
        );
    }
}
