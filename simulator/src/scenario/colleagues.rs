//! The directory of scripted colleagues and how they react to the agent: answering an IM the agent
//! started, reading and answering what the agent writes, ringing the agent.

use gws_protocol::{ImSessionState, UserData};
use serde_json::Value;

use crate::sim::SimState;

/// How long a colleague takes to pick up an IM the agent started.
const ANSWER_MS: u64 = 1500;
/// How long an unknown extension "rings" before the session fails.
const NO_ANSWER_MS: u64 = 3000;
/// How long a colleague takes to read a message before typing.
const READ_MS: u64 = 700;
/// How long after saying goodbye a colleague ends the session.
const HANG_UP_MS: u64 = 1500;

/// Another agent the simulated agent can IM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colleague {
    pub number: &'static str,
    pub name: &'static str,
    /// What they write when they ring the agent.
    pub opener: &'static str,
    /// What they write after answering the agent's IM.
    pub greeting: &'static str,
    /// Their answers to the agent's messages, in turn.
    pub replies: &'static [&'static str],
    pub goodbye: &'static str,
    /// After this reply they attach this user data.
    pub attaches_after: Option<(usize, &'static str, &'static str)>,
}

/// The directory of scripted colleagues.
pub const DIRECTORY: &[Colleague] = &[
    Colleague {
        number: "3002",
        name: "Sam Rivera (supervisor)",
        opener: "Hi, quick check: how is your queue looking?",
        greeting: "Hi! Sam here. What do you need?",
        replies: &[
            "Let me take a look.",
            "OK, approved. I've attached a note to this chat.",
            "Sounds good. Ping me if the customer pushes back.",
        ],
        goodbye: "Great, talk later!",
        attaches_after: Some((1, "approvedBy", "3002")),
    },
    Colleague {
        number: "3003",
        name: "Priya Shah (billing)",
        opener: "Hi! Could you help me with an invoice question?",
        greeting: "Hey, Priya from billing here.",
        replies: &[
            "Thanks! The customer says they were charged twice.",
            "Can you confirm the order number on your side?",
            "Perfect, that matches. I'll issue the credit.",
        ],
        goodbye: "Thanks a lot, bye!",
        attaches_after: Some((2, "creditIssued", "yes")),
    },
    Colleague {
        number: "3004",
        name: "Tom Becker (tech support)",
        opener: "Got a minute? A customer of yours is on my line.",
        greeting: "Tom here, what's up?",
        replies: &[
            "Hmm, have they tried restarting the router?",
            "OK, I'll open a ticket and send you the number.",
            "Done. Ticket TS-5521.",
        ],
        goodbye: "Cheers!",
        attaches_after: Some((2, "ticket", "TS-5521")),
    },
    Colleague {
        number: "3005",
        name: "Lena Park (sales)",
        opener: "Hi, is the Acme renewal with you?",
        greeting: "Hi, Lena here!",
        replies: &["Great, thanks.", "I'll send the quote over this afternoon."],
        goodbye: "Bye for now!",
        attaches_after: None,
    },
];

/// The directory entry for an extension.
pub fn colleague(number: &str) -> Option<&'static Colleague> {
    DIRECTORY.iter().find(|c| c.number == number.trim())
}

/// A colleague's typing time for `text`, in unscaled milliseconds.
pub fn typing_ms(text: &str) -> u64 {
    (400 + 45 * text.chars().count() as u64).min(4000)
}

