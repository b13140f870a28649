//! CometD (Bayeux 1.0) server, long-polling only, as GWS runs it.
//!
//! Modelled on the official CometD Java server (`BayeuxServerImpl`, `AbstractHttpTransport`,
//! `ServerSessionImpl`, `AcknowledgedMessagesExtension`):
//! - a `/meta/connect` is held (up to `timeout`, or the client's own `advice.timeout`) only when it
//!   travels alone, the client had connected before, and nothing is waiting for it;
//! - a reply batch carries the queued data messages first, then the meta replies;
//! - a client is swept `interval + max_interval` after its last connect reply, with its queue;
//! - with the ack extension, every connect reply closes a batch, and a client's messages stay
//!   stored until a later connect acknowledges their batch (`ext.ack`), so a reply lost on the
//!   wire is sent again.
//!
//! Client input is never trusted: every message gets its own reply, an error where it is wrong.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use gws_protocol::BayeuxMessage;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::time::Instant;

mod messages;
mod server;

use messages::*;
use server::Server;

/// CometD 3's error for a clientId the server does not know (missing, expired, forgotten).
pub const ERROR_UNKNOWN_CLIENT: &str = "402::Unknown client";
pub const ERROR_CHANNEL_MISSING: &str = "400::channel_missing";
pub const ERROR_CHANNEL_INVALID: &str = "405::channel_invalid";
pub const ERROR_MESSAGE_ID_INVALID: &str = "405::message_id_invalid";
/// A handshake shares its request with other messages (CometD: "bayeux protocol violation").
pub const ERROR_HANDSHAKE_NOT_ALONE: &str = "400::handshake_not_alone";
/// A `/meta/…` channel other than the five Bayeux defines.
pub const ERROR_META_CHANNEL_UNKNOWN: &str = "400::meta_channel_unknown";
pub const ERROR_SUBSCRIPTION_MISSING: &str = "403::subscription_missing";
pub const ERROR_SUBSCRIPTION_INVALID: &str = "403::subscription_invalid";
pub const ERROR_SUBSCRIBE_FAILED: &str = "403::subscribe_failed";
pub const ERROR_UNSUBSCRIBE_FAILED: &str = "403::unsubscribe_failed";
/// GWS topics are written by the server only: a client's publish is refused.
pub const ERROR_PUBLISH_DENIED: &str = "403::publish_denied";

/// A client may ask for a longer hold than the server's (`advice.timeout`); this bounds it.
const LONGEST_CLIENT_TIMEOUT: Duration = Duration::from_secs(600);

/// Timing and extensions the server advertises.
#[derive(Debug, Clone)]
pub struct BayeuxConfig {
    /// `advice.timeout`: how long a `/meta/connect` is held when nothing is queued.
    pub timeout: Duration,
    /// `advice.interval`: how long a client waits between a connect reply and the next connect.
    pub interval: Duration,
    /// `advice.maxInterval`: how long a client that does not connect is kept, with its queue.
    pub max_interval: Duration,
    /// Whether the acknowledged-messages extension (`ext.ack`) is offered in handshake replies.
    pub ack_extension: bool,
}

impl Default for BayeuxConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            interval: Duration::ZERO,
            max_interval: Duration::from_secs(10),
            ack_extension: true,
        }
    }
}

/// What the CometD server did, so a test can prove that a fault really happened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BayeuxCounters {
    /// Handshakes answered with a new clientId.
    pub handshakes: u64,
    /// `/meta/connect`s answered at once (or woken) only because `closePollsEarly` was on.
    pub polls_closed_early: u64,
    /// `402::Unknown client` replies sent.
    pub unknown_client_replies: u64,
    /// Clients swept because they did not connect within `interval + maxInterval`.
    pub clients_expired: u64,
    /// Every client forgotten at once (`POST /_sim/faults/unknown-client`).
    pub clients_forgotten: u64,
    /// Simulated restarts (`POST /_sim/restart`).
    pub restarts: u64,
}

/// What to do with one HTTP request to the CometD endpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Answer with this batch (a JSON array).
    Reply(Vec<BayeuxMessage>),
    /// Drop the connection without an answer (the server "restarted" under a held long-poll).
    Abort,
}

/// The CometD server: clients, subscriptions, per-client queues. Cheap to clone (shared inside).
#[derive(Clone)]
pub struct Bayeux {
    shared: Arc<Mutex<Server>>,
}

impl Default for Bayeux {
    fn default() -> Self {
        Self::new(BayeuxConfig::default())
    }
}

impl std::fmt::Debug for Bayeux {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let server = self.lock();
        f.debug_struct("Bayeux")
            .field("config", &server.config)
            .field("clients", &server.clients.len())
            .finish()
    }
}

impl Bayeux {
    pub fn new(config: BayeuxConfig) -> Self {
        Self {
            shared: Arc::new(Mutex::new(Server {
                config,
                close_polls_early: false,
                clients: HashMap::new(),
                client_seq: 0,
                connect_seq: 0,
                messages_published: 0,
                counters: BayeuxCounters::default(),
                random: RandomState::new(),
            })),
        }
    }

