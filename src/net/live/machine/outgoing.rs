//! What the client sends: the handshake, the subscribe batched with the first connect, each
//! connect (with its ack and, after a failure, `advice.timeout: 0`), and the message ids.

use gws_protocol::{Advice, BayeuxMessage, IM_SESSIONS_TOPIC};

use super::{Hold, LiveMachine, Output, Phase};

impl LiveMachine {
    pub(super) fn take_id(&mut self) -> u64 {
        self.last_id = self.last_id.saturating_add(1);
        self.last_id
    }

    pub(super) fn send_handshake(&mut self, delay_ms: u32, out: &mut Vec<Output>) {
        let id = self.take_id();
        self.phase = Phase::Handshaking { id: id.to_string() };
        out.push(Output::Send {
            batch: vec![BayeuxMessage::handshake(id, true)],
            delay_ms,
        });
    }

    pub(super) fn send_subscribe(
        &mut self,
        client_id: String,
        delay_ms: u32,
        out: &mut Vec<Output>,
    ) {
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

    pub(super) fn send_connect(
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

    pub(super) fn ack(&self) -> Option<i64> {
        self.acks.then_some(self.batch)
    }
}
