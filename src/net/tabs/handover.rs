//! What a follower tab must tell its model when it takes the lead: the old leader's live CometD
//! session has ended, and since when what the server published may not have reached this tab.
//!
//! A follower that heard the leader's resume token resumes the same CometD client, and the server's
//! queue brings what the old leader missed (`LiveEvent::Up { fresh: false }`: no gap). One that heard no
//! token (the leader died first), or whose resume is refused, handshakes afresh: `LiveEvent::Up { fresh:
//! true }` then marks "Messages may be missing" from the time given here in every open session.
//! So no period without a live Bayeux session goes unmarked.

use super::message::TabMessage;
use crate::state::{LiveEvent, Millis};

/// A follower's account of the leader's live session.
#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    /// When this tab began to hear the channel: nothing published before it was relayed here.
    joined: Millis,
    /// A leader was heard: its live session ends when this tab leads.
    leader_heard: bool,
    /// Everything the leader's CometD session published before this was relayed here (the start of
    /// the last connect round heard).
    delivered_before: Option<Millis>,
}

impl Handover {
    pub fn new(joined: Millis) -> Self {
        Self {
            joined,
            leader_heard: false,
            delivered_before: None,
        }
    }

    /// A message from the leader (or another follower) on the channel.
    pub fn heard(&mut self, message: &TabMessage) {
        match message {
            TabMessage::Live(LiveEvent::Round { started }) => {
                self.leader_heard = true;
                let before = self.delivered_before.map_or(*started, |b| b.max(*started));
                self.delivered_before = Some(before);
            }
            TabMessage::Live(_) | TabMessage::Resume { .. } => self.leader_heard = true,
            TabMessage::Bundle(messages) => messages.iter().for_each(|m| self.heard(m)),
            TabMessage::Outgoing { .. }
            | TabMessage::OutgoingFailed { .. }
            | TabMessage::Hello
            | TabMessage::Agent { .. }
            | TabMessage::SignOut => {}
        }
    }

    /// What this tab dispatches (and shares with the other followers) as it takes the lead: the
    /// old leader's session was interrupted where this tab's knowledge of it ends. `None` when no
    /// leader was heard (this tab is the first; a reload's gap comes from storage's "live until").
    pub fn take_lead(&self) -> Option<LiveEvent> {
        self.leader_heard.then(|| LiveEvent::Interrupted {
            at: self.delivered_before.unwrap_or(self.joined),
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
