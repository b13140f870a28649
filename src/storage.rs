//! Transcripts kept in `localStorage`, per agent and session id, because GWS has no history.
//!
//! Keys: `imw:v1:{agent}:s:{session}` (a `StoredSession`), `imw:v1:{agent}:index` (what is kept),
//! `imw:v1:{agent}:live` (when this agent's widget last had a live CometD session).
//! Nothing here stores credentials or tokens.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use web_sys::Storage;

use gws_protocol::ImSession;

use crate::state::{
    sessions_to_prune, Delivery, Line, LineKind, Millis, Model, SessionView, StoredIndexEntry,
    StoredSession, STORED_SESSION_LIMIT,
};

/// A cheap fingerprint of what storage holds for a session, to skip unchanged ones.
#[derive(Debug, Clone, PartialEq)]
struct Fingerprint {
    lines: usize,
    last_delivery: Option<Delivery>,
    draft_len: usize,
    draft_tail: Option<char>,
    state: String,
    user_data_len: usize,
}

impl Fingerprint {
    fn of(view: &SessionView) -> Self {
        Self::of_parts(&view.session, &view.transcript, &view.draft)
    }

    fn of_stored(stored: &StoredSession) -> Self {
        Self::of_parts(&stored.session, &stored.transcript, &stored.draft)
    }

    fn of_parts(session: &ImSession, transcript: &[Line], draft: &str) -> Self {
        Self {
            lines: transcript.len(),
            last_delivery: transcript.iter().rev().find_map(|l| match &l.kind {
                LineKind::Outgoing { delivery, .. } => Some(delivery.clone()),
                _ => None,
            }),
            draft_len: draft.len(),
            draft_tail: draft.chars().last(),
            state: session.state.to_string(),
            user_data_len: session.user_data.len(),
        }
    }
}

/// One agent's part of `localStorage`.
pub struct TranscriptStore {
    storage: Storage,
    prefix: String,
    saved: RefCell<HashMap<String, Fingerprint>>,
    /// A write was refused (quota exceeded, storage blocked); see [`TranscriptStore::newly_refused`].
    refused: Cell<Refusal>,
}

/// Whether storage refused a write, and whether the runtime heard it yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Refusal {
    #[default]
    None,
    Unreported,
    Reported,
}

impl TranscriptStore {
    /// `None` when the browser has no usable localStorage (private modes, disabled storage).
    pub fn open(agent: &str) -> Option<Self> {
        let storage = web_sys::window()?.local_storage().ok()??;
        Some(Self {
            storage,
            prefix: format!("imw:v1:{}:", agent.trim()),
            saved: RefCell::default(),
            refused: Cell::default(),
        })
    }

    fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    fn read<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        let text = self.storage.get_item(key).ok()??;
        serde_json::from_str(&text).ok()
    }

    fn write(&self, key: &str, value: &impl serde::Serialize) -> bool {
        let Ok(text) = serde_json::to_string(value) else {
            return false;
        };
        let written = self.storage.set_item(key, &text).is_ok();
        if !written && self.refused.get() == Refusal::None {
            web_sys::console::warn_1(&"imw: storage refused a transcript (full or blocked)".into());
            self.refused.set(Refusal::Unreported);
        }
        written
    }

    /// True once, after the first write storage refused: the agent is then told transcripts are
    /// not kept.
    pub fn newly_refused(&self) -> bool {
        let unreported = self.refused.get() == Refusal::Unreported;
        if unreported {
            self.refused.set(Refusal::Reported);
        }
        unreported
    }

    /// Everything kept for this agent, and when its widget was last live.
    pub fn load(&self) -> (Vec<StoredSession>, Option<Millis>) {
        let index: Vec<StoredIndexEntry> = self.read(&self.key("index")).unwrap_or_default();
        let sessions: Vec<StoredSession> = index
            .iter()
            .filter_map(|entry| self.read::<StoredSession>(&self.key(&format!("s:{}", entry.id))))
            .collect();
        let mut saved = self.saved.borrow_mut();
        for stored in &sessions {
            saved.insert(stored.id.clone(), Fingerprint::of_stored(stored));
        }
        (sessions, self.read(&self.key("live")))
    }

    /// Writes the sessions that changed since the last save, and prunes beyond the limit.
    pub fn save_changed(&self, model: &Model) {
        let changed: Vec<(&SessionView, Fingerprint)> = model
            .sessions
            .iter()
            .map(|view| (view, Fingerprint::of(view)))
            .filter(|(view, fingerprint)| self.saved.borrow().get(&view.id) != Some(fingerprint))
            .collect();
        if changed.is_empty() {
            return;
        }
        let index: Vec<StoredIndexEntry> =
            model.sessions.iter().map(StoredIndexEntry::of).collect();
        let prune = sessions_to_prune(&index, STORED_SESSION_LIMIT);
        for (view, fingerprint) in changed {
            let key = self.key(&format!("s:{}", view.id));
            if prune.contains(&view.id) {
                // Beyond the kept sessions: gone from storage, and remembered as handled so it is
                // not written and pruned again every second.
                let _ = self.storage.remove_item(&key);
            } else if !self.write(&key, &StoredSession::from_view(view)) {
                continue;
            }
            self.saved.borrow_mut().insert(view.id.clone(), fingerprint);
        }
        let kept: Vec<&StoredIndexEntry> =
            index.iter().filter(|e| !prune.contains(&e.id)).collect();
        self.write(&self.key("index"), &kept);
    }

    /// Removes a dismissed session.
    pub fn forget(&self, session: &str) {
        let _ = self.storage.remove_item(&self.key(&format!("s:{session}")));
        self.saved.borrow_mut().remove(session);
        let mut index: Vec<StoredIndexEntry> = self.read(&self.key("index")).unwrap_or_default();
        index.retain(|e| e.id != session);
        self.write(&self.key("index"), &index);
    }

    /// Records that the widget is live now (the start of a gap, should the page close).
    pub fn mark_live(&self, at: Millis) {
        self.write(&self.key("live"), &at);
    }
}
