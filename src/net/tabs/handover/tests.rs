//! The hand-over invariant: whatever the old leader did before it died, every message the server
//! published reaches the new leader's view once, or lies inside a marked gap; a resumed client
//! shows no gap at all.

use gws_protocol::{
    Capability, ImNotification, ImSession, ImSessionState, LogUpdateKind, Participant,
};
use proptest::prelude::*;

use super::*;
use crate::state::{reduce, Event, LineKind, LiveEvent, Model};

fn talking(id: &str) -> ImSession {
    ImSession {
        id: id.into(),
        state: ImSessionState::Talking,
        participants: vec![Participant::with_number("3002")],
        capabilities: vec![Capability::SendMessage, Capability::Complete],
        path: Some(format!("/im-sessions/{id}")),
        ..ImSession::default()
    }
}

fn published(id: &str, text: &str) -> TabMessage {
    let notification = ImNotification::LogUpdate {
        kind: LogUpdateKind::NewMessage,
        im_session_path: format!("/im-sessions/{id}"),
        message: text.into(),
    };
    TabMessage::Live(LiveEvent::Notification {
        notification,
        at: 0.0,
    })
}

const SESSIONS: [&str; 2] = ["s1", "s2"];

/// A follower tab: its model and its hand-over account, fed what the channel carries.
struct Follower {
    model: Model,
    handover: Handover,
    token: bool,
}

impl Follower {
    fn joined(at: Millis) -> Self {
        let mut model = Model::default();
        let sessions = SESSIONS.iter().map(|id| talking(id)).collect();
        reduce(&mut model, Event::SessionsLoaded { sessions, at });
        Self {
            model,
            handover: Handover::new(at),
            token: false,
        }
    }

    fn hear(&mut self, message: TabMessage) {
        if let TabMessage::Bundle(messages) = message {
            // As the coordinator does: each in order (the hand-over account counts them itself).
            let mut account = self.handover.clone();
            account.heard(&TabMessage::Bundle(messages.clone()));
            messages.into_iter().for_each(|m| self.hear(m));
            assert_eq!(account, self.handover, "a bundle counts as its messages");
            return;
        }
        self.handover.heard(&message);
        if let TabMessage::Resume { .. } = message {
            self.token = true;
        }
        if let Some(event) = message.into_event() {
            reduce(&mut self.model, event);
        }
    }

    fn dispatch(&mut self, event: Event) {
        reduce(&mut self.model, event);
    }
}

