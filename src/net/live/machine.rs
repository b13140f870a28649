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
use gws_protocol::BayeuxMessage;

use crate::state::{LiveEvent, Millis};

mod advice;
mod outgoing;
mod replies;

use replies::{notification, reply_to};

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
}

// proptest is a native dev-dependency: the machine is tested natively.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
