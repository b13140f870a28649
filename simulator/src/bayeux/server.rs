//! The server's state behind its lock: the clients, their queues and held connects, and what each
//! meta message does to them.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::time::Duration;

use gws_protocol::bayeux::{
    BAYEUX_VERSION, LONG_POLLING, META_CONNECT, META_DISCONNECT, META_HANDSHAKE, META_SUBSCRIBE,
    META_UNSUBSCRIBE,
};
use gws_protocol::{Advice, BayeuxMessage, Reconnect};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::*;

#[derive(Debug)]
pub(super) struct Server {
    pub(super) config: BayeuxConfig,
    pub(super) close_polls_early: bool,
    pub(super) clients: HashMap<String, Client>,
    pub(super) client_seq: u64,
    pub(super) connect_seq: u64,
    pub(super) messages_published: u64,
    pub(super) counters: BayeuxCounters,
    pub(super) random: RandomState,
}

impl Server {
    /// How long after a connect reply a client that does not connect again is kept.
    pub(super) fn expiry(&self) -> Duration {
        self.config
            .interval
            .saturating_add(self.config.max_interval)
    }

    pub(super) fn advice(&self) -> Advice {
        Advice {
            reconnect: Some(Reconnect::Retry),
            timeout: Some(millis(self.config.timeout)),
            interval: Some(millis(self.config.interval)),
            max_interval: Some(millis(self.config.max_interval)),
        }
    }

    pub(super) fn sweep(&mut self, now: Instant) {
        let before = self.clients.len();
        self.clients
            .retain(|_, client| client.expires_at.is_none_or(|at| at > now));
        let expired = before - self.clients.len();
        self.counters.clients_expired += expired as u64;
    }

    /// A `402::Unknown client` reply, counted.
    pub(super) fn unknown_client(&mut self, request: &BayeuxMessage) -> BayeuxMessage {
        self.counters.unknown_client_replies += 1;
        unknown_client_reply(request)
    }

    pub(super) fn drop_all_clients(&mut self, why: Wake) {
        for (_, mut client) in self.clients.drain() {
            client.wake(why);
        }
    }

    pub(super) fn new_client_id(&mut self) -> String {
        self.client_seq = self.client_seq.saturating_add(1);
        // Unguessable like CometD's ids; the sequence number keeps them unique across restarts.
        let random = self.random.hash_one(self.client_seq);
        format!("{:0>13}{}", base36(random), base36(self.client_seq))
    }

    pub(super) fn process(&mut self, batch: Vec<BayeuxMessage>, now: Instant) -> Step {
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

    pub(super) fn handshake(&mut self, message: &BayeuxMessage, now: Instant) -> BayeuxMessage {
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

    pub(super) fn connect(
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

    pub(super) fn resume(
        &mut self,
        held: &HeldRequest,
        wake: Option<Wake>,
        now: Instant,
    ) -> Outcome {
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
    pub(super) fn touch(&mut self, client_id: &str, now: Instant) {
        let max_interval = self.config.max_interval;
        if let Some(client) = self.clients.get_mut(client_id) {
            if let Some(at) = client.expires_at {
                client.expires_at = Some(at.max(later(now, max_interval)));
            }
        }
    }

    pub(super) fn subscribe(&mut self, client_id: &str, message: &BayeuxMessage) -> BayeuxMessage {
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

    pub(super) fn unsubscribe(
        &mut self,
        client_id: &str,
        message: &BayeuxMessage,
    ) -> BayeuxMessage {
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

    pub(super) fn disconnect(&mut self, client_id: &str, message: &BayeuxMessage) -> BayeuxMessage {
        match self.clients.remove(client_id) {
            Some(mut client) => {
                client.wake(Wake::Disconnected);
                success_reply(message)
            }
            None => self.unknown_client(message),
        }
    }

    pub(super) fn publish(&mut self, channel: &str, data: Value, now: Instant) {
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