/// What happens next in the world, while the old leader lives.
#[derive(Debug, Clone)]
enum Step {
    /// The other party of session `0` (an index) writes.
    Publish(usize),
    /// The leader's held connect is answered with what was published; it relays it all, then the
    /// round, then (maybe) its new token, as one bundle.
    Deliver { token: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..SESSIONS.len()).prop_map(Step::Publish),
        2 => any::<bool>().prop_map(|token| Step::Deliver { token }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_message_of_a_dead_leader_goes_unmarked(
        // Each with the milliseconds since the one before.
        before_death in proptest::collection::vec((step(), 1..30u8), 0..12),
        // Published after the leader died and before the new leader's client is up.
        while_leaderless in proptest::collection::vec((0..SESSIONS.len(), 1..30u8), 0..3),
        // The server still knows the old client (a resume succeeds).
        server_kept_client in any::<bool>(),
    ) {
        let mut now: Millis = 1_000.0;
        let mut follower = Follower::joined(now);
        // The leader is live: it answers the follower's Hello with its status.
        follower.hear(TabMessage::Live(LiveEvent::Up { at: now, fresh: false }));
        let mut texts: Vec<(usize, String, Millis)> = Vec::new();
        // Published and not yet answered to the leader (with acks: still in the server's queue).
        let mut queued: Vec<usize> = Vec::new();
        let mut connect_sent = now;
        let publish = |session: usize, now: Millis, texts: &mut Vec<(usize, String, Millis)>, queued: &mut Vec<usize>| {
            texts.push((session, format!("m{}", texts.len()), now));
            queued.push(texts.len() - 1);
        };
        for (step, delay) in before_death {
            now += Millis::from(delay);
            match step {
                Step::Publish(session) => publish(session, now, &mut texts, &mut queued),
                Step::Deliver { token } => {
                    let mut step: Vec<TabMessage> = queued
                        .drain(..)
                        .map(|index| published(SESSIONS[texts[index].0], &texts[index].1))
                        .collect();
                    step.push(TabMessage::Live(LiveEvent::Round { started: connect_sent }));
                    connect_sent = now;
                    if token {
                        step.push(TabMessage::Resume {
                            client_id: "c1".into(),
                            acks: true,
                            batch: 1,
                        });
                    }
                    follower.hear(TabMessage::Bundle(step));
                }
            }
        }
        // The leader's page is gone; what it was answered but never relayed stays queued.
        for (session, delay) in while_leaderless {
            now += Millis::from(delay);
            publish(session, now, &mut texts, &mut queued);
        }
        now += 10.0;
        let takeover = follower.handover.take_lead();
        prop_assert!(takeover.is_some(), "a heard leader's session ends");
        if let Some(event) = takeover {
            follower.dispatch(Event::Live(event));
        }
        let resumed = follower.token && server_kept_client;
        if resumed {
            follower.dispatch(Event::Live(LiveEvent::Up { at: now, fresh: false }));
            for index in queued.drain(..) {
                let (session, text, _) = &texts[index];
                follower.hear(published(SESSIONS[*session], text));
            }
        } else {
            // A fresh handshake: the server's queue for the old client is gone with it.
            follower.dispatch(Event::Live(LiveEvent::Up { at: now, fresh: true }));
        }

        for (session, text, at) in &texts {
            let view = follower.model.session(SESSIONS[*session]).unwrap();
            let shown = view
                .transcript
                .iter()
                .filter(|l| l.kind == LineKind::Incoming && &l.text == text)
                .count();
            let in_gap = view.transcript.iter().any(|l| match l.kind {
                LineKind::Gap { until } => l.at <= *at && *at <= until,
                _ => false,
            });
            prop_assert!(shown <= 1, "{} shown {} times", text, shown);
            prop_assert!(
                shown == 1 || in_gap,
                "{} (published at {}) neither shown nor inside a gap: {:?}",
                text,
                at,
                view.transcript
            );
        }
        for id in SESSIONS {
            let gaps = follower
                .model
                .session(id)
                .unwrap()
                .transcript
                .iter()
                .filter(|l| matches!(l.kind, LineKind::Gap { .. }))
                .count();
            let expected = usize::from(!resumed);
            prop_assert_eq!(gaps, expected, "{}: one gap marker after a fresh start, none after a resume", id);
        }
    }
}

#[test]
fn a_first_tab_marks_nothing_and_a_follower_marks_from_its_last_round() {
    let mut first = Handover::new(5.0);
    first.heard(&TabMessage::Hello);
    first.heard(&TabMessage::Outgoing {
        session: "s1".into(),
        text: "Hi".into(),
        at: 6.0,
    });
    assert_eq!(first.take_lead(), None, "no leader was heard");

    let mut follower = Handover::new(5.0);
    follower.heard(&TabMessage::Live(LiveEvent::Up {
        at: 6.0,
        fresh: false,
    }));
    assert_eq!(
        follower.take_lead(),
        Some(LiveEvent::Interrupted { at: 5.0 }),
        "from when it joined"
    );
    follower.heard(&TabMessage::Live(LiveEvent::Round { started: 9.0 }));
    follower.heard(&TabMessage::Live(LiveEvent::Round { started: 7.0 }));
    assert_eq!(
        follower.take_lead(),
        Some(LiveEvent::Interrupted { at: 9.0 }),
        "from the start of the latest round"
    );
}
