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
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use gws_protocol::bayeux::{
    BAYEUX_VERSION, LONG_POLLING, META_CONNECT, META_DISCONNECT, META_HANDSHAKE, META_SUBSCRIBE,
    META_UNSUBSCRIBE,
};
use gws_protocol::{Advice, BayeuxMessage, Reconnect};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::time::Instant;

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

#[derive(Debug)]
struct Server {
    config: BayeuxConfig,
    close_polls_early: bool,
    clients: HashMap<String, Client>,
    client_seq: u64,
    connect_seq: u64,
    messages_published: u64,
    counters: BayeuxCounters,
    random: RandomState,
}

impl Server {
    /// How long after a connect reply a client that does not connect again is kept.
    fn expiry(&self) -> Duration {
        self.config
            .interval
            .saturating_add(self.config.max_interval)
    }

    fn advice(&self) -> Advice {
        Advice {
            reconnect: Some(Reconnect::Retry),
            timeout: Some(millis(self.config.timeout)),
            interval: Some(millis(self.config.interval)),
            max_interval: Some(millis(self.config.max_interval)),
        }
    }

    fn sweep(&mut self, now: Instant) {
        let before = self.clients.len();
        self.clients
            .retain(|_, client| client.expires_at.is_none_or(|at| at > now));
        let expired = before - self.clients.len();
        self.counters.clients_expired += expired as u64;
    }

    /// A `402::Unknown client` reply, counted.
    fn unknown_client(&mut self, request: &BayeuxMessage) -> BayeuxMessage {
        self.counters.unknown_client_replies += 1;
        unknown_client_reply(request)
    }

    fn drop_all_clients(&mut self, why: Wake) {
        for (_, mut client) in self.clients.drain() {
            client.wake(why);
        }
    }

    fn new_client_id(&mut self) -> String {
        self.client_seq = self.client_seq.saturating_add(1);
        // Unguessable like CometD's ids; the sequence number keeps them unique across restarts.
        let random = self.random.hash_one(self.client_seq);
        format!("{:0>13}{}", base36(random), base36(self.client_seq))
    }

    fn process(&mut self, batch: Vec<BayeuxMessage>, now: Instant) -> Step {
        self.sweep(now);
        if batch.len() > 1
            && batch
                .iter()
                .any(|message| message.channel == META_HANDSHAKE)
        {
            let replies = batch
                .iter()
                .map(|message| error_reply(message, ERROR_HANDSHAKE_NOT_ALONE))
                .collect();
            return Step::Reply(replies);
        }
        // As CometD: the first message's clientId names the session of the whole request.
        let session = batch
            .first()
            .and_then(|message| message.client_id.clone())
            .filter(|id| self.clients.contains_key(id));
        let alone = batch.len() == 1;
        let mut data = Vec::new();
        let mut replies = Vec::new();
        for message in batch {
            if let Some(error) = validate(&message) {
                replies.push(error_reply(&message, error));
                continue;
            }
            if message.channel == META_HANDSHAKE {
                replies.push(self.handshake(&message, now));
                continue;
            }
            let client_id = match (&session, &message.client_id) {
                (Some(session), Some(id)) if session == id && self.clients.contains_key(id) => {
                    session.clone()
                }
                _ => {
                    replies.push(self.unknown_client(&message));
                    continue;
                }
            };
            if message.channel == META_CONNECT {
                match self.connect(&client_id, message, alone, now) {
                    ConnectStep::Hold(held) => return Step::Hold(held),
                    ConnectStep::Answered {
                        data: delivered,
                        reply,
                    } => {
                        data.extend(delivered);
                        replies.push(*reply);
                    }
                }
                continue;
            }
            self.touch(&client_id, now);
            let reply = match message.channel.as_str() {
                META_SUBSCRIBE => self.subscribe(&client_id, &message),
                META_UNSUBSCRIBE => self.unsubscribe(&client_id, &message),
                META_DISCONNECT => self.disconnect(&client_id, &message),
                channel if is_meta(channel) => error_reply(&message, ERROR_META_CHANNEL_UNKNOWN),
                // Service channels reach the server only; GWS has no services for clients.
                channel if is_service(channel) => success_reply(&message),
                _ => error_reply(&message, ERROR_PUBLISH_DENIED),
            };
            replies.push(reply);
        }
        // CometD (no ack): any request of a session carries its queue; with ack, connects only.
        if let Some(client) = session.and_then(|id| self.clients.get_mut(&id)) {
            if !client.ack {
                data.extend(client.queue.drain(..).map(|queued| queued.message));
            }
        }
        data.extend(replies);
        Step::Reply(data)
    }

    fn handshake(&mut self, message: &BayeuxMessage, now: Instant) -> BayeuxMessage {
        let client_asks_ack = message.ext_ack() == Some(&Value::Bool(true));
        let ack = client_asks_ack && self.config.ack_extension;
        let client_id = self.new_client_id();
        self.counters.handshakes += 1;
        let expires_at = later(now, self.expiry());
        let seq = self.client_seq;
        self.clients
            .insert(client_id.clone(), Client::new(seq, ack, expires_at));
        BayeuxMessage {
            channel: META_HANDSHAKE.into(),
            id: message.id.clone(),
            client_id: Some(client_id),
            successful: Some(true),
            version: Some(BAYEUX_VERSION.into()),
            minimum_version: Some(BAYEUX_VERSION.into()),
            supported_connection_types: Some(vec![LONG_POLLING.into()]),
            advice: Some(self.advice()),
            ext: ack.then(|| json!({ "ack": true })),
            ..BayeuxMessage::default()
        }
    }

