//! Message checks and replies: CometD's `validateMessage`, channel names and wildcards, the reply
//! shapes, and small time and id helpers.

use std::time::Duration;

use gws_protocol::bayeux::{META_CONNECT, META_HANDSHAKE};
use gws_protocol::{Advice, BayeuxMessage, Reconnect};
use serde_json::json;
use tokio::time::Instant;

use super::*;

/// CometD's `validateMessage`: a channel, made of Bayeux channel characters; an alphanumeric id.
pub(super) fn validate(message: &BayeuxMessage) -> Option<&'static str> {
    if message.channel.is_empty() {
        return Some(ERROR_CHANNEL_MISSING);
    }
    if !is_valid_channel(&message.channel) {
        return Some(ERROR_CHANNEL_INVALID);
    }
    let id_is_valid = message
        .id
        .as_deref()
        .is_none_or(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()));
    if !id_is_valid {
        return Some(ERROR_MESSAGE_ID_INVALID);
    }
    None
}

/// Bayeux's channel grammar as CometD checks it: `/` then letters, digits and ` !#$()*+-./@_{~}`.
pub(super) fn is_valid_channel(channel: &str) -> bool {
    channel.len() >= 2
        && channel.starts_with('/')
        && channel
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " !#$()*+-./@_{~}".contains(c))
}

pub(super) fn first_segment_is(channel: &str, segment: &str) -> bool {
    channel
        .strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(segment))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

pub(super) fn is_meta(channel: &str) -> bool {
    first_segment_is(channel, "meta")
}

pub(super) fn is_service(channel: &str) -> bool {
    first_segment_is(channel, "service")
}

pub(super) fn is_wildcard(channel: &str) -> bool {
    channel.ends_with("/*") || channel.ends_with("/**")
}

/// `/a/*` matches `/a/b`; `/a/**` matches `/a/b` and `/a/b/c`; anything else matches itself.
pub(super) fn subscription_matches(pattern: &str, channel: &str) -> bool {
    let below = |prefix: &str| {
        channel
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('/'))
            .filter(|rest| !rest.is_empty())
    };
    if let Some(prefix) = pattern.strip_suffix("/**") {
        below(prefix).is_some()
    } else if let Some(prefix) = pattern.strip_suffix("/*") {
        below(prefix).is_some_and(|rest| !rest.contains('/'))
    } else {
        pattern == channel
    }
}

pub(super) fn reply_to(request: &BayeuxMessage) -> BayeuxMessage {
    BayeuxMessage {
        channel: request.channel.clone(),
        id: request.id.clone(),
        subscription: request.subscription.clone(),
        ..BayeuxMessage::default()
    }
}

pub(super) fn success_reply(request: &BayeuxMessage) -> BayeuxMessage {
    BayeuxMessage {
        successful: Some(true),
        ..reply_to(request)
    }
}

pub(super) fn error_reply(request: &BayeuxMessage, error: &str) -> BayeuxMessage {
    BayeuxMessage {
        successful: Some(false),
        error: Some(error.to_owned()),
        ..reply_to(request)
    }
}

/// CometD's `unknownSession`: 402, and on handshake/connect the advice to handshake again.
pub(super) fn unknown_client_reply(request: &BayeuxMessage) -> BayeuxMessage {
    let mut reply = error_reply(request, ERROR_UNKNOWN_CLIENT);
    if request.channel == META_CONNECT || request.channel == META_HANDSHAKE {
        reply.advice = Some(Advice {
            reconnect: Some(Reconnect::Handshake),
            interval: Some(0),
            ..Advice::default()
        });
    }
    reply
}

pub(super) fn connect_reply(
    request: &BayeuxMessage,
    advice: Option<Advice>,
    batch: Option<u64>,
) -> BayeuxMessage {
    BayeuxMessage {
        channel: META_CONNECT.into(),
        advice,
        ext: batch.map(|batch| json!({ "ack": batch })),
        ..success_reply(request)
    }
}

pub(super) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// `now + after`, saturating far in the future instead of overflowing.
pub(super) fn later(now: Instant, after: Duration) -> Instant {
    now.checked_add(after)
        .or_else(|| now.checked_add(Duration::from_secs(86_400 * 365)))
        .unwrap_or(now)
}

pub(super) fn base36(mut value: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        let digit = usize::try_from(value % 36).unwrap_or(0);
        out.push(DIGITS.get(digit).copied().unwrap_or(b'0'));
        value /= 36;
        if value == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
