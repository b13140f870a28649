//! Transcripts kept in `localStorage` (or the tab's `sessionStorage`, or nowhere: the `storage`
//! option), per agent and session id, because GWS has no history.
//!
//! Keys: `imw:v1:{agent}:s:{session}` (a `StoredSession`), `imw:v1:{agent}:index` (what is kept),
//! `imw:v1:{agent}:live` (when this agent's widget last had a live CometD session).
//! Nothing here stores credentials or tokens. What removes them (retention, another agent at the
//! desk, sign-out) is in docs/RELIABILITY.md, "Security and privacy".

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use web_sys::Storage;

use gws_protocol::ImSession;

use crate::config::StorageMode;
use crate::state::{
    agent_prefix, expired_entries, keys_to_remove, sessions_to_prune, Delivery, Line, LineKind,
    Millis, Model, SessionView, StoredIndexEntry, StoredSession, STORED_SESSION_LIMIT,
};

/// The storage area `mode` keeps things in; `None` for `none`, or when the browser refuses it.
pub fn area(mode: StorageMode) -> Option<Storage> {
    let window = web_sys::window()?;
    match mode {
        StorageMode::Local => window.local_storage().ok()?,
        StorageMode::Session => window.session_storage().ok()?,
        StorageMode::None => None,
    }
}

/// Both areas the widget may have written to, where the browser lets it read them.
fn every_area() -> impl Iterator<Item = (StorageMode, Storage)> {
    [StorageMode::Local, StorageMode::Session]
        .into_iter()
        .filter_map(|mode| Some((mode, area(mode)?)))
}

fn keys_of(storage: &Storage) -> Vec<String> {
    let length = storage.length().unwrap_or(0);
    (0..length)
        .filter_map(|index| storage.key(index).ok().flatten())
        .collect()
}

/// Removes the widget's agent data in `storage`, all but `keep`'s (`None`: everyone's).
fn remove_where(storage: &Storage, keep: Option<&str>) {
    let keys = keys_of(storage);
    for key in keys_to_remove(keys.iter().map(String::as_str), keep) {
        let _ = storage.remove_item(key);
    }
}

/// At start-up, once `/me` named `agent`: every other agent's data is removed from both areas, and
/// this agent's from the area `mode` does not use (a site that changed its policy keeps nothing
/// where it no longer wants it).
pub fn clear_for(agent: &str, mode: StorageMode) {
    for (area_mode, storage) in every_area() {
        let keep = (area_mode == mode).then_some(agent);
        remove_where(&storage, keep);
    }
}

/// Sign-out: every agent's data, in both areas (the mute preference is nobody's and stays).
pub fn clear_everyone() {
    for (_, storage) in every_area() {
        remove_where(&storage, None);
    }
}

/// The mute preference: the agent's, but nobody's personal data (never removed at sign-out).
const MUTED_KEY: &str = "imw:v1:prefs:muted";

/// Whether the agent muted alerts (remembered across reloads where `mode` keeps anything).
pub fn load_muted(mode: StorageMode) -> bool {
    area(mode)
        .and_then(|s| s.get_item(MUTED_KEY).ok().flatten())
        .is_some_and(|v| v == "true")
}

pub fn save_muted(mode: StorageMode, muted: bool) {
    if let Some(storage) = area(mode) {
        // A full or disabled storage only loses the preference.
        let _ = storage.set_item(MUTED_KEY, if muted { "true" } else { "false" });
    }
}

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
    /// The dismissed (and expired) session ids last written (`…:gone`).
    gone: RefCell<Vec<String>>,
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
    /// `None` when the browser has no usable storage of that kind (private modes, disabled
    /// storage), and for `StorageMode::None`.
    pub fn open(agent: &str, mode: StorageMode) -> Option<Self> {
        let storage = area(mode)?;
        Some(Self {
            storage,
            prefix: agent_prefix(agent),
            saved: RefCell::default(),
            gone: RefCell::default(),
            refused: Cell::default(),
        })
    }

    fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    /// The key of one session's `StoredSession`.
    fn session_key(&self, session: &str) -> String {
        self.key(&format!("s:{session}"))
    }

    fn read<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        let text = self.storage.get_item(key).ok()??;
        crate::json::decode(&text).ok()
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

    /// Everything kept for this agent, when its widget was last live, and the sessions the agent
    /// dismissed (or that expired) that the server may still list. Sessions past their retention at
    /// `now` (`keep_ms` after their newest line) are removed instead of returned.
    pub fn load(
        &self,
        now: Millis,
        keep_ms: Millis,
    ) -> (Vec<StoredSession>, Option<Millis>, Vec<String>) {
        let mut index: Vec<StoredIndexEntry> = self.read(&self.key("index")).unwrap_or_default();
        let expired = expired_entries(&index, now, keep_ms);
        if !expired.is_empty() {
            for id in &expired {
                let _ = self.storage.remove_item(&self.session_key(id));
            }
            index.retain(|e| !expired.contains(&e.id));
            self.write(&self.key("index"), &index);
        }
        let sessions: Vec<StoredSession> = index
            .iter()
            .filter_map(|entry| self.read::<StoredSession>(&self.session_key(&entry.id)))
            .collect();
        let mut saved = self.saved.borrow_mut();
        for stored in &sessions {
            saved.insert(stored.id.clone(), Fingerprint::of_stored(stored));
        }
        let gone: Vec<String> = self.read(&self.key("gone")).unwrap_or_default();
        self.gone.borrow_mut().clone_from(&gone);
        (sessions, self.read(&self.key("live")), gone)
    }

    /// Writes the sessions that changed since the last save, and prunes beyond the limit.
    pub fn save_changed(&self, model: &Model) {
        if !model.dismissed.iter().eq(self.gone.borrow().iter()) {
            let gone: Vec<String> = model.dismissed.iter().cloned().collect();
            if self.write(&self.key("gone"), &gone) {
                *self.gone.borrow_mut() = gone;
            }
        }
        let changed: Vec<(&SessionView, Fingerprint)> = model
            .sessions()
            .iter()
            .map(|view| (view, Fingerprint::of(view)))
            .filter(|(view, fingerprint)| self.saved.borrow().get(&view.id) != Some(fingerprint))
            .collect();
        if changed.is_empty() {
            return;
        }
        let index: Vec<StoredIndexEntry> =
            model.sessions().iter().map(StoredIndexEntry::of).collect();
        let prune = sessions_to_prune(&index, STORED_SESSION_LIMIT);
        for (view, fingerprint) in changed {
            let key = self.session_key(&view.id);
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
        let _ = self.storage.remove_item(&self.session_key(session));
        self.saved.borrow_mut().remove(session);
        let mut index: Vec<StoredIndexEntry> = self.read(&self.key("index")).unwrap_or_default();
        index.retain(|e| e.id != session);
        self.write(&self.key("index"), &index);
    }

    /// Removes everything kept for this agent (another agent took the desk, or sign-out).
    pub fn remove_all(&self) {
        let keys = keys_of(&self.storage);
        for key in keys.iter().filter(|k| k.starts_with(&self.prefix)) {
            let _ = self.storage.remove_item(key);
        }
        self.saved.borrow_mut().clear();
        self.gone.borrow_mut().clear();
    }

    /// Records that the widget is live now (the start of a gap, should the page close).
    pub fn mark_live(&self, at: Millis) {
        self.write(&self.key("live"), &at);
    }
}
