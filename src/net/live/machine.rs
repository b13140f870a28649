//! The CometD (Bayeux 1.0) long-polling client as a pure state machine: no browser, no clock.
//!
//! The runtime feeds it [`Input`]s (start, a decoded reply, a failed request, stop) and carries out
//! its [`Output`]s (post this batch after a delay, hand this event to the reducer, log this problem).
//! Exactly one request is outstanding at a time: `/meta/handshake`, then `/meta/subscribe` to
//! [`IM_SESSIONS_TOPIC`] batched with the first `/meta/connect` (as the CometD JavaScript client
//! does), then one `/meta/connect` after another as the server's `advice` says.
//!
//! | what happens | what the machine does | events |
//! |---|---|---|
//! | `Start` | handshake offering `ext: {ack: true}` | |
//! | handshake answered | `[subscribe, connect]` at once; acks on only if the reply says `ext.ack: true` | |
//! | subscribe answered | connect again after `advice.interval` | `LiveEvent::Up { fresh: true }` |
//! | connect answered | next connect after `advice.interval`, `ext.ack` = last batch id | `LiveEvent::Up { fresh: false }` after failures; `LiveEvent::Round { started }` after its data |
//! | `402::Unknown client` / `reconnect: "handshake"` | handshake again (first at `advice.interval`, then backoff) | `LiveEvent::Interrupted` if it was up |
//! | request failed (network, HTTP, body) | same request, same clientId, backoff 250 ms → 2 s; a retried connect asks `advice.timeout: 0` so its reply says at once that the server is back | `LiveEvent::Interrupted` first, `LiveEvent::Offline` past `maxInterval` |
//! | request refused (`successful: false`) | same step again with backoff | `LiveEvent::Interrupted` if it was up |
//! | `reconnect: "none"` | stop | `LiveEvent::Offline` |
//! | data on `/v2/me/im-sessions` anywhere in a reply | decoded in batch order | `Notification` each |
//! | `Stop` | one `/meta/disconnect` (best effort), then nothing | |
//! | `Resume` (another tab's client) | connect at once with its clientId and `ext.ack` | `LiveEvent::Up { fresh: false }`; a 402 handshakes as usual |

use gws_protocol::bayeux::{META_CONNECT, META_HANDSHAKE, META_SUBSCRIBE};
use gws_protocol::{Advice, BayeuxMessage, ImNotification, Reconnect, IM_SESSIONS_TOPIC};
use serde_json::Value;

use crate::state::{LiveEvent, Millis};

/// The first retry after a failure waits this long; each further one twice as long.
pub const FIRST_RETRY_DELAY_MS: u32 = 250;
/// Retries stay well inside the server's `maxInterval` (10 s by default), so the client survives.
pub const LONGEST_RETRY_DELAY_MS: u32 = 2_000;
/// How long a request may take beyond the server's `advice.timeout` before it is given up.
pub const NETWORK_DELAY_MS: u64 = 10_000;
/// CometD's defaults, used until the handshake reply advises otherwise.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
pub const DEFAULT_MAX_INTERVAL_MS: u64 = 10_000;
/// A server-advised `interval` longer than this is clamped, so a bad value cannot park the client.
pub const LONGEST_ADVISED_INTERVAL_MS: u64 = 60_000;
/// A server-advised `timeout` longer than this is clamped (the official servers allow no more).
pub const LONGEST_ADVISED_TIMEOUT_MS: u64 = 600_000;

/// What happened to the client.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Begin: handshake.
    Start { at: Millis },
    /// The outstanding request was answered with this (decoded) batch.
    Replied {
        batch: Vec<BayeuxMessage>,
        at: Millis,
    },
    /// The outstanding request failed: network error, timeout, HTTP error, undecodable body.
    Failed { at: Millis, reason: String },
    /// The widget is going away: say goodbye and do nothing more.
    Stop,
    /// Begin by taking over a client another tab of this browser ran (see [`ResumeToken`]): connect
    /// with its clientId at once, so the server's queue and the ack extension bring what it missed.
    Resume {
        client_id: String,
        acks: bool,
        batch: i64,
        at: Millis,
    },
}

/// What another tab needs to carry on this tab's CometD client: its id and ack state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeToken {
    pub client_id: String,
    pub acks: bool,
    pub batch: i64,
}

