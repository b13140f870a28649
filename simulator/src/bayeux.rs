//! CometD (Bayeux 1.0) server, long-polling only, as GWS runs it.
//!
//! INTERFACE STUB: the implementation is being written; the signatures below are the contract.

use std::time::Duration;

use gws_protocol::BayeuxMessage;
use serde_json::Value;

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

/// What to do with one HTTP request to the CometD endpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Answer with this batch (a JSON array).
    Reply(Vec<BayeuxMessage>),
    /// Drop the connection without an answer (the server "restarted" under a held long-poll).
    Abort,
}

/// The CometD server: clients, subscriptions, per-client queues. Cheap to clone (shared inside).
#[derive(Clone, Default)]
pub struct Bayeux {}

impl Bayeux {
    pub fn new(_config: BayeuxConfig) -> Self {
        Self {}
    }

    pub fn config(&self) -> BayeuxConfig {
        BayeuxConfig::default()
    }

    /// Answers one request body (a batch); a `/meta/connect` may wait up to `timeout` for data.
    pub async fn handle(&self, _batch: Vec<BayeuxMessage>) -> Outcome {
        Outcome::Reply(Vec::new())
    }

    /// Queues `data` on `channel` for every client subscribed to it and wakes their long-polls.
    pub fn publish(&self, _channel: &str, _data: Value) {}

    /// Fault: forget every client, so each gets `402::Unknown client` and advice to handshake.
    pub fn forget_all_clients(&self) {}

    /// Fault: a server restart — forget every client and abort every held `/meta/connect`.
    pub fn restart(&self) {}

    /// Fault: while on, a `/meta/connect` is answered at once (empty) instead of being held.
    pub fn set_close_polls_early(&self, _on: bool) {}

    /// Switches the acknowledged-messages extension for clients that handshake from now on.
    pub fn set_ack_extension(&self, _on: bool) {}

    /// Clients, their subscriptions and queue lengths, for `GET /_sim/state`.
    pub fn snapshot(&self) -> Value {
        Value::Null
    }
}
