//! HTTP sessions (`JSESSIONID`), authentication and CSRF on `/api/v2`, as GWS does them.

use std::collections::HashMap;

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use serde::Serialize;
use tokio::time::{Duration, Instant};

use crate::model::XorShift;

pub const SESSION_COOKIE: &str = "JSESSIONID";
/// Names the header a client must send: GWS answers `X-CSRF-HEADER: X-CSRF-TOKEN`.
pub const CSRF_HEADER_HEADER: &str = "X-CSRF-HEADER";
pub const CSRF_TOKEN_HEADER: &str = "X-CSRF-TOKEN";
pub const CSRF_REJECTION: &str = "Missing or invalid Csrf token";
/// The CometD endpoint: cookie only, no CSRF token.
pub const NOTIFICATIONS_PATH: &str = "/api/v2/notifications";

/// One logged-in HTTP session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpSession {
    pub jsessionid: String,
    pub csrf_token: String,
}

/// Every HTTP session the server knows; kept across `/_sim/restart`.
#[derive(Debug)]
pub struct HttpSessions {
    /// Each session with the time of its last request.
    sessions: HashMap<String, (HttpSession, Instant)>,
    rng: XorShift,
    /// The session of requests without a cookie when authentication is off.
    anonymous: HttpSession,
    /// A session unused this long is gone, as a servlet container's session timeout does it
    /// (`--session-idle-timeout-ms`; `None`: never).
    idle_timeout: Option<Duration>,
    /// Sessions ended by expiry (idle or `POST /_sim/expire`), for `/_sim/state`'s counters.
    expired: u64,
}

impl HttpSessions {
    pub fn new(seed: u64, idle_timeout: Option<Duration>) -> Self {
        let mut rng = XorShift::new(seed);
        let anonymous = HttpSession {
            jsessionid: String::new(),
            csrf_token: hex(&mut rng, 32),
        };
        Self {
            sessions: HashMap::new(),
            rng,
            anonymous,
            idle_timeout,
            expired: 0,
        }
    }

    pub fn create(&mut self, now: Instant) -> HttpSession {
        let session = HttpSession {
            jsessionid: hex(&mut self.rng, 32),
            csrf_token: hex(&mut self.rng, 36),
        };
        self.sessions
            .insert(session.jsessionid.clone(), (session.clone(), now));
        session
    }

    /// The session named `jsessionid`, if it is still alive at `now`; a use keeps it alive.
    /// One idle past the timeout is removed here: its cookie names nothing from then on.
    pub fn touch(&mut self, jsessionid: &str, now: Instant) -> Option<HttpSession> {
        let idle_timeout = self.idle_timeout;
        let (session, last_used) = self.sessions.get_mut(jsessionid)?;
        if idle_timeout.is_some_and(|limit| now.saturating_duration_since(*last_used) > limit) {
            self.sessions.remove(jsessionid);
            self.expired += 1;
            return None;
        }
        *last_used = now;
        Some(session.clone())
    }

    /// Ends every session at once (`POST /_sim/expire`); returns how many there were.
    pub fn expire_all(&mut self) -> usize {
        let count = self.sessions.len();
        self.sessions.clear();
        self.expired += count as u64;
        count
    }

    /// How many sessions have expired so far.
    pub fn expired(&self) -> u64 {
        self.expired
    }

    pub fn anonymous(&self) -> HttpSession {
        self.anonymous.clone()
    }

    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

fn hex(rng: &mut XorShift, len: usize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    (0..len)
        .map(|_| char::from(DIGITS[rng.below(16)]))
        .collect()
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

/// `Set-Cookie` for a new HTTP session.
pub fn set_cookie(session: &HttpSession) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax",
        session.jsessionid
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("JSESSIONID=invalid; Path=/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; JSESSIONID=ABC ; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("ABC"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn sessions_have_distinct_ids_and_tokens() {
        let now = Instant::now();
        let mut sessions = HttpSessions::new(3, None);
        let a = sessions.create(now);
        let b = sessions.create(now);
        assert_ne!(a.jsessionid, b.jsessionid);
        assert_ne!(a.csrf_token, b.csrf_token);
        assert_eq!(sessions.touch(&a.jsessionid, now), Some(a));
        assert_eq!(sessions.len(), 2);
    }

    #[test]
    fn an_idle_session_expires_and_a_used_one_lives_on() {
        let start = Instant::now();
        let limit = Duration::from_secs(60);
        let mut sessions = HttpSessions::new(3, Some(limit));
        let used = sessions.create(start);
        let idle = sessions.create(start);
        let later = start + Duration::from_secs(40);
        assert!(sessions.touch(&used.jsessionid, later).is_some());
        let past = start + Duration::from_secs(61);
        assert_eq!(
            sessions.touch(&idle.jsessionid, past),
            None,
            "idle 61 s > 60 s"
        );
        assert_eq!(
            sessions.touch(&idle.jsessionid, start),
            None,
            "gone for good"
        );
        assert!(
            sessions.touch(&used.jsessionid, past).is_some(),
            "used 21 s ago"
        );
        assert_eq!(sessions.expired(), 1);
        assert_eq!(sessions.expire_all(), 1);
        assert_eq!(sessions.touch(&used.jsessionid, past), None);
        assert_eq!(sessions.expired(), 2);
        assert!(sessions.is_empty());
    }

    #[test]
    fn without_a_timeout_sessions_never_expire_by_themselves() {
        let start = Instant::now();
        let mut sessions = HttpSessions::new(3, None);
        let session = sessions.create(start);
        let much_later = start + Duration::from_secs(365 * 24 * 3600);
        assert_eq!(
            sessions.touch(&session.jsessionid, much_later),
            Some(session)
        );
    }
}