/// What the runtime must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// POST this batch (a JSON array) after `delay_ms`; its outcome comes back as an [`Input`].
    /// After `Stop` it is the farewell `/meta/disconnect`, whose outcome nobody needs.
    Send {
        batch: Vec<BayeuxMessage>,
        delay_ms: u32,
    },
    /// Hand this to the reducer.
    Event(LiveEvent),
    /// Something the server sent that was skipped or refused; the runtime logs it.
    Problem(String),
}

/// Which request is outstanding, with the ids its replies will carry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Idle,
    Handshaking {
        id: String,
    },
    /// `[subscribe, connect]` right after a handshake.
    Subscribing {
        client_id: String,
        subscribe_id: String,
        connect_id: String,
    },
    Connecting {
        client_id: String,
        connect_id: String,
    },
    Stopped,
}

/// Whether the server may hold a `/meta/connect` until data or its timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    Allowed,
    /// After a failure or refusal: the reply must come at once, so the client knows it is back.
    AnswerAtOnce,
}

/// The last connection state told to the reducer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reported {
    /// Starting up: nothing said yet.
    Nothing,
    Up,
    Interrupted,
    Offline,
}

/// The CometD client's state. See the module doc for its behaviour.
#[derive(Debug, Clone)]
pub struct LiveMachine {
    phase: Phase,
    /// The last message id used (ids are per client connection, strings on the wire).
    last_id: u64,
    /// The server agreed to the acknowledged-messages extension at the last handshake.
    acks: bool,
    /// The last ack batch id a successful connect reply carried (CometD starts at 0).
    batch: i64,
    timeout_ms: u64,
    interval_ms: u64,
    max_interval_ms: u64,
    /// Unsuccessful steps since the last good one, for the backoff.
    retries: u32,
    /// Handshakes forced by the server since the last successful subscribe, for their backoff.
    rehandshakes: u32,
    /// When the current run of failed requests began (the server was last reachable before it).
    failing_since: Option<Millis>,
    reported: Reported,
    /// The time of the last input (this client's clock).
    now: Millis,
    /// No earlier than when the outstanding `/meta/connect` left: it was sent `delay_ms` after `now`.
    connect_sent: Millis,
}

impl Default for LiveMachine {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveMachine {
    pub fn new() -> Self {
        Self {
            phase: Phase::Idle,
            last_id: 0,
            acks: false,
            batch: 0,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            interval_ms: 0,
            max_interval_ms: DEFAULT_MAX_INTERVAL_MS,
            retries: 0,
            rehandshakes: 0,
            failing_since: None,
            reported: Reported::Nothing,
            now: 0.0,
            connect_sent: 0.0,
        }
    }

    /// Advances the client by one input. Never panics, whatever the server sent.
    pub fn step(&mut self, input: Input) -> Vec<Output> {
        let mut out = Vec::new();
        if let Input::Start { at }
        | Input::Replied { at, .. }
        | Input::Failed { at, .. }
        | Input::Resume { at, .. } = &input
        {
            self.now = *at;
        }
        match input {
            Input::Start { .. } => {
                if self.phase == Phase::Idle {
                    self.send_handshake(0, &mut out);
                }
            }
            Input::Replied { batch, at } => {
                if self.is_waiting() {
                    self.replied(&batch, at, &mut out);
                }
            }
            Input::Failed { at, reason } => {
                if self.is_waiting() {
                    self.failed(at, &reason, &mut out);
                }
            }
            Input::Stop => self.stop(&mut out),
            Input::Resume {
                client_id,
                acks,
                batch,
                at: _,
            } => {
                if self.phase == Phase::Idle {
                    self.acks = acks;
                    self.batch = batch;
                    self.send_connect(client_id, 0, Hold::AnswerAtOnce, &mut out);
                }
            }
        }
        out
    }

    /// How long the runtime lets a request run before aborting it: `advice.timeout` + 10 s.
    pub fn request_timeout_ms(&self) -> u32 {
        let total = self
            .timeout_ms
            .min(LONGEST_ADVISED_TIMEOUT_MS)
            .saturating_add(NETWORK_DELAY_MS);
        u32::try_from(total).unwrap_or(u32::MAX)
    }

