//! One session as the widget shows it: the server's copy, the transcript (its lines and their
//! delivery), the outbox count, the draft and what the agent last tried.

use gws_protocol::{ImSession, ImSessionState, UserData};
use serde::{Deserialize, Serialize};

use super::action::Action;
use super::notice::{Notice, Problem};
use super::Millis;

/// Where one of the agent's own messages stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Delivery {
    /// Waiting for the session's previous message to be answered: messages go in the order typed.
    Queued,
    /// The SendMessage request is on its way.
    Sending,
    /// The server accepted it (`statusCode` 0) or echoed it back.
    Sent,
    /// The server refused it, or it was not delivered; the agent can retry or discard.
    Failed { reason: Problem },
    /// The request got no answer at `since`: waiting for its echo, or for a connect round that
    /// left after `since` without it (then `Failed` with `Problem::NotDelivered`). No Retry yet.
    Unconfirmed { since: Millis },
    /// No answer, and the CometD session was lost before the check ended: the agent decides.
    Uncertain,
}

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LineKind {
    /// The other party wrote this.
    Incoming,
    /// The agent wrote this. `echoed` once the server's `NewMessage` echo has been matched to it.
    Outgoing {
        local_id: u64,
        delivery: Delivery,
        echoed: bool,
    },
    /// A sentence an older version stored for something that happened (shown as it is).
    System,
    /// Something that happened to the session ("Talking with 3002"); `text` is empty.
    Notice(Notice),
    /// A period without a live CometD session: messages of that time may be missing (`text` unused).
    Gap { until: Millis },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// When this client saw it (the wire carries no times).
    pub at: Millis,
    pub text: String,
    pub kind: LineKind,
}

impl Line {
    /// One of the agent's own lines the server has not echoed yet: a line of the outbox.
    pub fn is_pending(&self) -> bool {
        matches!(self.kind, LineKind::Outgoing { echoed: false, .. })
    }
}

/// A session as the widget shows it: the server's copy plus what this client keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionView {
    /// The server's latest copy (state, participants, capabilities, user data).
    pub session: ImSession,
    /// The key it is addressed by (`ImSession::key`).
    pub id: String,
    /// When this client first saw it (the wire carries no start time).
    pub started_at: Millis,
    pub transcript: Vec<Line>,
    /// How many lines of `transcript` are incoming: kept by the reducer (a proptest checks it), so
    /// that diffs on every change need not count through long transcripts.
    pub incoming: usize,
    /// How many lines of `transcript` are in the outbox ([`Line::is_pending`]): kept by the
    /// reducer (a proptest checks it), so that the echo check and every outbox step look only at the
    /// newest lines, back to the oldest pending one, and not at all when nothing is pending.
    pub outbox: usize,
    /// Incoming messages the agent has not seen.
    pub unread: u32,
    /// What the agent is typing, kept while switching sessions.
    pub draft: String,
    /// The last action that failed on this session, shown next to its controls.
    pub action_error: Option<Problem>,
    /// An action request in flight (its button shows busy and is not pressed twice).
    pub busy: Option<Action>,
}

impl SessionView {
    /// Sets `incoming` and `outbox` from the transcript (after replacing it wholesale).
    pub fn recount(&mut self) {
        self.incoming = self
            .transcript
            .iter()
            .filter(|line| line.kind == LineKind::Incoming)
            .count();
        self.outbox = self.transcript.iter().filter(|l| l.is_pending()).count();
    }

    /// Where the outbox begins: the position of the oldest pending line, found from the newest end
    /// (the scan stops once it has met all `outbox` of them); the transcript's length when none is.
    fn outbox_start(&self) -> usize {
        if self.outbox == 0 {
            return self.transcript.len();
        }
        let mut seen = 0;
        for (at, line) in self.transcript.iter().enumerate().rev() {
            if line.is_pending() {
                seen += 1;
                if seen == self.outbox {
                    return at;
                }
            }
        }
        0
    }

    /// The outbox, oldest first: the agent's lines the server has not echoed yet.
    pub fn pending(&self) -> impl Iterator<Item = &Line> {
        let start = self.outbox_start();
        self.transcript
            .get(start..)
            .unwrap_or_default()
            .iter()
            .filter(|line| line.is_pending())
    }

    /// The outbox, oldest first, to change a line's delivery (a line leaves it only through
    /// the reducer's echo check or discard, which keep `outbox`).
    pub fn pending_mut(&mut self) -> impl Iterator<Item = &mut Line> {
        let start = self.outbox_start();
        self.transcript
            .get_mut(start..)
            .unwrap_or_default()
            .iter_mut()
            .filter(|line| line.is_pending())
    }

    pub fn state(&self) -> &ImSessionState {
        &self.session.state
    }

    pub fn is_completed(&self) -> bool {
        self.session.state == ImSessionState::Completed
    }

    /// Whether `action` is allowed now: the server lists its capability and the session is not over
    /// (the docs' Completed sample still lists every capability).
    pub fn allows(&self, action: Action) -> bool {
        !self.is_completed() && self.session.can(&action.capability())
    }

    /// Why `action` is not allowed (for a tooltip); `None` when it is.
    pub fn why_not(&self, action: Action) -> Option<Problem> {
        if self.is_completed() {
            Some(Problem::SessionEnded)
        } else if !self.session.can(&action.capability()) {
            Some(match action {
                Action::SendMessage => Problem::CannotSend,
                Action::Complete => Problem::CannotEnd,
                _ => Problem::CannotChangeCaseData,
            })
        } else {
            None
        }
    }

    /// The other party's number for display (formatted, else E.164, phone number, digits).
    pub fn party_number(&self) -> Option<&str> {
        self.session
            .participants
            .iter()
            .find_map(|p| p.display_number())
    }

    /// The number to address messages to.
    pub fn destination(&self) -> Option<&str> {
        self.session
            .participants
            .iter()
            .find_map(|p| p.dial_number())
    }

    pub fn user_data(&self) -> &UserData {
        &self.session.user_data
    }

    /// The last line written by a person (for the list preview).
    pub fn last_message(&self) -> Option<&Line> {
        self.transcript
            .iter()
            .rev()
            .find(|l| matches!(l.kind, LineKind::Incoming | LineKind::Outgoing { .. }))
    }

    /// Whether the other party wrote last and got no answer yet.
    pub fn awaiting_reply(&self) -> bool {
        matches!(
            self.last_message(),
            Some(Line {
                kind: LineKind::Incoming,
                ..
            })
        )
    }
}