/// The agent started an IM: a colleague answers and greets; an unknown extension fails.
pub fn after_initiate(sim: &SimState, id: &str) {
    let Some((other_party, true)) =
        sim.read(|w| w.session(id).map(|s| (s.other_party.clone(), s.scripted)))
    else {
        return;
    };
    let (sim_task, id) = (sim.clone(), id.to_owned());
    match colleague(&other_party) {
        Some(colleague) => {
            sim.spawn(async move {
                tokio::time::sleep(sim_task.pause(ANSWER_MS)).await;
                if sim_task
                    .commit(|w, _| w.answer(&id).map(|n| ((), n)))
                    .is_err()
                {
                    return;
                }
                tokio::time::sleep(sim_task.pause(typing_ms(colleague.greeting))).await;
                let _ = sim_task.commit(|w, now| {
                    w.other_message(&id, colleague.greeting, now)
                        .map(|n| ((), n))
                });
            });
        }
        None => {
            sim.spawn(async move {
                tokio::time::sleep(sim_task.pause(NO_ANSWER_MS)).await;
                let still_initiating = sim_task.read(|w| {
                    w.session(&id)
                        .is_some_and(|s| s.state == ImSessionState::Initiating)
                });
                if still_initiating {
                    let _ = sim_task.commit(|w, _| w.complete(&id).map(|n| ((), n)));
                }
            });
        }
    }
}

/// The agent wrote in a scripted session: the colleague reads, types and answers.
pub fn after_agent_message(sim: &SimState, id: &str, text: &str) {
    let Some((other_party, true)) =
        sim.read(|w| w.session(id).map(|s| (s.other_party.clone(), s.scripted)))
    else {
        return;
    };
    let Some(colleague) = colleague(&other_party) else {
        return;
    };
    {
        let mut script = sim.script();
        if says_goodbye(text) {
            script.farewells.insert(id.to_owned());
        }
        if !script.typing.insert(id.to_owned()) {
            return;
        }
    }
    let (task_sim, id) = (sim.clone(), id.to_owned());
    sim.spawn(async move {
        let sim = task_sim;
        let (turn, farewell) = {
            let script = sim.script();
            (
                script.turns.get(&id).copied().unwrap_or(0),
                script.farewells.contains(&id),
            )
        };
        let reply = colleague.replies.get(turn).filter(|_| !farewell).copied();
        let line = reply.unwrap_or(colleague.goodbye);
        tokio::time::sleep(sim.pause(READ_MS + typing_ms(line))).await;
        {
            let mut script = sim.script();
            script.typing.remove(&id);
            script.turns.insert(id.clone(), turn + 1);
        }
        if sim
            .commit(|w, now| w.other_message(&id, line, now).map(|n| ((), n)))
            .is_err()
        {
            return;
        }
        if reply.is_none() {
            tokio::time::sleep(sim.pause(HANG_UP_MS)).await;
            let _ = sim.commit(|w, _| w.complete(&id).map(|n| ((), n)));
        } else if let Some((_, key, value)) = colleague
            .attaches_after
            .filter(|(after, ..)| *after == turn)
        {
            let data: UserData = [(key, Value::String(value.into()))].into_iter().collect();
            let _ = sim.commit(|w, _| w.other_attach(&id, &data).map(|n| ((), n)));
        }
    });
}

pub(super) fn says_goodbye(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| matches!(word, "bye" | "goodbye" | "cya"))
}

/// A free directory colleague rings the agent with their opener (the demo's "and then…").
pub fn ring_random_colleague(sim: &SimState) -> Option<String> {
    sim.commit(|world, now| {
        let ringing = world
            .sessions()
            .iter()
            .any(|s| s.state == ImSessionState::Alerting);
        let active = world.sessions().iter().filter(|s| s.is_active()).count();
        if ringing || active >= 3 {
            return Ok((None, Vec::new()));
        }
        let free: Vec<&Colleague> = DIRECTORY
            .iter()
            .filter(|c| {
                !world
                    .sessions()
                    .iter()
                    .any(|s| s.is_active() && s.other_party == c.number)
            })
            .collect();
        let Some(colleague) = free.get(world.pick(free.len())).copied() else {
            return Ok((None, Vec::new()));
        };
        let (id, mut notifications) = world.ring(colleague.number, UserData::new(), true, now)?;
        notifications.extend(world.other_message(&id, colleague.opener, now)?);
        Ok((Some(id), notifications))
    })
    .ok()
    .flatten()
}