    /// The server's id for this client, while it has one.
    pub fn client_id(&self) -> Option<&str> {
        match &self.phase {
            Phase::Subscribing { client_id, .. } | Phase::Connecting { client_id, .. } => {
                Some(client_id)
            }
            Phase::Idle | Phase::Handshaking { .. } | Phase::Stopped => None,
        }
    }

    /// What another tab needs to take this client over, once a connect was answered.
    pub fn resume_token(&self) -> Option<ResumeToken> {
        match &self.phase {
            Phase::Connecting { client_id, .. } if self.reported == Reported::Up => {
                Some(ResumeToken {
                    client_id: client_id.clone(),
                    acks: self.acks,
                    batch: self.batch,
                })
            }
            _ => None,
        }
    }

    /// Stopped by `Stop` or by the server's `reconnect: "none"`: no more requests.
    pub fn is_stopped(&self) -> bool {
        self.phase == Phase::Stopped
    }

    fn is_waiting(&self) -> bool {
        !matches!(self.phase, Phase::Idle | Phase::Stopped)
    }

    fn stop(&mut self, out: &mut Vec<Output>) {
        if let Some(client_id) = self.client_id().map(str::to_owned) {
            let id = self.take_id();
            out.push(Output::Send {
                batch: vec![BayeuxMessage::disconnect(id, &client_id)],
                delay_ms: 0,
            });
        }
        self.phase = Phase::Stopped;
    }

    fn replied(&mut self, batch: &[BayeuxMessage], at: Millis, out: &mut Vec<Output>) {
        let mut notifications = Vec::new();
        for message in batch.iter().filter(|message| !message.is_meta()) {
            notification(message, at, &mut notifications);
        }
        let mut status = Vec::new();
        match self.phase.clone() {
            Phase::Handshaking { id } => {
                self.on_handshake(reply_to(batch, META_HANDSHAKE, &id), at, &mut status);
            }
            Phase::Subscribing {
                client_id,
                subscribe_id,
                connect_id,
            } => self.on_subscribe(
                reply_to(batch, META_SUBSCRIBE, &subscribe_id),
                reply_to(batch, META_CONNECT, &connect_id),
                client_id,
                at,
                &mut status,
            ),
            Phase::Connecting {
                client_id,
                connect_id,
            } => match reply_to(batch, META_CONNECT, &connect_id) {
                Some(reply) => {
                    self.failing_since = None;
                    self.on_connect(reply, client_id, at, &mut status);
                }
                None => self.failed(at, "the reply has no /meta/connect answer", &mut status),
            },
            Phase::Idle | Phase::Stopped => {}
        }
        // A fresh session is up before what it delivers, so a gap marker precedes the new lines.
        let ups = status
            .iter()
            .take_while(|output| matches!(output, Output::Event(LiveEvent::Up { .. })))
            .count();
        let rest = status.split_off(ups);
        out.extend(status);
        out.extend(notifications);
        out.extend(rest);
    }

