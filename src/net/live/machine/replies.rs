//! What each reply does to the machine (handshake, subscribe, connect, a failure, the server
//! forgetting the client), and reading a batch: which message answers our request, whether the server forgot the client,
//! the error worth logging, and data messages as notifications.

use gws_protocol::{BayeuxMessage, ImNotification, Reconnect, IM_SESSIONS_TOPIC};

use super::advice::{advised_interval, backoff_delay};
use super::{Hold, LiveMachine, Output, Phase, Reported};
use crate::state::{LiveEvent, Millis};
use serde_json::Value;

impl LiveMachine {
    pub(super) fn on_handshake(
        &mut self,
        reply: Option<&BayeuxMessage>,
        at: Millis,
        out: &mut Vec<Output>,
    ) {
        let Some(reply) = reply else {
            return self.failed(at, "the reply has no /meta/handshake answer", out);
        };
        self.failing_since = None;
        self.take_advice(reply.advice.as_ref());
        if advises(reply, Reconnect::None) {
            return self.give_up(at, reply, out);
        }
        let client_id = reply.client_id.as_deref().filter(|id| !id.is_empty());
        match client_id {
            Some(client_id) if reply.is_successful() => {
                self.acks = reply.ext_ack() == Some(&Value::Bool(true));
                self.batch = 0;
                self.send_subscribe(client_id.to_owned(), 0, out);
            }
            _ => {
                out.push(Output::Problem(format!(
                    "CometD handshake refused: {}",
                    error_of(reply)
                )));
                let delay = self.backoff();
                self.send_handshake(delay, out);
            }
        }
    }

    pub(super) fn on_subscribe(
        &mut self,
        subscribed: Option<&BayeuxMessage>,
        connected: Option<&BayeuxMessage>,
        client_id: String,
        at: Millis,
        out: &mut Vec<Output>,
    ) {
        let Some(subscribed) = subscribed else {
            return self.failed(at, "the reply has no /meta/subscribe answer", out);
        };
        self.failing_since = None;
        if let Some(lost) = [Some(subscribed), connected]
            .into_iter()
            .flatten()
            .find(|reply| client_is_gone(reply))
        {
            return self.rehandshake(lost, at, out);
        }
        if let Some(refusal) = [Some(subscribed), connected]
            .into_iter()
            .flatten()
            .find(|reply| advises(reply, Reconnect::None))
        {
            return self.give_up(at, refusal, out);
        }
        if !subscribed.is_successful() {
            out.push(Output::Problem(format!(
                "CometD subscribe to {IM_SESSIONS_TOPIC} refused: {}",
                error_of(subscribed)
            )));
            let delay = self.backoff();
            return self.send_subscribe(client_id, delay, out);
        }
        self.retries = 0;
        self.rehandshakes = 0;
        self.reported = Reported::Up;
        out.push(Output::Event(LiveEvent::Up { at, fresh: true }));
        match connected {
            Some(reply) => self.on_connect(reply, client_id, at, out),
            None => {
                out.push(Output::Problem(
                    "the subscribe reply has no /meta/connect answer".into(),
                ));
                let delay = self.backoff();
                self.send_connect(client_id, delay, Hold::AnswerAtOnce, out);
            }
        }
    }

    pub(super) fn on_connect(
        &mut self,
        reply: &BayeuxMessage,
        client_id: String,
        at: Millis,
        out: &mut Vec<Output>,
    ) {
        self.take_advice(reply.advice.as_ref());
        if client_is_gone(reply) {
            return self.rehandshake(reply, at, out);
        }
        if advises(reply, Reconnect::None) {
            return self.give_up(at, reply, out);
        }
        if reply.is_successful() {
            if self.acks {
                if let Some(batch) = reply.ext_ack().and_then(Value::as_i64) {
                    self.batch = batch;
                }
            }
            self.retries = 0;
            if self.reported != Reported::Up {
                self.reported = Reported::Up;
                out.push(Output::Event(LiveEvent::Up { at, fresh: false }));
            }
            // Everything published before this connect left has now been delivered (in order).
            out.push(Output::Event(LiveEvent::Round {
                started: self.connect_sent,
            }));
            let delay = self.interval_delay();
            self.send_connect(client_id, delay, Hold::Allowed, out);
        } else {
            out.push(Output::Problem(format!(
                "CometD connect refused: {}",
                error_of(reply)
            )));
            self.interrupted(at, out);
            let delay = self.backoff().max(self.interval_delay());
            self.send_connect(client_id, delay, Hold::AnswerAtOnce, out);
        }
    }