    fn connect(
        &mut self,
        client_id: &str,
        request: BayeuxMessage,
        alone: bool,
        now: Instant,
    ) -> ConnectStep {
        let default_timeout = self.config.timeout;
        let close_early = self.close_polls_early;
        let expiry = self.expiry();
        let advice = self.advice();
        self.connect_seq = self.connect_seq.saturating_add(1);
        let seq = self.connect_seq;
        let Some(client) = self.clients.get_mut(client_id) else {
            return ConnectStep::Answered {
                data: Vec::new(),
                reply: Box::new(self.unknown_client(&request)),
            };
        };
        client.wake(Wake::Superseded);
        client.held = None;
        client.expires_at = None;
        let was_connected = client.connected;
        client.connected = true;
        // CometD re-advises a client that sends advice (it may have forgotten it, e.g. on reload).
        let advise = !client.advised || request.advice.is_some();
        client.advised = true;
        let mut resend = false;
        if client.ack {
            if let Some(batch) = request.ext_ack().and_then(Value::as_u64) {
                client.acknowledge(batch);
                resend = client.has_unacked();
            }
        }
        let timeout = request
            .advice
            .as_ref()
            .and_then(|advice| advice.timeout)
            .map(|ms| Duration::from_millis(ms).min(LONGEST_CLIENT_TIMEOUT))
            .unwrap_or(default_timeout);
        let would_hold =
            alone && was_connected && !timeout.is_zero() && !resend && !client.has_undelivered();
        if would_hold && close_early {
            self.counters.polls_closed_early += 1;
        }
        let Some(client) = self.clients.get_mut(client_id) else {
            return ConnectStep::Answered {
                data: Vec::new(),
                reply: Box::new(self.unknown_client(&request)),
            };
        };
        if would_hold && !close_early {
            let (sender, receiver) = oneshot::channel();
            client.held = Some(HeldSlot {
                seq,
                wake: Some(sender),
            });
            return ConnectStep::Hold(Box::new(HeldConnect {
                connect: HeldRequest {
                    client_id: client_id.to_owned(),
                    seq,
                    request,
                    advise,
                },
                deadline: later(now, timeout),
                woken: receiver,
            }));
        }
        let (data, batch) = client.take_deliveries();
        client.expires_at = Some(later(now, expiry));
        ConnectStep::Answered {
            data,
            reply: Box::new(connect_reply(&request, advise.then_some(advice), batch)),
        }
    }

    fn resume(&mut self, held: &HeldRequest, wake: Option<Wake>, now: Instant) -> Outcome {
        match wake {
            Some(Wake::Restarted) => return Outcome::Abort,
            Some(Wake::Disconnected) => {
                let mut reply = connect_reply(&held.request, None, None);
                reply.advice = Some(Advice {
                    reconnect: Some(Reconnect::None),
                    ..Advice::default()
                });
                return Outcome::Reply(vec![reply]);
            }
            _ => {}
        }
        if wake == Some(Wake::ClosedEarly) {
            self.counters.polls_closed_early += 1;
        }
        let expiry = self.expiry();
        let advice = self.advice();
        let Some(client) = self.clients.get_mut(&held.client_id) else {
            return Outcome::Reply(vec![self.unknown_client(&held.request)]);
        };
        let still_held = client
            .held
            .as_ref()
            .is_some_and(|slot| slot.seq == held.seq);
        if !still_held || wake == Some(Wake::Superseded) {
            // A newer connect owns the queue now; no ack batch here, so nothing is acknowledged by mistake.
            return Outcome::Reply(vec![connect_reply(&held.request, None, None)]);
        }
        client.held = None;
        let (mut messages, batch) = client.take_deliveries();
        client.expires_at = Some(later(now, expiry));
        messages.push(connect_reply(
            &held.request,
            held.advise.then_some(advice),
            batch,
        ));
        Outcome::Reply(messages)
    }

    /// Any message from a client proves it alive (CometD `cancelExpiration(false)`).
    fn touch(&mut self, client_id: &str, now: Instant) {
        let max_interval = self.config.max_interval;
        if let Some(client) = self.clients.get_mut(client_id) {
            if let Some(at) = client.expires_at {
                client.expires_at = Some(at.max(later(now, max_interval)));
            }
        }
    }

    fn subscribe(&mut self, client_id: &str, message: &BayeuxMessage) -> BayeuxMessage {
        let Some(subscription) = message.subscription.as_deref() else {
            return error_reply(message, ERROR_SUBSCRIPTION_MISSING);
        };
        if !is_valid_channel(subscription) {
            return error_reply(message, ERROR_SUBSCRIPTION_INVALID);
        }
        if is_meta(subscription) {
            return error_reply(message, ERROR_SUBSCRIBE_FAILED);
        }
        if is_service(subscription) {
            // CometD: subscribing to a service channel is a no-op that succeeds.
            return success_reply(message);
        }
        match self.clients.get_mut(client_id) {
            Some(client) => {
                client.subscriptions.insert(subscription.to_owned());
                success_reply(message)
            }
            None => self.unknown_client(message),
        }
    }

    fn unsubscribe(&mut self, client_id: &str, message: &BayeuxMessage) -> BayeuxMessage {
        let Some(subscription) = message.subscription.as_deref() else {
            return error_reply(message, ERROR_SUBSCRIPTION_MISSING);
        };
        if !is_valid_channel(subscription) {
            return error_reply(message, ERROR_SUBSCRIPTION_INVALID);
        }
        if is_meta(subscription) {
            return error_reply(message, ERROR_UNSUBSCRIBE_FAILED);
        }
        match self.clients.get_mut(client_id) {
            Some(client) => {
                client.subscriptions.remove(subscription);
                success_reply(message)
            }
            None => self.unknown_client(message),
        }
    }

    fn disconnect(&mut self, client_id: &str, message: &BayeuxMessage) -> BayeuxMessage {
        match self.clients.remove(client_id) {
            Some(mut client) => {
                client.wake(Wake::Disconnected);
                success_reply(message)
            }
            None => self.unknown_client(message),
        }
    }