    pub fn config(&self) -> BayeuxConfig {
        self.lock().config.clone()
    }

    /// Answers one request body (a batch); a `/meta/connect` may wait up to `timeout` for data.
    pub async fn handle(&self, batch: Vec<BayeuxMessage>) -> Outcome {
        let step = self.lock().process(batch, Instant::now());
        match step {
            Step::Reply(messages) => Outcome::Reply(messages),
            Step::Hold(held) => self.wait(*held).await,
        }
    }

    /// Queues `data` on `channel` for every client subscribed to it and wakes their long-polls.
    pub fn publish(&self, channel: &str, data: Value) {
        self.lock().publish(channel, data, Instant::now());
    }

    /// Fault: forget every client, so each gets `402::Unknown client` and advice to handshake.
    pub fn forget_all_clients(&self) {
        let mut server = self.lock();
        server.counters.clients_forgotten += 1;
        server.drop_all_clients(Wake::Forgotten);
    }

    /// Fault: a server restart — forget every client and abort every held `/meta/connect`.
    pub fn restart(&self) {
        let mut server = self.lock();
        server.counters.restarts += 1;
        server.drop_all_clients(Wake::Restarted);
    }

    /// What the server did so far (sweeps expired clients first, so their count is current).
    pub fn counters(&self) -> BayeuxCounters {
        let mut server = self.lock();
        server.sweep(Instant::now());
        server.counters
    }

    /// Counts from zero again (`POST /_sim/reset`); clients are kept.
    pub fn reset_counters(&self) {
        self.lock().counters = BayeuxCounters::default();
    }

    /// Fault: while on, a `/meta/connect` is answered at once (empty unless data is queued)
    /// instead of being held; switching it on answers the connects held now.
    pub fn set_close_polls_early(&self, on: bool) {
        let mut server = self.lock();
        server.close_polls_early = on;
        if on {
            for client in server.clients.values_mut() {
                client.wake(Wake::ClosedEarly);
            }
        }
    }

    /// Switches the acknowledged-messages extension for clients that handshake from now on.
    pub fn set_ack_extension(&self, on: bool) {
        self.lock().config.ack_extension = on;
    }

