//! The CometD client's behaviour, with replies shaped as the simulator (and CometD 3) sends them.

use gws_protocol::bayeux::{META_CONNECT, META_DISCONNECT, META_HANDSHAKE, META_SUBSCRIBE};
use gws_protocol::{Advice, BayeuxMessage, ImNotification, Reconnect, IM_SESSIONS_TOPIC};
use proptest::prelude::*;
use serde_json::{json, Value};

use super::{Input, LiveMachine, Output, ResumeToken};
use crate::state::LiveEvent;

const CLIENT: &str = "client1";

fn server_advice() -> Advice {
    Advice {
        reconnect: Some(Reconnect::Retry),
        timeout: Some(30_000),
        interval: Some(0),
        max_interval: Some(10_000),
    }
}

/// The one request in `out`, with its delay.
fn request(out: &[Output]) -> (Vec<BayeuxMessage>, u32) {
    let sends: Vec<_> = out
        .iter()
        .filter_map(|output| match output {
            Output::Send { batch, delay_ms } => Some((batch.clone(), *delay_ms)),
            _ => None,
        })
        .collect();
    assert_eq!(sends.len(), 1, "exactly one request in {out:#?}");
    sends.into_iter().next().unwrap()
}

/// The events other than the connect rounds (which `a_connect_round_*` tests cover).
fn events(out: &[Output]) -> Vec<LiveEvent> {
    out.iter()
        .filter_map(|output| match output {
            Output::Event(LiveEvent::Round { .. }) => None,
            Output::Event(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

fn problems(out: &[Output]) -> usize {
    out.iter()
        .filter(|output| matches!(output, Output::Problem(_)))
        .count()
}

fn handshake_reply(request: &BayeuxMessage, ack: bool) -> BayeuxMessage {
    BayeuxMessage {
        channel: META_HANDSHAKE.into(),
        id: request.id.clone(),
        client_id: Some(CLIENT.into()),
        successful: Some(true),
        advice: Some(server_advice()),
        ext: ack.then(|| json!({ "ack": true })),
        ..BayeuxMessage::default()
    }
}

fn success(request: &BayeuxMessage) -> BayeuxMessage {
    BayeuxMessage {
        channel: request.channel.clone(),
        id: request.id.clone(),
        subscription: request.subscription.clone(),
        successful: Some(true),
        ..BayeuxMessage::default()
    }
}

fn connect_reply(request: &BayeuxMessage, batch: Option<i64>) -> BayeuxMessage {
    BayeuxMessage {
        ext: batch.map(|batch| json!({ "ack": batch })),
        ..success(request)
    }
}

fn refused(request: &BayeuxMessage, error: &str) -> BayeuxMessage {
    BayeuxMessage {
        successful: Some(false),
        error: Some(error.into()),
        ..success(request)
    }
}

/// The simulator's (and CometD's) answer to a connect from a client it does not know.
fn unknown_client(request: &BayeuxMessage) -> BayeuxMessage {
    BayeuxMessage {
        advice: Some(Advice {
            reconnect: Some(Reconnect::Handshake),
            interval: Some(0),
            ..Advice::default()
        }),
        ..refused(request, "402::Unknown client")
    }
}

fn published(data: Value) -> BayeuxMessage {
    BayeuxMessage {
        channel: IM_SESSIONS_TOPIC.into(),
        id: Some("77".into()),
        data: Some(data),
        ..BayeuxMessage::default()
    }
}

fn new_message(text: &str) -> Value {
    json!({
        "messageType": "IMLogUpdateMessage",
        "notificationType": "NewMessage",
        "imSessionPath": "/im-sessions/12398123091823091283012",
        "message": text,
    })
}

fn log_update(text: &str) -> ImNotification {
    ImNotification::from_value(&new_message(text)).unwrap()
}

fn replied(machine: &mut LiveMachine, batch: Vec<BayeuxMessage>, at: f64) -> Vec<Output> {
    machine.step(Input::Replied { batch, at })
}

fn failed(machine: &mut LiveMachine, at: f64) -> Vec<Output> {
    machine.step(Input::Failed {
        at,
        reason: "NetworkError".into(),
    })
}

/// Start → handshake (with or without acks) → `[subscribe, connect]` answered: the client is up
/// and its next connect is outstanding.
fn live_client(ack: bool) -> (LiveMachine, BayeuxMessage) {
    let mut machine = LiveMachine::new();
    let (hello, _) = request(&machine.step(Input::Start { at: 0.0 }));
    let (subscribe, _) = request(&replied(
        &mut machine,
        vec![handshake_reply(&hello[0], ack)],
        1.0,
    ));
    let answers = vec![
        success(&subscribe[0]),
        connect_reply(&subscribe[1], ack.then_some(1)),
    ];
    let out = replied(&mut machine, answers, 2.0);
    assert_eq!(
        events(&out),
        vec![LiveEvent::Up {
            at: 2.0,
            fresh: true
        }]
    );
    let (connect, _) = request(&out);
    (machine, connect[0].clone())
}

mod garbage;
mod recovery;
mod resume;
mod session;
