//! One CometD connection for all the widget's tabs of one origin.
//!
//! Every tab opens the `BroadcastChannel` `imw:v1:{api_base}` and asks for the Web Lock of the same
//! name. The lock's holder leads: it runs the [`LiveClient`](crate::net::live) and posts every live event
//! and, after each connect reply, its resume token; the others dispatch what they hear. When the
//! leader's page goes away its lock is released, the next tab in the lock's queue leads and resumes
//! the same CometD client from the last token, so the server's queue and the ack extension bring
//! what the old leader missed. Taking the lead first marks the old leader's session interrupted
//! ([`handover`]): a tab that heard no token handshakes afresh, and the gap shows in every tab. Any tab posts `outgoing` before it sends a message as the agent, so
//! the other tabs show that message as the agent's own. Without BroadcastChannel or Web Locks the
//! tab runs its own client, and tells the other tabs what the agent sends through localStorage.

pub mod handover;
pub mod message;

#[cfg(target_arch = "wasm32")]
pub use coordinator::{broadcast, Tabs};

/// The channel's and the lock's name: tabs of one origin on one API share them.
pub fn channel_name(api_base: &str) -> String {
    format!("imw:v1:{api_base}")
}

#[cfg(target_arch = "wasm32")]
mod coordinator;