    /// Clients, their subscriptions and queue lengths, for `GET /_sim/state`.
    pub fn snapshot(&self) -> Value {
        let now = Instant::now();
        let mut server = self.lock();
        server.sweep(now);
        let mut clients: Vec<(&String, &Client)> = server.clients.iter().collect();
        clients.sort_by_key(|(_, client)| client.seq);
        let clients: Vec<Value> = clients
            .into_iter()
            .map(|(id, client)| client.snapshot(id, now))
            .collect();
        json!({
            "config": {
                "timeoutMs": millis(server.config.timeout),
                "intervalMs": millis(server.config.interval),
                "maxIntervalMs": millis(server.config.max_interval),
                "ackExtension": server.config.ack_extension,
                "closePollsEarly": server.close_polls_early,
            },
            "clients": clients,
            "messagesPublished": server.messages_published,
            "counters": server.counters,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Server> {
        // A panic elsewhere must not take the CometD endpoint down with it.
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn wait(&self, held: HeldConnect) -> Outcome {
        let HeldConnect {
            connect,
            deadline,
            woken,
        } = held;
        let mut guard = HoldGuard {
            bayeux: self,
            client_id: &connect.client_id,
            seq: connect.seq,
            armed: true,
        };
        let wake = match tokio::time::timeout_at(deadline, woken).await {
            Ok(Ok(wake)) => Some(wake),
            Ok(Err(_sender_dropped)) => None,
            Err(_elapsed) => Some(Wake::TimedOut),
        };
        guard.armed = false;
        drop(guard);
        self.lock().resume(&connect, wake, Instant::now())
    }
}

/// Why a held `/meta/connect` was woken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wake {
    Data,
    TimedOut,
    ClosedEarly,
    Superseded,
    Disconnected,
    Forgotten,
    Restarted,
}

/// One data message in a client's queue, with the ack batch it joined.
#[derive(Debug, Clone)]
struct Queued {
    batch: u64,
    message: BayeuxMessage,
}

/// The held `/meta/connect` of a client, as the client's record sees it.
#[derive(Debug)]
struct HeldSlot {
    seq: u64,
    /// Taken by whoever wakes the connect first.
    wake: Option<oneshot::Sender<Wake>>,
}

#[derive(Debug)]
struct Client {
    /// Handshake order, for a stable snapshot.
    seq: u64,
    subscriptions: BTreeSet<String>,
    /// The ack extension was negotiated at handshake.
    ack: bool,
    /// Without ack: undelivered messages. With ack: every message not yet acknowledged.
    queue: VecDeque<Queued>,
    /// The ack batch new messages join; closed by the next connect reply.
    open_batch: u64,
    /// The last ack batch written into a connect reply.
    sent_batch: u64,
    /// A connect of this client has been handled (CometD answers the first one at once).
    connected: bool,
    /// The connect advice was sent after the handshake.
    advised: bool,
    held: Option<HeldSlot>,
    /// When the client is swept; `None` while a connect is being handled or held.
    expires_at: Option<Instant>,
}

impl Client {
    fn new(seq: u64, ack: bool, expires_at: Instant) -> Self {
        Self {
            seq,
            subscriptions: BTreeSet::new(),
            ack,
            queue: VecDeque::new(),
            open_batch: 1,
            sent_batch: 0,
            connected: false,
            advised: false,
            held: None,
            expires_at: Some(expires_at),
        }
    }

    fn wake(&mut self, why: Wake) {
        if let Some(sender) = self.held.as_mut().and_then(|slot| slot.wake.take()) {
            // The receiver is gone only when the HTTP request was dropped: nothing to wake.
            let _ = sender.send(why);
        }
    }

    fn is_subscribed(&self, channel: &str) -> bool {
        self.subscriptions
            .iter()
            .any(|pattern| subscription_matches(pattern, channel))
    }

    fn has_undelivered(&self) -> bool {
        if self.ack {
            self.queue
                .iter()
                .any(|queued| queued.batch > self.sent_batch)
        } else {
            !self.queue.is_empty()
        }
    }

    fn has_unacked(&self) -> bool {
        self.ack
            && self
                .queue
                .iter()
                .any(|queued| queued.batch <= self.sent_batch)
    }

    /// The client has every message of batches up to `batch`.
    fn acknowledge(&mut self, batch: u64) {
        // A client cannot acknowledge a batch it was never sent.
        let batch = batch.min(self.sent_batch);
        while self
            .queue
            .front()
            .is_some_and(|queued| queued.batch <= batch)
        {
            self.queue.pop_front();
        }
    }

    /// The data messages a reply carries now, and the ack batch it closes.
    fn take_deliveries(&mut self) -> (Vec<BayeuxMessage>, Option<u64>) {
        if self.ack {
            let batch = self.open_batch;
            self.open_batch = self.open_batch.saturating_add(1);
            self.sent_batch = batch;
            let messages = self
                .queue
                .iter()
                .map(|queued| queued.message.clone())
                .collect();
            (messages, Some(batch))
        } else {
            (
                self.queue.drain(..).map(|queued| queued.message).collect(),
                None,
            )
        }
    }

    fn snapshot(&self, id: &str, now: Instant) -> Value {
        let mut unacked: Vec<Value> = Vec::new();
        if self.ack {
            let mut batches: Vec<(u64, usize)> = Vec::new();
            for queued in self
                .queue
                .iter()
                .filter(|queued| queued.batch <= self.sent_batch)
            {
                match batches.last_mut() {
                    Some((batch, count)) if *batch == queued.batch => *count += 1,
                    _ => batches.push((queued.batch, 1)),
                }
            }
            unacked = batches
                .into_iter()
                .map(|(batch, messages)| json!({ "batch": batch, "messages": messages }))
                .collect();
        }
        let queued = if self.ack {
            self.queue
                .iter()
                .filter(|queued| queued.batch > self.sent_batch)
                .count()
        } else {
            self.queue.len()
        };
        json!({
            "clientId": id,
            "subscriptions": self.subscriptions,
            "ackExtension": self.ack,
            "connected": self.connected,
            "connectHeld": self.held.is_some(),
            "queued": queued,
            "unackedBatches": unacked,
            "lastBatchSent": self.sent_batch,
            "expiresInMs": self
                .expires_at
                .map(|at| millis(at.saturating_duration_since(now))),
        })
    }
}

/// A `/meta/connect` waiting for data, its timeout, or another reason to answer.
#[derive(Debug)]
struct HeldConnect {
    connect: HeldRequest,
    deadline: Instant,
    woken: oneshot::Receiver<Wake>,
}

/// What answering a held connect needs to know of it.
#[derive(Debug)]
struct HeldRequest {
    client_id: String,
    seq: u64,
    request: BayeuxMessage,
    advise: bool,
}

/// Runs when a held connect's HTTP request goes away before it was answered.
struct HoldGuard<'a> {
    bayeux: &'a Bayeux,
    client_id: &'a str,
    seq: u64,
    armed: bool,
}

impl Drop for HoldGuard<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let now = Instant::now();
        let mut server = self.bayeux.lock();
        let expiry = server.expiry();
        if let Some(client) = server.clients.get_mut(self.client_id) {
            if client
                .held
                .as_ref()
                .is_some_and(|slot| slot.seq == self.seq)
            {
                // Queued messages stay for the next connect; the client may still be swept.
                client.held = None;
                client.expires_at = Some(later(now, expiry));
            }
        }
    }
}

enum Step {
    Reply(Vec<BayeuxMessage>),
    Hold(Box<HeldConnect>),
}

enum ConnectStep {
    Answered {
        data: Vec<BayeuxMessage>,
        reply: Box<BayeuxMessage>,
    },
    Hold(Box<HeldConnect>),
}

#[cfg(test)]
mod tests;
