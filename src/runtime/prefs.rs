//! The agent's view preferences — the case-data panel open or closed — kept per agent next to their
//! transcripts (`imw:v1:{agent}:prefs:case-open`), so they go with them when another agent signs in
//! at the desk or at sign-out; under `storage: none` they last as long as the page.

use leptos::prelude::*;

use crate::config::StorageMode;
use crate::state::agent_prefix;

/// Shared by the runtime (which learns whose widget this is) and the components that show them.
#[derive(Clone, Copy)]
pub struct Prefs {
    case_open: RwSignal<bool>,
    /// Where to write, once `/me` named the agent.
    key: StoredValue<Option<(StorageMode, String)>>,
}

impl Prefs {
    pub(super) fn new() -> Self {
        Self {
            // Until the agent's own choice is read: open, so case data is never hidden by default.
            case_open: RwSignal::new(true),
            key: StoredValue::new(None),
        }
    }

    /// `/me` named `agent`: their choices are read from where `mode` keeps things.
    pub(super) fn load(&self, agent: &str, mode: StorageMode) {
        let key = format!("{}prefs:case-open", agent_prefix(agent));
        let stored = super::storage::area(mode).and_then(|s| s.get_item(&key).ok().flatten());
        if let Some(stored) = stored {
            self.case_open.set(stored != "false");
        }
        self.key.set_value(Some((mode, key)));
    }

    /// Whether the case-data panel is open (tracked).
    pub fn case_open(&self) -> bool {
        self.case_open.get()
    }

    pub fn set_case_open(&self, open: bool) {
        self.case_open.set(open);
        self.key.with_value(|key| {
            let Some((mode, key)) = key else {
                return;
            };
            if let Some(storage) = super::storage::area(*mode) {
                // A full or disabled storage only loses the preference.
                let _ = storage.set_item(key, if open { "true" } else { "false" });
            }
        });
    }
}