    /// The outstanding request failed: send it again, same clientId, after the backoff.
    pub(super) fn failed(&mut self, at: Millis, reason: &str, out: &mut Vec<Output>) {
        let since = *self.failing_since.get_or_insert(at);
        self.interrupted(at, out);
        if at - since > self.max_interval_ms as f64 && self.reported != Reported::Offline {
            self.reported = Reported::Offline;
            out.push(Output::Event(LiveEvent::Offline { at }));
        }
        let delay = self.backoff();
        out.push(Output::Problem(format!(
            "CometD request failed ({reason}); retrying in {delay} ms"
        )));
        match self.phase.clone() {
            Phase::Handshaking { .. } => self.send_handshake(delay, out),
            Phase::Subscribing { client_id, .. } => self.send_subscribe(client_id, delay, out),
            Phase::Connecting { client_id, .. } => {
                self.send_connect(client_id, delay, Hold::AnswerAtOnce, out)
            }
            Phase::Idle | Phase::Stopped => {}
        }
    }

    /// The server forgot this client (or asks for a new one): handshake and subscribe again.
    pub(super) fn rehandshake(&mut self, reply: &BayeuxMessage, at: Millis, out: &mut Vec<Output>) {
        out.push(Output::Problem(format!(
            "CometD client lost ({}); handshaking again",
            error_of(reply)
        )));
        self.interrupted(at, out);
        // The server answered, so earlier network failures no longer count.
        self.retries = 0;
        self.rehandshakes = self.rehandshakes.saturating_add(1);
        // The first rehandshake follows the server's advice (CometD says interval 0); a loop backs off.
        let delay = match self.rehandshakes {
            1 => advised_interval(reply.advice.as_ref()),
            again => backoff_delay(again - 1),
        };
        self.acks = false;
        self.batch = 0;
        self.send_handshake(delay, out);
    }

    /// `reconnect: "none"`: the server will not take this client; stop.
    pub(super) fn give_up(&mut self, at: Millis, reply: &BayeuxMessage, out: &mut Vec<Output>) {
        out.push(Output::Problem(format!(
            "CometD server advised not to reconnect ({} {}); live updates stop",
            reply.channel,
            error_of(reply)
        )));
        self.phase = Phase::Stopped;
        if self.reported != Reported::Offline {
            self.reported = Reported::Offline;
            out.push(Output::Event(LiveEvent::Offline { at }));
        }
    }

    /// Tells the reducer a live session was interrupted (only if one was up: a start-up blip is silent).
    pub(super) fn interrupted(&mut self, at: Millis, out: &mut Vec<Output>) {
        if self.reported == Reported::Up {
            self.reported = Reported::Interrupted;
            out.push(Output::Event(LiveEvent::Interrupted { at }));
        }
    }
}

/// The reply to our request: its channel, and its id when it carries one.
pub(super) fn reply_to<'a>(
    batch: &'a [BayeuxMessage],
    channel: &str,
    id: &str,
) -> Option<&'a BayeuxMessage> {
    batch.iter().find(|message| {
        message.channel == channel && message.id.as_deref().is_none_or(|reply_id| reply_id == id)
    })
}

/// `402::Unknown client`, or advice to handshake again.
pub(super) fn client_is_gone(reply: &BayeuxMessage) -> bool {
    advises(reply, Reconnect::Handshake)
        || reply
            .error
            .as_deref()
            .is_some_and(|error| error.trim_start().starts_with("402"))
}

pub(super) fn advises(reply: &BayeuxMessage, reconnect: Reconnect) -> bool {
    reply
        .advice
        .as_ref()
        .and_then(|advice| advice.reconnect.as_ref())
        == Some(&reconnect)
}

pub(super) fn error_of(reply: &BayeuxMessage) -> String {
    match reply.error.as_deref() {
        Some(error) => short(error),
        None if reply.is_successful() => "no clientId".into(),
        None => "no reason given".into(),
    }
}

/// A data message: on the IM-session topic it becomes a notification, anything else is a problem.
pub(super) fn notification(message: &BayeuxMessage, at: Millis, out: &mut Vec<Output>) {
    if message.channel != IM_SESSIONS_TOPIC {
        out.push(Output::Problem(format!(
            "ignored a CometD message on {}",
            short(&message.channel)
        )));
        return;
    }
    let Some(data) = message.data.as_ref() else {
        out.push(Output::Problem(format!(
            "ignored a message on {IM_SESSIONS_TOPIC} without data"
        )));
        return;
    };
    match ImNotification::from_value(data) {
        Ok(notification) => out.push(Output::Event(LiveEvent::Notification { notification, at })),
        Err(error) => out.push(Output::Problem(format!(
            "skipped a notification on {IM_SESSIONS_TOPIC}: {error}"
        ))),
    }
}

/// Server text in a log line, cut to a readable length.
pub(super) fn short(text: &str) -> String {
    match text.char_indices().nth(120) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}
