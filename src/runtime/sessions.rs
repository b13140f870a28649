//! One trigger per session a view shows: a change re-runs only what shows the sessions the
//! reducer touched (`Model::take_touched`), not every row of a full day's list.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::state::{Model, Touched};

/// Session id → the trigger its views track. Created by the first view that reads a session,
/// dropped when that session leaves the model (its views go with it).
#[derive(Clone, Copy)]
pub struct SessionSignals(StoredValue<HashMap<String, ArcTrigger>>);

impl SessionSignals {
    pub fn new() -> Self {
        Self(StoredValue::new(HashMap::new()))
    }

    /// The running view (memo, effect) re-runs when session `id` changes, and only then.
    pub fn track(self, id: &str) {
        let trigger = self.0.try_update_value(|map| {
            map.entry(id.to_owned())
                .or_insert_with(ArcTrigger::new)
                .clone()
        });
        if let Some(trigger) = trigger {
            trigger.track();
        }
    }

    /// Tells the views of every session in `touched`; forgets those no longer in `model`.
    pub fn notify(self, touched: &Touched, model: &Model) {
        if touched.ids.is_empty() {
            return;
        }
        let fired = self
            .0
            .try_update_value(|map| {
                let mut fired = Vec::with_capacity(touched.ids.len());
                for id in &touched.ids {
                    if model.session(id).is_some() {
                        fired.extend(map.get(id).cloned());
                    } else {
                        fired.extend(map.remove(id));
                    }
                }
                fired
            })
            .unwrap_or_default();
        for trigger in fired {
            trigger.notify();
        }
    }
}

impl Default for SessionSignals {
    fn default() -> Self {
        Self::new()
    }
}