    fn on_handshake(&mut self, reply: Option<&BayeuxMessage>, at: Millis, out: &mut Vec<Output>) {
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

    fn on_subscribe(
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

    fn on_connect(
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
    fn failed(&mut self, at: Millis, reason: &str, out: &mut Vec<Output>) {
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
    fn rehandshake(&mut self, reply: &BayeuxMessage, at: Millis, out: &mut Vec<Output>) {
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
    fn give_up(&mut self, at: Millis, reply: &BayeuxMessage, out: &mut Vec<Output>) {
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
    fn interrupted(&mut self, at: Millis, out: &mut Vec<Output>) {
        if self.reported == Reported::Up {
            self.reported = Reported::Interrupted;
            out.push(Output::Event(LiveEvent::Interrupted { at }));
        }
    }

    fn take_advice(&mut self, advice: Option<&Advice>) {
        let Some(advice) = advice else { return };
        if let Some(timeout) = advice.timeout {
            self.timeout_ms = timeout;
        }
        if let Some(interval) = advice.interval {
            self.interval_ms = interval;
        }
        if let Some(max_interval) = advice.max_interval {
            self.max_interval_ms = max_interval;
        }
    }

    fn interval_delay(&self) -> u32 {
        clamp_interval(self.interval_ms)
    }

    /// Counts one more unsuccessful step and says how long to wait before the next try.
    fn backoff(&mut self) -> u32 {
        self.retries = self.retries.saturating_add(1);
        backoff_delay(self.retries)
    }

    fn take_id(&mut self) -> u64 {
        self.last_id = self.last_id.saturating_add(1);
        self.last_id
    }

    fn send_handshake(&mut self, delay_ms: u32, out: &mut Vec<Output>) {
        let id = self.take_id();
        self.phase = Phase::Handshaking { id: id.to_string() };
        out.push(Output::Send {
            batch: vec![BayeuxMessage::handshake(id, true)],
            delay_ms,
        });
    }

    fn send_subscribe(&mut self, client_id: String, delay_ms: u32, out: &mut Vec<Output>) {
        let subscribe_id = self.take_id();
        let connect_id = self.take_id();
        let batch = vec![
            BayeuxMessage::subscribe(subscribe_id, &client_id, IM_SESSIONS_TOPIC),
            BayeuxMessage::connect(connect_id, &client_id, self.ack(), None),
        ];
        self.phase = Phase::Subscribing {
            client_id,
            subscribe_id: subscribe_id.to_string(),
            connect_id: connect_id.to_string(),
        };
        self.connect_sent = self.now + f64::from(delay_ms);
        out.push(Output::Send { batch, delay_ms });
    }

    fn send_connect(
        &mut self,
        client_id: String,
        delay_ms: u32,
        hold: Hold,
        out: &mut Vec<Output>,
    ) {
        let connect_id = self.take_id();
        let advice = match hold {
            Hold::Allowed => None,
            // CometD's per-connect `advice.timeout: 0`: the server answers without holding it.
            Hold::AnswerAtOnce => Some(Advice {
                timeout: Some(0),
                ..Advice::default()
            }),
        };
        let batch = vec![BayeuxMessage::connect(
            connect_id,
            &client_id,
            self.ack(),
            advice,
        )];
        self.phase = Phase::Connecting {
            client_id,
            connect_id: connect_id.to_string(),
        };
        // Timers never fire early, so the request leaves at this time or later.
        self.connect_sent = self.now + f64::from(delay_ms);
        out.push(Output::Send { batch, delay_ms });
    }

    fn ack(&self) -> Option<i64> {
        self.acks.then_some(self.batch)
    }
}

/// The wait before the `attempt`th retry (from 1): 250 ms, 500 ms, 1 s, then 2 s.
fn backoff_delay(attempt: u32) -> u32 {
    let doublings = attempt.saturating_sub(1).min(8);
    FIRST_RETRY_DELAY_MS
        .saturating_mul(1 << doublings)
        .min(LONGEST_RETRY_DELAY_MS)
}

/// The reply to our request: its channel, and its id when it carries one.
fn reply_to<'a>(batch: &'a [BayeuxMessage], channel: &str, id: &str) -> Option<&'a BayeuxMessage> {
    batch.iter().find(|message| {
        message.channel == channel && message.id.as_deref().is_none_or(|reply_id| reply_id == id)
    })
}

/// `402::Unknown client`, or advice to handshake again.
fn client_is_gone(reply: &BayeuxMessage) -> bool {
    advises(reply, Reconnect::Handshake)
        || reply
            .error
            .as_deref()
            .is_some_and(|error| error.trim_start().starts_with("402"))
}

fn advises(reply: &BayeuxMessage, reconnect: Reconnect) -> bool {
    reply
        .advice
        .as_ref()
        .and_then(|advice| advice.reconnect.as_ref())
        == Some(&reconnect)
}

fn advised_interval(advice: Option<&Advice>) -> u32 {
    clamp_interval(advice.and_then(|advice| advice.interval).unwrap_or(0))
}

fn clamp_interval(interval_ms: u64) -> u32 {
    u32::try_from(interval_ms.min(LONGEST_ADVISED_INTERVAL_MS)).unwrap_or(u32::MAX)
}

fn error_of(reply: &BayeuxMessage) -> String {
    match reply.error.as_deref() {
        Some(error) => short(error),
        None if reply.is_successful() => "no clientId".into(),
        None => "no reason given".into(),
    }
}

/// A data message: on the IM-session topic it becomes a notification, anything else is a problem.
fn notification(message: &BayeuxMessage, at: Millis, out: &mut Vec<Output>) {
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
fn short(text: &str) -> String {
    match text.char_indices().nth(120) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}

// proptest is a native dev-dependency: the machine is tested natively.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