    fn publish(&mut self, channel: &str, data: Value, now: Instant) {
        self.sweep(now);
        if !is_valid_channel(channel)
            || is_meta(channel)
            || is_service(channel)
            || is_wildcard(channel)
        {
            return;
        }
        self.messages_published = self.messages_published.saturating_add(1);
        let message = BayeuxMessage {
            channel: channel.to_owned(),
            id: Some(self.messages_published.to_string()),
            data: Some(data),
            ..BayeuxMessage::default()
        };
        for client in self.clients.values_mut() {
            if client.is_subscribed(channel) {
                client.queue.push_back(Queued {
                    batch: client.open_batch,
                    message: message.clone(),
                });
                client.wake(Wake::Data);
            }
        }
    }
}

/// CometD's `validateMessage`: a channel, made of Bayeux channel characters; an alphanumeric id.
fn validate(message: &BayeuxMessage) -> Option<&'static str> {
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
fn is_valid_channel(channel: &str) -> bool {
    channel.len() >= 2
        && channel.starts_with('/')
        && channel
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " !#$()*+-./@_{~}".contains(c))
}

fn first_segment_is(channel: &str, segment: &str) -> bool {
    channel
        .strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(segment))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn is_meta(channel: &str) -> bool {
    first_segment_is(channel, "meta")
}

fn is_service(channel: &str) -> bool {
    first_segment_is(channel, "service")
}

fn is_wildcard(channel: &str) -> bool {
    channel.ends_with("/*") || channel.ends_with("/**")
}

/// `/a/*` matches `/a/b`; `/a/**` matches `/a/b` and `/a/b/c`; anything else matches itself.
fn subscription_matches(pattern: &str, channel: &str) -> bool {
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

fn reply_to(request: &BayeuxMessage) -> BayeuxMessage {
    BayeuxMessage {
        channel: request.channel.clone(),
        id: request.id.clone(),
        subscription: request.subscription.clone(),
        ..BayeuxMessage::default()
    }
}

fn success_reply(request: &BayeuxMessage) -> BayeuxMessage {
    BayeuxMessage {
        successful: Some(true),
        ..reply_to(request)
    }
}

fn error_reply(request: &BayeuxMessage, error: &str) -> BayeuxMessage {
    BayeuxMessage {
        successful: Some(false),
        error: Some(error.to_owned()),
        ..reply_to(request)
    }
}

/// CometD's `unknownSession`: 402, and on handshake/connect the advice to handshake again.
fn unknown_client_reply(request: &BayeuxMessage) -> BayeuxMessage {
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

fn connect_reply(
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

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// `now + after`, saturating far in the future instead of overflowing.
fn later(now: Instant, after: Duration) -> Instant {
    now.checked_add(after)
        .or_else(|| now.checked_add(Duration::from_secs(86_400 * 365)))
        .unwrap_or(now)
}

fn base36(mut value: u64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use gws_protocol::IM_SESSIONS_TOPIC;

    const TOPIC: &str = IM_SESSIONS_TOPIC;

    fn config() -> BayeuxConfig {
        BayeuxConfig {
            timeout: Duration::from_secs(30),
            interval: Duration::ZERO,
            max_interval: Duration::from_secs(10),
            ack_extension: true,
        }
    }

    fn replies(outcome: Outcome) -> Vec<BayeuxMessage> {
        match outcome {
            Outcome::Reply(messages) => messages,
            Outcome::Abort => panic!("expected a reply, got an abort"),
        }
    }

    async fn one(bayeux: &Bayeux, message: BayeuxMessage) -> Vec<BayeuxMessage> {
        replies(bayeux.handle(vec![message]).await)
    }

    /// Handshakes (offering ack when asked) and returns the clientId.
    async fn handshake(bayeux: &Bayeux, ack: bool) -> String {
        let reply = one(bayeux, BayeuxMessage::handshake(1, ack)).await;
        assert_eq!(reply.len(), 1);
        assert!(reply[0].is_successful(), "{reply:?}");
        reply[0].client_id.clone().expect("a clientId")
    }

    /// Handshake, subscribe to the IM topic, first connect: the client is now long-polling.
    async fn ready_client(bayeux: &Bayeux, ack: bool) -> String {
        let client = handshake(bayeux, ack).await;
        let reply = one(bayeux, BayeuxMessage::subscribe(2, &client, TOPIC)).await;
        assert!(reply[0].is_successful(), "{reply:?}");
        let first = one(
            bayeux,
            BayeuxMessage::connect(3, &client, ack.then_some(0), None),
        )
        .await;
        assert!(first[0].is_successful(), "{first:?}");
        client
    }

    fn connect_msg(id: u64, client: &str, ack: Option<i64>) -> BayeuxMessage {
        BayeuxMessage::connect(id, client, ack, None)
    }

    fn data_of(messages: &[BayeuxMessage]) -> Vec<Value> {
        messages
            .iter()
            .filter(|message| !message.is_meta())
            .filter_map(|message| message.data.clone())
            .collect()
    }

    fn connect_reply_of(messages: &[BayeuxMessage]) -> &BayeuxMessage {
        messages
            .iter()
            .find(|message| message.channel == META_CONNECT)
            .expect("a /meta/connect reply")
    }

    fn batch_of(messages: &[BayeuxMessage]) -> i64 {
        connect_reply_of(messages)
            .ext_ack()
            .and_then(Value::as_i64)
            .expect("an ext.ack batch id")
    }

    fn client_snapshot(bayeux: &Bayeux, client: &str) -> Option<Value> {
        let snapshot = bayeux.snapshot();
        snapshot["clients"]
            .as_array()?
            .iter()
            .find(|entry| entry["clientId"] == client)
            .cloned()
    }

    /// Lets spawned connects run until `client` has one held.
    async fn until_held(bayeux: &Bayeux, client: &str) {
        for _ in 0..100 {
            if client_snapshot(bayeux, client).is_some_and(|entry| entry["connectHeld"] == true) {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("the connect of {client} was never held");
    }

    fn spawn_connect(bayeux: &Bayeux, message: BayeuxMessage) -> tokio::task::JoinHandle<Outcome> {
        let bayeux = bayeux.clone();
        tokio::spawn(async move { bayeux.handle(vec![message]).await })
    }

    #[test]
    fn handle_future_is_send_for_axum() {
        fn assert_send<T: Send>(_: T) {}
        let bayeux = Bayeux::default();
        assert_send(bayeux.handle(Vec::new()));
    }

    #[tokio::test(start_paused = true)]
    async fn handshake_reply_offers_long_polling_with_advice() {
        let bayeux = Bayeux::new(config());
        let reply = one(&bayeux, BayeuxMessage::handshake(7, false)).await;
        let json = serde_json::to_value(&reply).unwrap();
        let handshake = &json[0];
        assert_eq!(handshake["channel"], META_HANDSHAKE);
        assert_eq!(handshake["id"], "7");
        assert_eq!(handshake["successful"], true);
        assert_eq!(handshake["version"], "1.0");
        assert_eq!(
            handshake["supportedConnectionTypes"],
            json!(["long-polling"])
        );
        assert_eq!(handshake["advice"]["reconnect"], "retry");
        assert_eq!(handshake["advice"]["interval"], 0);
        assert_eq!(handshake["advice"]["timeout"], 30_000);
        assert_eq!(handshake["advice"]["maxInterval"], 10_000);
        assert!(handshake["clientId"]
            .as_str()
            .is_some_and(|id| id.len() >= 14));
        assert!(
            handshake.get("ext").is_none(),
            "no ack unless the client asks"
        );
        let other = handshake_id(&bayeux).await;
        assert_ne!(Some(other.as_str()), handshake["clientId"].as_str());
    }

    async fn handshake_id(bayeux: &Bayeux) -> String {
        handshake(bayeux, false).await
    }

    #[tokio::test(start_paused = true)]
    async fn handshake_grants_ack_only_when_asked_and_switched_on() {
        let bayeux = Bayeux::new(config());
        let reply = one(&bayeux, BayeuxMessage::handshake(1, true)).await;
        assert_eq!(reply[0].ext, Some(json!({ "ack": true })));

        bayeux.set_ack_extension(false);
        assert!(!bayeux.config().ack_extension);
        let reply = one(&bayeux, BayeuxMessage::handshake(2, true)).await;
        assert_eq!(reply[0].ext, None);
        let client = reply[0].client_id.clone().unwrap();
        assert_eq!(
            client_snapshot(&bayeux, &client).unwrap()["ackExtension"],
            false
        );
    }

    #[tokio::test(start_paused = true)]
    async fn first_connect_is_answered_at_once_with_advice_then_held() {
        let bayeux = Bayeux::new(config());
        let client = handshake(&bayeux, false).await;
        let first = one(&bayeux, connect_msg(2, &client, None)).await;
        assert_eq!(first.len(), 1);
        assert!(first[0].is_successful());
        assert_eq!(first[0].id.as_deref(), Some("2"));
        let advice = first[0]
            .advice
            .clone()
            .expect("advice on the first connect");
        assert_eq!(advice.reconnect, Some(Reconnect::Retry));
        assert_eq!(advice.timeout, Some(30_000));

        let started = Instant::now();
        let second = one(&bayeux, connect_msg(3, &client, None)).await;
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(30),
            "held for the whole timeout"
        );
        assert_eq!(second.len(), 1);
        assert!(second[0].is_successful());
        assert_eq!(second[0].advice, None, "advice is not repeated");
    }

    #[tokio::test(start_paused = true)]
    async fn held_connect_is_answered_by_publish_with_data_first() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
        until_held(&bayeux, &client).await;
        let started = Instant::now();
        bayeux.publish(
            TOPIC,
            json!({ "messageType": "IMLogUpdateMessage", "message": "hi" }),
        );
        let reply = replies(held.await.unwrap());
        assert_eq!(
            started.elapsed(),
            Duration::ZERO,
            "answered at once, not at the timeout"
        );
        assert_eq!(reply.len(), 2);
        assert_eq!(reply[0].channel, TOPIC);
        assert_eq!(
            reply[0].data,
            Some(json!({ "messageType": "IMLogUpdateMessage", "message": "hi" }))
        );
        assert!(reply[0].id.is_some());
        assert_eq!(reply[1].channel, META_CONNECT);
        assert!(reply[1].is_successful());
    }

    #[tokio::test(start_paused = true)]
    async fn published_messages_have_unique_ids_and_the_documented_shape() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        bayeux.publish(TOPIC, json!({ "n": 2 }));
        let reply = one(&bayeux, connect_msg(4, &client, None)).await;
        let json = serde_json::to_value(&reply).unwrap();
        let first = json[0].as_object().unwrap();
        let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["channel", "data", "id"]);
        assert_ne!(json[0]["id"], json[1]["id"]);
        assert_eq!(data_of(&reply), vec![json!({ "n": 1 }), json!({ "n": 2 })]);
    }

    #[tokio::test(start_paused = true)]
    async fn held_connect_times_out_empty() {
        let bayeux = Bayeux::new(BayeuxConfig {
            timeout: Duration::from_secs(2),
            ..config()
        });
        let client = ready_client(&bayeux, false).await;
        let started = Instant::now();
        let reply = one(&bayeux, connect_msg(4, &client, None)).await;
        assert_eq!(started.elapsed(), Duration::from_secs(2));
        assert_eq!(reply.len(), 1);
        assert!(reply[0].is_successful());
    }

    #[tokio::test(start_paused = true)]
    async fn client_advice_timeout_zero_is_answered_at_once() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let advice = Advice {
            timeout: Some(0),
            ..Advice::default()
        };
        let started = Instant::now();
        let reply = one(
            &bayeux,
            BayeuxMessage::connect(4, &client, None, Some(advice)),
        )
        .await;
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert!(reply[0].is_successful());
        assert!(
            reply[0].advice.is_some(),
            "a client that sends advice is re-advised"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn queue_is_kept_across_a_gap_shorter_than_max_interval() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        tokio::time::advance(Duration::from_secs(6)).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        tokio::time::advance(Duration::from_secs(3)).await;
        bayeux.publish(TOPIC, json!({ "n": 2 }));
        assert_eq!(client_snapshot(&bayeux, &client).unwrap()["queued"], 2);
        let started = Instant::now();
        let reply = one(&bayeux, connect_msg(4, &client, None)).await;
        assert_eq!(
            started.elapsed(),
            Duration::ZERO,
            "queued data answers at once"
        );
        assert_eq!(data_of(&reply), vec![json!({ "n": 1 }), json!({ "n": 2 })]);
        assert_eq!(reply.last().unwrap().channel, META_CONNECT);
    }

    #[tokio::test(start_paused = true)]
    async fn client_without_connect_for_max_interval_is_swept_with_its_queue() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        tokio::time::advance(Duration::from_millis(10_001)).await;
        assert!(client_snapshot(&bayeux, &client).is_none(), "swept");
        let reply = one(&bayeux, connect_msg(4, &client, None)).await;
        assert_eq!(reply.len(), 1, "the queue went with the client");
        assert_eq!(reply[0].successful, Some(false));
        assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
    }

    #[tokio::test(start_paused = true)]
    async fn a_held_connect_keeps_the_client_alive_past_max_interval() {
        let bayeux = Bayeux::new(BayeuxConfig {
            timeout: Duration::from_secs(30),
            max_interval: Duration::from_secs(5),
            ..config()
        });
        let client = ready_client(&bayeux, false).await;
        let reply = one(&bayeux, connect_msg(4, &client, None)).await;
        assert!(reply[0].is_successful(), "still known after a 30 s hold");
        tokio::time::advance(Duration::from_secs(4)).await;
        assert!(client_snapshot(&bayeux, &client).is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn other_messages_extend_the_client_life() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        tokio::time::advance(Duration::from_secs(8)).await;
        one(
            &bayeux,
            BayeuxMessage::subscribe(4, &client, "/v2/me/devices"),
        )
        .await;
        tokio::time::advance(Duration::from_secs(8)).await;
        assert!(client_snapshot(&bayeux, &client).is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn unknown_client_gets_402_with_handshake_advice_and_can_rehandshake() {
        let bayeux = Bayeux::new(config());
        let reply = one(&bayeux, connect_msg(1, "nosuchclient", None)).await;
        assert_eq!(reply.len(), 1);
        let json = serde_json::to_value(&reply[0]).unwrap();
        assert_eq!(json["successful"], false);
        assert_eq!(json["error"], "402::Unknown client");
        assert_eq!(
            json["advice"],
            json!({ "reconnect": "handshake", "interval": 0 })
        );

        let client = ready_client(&bayeux, false).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let reply = one(&bayeux, connect_msg(5, &client, None)).await;
        assert_eq!(data_of(&reply), vec![json!({ "n": 1 })]);
    }

    #[tokio::test(start_paused = true)]
    async fn forget_all_clients_gives_402_to_held_and_later_connects() {
        let bayeux = Bayeux::new(config());
        let held_client = ready_client(&bayeux, false).await;
        let idle_client = ready_client(&bayeux, true).await;
        let held = spawn_connect(&bayeux, connect_msg(4, &held_client, None));
        until_held(&bayeux, &held_client).await;
        bayeux.forget_all_clients();
        let reply = replies(held.await.unwrap());
        assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
        assert_eq!(
            reply[0].advice.as_ref().unwrap().reconnect,
            Some(Reconnect::Handshake)
        );
        let reply = one(&bayeux, connect_msg(5, &idle_client, Some(1))).await;
        assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
        let reply = one(&bayeux, BayeuxMessage::subscribe(6, &idle_client, TOPIC)).await;
        assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
        assert_eq!(
            reply[0].advice, None,
            "CometD advises only on handshake/connect"
        );
        assert_eq!(bayeux.snapshot()["clients"], json!([]));
    }

    #[tokio::test(start_paused = true)]
    async fn ack_resends_a_batch_whose_connect_reply_was_lost() {
        let bayeux = Bayeux::new(config());
        let client = handshake(&bayeux, true).await;
        one(&bayeux, BayeuxMessage::subscribe(2, &client, TOPIC)).await;
        let first = one(&bayeux, connect_msg(3, &client, Some(0))).await;
        let acked = batch_of(&first);

        let held = spawn_connect(&bayeux, connect_msg(4, &client, Some(acked)));
        until_held(&bayeux, &client).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let lost = replies(held.await.unwrap());
        assert_eq!(data_of(&lost), vec![json!({ "n": 1 })]);
        let lost_batch = batch_of(&lost);
        assert!(lost_batch > acked);
        let entry = client_snapshot(&bayeux, &client).unwrap();
        assert_eq!(
            entry["unackedBatches"],
            json!([{ "batch": lost_batch, "messages": 1 }])
        );

        // The reply never reached the client: it connects again with the old batch id.
        let started = Instant::now();
        let resent = one(&bayeux, connect_msg(5, &client, Some(acked))).await;
        assert_eq!(started.elapsed(), Duration::ZERO, "a resend is not held");
        assert_eq!(data_of(&resent), vec![json!({ "n": 1 })]);
        let resent_batch = batch_of(&resent);

        // Acknowledged now: nothing is sent twice, and the next connect is held again.
        bayeux.publish(TOPIC, json!({ "n": 2 }));
        let next = one(&bayeux, connect_msg(6, &client, Some(resent_batch))).await;
        assert_eq!(data_of(&next), vec![json!({ "n": 2 })]);
        let started = Instant::now();
        let idle = one(&bayeux, connect_msg(7, &client, Some(batch_of(&next)))).await;
        assert_eq!(started.elapsed(), Duration::from_secs(30));
        assert!(data_of(&idle).is_empty());
        assert_eq!(
            client_snapshot(&bayeux, &client).unwrap()["unackedBatches"],
            json!([])
        );
    }

    #[tokio::test(start_paused = true)]
    async fn ack_client_gets_data_only_in_connect_replies() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, true).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let reply = one(
            &bayeux,
            BayeuxMessage::subscribe(4, &client, "/v2/me/calls"),
        )
        .await;
        assert_eq!(reply.len(), 1, "{reply:?}");
        assert_eq!(client_snapshot(&bayeux, &client).unwrap()["queued"], 1);
    }

    #[tokio::test(start_paused = true)]
    async fn ack_ignores_a_claim_for_a_batch_never_sent() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, true).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let reply = one(&bayeux, connect_msg(4, &client, Some(1_000))).await;
        assert_eq!(data_of(&reply), vec![json!({ "n": 1 })]);
    }

    #[tokio::test(start_paused = true)]
    async fn non_ack_client_gets_its_queue_with_any_reply() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let reply = one(
            &bayeux,
            BayeuxMessage::subscribe(4, &client, "/v2/me/calls"),
        )
        .await;
        assert_eq!(reply.len(), 2);
        assert_eq!(reply[0].data, Some(json!({ "n": 1 })));
        assert_eq!(reply[1].channel, META_SUBSCRIBE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_second_connect_answers_the_held_one() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, true).await;
        let first = spawn_connect(&bayeux, connect_msg(4, &client, Some(1)));
        until_held(&bayeux, &client).await;
        let second = spawn_connect(&bayeux, connect_msg(5, &client, Some(1)));
        let reply = replies(first.await.unwrap());
        assert_eq!(reply.len(), 1);
        assert_eq!(reply[0].id.as_deref(), Some("4"));
        assert!(reply[0].is_successful());
        assert_eq!(
            reply[0].ext, None,
            "the superseded reply acknowledges nothing"
        );
        until_held(&bayeux, &client).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let reply = replies(second.await.unwrap());
        assert_eq!(data_of(&reply), vec![json!({ "n": 1 })]);
        assert_eq!(connect_reply_of(&reply).id.as_deref(), Some("5"));
    }

    #[tokio::test(start_paused = true)]
    async fn disconnect_removes_the_client_and_answers_its_held_connect() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
        until_held(&bayeux, &client).await;
        let reply = one(&bayeux, BayeuxMessage::disconnect(5, &client)).await;
        assert_eq!(reply.len(), 1);
        assert_eq!(reply[0].channel, META_DISCONNECT);
        assert!(reply[0].is_successful());
        let held = replies(held.await.unwrap());
        assert_eq!(
            held[0].advice.as_ref().unwrap().reconnect,
            Some(Reconnect::None)
        );
        assert!(client_snapshot(&bayeux, &client).is_none());
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let reply = one(&bayeux, connect_msg(6, &client, None)).await;
        assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
    }

    #[tokio::test(start_paused = true)]
    async fn close_polls_early_answers_connects_at_once() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
        until_held(&bayeux, &client).await;
        let started = Instant::now();
        bayeux.set_close_polls_early(true);
        let reply = replies(held.await.unwrap());
        assert_eq!(reply.len(), 1);
        assert!(reply[0].is_successful());
        let reply = one(&bayeux, connect_msg(5, &client, None)).await;
        assert_eq!(reply.len(), 1);
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert_eq!(bayeux.snapshot()["config"]["closePollsEarly"], true);

        bayeux.set_close_polls_early(false);
        let reply = one(&bayeux, connect_msg(6, &client, None)).await;
        assert_eq!(started.elapsed(), Duration::from_secs(30), "held again");
        assert!(reply[0].is_successful());
    }

    #[tokio::test(start_paused = true)]
    async fn restart_aborts_held_connects_and_forgets_everyone() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, true).await;
        let held = spawn_connect(&bayeux, connect_msg(4, &client, Some(1)));
        until_held(&bayeux, &client).await;
        bayeux.restart();
        assert_eq!(held.await.unwrap(), Outcome::Abort);
        let reply = one(&bayeux, connect_msg(5, &client, Some(1))).await;
        assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
        let again = ready_client(&bayeux, true).await;
        assert_ne!(again, client, "ids are not reused after a restart");
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_long_poll_keeps_the_queue_and_lets_the_client_expire() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
        until_held(&bayeux, &client).await;
        held.abort();
        let _ = held.await;
        let entry = client_snapshot(&bayeux, &client).unwrap();
        assert_eq!(entry["connectHeld"], false);
        assert_eq!(entry["expiresInMs"], 10_000);
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let reply = one(&bayeux, connect_msg(5, &client, None)).await;
        assert_eq!(data_of(&reply), vec![json!({ "n": 1 })]);
        tokio::time::advance(Duration::from_millis(10_001)).await;
        assert!(client_snapshot(&bayeux, &client).is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn unsubscribe_stops_delivery_and_wildcards_match() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let reply = one(&bayeux, BayeuxMessage::unsubscribe(4, &client, TOPIC)).await;
        assert!(reply[0].is_successful());
        assert_eq!(reply[0].subscription.as_deref(), Some(TOPIC));
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        assert_eq!(client_snapshot(&bayeux, &client).unwrap()["queued"], 0);

        one(&bayeux, BayeuxMessage::subscribe(5, &client, "/v2/me/*")).await;
        one(&bayeux, BayeuxMessage::subscribe(6, &client, "/v2/**")).await;
        bayeux.publish(TOPIC, json!({ "n": 2 }));
        let reply = one(&bayeux, connect_msg(7, &client, None)).await;
        assert_eq!(data_of(&reply), vec![json!({ "n": 2 })], "delivered once");
    }

    #[test]
    fn subscription_patterns_follow_bayeux_wildcards() {
        assert!(subscription_matches(
            "/v2/me/im-sessions",
            "/v2/me/im-sessions"
        ));
        assert!(subscription_matches("/v2/me/*", "/v2/me/im-sessions"));
        assert!(!subscription_matches("/v2/*", "/v2/me/im-sessions"));
        assert!(subscription_matches("/v2/**", "/v2/me/im-sessions"));
        assert!(subscription_matches("/**", "/v2/me/im-sessions"));
        assert!(subscription_matches("/*", "/v2"));
        assert!(!subscription_matches("/v2/me/**", "/v2/me"));
        assert!(!subscription_matches("/v2/me/*", "/v2/mex/a"));
        assert!(!subscription_matches("/v2/me", "/v2/me/im-sessions"));
        assert!(is_meta("/meta/connect") && is_meta("/meta/**") && is_meta("/meta"));
        assert!(!is_meta("/metadata"));
        assert!(is_service("/service/x") && !is_service("/services"));
    }

    #[tokio::test(start_paused = true)]
    async fn bad_input_gets_an_error_reply_per_message() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let bad = |json: Value| -> BayeuxMessage { serde_json::from_value(json).unwrap() };
        let cases: Vec<(BayeuxMessage, &str)> = vec![
            (bad(json!({ "id": "1" })), ERROR_CHANNEL_MISSING),
            (
                bad(json!({ "channel": null, "id": "1" })),
                ERROR_CHANNEL_MISSING,
            ),
            (
                bad(json!({ "channel": "no-slash", "clientId": client })),
                ERROR_CHANNEL_INVALID,
            ),
            (
                bad(json!({ "channel": "/bad<script>", "clientId": client })),
                ERROR_CHANNEL_INVALID,
            ),
            (
                bad(json!({ "channel": 42, "clientId": client })),
                ERROR_CHANNEL_INVALID,
            ),
            (
                bad(json!({ "channel": "/meta/connect", "id": "a-1", "clientId": client })),
                ERROR_MESSAGE_ID_INVALID,
            ),
            (
                bad(json!({ "channel": "/meta/connect" })),
                ERROR_UNKNOWN_CLIENT,
            ),
            (
                bad(json!({ "channel": "/meta/connect", "clientId": 12 })),
                ERROR_UNKNOWN_CLIENT,
            ),
            (
                bad(json!({ "channel": "/meta/subscribe", "clientId": client })),
                ERROR_SUBSCRIPTION_MISSING,
            ),
            (
                bad(
                    json!({ "channel": "/meta/subscribe", "clientId": client, "subscription": ["/a"] }),
                ),
                ERROR_SUBSCRIPTION_MISSING,
            ),
            (
                bad(
                    json!({ "channel": "/meta/subscribe", "clientId": client, "subscription": "nope" }),
                ),
                ERROR_SUBSCRIPTION_INVALID,
            ),
            (
                bad(
                    json!({ "channel": "/meta/subscribe", "clientId": client, "subscription": "/meta/*" }),
                ),
                ERROR_SUBSCRIBE_FAILED,
            ),
            (
                bad(
                    json!({ "channel": "/meta/subscribe", "clientId": client, "subscription": "/meta/connect" }),
                ),
                ERROR_SUBSCRIBE_FAILED,
            ),
            (
                bad(
                    json!({ "channel": "/meta/unsubscribe", "clientId": client, "subscription": "/meta/**" }),
                ),
                ERROR_UNSUBSCRIBE_FAILED,
            ),
            (
                bad(json!({ "channel": "/meta/bogus", "clientId": client })),
                ERROR_META_CHANNEL_UNKNOWN,
            ),
            (
                bad(json!({ "channel": TOPIC, "clientId": client, "data": {} })),
                ERROR_PUBLISH_DENIED,
            ),
        ];
        for (message, error) in cases {
            let reply = one(&bayeux, message.clone()).await;
            assert_eq!(reply.len(), 1, "{message:?} -> {reply:?}");
            assert_eq!(reply[0].successful, Some(false), "{message:?}");
            assert_eq!(reply[0].error.as_deref(), Some(error), "{message:?}");
        }
        let service =
            bad(json!({ "channel": "/service/echo", "clientId": client, "id": "9", "data": 1 }));
        assert!(one(&bayeux, service).await[0].is_successful());
        assert_eq!(replies(bayeux.handle(Vec::new()).await), Vec::new());
        assert!(
            client_snapshot(&bayeux, &client).is_some(),
            "bad messages hurt nobody"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_is_answered_message_by_message_under_its_first_client() {
        let bayeux = Bayeux::new(config());
        let client = handshake(&bayeux, false).await;
        let other = handshake(&bayeux, false).await;
        let batch = vec![
            BayeuxMessage::subscribe(2, &client, TOPIC),
            BayeuxMessage::subscribe(3, &other, TOPIC),
            connect_msg(4, &client, None),
        ];
        let started = Instant::now();
        let reply = replies(bayeux.handle(batch).await);
        assert_eq!(
            started.elapsed(),
            Duration::ZERO,
            "a connect with company is not held"
        );
        let ids: Vec<_> = reply
            .iter()
            .map(|m| (m.id.clone().unwrap(), m.successful))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("2".to_owned(), Some(true)),
                ("3".to_owned(), Some(false)),
                ("4".to_owned(), Some(true)),
            ]
        );
        let with_handshake = vec![
            BayeuxMessage::handshake(5, false),
            connect_msg(6, &client, None),
        ];
        let reply = replies(bayeux.handle(with_handshake).await);
        assert!(reply
            .iter()
            .all(|m| m.error.as_deref() == Some(ERROR_HANDSHAKE_NOT_ALONE)));
    }

    #[tokio::test(start_paused = true)]
    async fn random_garbage_never_panics() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, true).await;
        let channels = [
            "",
            "/",
            "/meta/connect",
            "/meta/handshake",
            "/meta/subscribe",
            "/meta/disconnect",
            "/x/**",
            "x",
            "/service/a",
        ];
        let values = [
            json!(null),
            json!(1),
            json!(-1),
            json!("s"),
            json!([1]),
            json!({ "ack": "x" }),
            json!({ "ack": -5 }),
            json!({ "timeout": 1e30 }),
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap()
        };
        for round in 0..300 {
            let mut batch = Vec::new();
            for _ in 0..=next(3) {
                let mut object = serde_json::Map::new();
                object.insert("channel".into(), json!(channels[next(channels.len())]));
                object.insert("id".into(), values[next(values.len())].clone());
                if next(2) == 0 {
                    object.insert("clientId".into(), json!(client));
                }
                object.insert("ext".into(), values[next(values.len())].clone());
                object.insert("advice".into(), values[next(values.len())].clone());
                object.insert("subscription".into(), values[next(values.len())].clone());
                batch.push(serde_json::from_value(Value::Object(object)).unwrap());
            }
            let handling = bayeux.handle(batch);
            let outcome = tokio::time::timeout(Duration::from_secs(60), handling).await;
            assert!(outcome.is_ok(), "round {round} never finished");
            bayeux.publish(TOPIC, json!({ "round": round }));
        }
        let _ = bayeux.snapshot();
    }

    #[tokio::test(start_paused = true)]
    async fn snapshot_shows_clients_subscriptions_queues_and_config() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, true).await;
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        let snapshot = bayeux.snapshot();
        assert_eq!(
            snapshot["config"],
            json!({
                "timeoutMs": 30_000,
                "intervalMs": 0,
                "maxIntervalMs": 10_000,
                "ackExtension": true,
                "closePollsEarly": false,
            })
        );
        assert_eq!(snapshot["messagesPublished"], 1);
        let entry = &snapshot["clients"][0];
        assert_eq!(entry["clientId"], client);
        assert_eq!(entry["subscriptions"], json!([TOPIC]));
        assert_eq!(entry["ackExtension"], true);
        assert_eq!(entry["connected"], true);
        assert_eq!(entry["connectHeld"], false);
        assert_eq!(entry["queued"], 1);
        assert_eq!(entry["unackedBatches"], json!([]));
        assert_eq!(entry["lastBatchSent"], 1);
    }
    #[tokio::test(start_paused = true)]
    async fn handshakes_are_counted_once_each_and_refused_ones_not_at_all() {
        let bayeux = Bayeux::new(config());
        assert_eq!(bayeux.counters(), BayeuxCounters::default());
        handshake(&bayeux, false).await;
        handshake(&bayeux, true).await;
        let not_alone = vec![
            BayeuxMessage::handshake(5, false),
            BayeuxMessage::handshake(6, false),
        ];
        bayeux.handle(not_alone).await;
        assert_eq!(bayeux.counters().handshakes, 2);
        assert_eq!(bayeux.snapshot()["counters"]["handshakes"], 2);
    }

    #[tokio::test(start_paused = true)]
    async fn polls_closed_early_are_counted_when_held_ones_are_woken_and_new_ones_answered() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
        until_held(&bayeux, &client).await;
        assert_eq!(bayeux.counters().polls_closed_early, 0);
        bayeux.set_close_polls_early(true);
        replies(held.await.unwrap());
        assert_eq!(bayeux.counters().polls_closed_early, 1, "the held one");
        one(&bayeux, connect_msg(5, &client, None)).await;
        one(&bayeux, connect_msg(6, &client, None)).await;
        assert_eq!(bayeux.counters().polls_closed_early, 3, "and each new one");
        // A connect with data waiting is answered at once anyway: not the fault's doing.
        bayeux.publish(TOPIC, json!({ "n": 1 }));
        one(&bayeux, connect_msg(7, &client, None)).await;
        bayeux.set_close_polls_early(false);
        let held = spawn_connect(&bayeux, connect_msg(8, &client, None));
        until_held(&bayeux, &client).await;
        held.abort();
        assert_eq!(bayeux.counters().polls_closed_early, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn every_unknown_client_reply_is_counted() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        let held = spawn_connect(&bayeux, connect_msg(4, &client, None));
        until_held(&bayeux, &client).await;
        bayeux.forget_all_clients();
        let reply = replies(held.await.unwrap());
        assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
        assert_eq!(
            bayeux.counters().unknown_client_replies,
            1,
            "the held connect"
        );
        assert_eq!(bayeux.counters().clients_forgotten, 1);
        for message in [
            connect_msg(5, &client, None),
            BayeuxMessage::subscribe(6, &client, TOPIC),
            BayeuxMessage::unsubscribe(7, &client, TOPIC),
            BayeuxMessage::disconnect(8, &client),
        ] {
            let reply = one(&bayeux, message).await;
            assert_eq!(reply[0].error.as_deref(), Some(ERROR_UNKNOWN_CLIENT));
        }
        assert_eq!(bayeux.counters().unknown_client_replies, 5);
        let again = ready_client(&bayeux, false).await;
        one(&bayeux, connect_msg(9, &again, None)).await;
        assert_eq!(
            bayeux.counters().unknown_client_replies,
            5,
            "a known client gets none"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn restarts_are_counted_and_a_reset_counts_from_zero() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        bayeux.restart();
        bayeux.restart();
        assert_eq!(bayeux.counters().restarts, 2);
        assert_eq!(
            bayeux.counters().clients_forgotten,
            0,
            "a restart is its own count"
        );
        one(&bayeux, connect_msg(4, &client, None)).await;
        assert_eq!(bayeux.snapshot()["counters"]["restarts"], 2);
        bayeux.reset_counters();
        assert_eq!(bayeux.counters(), BayeuxCounters::default());
    }

    #[tokio::test(start_paused = true)]
    async fn clients_swept_after_max_interval_are_counted() {
        let bayeux = Bayeux::new(config());
        let client = ready_client(&bayeux, false).await;
        tokio::time::advance(Duration::from_millis(9_999)).await;
        assert_eq!(bayeux.counters().clients_expired, 0);
        tokio::time::advance(Duration::from_millis(2)).await;
        assert_eq!(bayeux.counters().clients_expired, 1);
        assert!(client_snapshot(&bayeux, &client).is_none());
        assert_eq!(bayeux.counters().clients_expired, 1, "swept once");
    }
}
